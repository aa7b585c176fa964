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
import { contentChanged, contentVersion, RenderedObject } from './rendered-object';

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

/** Counts cdk8s validation passes; constructs use it to learn what the pass visited before them. */
let validationPass = 0;
export function currentValidationPass(): number { return validationPass; }
const SUPPRESSED = new WeakMap<IConstruct, Map<string, string>>();

const GROUPS = new WeakMap<readonly SynthChecked[], Map<(m: SynthChecked) => string | undefined, Map<string, SynthChecked[]>>>();

/**
 * The members of `all` grouped by `keyOf` (members it maps to undefined are left out), each group
 * in the order of `all`. Computed once per `all` array and `keyOf` function: SynthCheck passes a
 * fresh array on each run, so `appProblems` can find a member's peers without scanning every
 * member of the App for each one (quadratic in a platform of hundreds of teams).
 * @internal
 */
export function groupMembers<T extends SynthChecked>(all: readonly SynthChecked[], keyOf: (m: SynthChecked) => string | undefined): Map<string, T[]> {
  let byFn = GROUPS.get(all);
  if (!byFn) { byFn = new Map(); GROUPS.set(all, byFn); }
  let groups = byFn.get(keyOf);
  if (!groups) {
    groups = new Map();
    for (const m of all) {
      const k = keyOf(m);
      if (k === undefined) continue;
      const list = groups.get(k);
      if (list) list.push(m);
      else groups.set(k, [m]);
    }
    byFn.set(keyOf, groups);
  }
  return groups as Map<string, T[]>;
}

/**
 * Suppress one analyzer code on one construct (and everything inside it), with a reason that
 * reviewers can read. Suppressed diagnostics are neither printed nor fail synthesis.
 *
 * @example suppressDiagnostic(route, 'IST0173', 'pods are created by another team\'s chart');
 */
export function suppressDiagnostic(scope: IConstruct, code: string, reason: string): void {
  if (!/^IST\d{4}$/.test(code)) {
    throw new IstioGatewayError({ construct: `${scope.constructor.name} '${scope.node.path}'`, prop: 'code', value: code, expected: 'an istioctl analyze code such as "IST0173"' });
  }
  if (typeof reason !== 'string' || reason.trim() === '') {
    throw new IstioGatewayError({ construct: `${scope.constructor.name} '${scope.node.path}'`, prop: 'reason', value: reason, expected: 'a non-empty reason, kept for reviewers' });
  }
  let m = SUPPRESSED.get(scope);
  if (!m) { m = new Map(); SUPPRESSED.set(scope, m); }
  m.set(code, reason);
  contentChanged();
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
  /**
   * Istio's mesh config the analysis assumes (see AnalyzeOptions.meshConfig and docs/analyzers.md).
   * @default {} (Istio's defaults, as `istioctl analyze --use-kube=false`)
   */
  readonly meshConfig?: object;
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
  /** What the last successful run read and found. */
  private last?: {
    readonly version: number;
    readonly options: SynthAnalysisOptions;
    readonly external: readonly object[];
    readonly members: number;
    readonly apis: readonly ApiObject[];
    readonly plainJson: readonly (string | undefined)[];
    readonly diagnostics: Diagnostic[];
  };

  private constructor(private readonly root: IConstruct) {
    // The root is validated first in every pass (cdk8s walks the tree in pre-order).
    root.node.addValidation({ validate: () => { validationPass++; this.run(); return []; } });
  }

  /** @internal */
  register(c: SynthChecked): void {
    this.members.push(c);
  }

  /**
   * Runs every App-wide rule; throws one IstioGatewayError listing all errors found.
   *
   * cdk8s validates the whole App once per chart, and once more before (`synth`, `synthYaml`), so
   * this is called many times per synthesis; analyzing each time made synthesis quadratic in the
   * number of charts. Within one synchronous job the last result stands while nothing it read has
   * changed: the walk of the tree and the JSON of ApiObjects not made by this library show any
   * change to what the App emits, the content version anything else (see contentChanged), and
   * options are compared by identity. A reused result's warnings are not printed again.
   */
  run(): Diagnostic[] {
    const apis: ApiObject[] = [];
    for (const c of this.root.node.findAll()) if (c instanceof ApiObject) apis.push(c);
    const plain = apis.map((c) => (RenderedObject.isRendered(c) ? undefined : c.toJson()));
    const plainJson = plain.map((o) => (o === undefined ? undefined : JSON.stringify(o)));
    const external = this.options.external ?? [];
    const last = this.last;
    if (last && last.version === contentVersion() && last.options === this.options && last.members === this.members.length
      && sameItems(last.external, external) && sameItems(last.apis, apis) && sameItems(last.plainJson, plainJson)) {
      this.lastDiagnostics = last.diagnostics;
      return last.diagnostics;
    }
    this.last = undefined;
    const at = { version: contentVersion(), options: this.options, external: [...external], members: this.members.length };
    const diagnostics = this.check(apis, plain);
    this.last = { ...at, apis, plainJson, diagnostics };
    return diagnostics;
  }

  private assumedExternals(members: readonly SynthChecked[], ownerByOrigin: Map<string, ApiObject>): object[] {
    return assumedExternalsOf([...(this.options.external ?? []), ...members.flatMap((m) => m.externalObjects?.() ?? [])], ownerByOrigin);
  }

  /**
   * The objects the App refers to but does not define, which must exist in the cluster before its
   * output is applied: credential Secrets, backend Services (or ServiceEntries), the workload and
   * Service of an existing gateway, and what `configureSynthAnalysis({ external })` declared.
   * Plain objects, merged (one per identity), sorted by kind, namespace and name.
   */
  prerequisites(): object[] {
    const defined = new Set<string>();
    for (const c of this.root.node.findAll()) {
      if (!(c instanceof ApiObject)) continue;
      defined.add(originOf((RenderedObject.isRendered(c) ? c.rendered() : c.toJson()) as any));
    }
    const key = (o: any): string => `${o?.kind}\u0000${o?.metadata?.namespace ?? ''}\u0000${o?.metadata?.name}`;
    return assumedExternalsOf([...(this.options.external ?? []), ...this.members.flatMap((m) => m.externalObjects?.() ?? [])], defined)
      .map((o) => structuredClone(o))
      .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }

  private check(apis: readonly ApiObject[], plainOf: readonly (any | undefined)[]): Diagnostic[] {
    const problems: IstioGatewayErrorDetails[] = [];
    const objects: any[] = [];
    const ownerOf = new Map<object, ApiObject>();
    const ownerByOrigin = new Map<string, ApiObject>();
    const byIdentity = new Map<string, ApiObject>();
    // One problem per pair of constructs (and name): a duplicated gateway name collides on every object it renders.
    const collisions = new Map<string, { construct: string; other: string; name: unknown; namespace: string; kinds: string[] }>();
    for (let i = 0; i < apis.length; i++) {
      const c = apis[i];
      const plain = plainOf[i] ?? (c as RenderedObject).rendered();
      objects.push(plain);
      ownerOf.set(plain, c);
      ownerByOrigin.set(originOf(plain), c);
      const ns = plain?.metadata?.namespace ?? '';
      const id = `${plain.apiVersion?.split('/')[0]}|${plain.kind}|${ns}|${plain?.metadata?.name}`;
      const other = byIdentity.get(id);
      if (other) {
        const construct = describeOwner(c);
        const otherOwner = describeOwner(other);
        const key = `${construct}|${otherOwner}|${ns}|${plain?.metadata?.name}`;
        const entry = collisions.get(key) ?? { construct, other: otherOwner, name: plain?.metadata?.name, namespace: ns, kinds: [] as string[] };
        entry.kinds.push(String(plain.kind));
        collisions.set(key, entry);
      } else {
        byIdentity.set(id, c);
      }
    }
    for (const e of collisions.values()) {
      const what = `${e.kinds.join(', ')} ${e.namespace ? `${e.namespace}/` : ''}${String(e.name)}`;
      problems.push({
        construct: e.construct,
        prop: 'name',
        value: e.name,
        expected: `${what} ${e.kinds.length > 1 ? 'are' : 'is'} already emitted by ${e.other}; ` +
          'two objects with one name would overwrite each other on apply: give one of the constructs another name',
      });
    }
    // A fresh array per run: appProblems may index it (groupMembers) for the length of this run.
    const members = [...this.members];
    for (const m of members) problems.push(...(m.appProblems?.(members) ?? []));
    if (problems.length > 0) throw new IstioGatewayError(dedupe(problems));

    if (this.options.enabled === false) { this.lastDiagnostics = []; return []; }
    const external = this.assumedExternals(members, ownerByOrigin);
    const pathOf = (o: any) => {
      const api = ownerOf.get(o);
      if (!api) return undefined;
      return RenderedObject.isRendered(api) ? api.node.scope!.node.path : api.node.path;
    };
    const diagnostics = analyze(objects, { external, pathOf, meshConfig: this.options.meshConfig }).filter((d) => {
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

/** What the App itself defines is checked as written; only what it lacks is assumed to exist. */
function assumedExternalsOf(declared: readonly object[], defined: { has(origin: string): boolean }): object[] {
  return mergeExternals(declared.filter((o) => !defined.has(originOf(o as any))));
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** How errors name the construct that emitted an object: `Kind 'path'` (its construct for ours, the ApiObject itself otherwise). */
function describeOwner(c: ApiObject): string {
  const owner: IConstruct = RenderedObject.isRendered(c) && c.node.scope ? c.node.scope : c;
  const kind = owner === c ? `${c.kind}` : owner.constructor.name;
  return `${kind} '${owner.node.path}'`;
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
