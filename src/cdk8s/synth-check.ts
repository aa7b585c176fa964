// The checks that need the whole App: run once per synthesis, before any YAML is written.
// Cross-construct rules (two objects with one name, two gateways on one workload fighting over a
// host) and the static analyzer over every object of every chart. Errors fail synthesis with
// the construct path and the fix; warnings go through one reporting path (see SynthWarnings).
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { analyze, Diagnostic } from '../analysis';
import { formatProblem, IstioGatewayError, IstioGatewayErrorDetails } from '../errors';
import { originOf } from '../manifests';
import { AppState } from './app-state';
import { mergeExternals } from './externals';
import { RenderedObject } from './rendered-object';

/** What a construct of this library contributes to the App-wide check. */
export interface SynthChecked extends IConstruct {
  /** Objects this construct knows exist in the cluster but does not emit (shared gateway, TLS Secrets, backends). @internal */
  externalObjects?(): object[];
  /** Problems across constructs that only the whole App reveals. @internal */
  appProblems?(all: readonly SynthChecked[]): IstioGatewayErrorDetails[];
}

/**
 * One rendered object per construct class and object id (a TenantGateway's `Deployment`, a
 * CanaryRoute's `VirtualService`), the first one collected, kept for the module's life so that the
 * hidden classes (V8 maps) of rendered objects and of what they hold outlive each synthesis. They
 * are made by adding properties one by one, and V8 holds such maps only weakly: when the last
 * object of one died in a full GC (each App's objects die after its synthesis), V8 freed the map and
 * discarded the optimized code of every function that had seen it (the renderers, the analyzer's
 * `normalize` and `run`s, this file's `collect`: "weak objects" in `--trace-deopt`), and the next
 * synthesis ran them cold. The same is done for the analyzer's index (SHAPE_KEEPER in
 * resource-index.ts). The one module-level collection of this layer, on purpose: it outlives every
 * App because the maps must, and it is written only, never read, so no App sees what another
 * left (test/app-state.test.ts names it as the one exception). Bounded: at most
 * SHAPE_SAMPLE_CLASSES classes and SHAPE_SAMPLE_IDS ids each (ids come from the constructs' code).
 */
const SHAPE_SAMPLES = new Map<Function, Map<string, object>>();
const SHAPE_SAMPLE_CLASSES = 64;
const SHAPE_SAMPLE_IDS = 16;

function keepShapeSample(c: ApiObject, plain: object): void {
  const owner = c.node.scope;
  if (!owner) return;
  let byId = SHAPE_SAMPLES.get(owner.constructor);
  if (!byId) {
    if (SHAPE_SAMPLES.size >= SHAPE_SAMPLE_CLASSES) return;
    SHAPE_SAMPLES.set(owner.constructor, byId = new Map());
  }
  if (byId.size >= SHAPE_SAMPLE_IDS || byId.has(c.node.id)) return;
  byId.set(c.node.id, plain);
}

/** Codes that are errors when our own constructs wired the object, whatever Istio's level. */
const OWN_WIRING_ERRORS: ReadonlySet<string> = new Set(['IST0132']);

/**
 * What {@link peersOf} keeps per `all` array of one run: the groups by key function, and the
 * run's key text (Pulumi). Kept by the App's SynthCheck in a WeakMap by array, rather than as
 * symbol properties of the array: a property added to an array gives it a hidden class of its own,
 * which died with each run's array at a full GC and took the optimized code of every `appProblems`
 * that read it along (V8's "weak objects" deoptimization), so each synthesis ran them cold again.
 * @internal
 */
export interface RunGroups {
  readonly byFn: Map<(m: SynthChecked) => string | undefined, Map<string, SynthChecked[]>>;
  /** By key function: each grouped member's group (see peersOf). */
  readonly groupOf: Map<(m: SynthChecked) => string | undefined, Map<SynthChecked, SynthChecked[]>>;
  readonly text: ((key: string) => string) | undefined;
}

/** Groups whose keys (on insertion and lookup alike) are read through the run's key text. */
class ResolvedKeys<V> extends Map<string, V> {
  constructor(private readonly text: (key: string) => string) { super(); }
  override get(key: string): V | undefined { return super.get(this.text(key)); }
  override has(key: string): boolean { return super.has(this.text(key)); }
  override set(key: string, value: V): this { return super.set(this.text(key), value); }
}

/**
 * The members of `all` whose key (by `keyOf`) is `member`'s, `member` among them, in the order of
 * `all` (none when `member` is not in `all` or has no key). The groups are made once per `all`
 * array and `keyOf` function, and kept for that array: SynthCheck passes a fresh array on each
 * run, so `appProblems` finds a member's peers without scanning every member of the App for each
 * one (quadratic in a platform of hundreds of teams), and without computing the member's key again
 * (a selector's or a policy's key is a sorted string, written once per member and run).
 * @internal
 */
export function peersOf<T extends SynthChecked>(all: readonly SynthChecked[], keyOf: (m: SynthChecked) => string | undefined, member: T): T[] {
  if (all.length === 0) return [];
  const run = SynthCheck.of(all[0]).runGroups(all);
  grouped(run, all, keyOf);
  return (run.groupOf.get(keyOf)!.get(member) ?? []) as T[];
}

/** The members of `all` grouped by `keyOf` (undefined keys left out), computed on first use per run, with each member's group recorded for peersOf. */
function grouped(run: RunGroups, all: readonly SynthChecked[], keyOf: (m: SynthChecked) => string | undefined): void {
  let groups = run.byFn.get(keyOf);
  if (!groups) {
    // Under Pulumi, keys may hold the placeholders of Inputs: they are compared by the values
    // known for this run (see SynthCheck.substituteText).
    const text = run.text;
    groups = text ? new ResolvedKeys<SynthChecked[]>(text) : new Map();
    const groupOf = new Map<SynthChecked, SynthChecked[]>();
    for (let i = 0; i < all.length; i++) {
      const m = all[i];
      const k = keyOf(m);
      if (k === undefined) continue;
      let list = groups.get(k);
      if (list) list.push(m);
      else groups.set(k, list = [m]);
      groupOf.set(m, list);
    }
    run.byFn.set(keyOf, groups);
    run.groupOf.set(keyOf, groupOf);
  }
}

/**
 * Suppress one analyzer code on one construct (and everything inside it), with a reason that
 * reviewers can read. Suppressed diagnostics are neither reported nor fail synthesis.
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
  const all = SynthCheck.of(scope).suppressions;
  let m = all.get(scope);
  if (!m) { m = new Map(); all.set(scope, m); }
  m.set(code, reason);
}

/**
 * What happens to analyzer findings below Error (Warning and Info): `print` hands each line to
 * the `warn` sink (default `console.warn`), `silent` drops them, `error` fails synthesis on them
 * as on errors.
 */
export type SynthWarnings = 'print' | 'silent' | 'error';

/** Environment variable that sets {@link SynthWarnings} when no option does: `print`, `silent` or `error`. */
export const WARNINGS_ENV = 'ISTIO_GATEWAY_WARNINGS';

/** Options of the synth-time analysis, set per App with {@link configureSynthAnalysis}. */
export interface SynthAnalysisOptions {
  /** Turn the analyzer off (cross-construct checks still run). @default true */
  readonly enabled?: boolean;
  /** Objects that exist in the cluster but not in this App, e.g. Services the routes point at. */
  readonly external?: object[];
  /**
   * What to do with warnings (findings below Error).
   * @default - the environment variable ISTIO_GATEWAY_WARNINGS, else 'print'
   */
  readonly warnings?: SynthWarnings;
  /** Where printed warnings go. @default console.warn */
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

/** What one run of the check found. */
export interface SynthCheckResult {
  /** Problems that refuse the App: cross-construct rules, analyzer errors (and warnings when they are errors). */
  readonly error?: IstioGatewayError;
  /** Every analyzer finding not suppressed. */
  readonly diagnostics: Diagnostic[];
  /** The findings below Error, as printed lines, to report. */
  readonly warnings: string[];
}

export class SynthCheck {
  /** The check of the App that holds `scope`, created (and hooked into synthesis) on first use. */
  static of(scope: IConstruct): SynthCheck {
    const state = AppState.of(scope);
    return state.slot('synth-check', () => new SynthCheck(scope.node.root, state));
  }

  public options: SynthAnalysisOptions = {};
  private readonly members: SynthChecked[] = [];
  /** What peersOf grouped for each run's member array (see RunGroups). */
  private readonly groupsOfRun = new WeakMap<readonly SynthChecked[], RunGroups>();
  /** @internal suppressed codes by construct (see suppressDiagnostic) */
  public readonly suppressions = new Map<IConstruct, Map<string, string>>();
  /** Diagnostics of the last run, for callers that want them (CLI, tests, Pulumi). */
  public lastDiagnostics: Diagnostic[] = [];
  /**
   * @internal What each object (and declared external) is checked as: the Pulumi front end puts
   * the values of Inputs in place of the placeholders the constructs hold.
   */
  public substitute?: (o: any) => any;
  /**
   * @internal The same for a string (the keys the App-wide rules group constructs by), so that
   * constructs whose Inputs resolve alike are compared as alike.
   */
  public substituteText?: (s: string) => string;

  private constructor(private readonly root: IConstruct, private readonly state: AppState) {
    // At the start of each synthesis: refuse with the library's own error, report warnings once.
    state.onSynthesisStart(() => this.run());
    // cdk8s validates the whole App once per chart: the result of the synthesis is reused, and the
    // hook only returns messages (it reaches this point with errors only outside a synthesis scope).
    root.node.addValidation({ validate: () => {
      const { error } = this.evaluate();
      return error ? error.problems.map(formatProblem) : [];
    } });
  }

  /** @internal the groups peersOf keeps for one run's member array */
  runGroups(all: readonly SynthChecked[]): RunGroups {
    let run = this.groupsOfRun.get(all);
    if (!run) this.groupsOfRun.set(all, run = { byFn: new Map(), groupOf: new Map(), text: undefined });
    return run;
  }

  /** @internal */
  register(c: SynthChecked): void {
    this.members.push(c);
    this.state.joined(c);
  }

  /** Drops the members at or under `scope`, which is leaving the tree (a refused Pulumi declaration). */
  forget(scope: IConstruct): void {
    const keep = this.members.filter((m) => !m.node.scopes.includes(scope));
    this.members.length = 0;
    this.members.push(...keep);
  }

  /**
   * Runs every App-wide rule (once per synthesis; outside one, afresh), reports the warnings
   * through the App's one reporting path, and throws one IstioGatewayError listing all errors.
   */
  run(): Diagnostic[] {
    const result = this.evaluate();
    if (result.error) throw result.error;
    this.report(result.warnings);
    return result.diagnostics;
  }

  private assumedExternals(members: readonly SynthChecked[], defined: OwnerByOrigin): object[] {
    // What was declared (under Pulumi, with the values of Inputs in place of their placeholders),
    // in order, less what the App defines: one pass, without a copy of the list per step.
    const substitute = this.substitute;
    const assumed: object[] = [];
    const add = (o: object): void => {
      const x = substitute ? substitute(o) : o;
      if (!defined.defines(x)) assumed.push(x);
    };
    for (const o of this.options.external ?? []) add(o);
    for (let i = 0; i < members.length; i++) {
      const declared = members[i].externalObjects?.();
      if (declared) for (let j = 0; j < declared.length; j++) add(declared[j]);
    }
    return mergeExternals(assumed);
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
      defined.add(originOf((RenderedObject.isRendered(c) && !hasJsonPatches(c) ? c.rendered() : c.toJson()) as any));
    }
    const key = (o: any): string => `${o?.kind}\u0000${o?.metadata?.namespace ?? ''}\u0000${o?.metadata?.name}`;
    return assumedExternalsOf([...(this.options.external ?? []), ...this.members.flatMap((m) => m.externalObjects?.() ?? [])], { defines: (o) => defined.has(originOf(o as any)) })
      .map((o) => structuredClone(o))
      .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }

  /** What the App-wide rules and the analyzer find, without side effects (cached per synthesis). */
  evaluate(): SynthCheckResult {
    return this.state.memo(this, () => {
      const result = this.check();
      this.lastDiagnostics = result.diagnostics;
      return result;
    });
  }

  private report(lines: readonly string[]): void {
    if (lines.length === 0 || this.warningsMode() !== 'print') return;
    const warn = this.options.warn ?? ((line: string) => console.warn(line));
    for (const line of lines) warn(line);
  }

  private warningsMode(): SynthWarnings {
    const fromEnv = process.env[WARNINGS_ENV];
    const mode = this.options.warnings ?? (fromEnv === '' ? undefined : fromEnv) ?? 'print';
    if (mode !== 'print' && mode !== 'silent' && mode !== 'error') {
      throw new IstioGatewayError({
        construct: this.options.warnings !== undefined ? 'configureSynthAnalysis' : `environment ${WARNINGS_ENV}`,
        prop: 'warnings', value: mode, expected: '"print", "silent" or "error"',
      });
    }
    return mode;
  }

  /**
   * Every ApiObject of the App with the plain object the analysis reads (for ours, the first
   * rendering of the synthesis, which cdk8s's lazy fields then reuse), and duplicate identities.
   * Separate from {@link check} so that a benchmark can tell rendering (paid for the YAML anyway)
   * from the rules and the analysis.
   */
  private collect() {
    const apis = this.state.apiObjects();
    const objects: any[] = [];
    for (let i = 0; i < apis.length; i++) {
      const c = apis[i];
      // Ours as rendered (the rendering the YAML then reuses), unless JSON patches change what is
      // emitted: then what cdk8s emits, patches applied, so that a patch that drops a port or
      // renames a host is analyzed as written.
      const rendered = RenderedObject.isRendered(c) && !hasJsonPatches(c);
      const own: any = rendered ? (c as RenderedObject).rendered() : c.toJson();
      if (rendered) keepShapeSample(c, own);
      objects.push(this.substitute ? this.substitute(own) : own);
    }
    // Where each origin is: by its parts when every object's origin is plain (see isPlainOrigin),
    // else by the origin strings, as they were always compared.
    const places = placesOf(apis, objects) ?? originsOf(apis, objects);
    // Which ApiObject emitted an object: only asked for objects the analyzer reports on, so built on first use.
    let byObject: Map<object, ApiObject> | undefined;
    const ownerOf = (o: object): ApiObject | undefined => {
      if (!byObject) {
        byObject = new Map();
        for (let i = 0; i < objects.length; i++) byObject.set(objects[i], apis[i]);
      }
      return byObject.get(o);
    };
    return { objects, ownerOf, ownerByOrigin: places as OwnerByOrigin, collisions: places.collisions };
  }

  private check(): SynthCheckResult {
    const problems: IstioGatewayErrorDetails[] = [];
    const { objects, ownerOf, ownerByOrigin, collisions } = this.collect();
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
    // A fresh array per run: appProblems may index it (peersOf) for the length of this run.
    const members = [...this.members];
    if (this.substituteText) this.groupsOfRun.set(members, { byFn: new Map(), groupOf: new Map(), text: this.substituteText });
    for (let i = 0; i < members.length; i++) {
      const found = members[i].appProblems?.(members);
      if (found) for (let j = 0; j < found.length; j++) problems.push(found[j]);
    }
    if (problems.length > 0) return { error: new IstioGatewayError(dedupe(problems)), diagnostics: [], warnings: [] };

    if (this.options.enabled === false) return { diagnostics: [], warnings: [] };
    const external = this.assumedExternals(members, ownerByOrigin);
    const pathOf = (o: any) => {
      const api = ownerOf(o);
      if (!api) return undefined;
      return RenderedObject.isRendered(api) ? api.node.scope!.node.path : api.node.path;
    };
    const diagnostics = analyze(objects, { external, pathOf, meshConfig: this.options.meshConfig }).filter((d) => {
      const owner = ownerByOrigin.get(d.origin);
      return !(owner && this.isSuppressed(owner, d.code));
    }).map((d) => {
      const owner = ownerByOrigin.get(d.origin);
      if (owner && RenderedObject.isRendered(owner) && OWN_WIRING_ERRORS.has(d.code) && d.level !== 'Error') {
        return { ...d, level: 'Error' as const };
      }
      return d;
    });
    const line = (d: Diagnostic) => `${d.level} [${d.code}] (${d.origin})${d.path ? ` at '${d.path}'` : ''} ${d.message}`;
    const warningsAreErrors = this.warningsMode() === 'error';
    const errors = diagnostics.filter((d) => d.level === 'Error' || warningsAreErrors);
    const warnings = diagnostics.filter((d) => !errors.includes(d)).map(line);
    if (errors.length === 0) return { diagnostics, warnings };
    const error = new IstioGatewayError(errors.map((d) => ({
      construct: d.path ?? d.origin,
      prop: d.code,
      value: d.origin,
      expected: `${d.name}: ${d.message} (suppress with suppressDiagnostic(construct, '${d.code}', reason) if intended)`,
    })), 'Synthesis refused by the Istio analyzer:\n' + errors.map((d) => `  ${line(d)}`).join('\n'));
    return { error, diagnostics, warnings };
  }

  private isSuppressed(c: IConstruct, code: string): boolean {
    for (const s of c.node.scopes) {
      if (this.suppressions.get(s)?.has(code)) return true;
    }
    return false;
  }
}

/** What the App defines, by origin (`Kind namespace/name`, see originOf). */
interface OwnerByOrigin {
  /** Whether an object of the App has the origin of `o` (a declared external). */
  defines(o: object): boolean;
  /** The ApiObject that emitted the last object of an origin. */
  get(origin: string): ApiObject | undefined;
}

/** OwnerByOrigin, and the collisions collect() reports. */
interface Places extends OwnerByOrigin {
  readonly collisions: Map<string, Collision>;
}

/**
 * Whether the object's origin (originOf) is `Kind namespace/name` (or `Kind name`) read from plain
 * parts: a kind that is a non-empty string without a space, a name that is a non-empty string without
 * a `/`, a namespace that is a string or absent. Such an origin reads back one way only (the kind up
 * to the first space, the name after the last `/`), so two such objects have one origin exactly when
 * their kind, namespace ('' for none) and name are equal, which compares without writing the string.
 */
function isPlainOrigin(plain: any): boolean {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) return false;
  const kind = plain.kind;
  const md = plain.metadata;
  if (typeof kind !== 'string' || kind === '' || kind.indexOf(' ') >= 0) return false;
  if (typeof md !== 'object' || md === null || Array.isArray(md)) return false;
  const name = md.name;
  const ns = md.namespace;
  return typeof name === 'string' && name !== '' && name.indexOf('/') < 0 && (ns === undefined || ns === null || typeof ns === 'string');
}

/** The objects of one origin (see isPlainOrigin), as placesOf keeps them. */
interface Place {
  readonly kind: string;
  /** The position (in apis and objects) of the first object with this origin. */
  readonly first: number;
  /** Made when a second object has this origin: API group -> the first object of that identity. */
  groups?: Map<string, number>;
}

/** Places by namespace ('' for none), then name; one Place per kind of that name, or a list of them. */
type PlaceTable = Map<string, Map<string, Place | Place[]>>;

/** The Place of (kind, namespace, name) in `table`, if any. */
function placeOf(table: PlaceTable, kind: string, ns: string, name: string): Place | undefined {
  const here = table.get(ns)?.get(name);
  if (here === undefined) return undefined;
  if (!Array.isArray(here)) return here.kind === kind ? here : undefined;
  for (let i = 0; i < here.length; i++) if (here[i].kind === kind) return here[i];
  return undefined;
}

/**
 * Places of an App whose every object has a plain origin (see isPlainOrigin), or undefined. Kept by
 * namespace, name and kind rather than as a string per object (21,000 at 1,000 teams) in a
 * Map. Two objects of one identity (API group, kind, namespace, name) have one origin, so only the
 * objects of an origin met before are compared by API group: a collision pairs an object with the
 * first of its identity. The origin strings are written only for a finding's owner, or for a
 * declared external whose origin is not plain.
 */
function placesOf(apis: readonly ApiObject[], objects: readonly any[]): Places | undefined {
  for (let i = 0; i < objects.length; i++) if (!isPlainOrigin(objects[i])) return undefined;
  const table: PlaceTable = new Map();
  const collisions = new Map<string, Collision>();
  for (let i = 0; i < objects.length; i++) {
    const plain = objects[i];
    const md = plain.metadata;
    const kind: string = plain.kind;
    const name: string = md.name;
    const ns: string = md.namespace ?? '';
    let byName = table.get(ns);
    if (byName === undefined) table.set(ns, byName = new Map());
    const here = byName.get(name);
    let place: Place | undefined;
    if (here !== undefined) {
      if (!Array.isArray(here)) place = here.kind === kind ? here : undefined;
      else for (let j = 0; j < here.length; j++) if (here[j].kind === kind) { place = here[j]; break; }
    }
    if (place === undefined) {
      const p: Place = { kind, first: i };
      if (here === undefined) byName.set(name, p);
      else if (Array.isArray(here)) here.push(p);
      else byName.set(name, [here, p]);
      continue;
    }
    const groups = place.groups ??= new Map([[String(groupOf(objects[place.first].apiVersion)), place.first]]);
    const group = String(groupOf(plain.apiVersion));
    const first = groups.get(group);
    if (first !== undefined) addCollision(collisions, apis[i], apis[first], plain);
    else groups.set(group, i);
  }
  let byOrigin: Map<string, number> | undefined;
  const lastByOrigin = (): Map<string, number> => {
    if (!byOrigin) {
      byOrigin = new Map();
      for (let i = 0; i < objects.length; i++) byOrigin.set(originOf(objects[i]), i);
    }
    return byOrigin;
  };
  return {
    collisions,
    defines: (o) => {
      if (!isPlainOrigin(o)) return lastByOrigin().has(originOf(o));
      const md = (o as any).metadata;
      return placeOf(table, (o as any).kind, md.namespace ?? '', md.name) !== undefined;
    },
    get: (origin) => { const i = lastByOrigin().get(origin); return i === undefined ? undefined : apis[i]; },
  };
}

/** Places by origin string, for an App with an object whose origin is not plain (see placesOf). */
function originsOf(apis: readonly ApiObject[], objects: readonly any[]): Places {
  // origin -> the position (in apis and objects) of the last object with that origin.
  const lastByOrigin = new Map<string, number>();
  // Identity (group, kind, namespace, name) -> the first object with it, kept only for the origins
  // that more than one object has: two objects of one identity have one origin (see isPlainIdentity),
  // so an object whose origin is new can collide with nothing.
  const byIdentity = new Map<string, ApiObject>();
  // One problem per pair of constructs (and name): a duplicated gateway name collides on every object it renders.
  const collisions = new Map<string, Collision>();
  let plainIdentities = true;
  for (let i = 0; i < apis.length; i++) {
    const c = apis[i];
    const plain = objects[i];
    const origin = originOf(plain);
    const earlier = lastByOrigin.get(origin);
    lastByOrigin.set(origin, i);
    if (!plainIdentities) continue;
    if (!isPlainIdentity(plain)) { plainIdentities = false; continue; }
    if (earlier === undefined) continue;
    // The earlier object of this origin is recorded (unless one of its identity came before it).
    const earlierId = identityOf(objects[earlier]);
    if (!byIdentity.has(earlierId)) byIdentity.set(earlierId, apis[earlier]);
    const id = identityOf(plain);
    const other = byIdentity.get(id);
    if (other) addCollision(collisions, c, other, plain);
    else byIdentity.set(id, c);
  }
  // An object whose kind, namespace or name is not a plain string may share an identity with one
  // of another origin: then every identity is keyed, as one map of them all.
  if (!plainIdentities) {
    collisions.clear();
    const all = new Map<string, ApiObject>();
    for (let i = 0; i < apis.length; i++) {
      const id = identityOf(objects[i]);
      const other = all.get(id);
      if (other) addCollision(collisions, apis[i], other, objects[i]);
      else all.set(id, apis[i]);
    }
  }
  return {
    collisions,
    defines: (o) => lastByOrigin.has(originOf(o as any)),
    get: (origin) => { const i = lastByOrigin.get(origin); return i === undefined ? undefined : apis[i]; },
  };
}

/** Two objects of one identity, as check() reports them (one entry per pair of constructs and name). */
interface Collision {
  readonly construct: string;
  readonly other: string;
  readonly name: unknown;
  readonly namespace: string;
  readonly kinds: string[];
}

/** The identity two objects must not share: API group, kind, namespace and name. */
function identityOf(plain: any): string {
  return `${groupOf(plain.apiVersion)}|${plain.kind}|${plain?.metadata?.namespace ?? ''}|${plain?.metadata?.name}`;
}

/**
 * Whether the object's kind and name are non-empty strings and its namespace a string or absent:
 * then identityOf and originOf read the same kind, namespace and name, so two such objects of one
 * identity have one origin.
 */
function isPlainIdentity(plain: any): boolean {
  const kind = plain?.kind;
  const md = plain?.metadata;
  if (typeof kind !== 'string' || kind === '' || typeof md !== 'object' || md === null || Array.isArray(md)) return false;
  const ns = md.namespace;
  return typeof md.name === 'string' && md.name !== '' && (ns === undefined || ns === null || typeof ns === 'string');
}

function addCollision(collisions: Map<string, Collision>, c: ApiObject, other: ApiObject, plain: any): void {
  const ns = plain?.metadata?.namespace ?? '';
  const construct = describeOwner(c);
  const otherOwner = describeOwner(other);
  const key = `${construct}|${otherOwner}|${ns}|${plain?.metadata?.name}`;
  const entry = collisions.get(key) ?? { construct, other: otherOwner, name: plain?.metadata?.name, namespace: ns, kinds: [] as string[] };
  entry.kinds.push(String(plain.kind));
  collisions.set(key, entry);
}

/** Whether JSON patches (`addJsonPatch`, cdk8s's escape hatch) change what an ApiObject emits. */
function hasJsonPatches(c: ApiObject): boolean {
  const patches = (c as unknown as { patches?: unknown }).patches;
  return Array.isArray(patches) && patches.length > 0;
}

/** What the App itself defines is checked as written; only what it lacks is assumed to exist. */
function assumedExternalsOf(declared: readonly object[], defined: Pick<OwnerByOrigin, 'defines'>): object[] {
  return mergeExternals(declared.filter((o) => !defined.defines(o)));
}

/** The API group of an apiVersion (`networking.istio.io/v1` -> `networking.istio.io`, `v1` -> `v1`), as `split('/')[0]` without the array. */
function groupOf(apiVersion: unknown): unknown {
  if (typeof apiVersion !== 'string') return apiVersion;
  const i = apiVersion.indexOf('/');
  return i < 0 ? apiVersion : apiVersion.slice(0, i);
}

/** How errors name the construct that emitted an object: `Kind 'path'` (its construct for ours, the ApiObject's kind otherwise). */
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
