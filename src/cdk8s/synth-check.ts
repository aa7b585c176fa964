// The checks that need the whole App: run once per synthesis, before any YAML is written.
// Cross-construct rules (two objects with one name, two gateways on one workload fighting over a
// host) and the static analyzer over every object of every chart. Errors fail synthesis with
// the construct path and the fix; warnings are printed.
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { analyze, Diagnostic } from '../analysis';
import { IstioGatewayError, IstioGatewayErrorDetails } from '../errors';
import { originOf } from '../render/objects';
import { mergeExternals } from './externals';
import { RenderedObject } from './rendered-object';

/** What a construct of this library contributes to the App-wide check. */
export interface SynthChecked extends IConstruct {
  /** Objects this construct knows exist in the cluster but does not emit (shared gateway, TLS Secrets, backends). */
  externalObjects?(): object[];
  /** Problems across constructs that only the whole App reveals. */
  appProblems?(all: readonly SynthChecked[]): IstioGatewayErrorDetails[];
}

/** Codes that are errors when our own constructs wired the object, whatever Istio's level. */
const OWN_WIRING_ERRORS = new Set(['IST0132']);

const CHECKS = new WeakMap<IConstruct, SynthCheck>();
const SUPPRESSED = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Suppress one analyzer code on one construct (and everything inside it), with a reason that
 * reviewers can read. Suppressed diagnostics are neither printed nor fail synthesis.
 *
 * @example suppressDiagnostic(route, 'IST0173', 'pods are created by another team\'s chart');
 */
export function suppressDiagnostic(scope: IConstruct, code: string, reason: string): void {
  if (!/^IST\d{4}$/.test(code)) {
    throw new IstioGatewayError({ construct: scope.node.path, prop: 'code', value: code, expected: 'an istioctl analyze code such as "IST0173"' });
  }
  if (typeof reason !== 'string' || reason.trim() === '') {
    throw new IstioGatewayError({ construct: scope.node.path, prop: 'reason', value: reason, expected: 'a non-empty reason, kept for reviewers' });
  }
  let m = SUPPRESSED.get(scope);
  if (!m) { m = new Map(); SUPPRESSED.set(scope, m); }
  m.set(code, reason);
}

function isSuppressed(c: IConstruct, code: string): boolean {
  for (const s of c.node.scopes) {
    if (SUPPRESSED.get(s)?.has(code)) return true;
  }
  return false;
}

/** Options of the synth-time analysis, set per App with {@link configureSynthAnalysis}. */
export interface SynthAnalysisOptions {
  /** Turn the analyzer off (cross-construct checks still run). @default true */
  readonly enabled?: boolean;
  /** Objects that exist in the cluster but not in this App, e.g. Services the routes point at. */
  readonly external?: object[];
  /** Where warnings go. @default console.warn */
  readonly warn?: (line: string) => void;
}

export function configureSynthAnalysis(scope: IConstruct, options: SynthAnalysisOptions): void {
  SynthCheck.of(scope).options = { ...SynthCheck.of(scope).options, ...options };
}

export class SynthCheck {
  /** The check of the App that holds `scope`, created (and hooked into validation) on first use. */
  static of(scope: IConstruct): SynthCheck {
    const root = scope.node.root;
    let check = CHECKS.get(root);
    if (!check) {
      check = new SynthCheck(root);
      CHECKS.set(root, check);
    }
    return check;
  }

  public options: SynthAnalysisOptions = {};
  private readonly members: SynthChecked[] = [];
  /** Diagnostics of the last run, for callers that want them (CLI, tests, Pulumi). */
  public lastDiagnostics: Diagnostic[] = [];

  private constructor(private readonly root: IConstruct) {
    root.node.addValidation({ validate: () => { this.run(); return []; } });
  }

  register(c: SynthChecked): void {
    this.members.push(c);
  }

  /** Runs every App-wide rule; throws one IstioGatewayError listing all errors found. */
  run(): Diagnostic[] {
    const problems: IstioGatewayErrorDetails[] = [];
    const objects: any[] = [];
    const ownerOf = new Map<object, ApiObject>();
    const ownerByOrigin = new Map<string, ApiObject>();
    const byIdentity = new Map<string, ApiObject>();
    for (const c of this.root.node.findAll()) {
      if (!(c instanceof ApiObject)) continue;
      const plain = RenderedObject.isRendered(c) ? c.renderPlain() : c.toJson();
      objects.push(plain);
      ownerOf.set(plain, c);
      ownerByOrigin.set(originOf(plain), c);
      const ns = plain?.metadata?.namespace ?? '';
      const id = `${plain.apiVersion?.split('/')[0]}|${plain.kind}|${ns}|${plain?.metadata?.name}`;
      const other = byIdentity.get(id);
      if (other) {
        problems.push({
          construct: c.node.scope?.node.path ?? c.node.path,
          prop: 'name',
          value: plain?.metadata?.name,
          expected: `${originOf(plain)} is already emitted by '${other.node.scope?.node.path ?? other.node.path}'; ` +
            'two objects with one name would overwrite each other on apply: give one of the constructs another name',
        });
      } else {
        byIdentity.set(id, c);
      }
    }
    for (const m of this.members) problems.push(...(m.appProblems?.(this.members) ?? []));
    if (problems.length > 0) throw new IstioGatewayError(dedupe(problems));

    if (this.options.enabled === false) { this.lastDiagnostics = []; return []; }
    // What the App itself defines is checked as written; only what it lacks is assumed to exist.
    const external: object[] = [];
    for (const o of [...(this.options.external ?? []), ...this.members.flatMap((m) => m.externalObjects?.() ?? [])]) {
      if (!ownerByOrigin.has(originOf(o as any))) external.push(o);
    }
    const pathOf = (o: any) => {
      const api = ownerOf.get(o);
      if (!api) return undefined;
      return RenderedObject.isRendered(api) ? api.node.scope!.node.path : api.node.path;
    };
    const diagnostics = analyze(objects, { external: mergeExternals(external), pathOf }).filter((d) => {
      const owner = ownerByOrigin.get(d.origin);
      return !(owner && isSuppressed(owner, d.code));
    }).map((d) => {
      const owner = ownerByOrigin.get(d.origin);
      if (owner && RenderedObject.isRendered(owner) && OWN_WIRING_ERRORS.has(d.code) && d.level !== 'Error') {
        return { ...d, level: 'Error' as const };
      }
      return d;
    });
    this.lastDiagnostics = diagnostics;
    const errors = diagnostics.filter((d) => d.level === 'Error');
    const warn = this.options.warn ?? ((line: string) => console.warn(line));
    for (const d of diagnostics) {
      if (d.level !== 'Error') warn(`${d.level} [${d.code}] (${d.origin})${d.path ? ` at '${d.path}'` : ''} ${d.message}`);
    }
    if (errors.length > 0) {
      throw new IstioGatewayError(errors.map((d) => ({
        construct: d.path ?? d.origin,
        prop: d.code,
        value: d.origin,
        expected: `${d.name}: ${d.message} (suppress with suppressDiagnostic(construct, '${d.code}', reason) if intended)`,
      })), 'Synthesis refused by the Istio analyzer:\n' + errors.map((d) =>
        `  Error [${d.code}] (${d.origin})${d.path ? ` at '${d.path}'` : ''} ${d.message}`).join('\n'));
    }
    return diagnostics;
  }
}

function dedupe(list: IstioGatewayErrorDetails[]): IstioGatewayErrorDetails[] {
  const seen = new Set<string>();
  return list.filter((p) => {
    const k = `${p.construct}|${p.prop}|${String(p.value)}|${p.expected}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
