// An App with many charts: cdk8s prepares and validates the whole App again for every chart it
// synthesizes; inside one synthesis of an App using these constructs that is done once
// (AppState.chartJson). The output must stay exactly cdk8s's, validations must still refuse, and a
// chart that overrides toJson keeps its override.
import { ApiObject, App, Chart, DependencyGraph, Testing, Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import { configureSynthAnalysis, TcpGateway, TenantGateway, TlsHost } from '../src';
import { find } from './support/synth';

function team(app: App, ns: string): Chart {
  const chart = new Chart(app, ns);
  const gateway = new TenantGateway(chart, 'edge', { namespace: ns, name: 'edge' });
  new TlsHost(chart, 'web', { gateway, hosts: [`web.${ns}.example.com`], credentialName: 'web-cert' });
  new TcpGateway(chart, 'ledger', { gateway, port: 7000, destination: { host: 'ledger', port: 7000 } });
  return chart;
}

/** Charts of ours, a plain chart with ordered ApiObjects, a nested chart and a dependency across charts. */
function mixedApp(): App {
  const app = Testing.app();
  configureSynthAnalysis(app, { warnings: 'silent' });
  const a = team(app, 'team-a');
  const plain = new Chart(app, 'plain');
  const second = new ApiObject(plain, 'second', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'second', namespace: 'team-b' }, data: { b: '2', a: '1' } });
  const first = new ApiObject(plain, 'first', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'first', namespace: 'team-b' } });
  second.addDependency(first);
  const nested = new Chart(plain, 'nested');
  new ApiObject(nested, 'inner', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inner', namespace: 'team-b' } });
  const b = team(app, 'team-b');
  b.addDependency(a);
  team(app, 'team-c');
  return app;
}

describe('synthesis of an App with many charts', () => {
  test('gives exactly what cdk8s gives when it prepares the App for every chart', () => {
    const app = mixedApp();
    const ours = app.synthYaml();
    // cdk8s's own Chart.toJson for every chart, each a synthesis of its own
    const cdk8s = Yaml.stringify(...app.charts.flatMap((c) => Chart.prototype.toJson.call(c)));
    expect(ours).toBe(cdk8s);
    const objects = app.charts.flatMap((c) => c.toJson());
    const names = objects.filter((o) => o.kind === 'ConfigMap').map((o) => o.metadata.name);
    expect(names.indexOf('first')).toBeLessThan(names.indexOf('second'));
    // the nested chart's object comes out once (from its own chart), and every team's servers reach its Gateway
    expect(find(objects, 'ConfigMap', 'inner', 'team-b').metadata).toEqual({ name: 'inner', namespace: 'team-b' });
    expect(find(objects, 'Gateway', 'edge', 'team-c').spec.servers.map((s: any) => `${s.port.protocol}/${s.port.number} ${s.hosts.join(',')}`))
      .toEqual(expect.arrayContaining(['HTTPS/443 team-c/web.team-c.example.com', 'TCP/7000 team-c/*']));
  });

  test('validates the App once per synthesis, not once per chart', () => {
    const app = Testing.app();
    configureSynthAnalysis(app, { warnings: 'silent' });
    for (const ns of ['team-a', 'team-b', 'team-c', 'team-d', 'team-e']) team(app, ns);
    let calls = 0;
    const watched = new Construct(app.charts[0], 'watched');
    watched.node.addValidation({ validate: () => { calls++; return []; } });
    app.synthYaml();
    // synthYaml's own pass (before any chart); cdk8s alone validates 1 + 5 times
    expect(app.charts.length).toBe(5);
    expect(calls).toBe(1);
    // a chart synthesized on its own prepares and validates the App itself, once
    calls = 0;
    app.charts[3].toJson();
    expect(calls).toBe(1);
  });

  test('a validation error in any chart still refuses the synthesis', () => {
    const app = mixedApp();
    const last = app.charts[app.charts.length - 1];
    const bad = new Construct(last, 'bad');
    bad.node.addValidation({ validate: () => ['always wrong'] });
    expect(() => app.synthYaml()).toThrow(/always wrong/);
  });

  test('a chart synthesized on its own still refuses on a validation error elsewhere in the App', () => {
    const app = mixedApp();
    const bad = new Construct(app.charts[0], 'bad');
    bad.node.addValidation({ validate: () => ['always wrong'] });
    expect(() => app.charts[app.charts.length - 1].toJson()).toThrow(/always wrong/);
    expect(() => Testing.synth(app.charts[2] as Chart)).toThrow(/always wrong/);
  });

  test('a chart that overrides toJson keeps its override', () => {
    class Stamped extends Chart {
      public override toJson(): any[] {
        return super.toJson().map((o: any) => ({ ...o, metadata: { ...o.metadata, annotations: { stamped: 'by-override' } } }));
      }
    }
    const app = Testing.app();
    configureSynthAnalysis(app, { warnings: 'silent' });
    team(app, 'team-a');
    const stamped = new Stamped(app, 'stamped');
    const gateway = new TenantGateway(stamped, 'edge', { namespace: 'team-s', name: 'edge' });
    new TlsHost(stamped, 'web', { gateway, hosts: ['web.team-s.example.com'], credentialName: 'web-cert' });
    const yaml = app.synthYaml();
    expect(yaml.match(/stamped: by-override/g)?.length).toBe(stamped.toJson().length);
  });

  test('lists the charts in cdk8s\'s order without building cdk8s\'s graph of the whole App', () => {
    const app = Testing.app();
    configureSynthAnalysis(app, { warnings: 'silent' });
    const [a, b] = [team(app, 'team-a'), team(app, 'team-b'), team(app, 'team-c')];
    a.addDependency(b); // so cdk8s lists team-b before team-a, against the tree's order
    const cdk8sCharts = Object.getOwnPropertyDescriptor(App.prototype, 'charts')!.get!;
    expect((cdk8sCharts.call(app) as Chart[]).map((c) => c.node.path)).toEqual(['team-b', 'team-a', 'team-c']);
    const topology = jest.spyOn(DependencyGraph.prototype, 'topology');
    try {
      expect(app.charts.map((c) => c.node.path)).toEqual(['team-b', 'team-a', 'team-c']);
      expect(app.synthYaml()).toBe(Yaml.stringify(...(cdk8sCharts.call(app) as Chart[]).flatMap((c) => Chart.prototype.toJson.call(c))));
      topology.mockClear();
      app.synthYaml();
      expect(topology).not.toHaveBeenCalled();
    } finally {
      topology.mockRestore();
    }
  });

  test('leaves the charts of a cycle, and an App that overrides charts, to their own getter', () => {
    const cyclic = mixedApp();
    const [a, b] = [cyclic.node.findChild('team-a') as Chart, cyclic.node.findChild('team-b') as Chart];
    a.addDependency(b); // team-b already depends on team-a
    expect(() => cyclic.charts).toThrow('Dependency cycle detected: team-a => team-b => team-a');

    class Reversed extends App {
      public override get charts(): Chart[] { return [...super.charts].reverse(); }
    }
    const app = new Reversed({ outdir: Testing.app().outdir });
    team(app, 'team-a');
    team(app, 'team-b');
    expect(app.charts.map((c) => c.node.path)).toEqual(['team-b', 'team-a']);
  });
});
