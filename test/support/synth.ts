// Test helpers: build a chart, synthesize it as `cdk8s synth` would, find objects by kind and name.
import { App, Chart, Testing } from 'cdk8s';

export interface Synthesized {
  app: App;
  chart: Chart;
  objects: any[];
}

/** A fresh App with one chart named `test`; warnings are collected instead of printed. */
export function newChart(): { app: App; chart: Chart } {
  const app = Testing.app();
  const chart = new Chart(app, 'test');
  return { app, chart };
}

export function synth(chart: Chart): any[] {
  return Testing.synth(chart);
}

/** All objects of every chart of an App, in synth order. */
export function synthApp(app: App): any[] {
  return app.charts.flatMap((c) => c.toJson());
}

export function find(objects: any[], kind: string, name: string, namespace?: string): any {
  const hits = objects.filter((o) => o.kind === kind && o.metadata?.name === name && (namespace === undefined || o.metadata?.namespace === namespace));
  if (hits.length !== 1) {
    throw new Error(`expected exactly one ${kind} ${namespace ? namespace + '/' : ''}${name}, found ${hits.length} among: ${objects.map((o) => `${o.kind} ${o.metadata?.namespace}/${o.metadata?.name}`).join(', ')}`);
  }
  return hits[0];
}

export function all(objects: any[], kind: string): any[] {
  return objects.filter((o) => o.kind === kind);
}

/** Runs `fn` and returns the error it throws (fails the test when it does not throw). */
export function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, but none was thrown');
}
