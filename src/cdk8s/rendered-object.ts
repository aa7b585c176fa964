// An ApiObject whose content comes from a pure renderer, resolved lazily at synthesis so that
// methods called after construction (addHttpHosts, a later TlsHost) still reach it. The same
// renderer feeds the synth-time analysis without a second cdk8s resolve pass.
import { ApiObject, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { KubeObject } from '../render/objects';
import { currentValidationPass } from './synth-check';

const RENDERED = Symbol.for('istio-gateway-constructs.RenderedObject');

// Rendered content is reused for the length of one synchronous job (one synthesis): cdk8s asks
// for it once per top-level key, the synth check once more, and cdk8s validates the App once per
// chart. The version changes when the job ends, and at once when a construct changes something a
// renderer reads after construction, so no reuse ever outlives what it was computed from.
let version = 0;
let versionInUse = false;

/** The version of rendered content now; it changes when the synchronous job that read it ends. */
export function contentVersion(): number {
  if (!versionInUse) {
    versionInUse = true;
    // A promise job, not queueMicrotask or a timer: fake timers in tests must not keep it alive.
    void Promise.resolve().then(() => { version++; versionInUse = false; });
  }
  return version;
}

/**
 * Call after changing anything that a renderer, an `appProblems` or an `externalObjects` reads
 * once the construct exists (today: a gateway's servers, and suppressed diagnostics), so that
 * rendered objects and the synth check are computed afresh.
 */
export function contentChanged(): void {
  version++;
}

/** Who is told of each RenderedObject created under an App (see RenderedObject.observe). */
const OBSERVERS = new WeakMap<IConstruct, (o: RenderedObject) => void>();

export class RenderedObject extends ApiObject {
  /** True for objects made by this library's constructs. */
  static isRendered(x: unknown): x is RenderedObject {
    return typeof x === 'object' && x !== null && RENDERED in x;
  }

  /**
   * Calls `observer` with every RenderedObject created under `root` from now on, in creation
   * order: a front end that registers objects as they appear (Pulumi) then need not walk the
   * whole tree after every declaration, which is quadratic in the size of the platform.
   */
  static observe(root: IConstruct, observer: (o: RenderedObject) => void): void {
    OBSERVERS.set(root.node.root, observer);
  }

  /**
   * @param render returns the whole object; apiVersion, kind and metadata are read once now
   *   (they are identity and must not change), the other top-level fields at synthesis.
   */
  constructor(scope: Construct, id: string, private readonly render: () => KubeObject) {
    const first = render();
    const props: Record<string, unknown> = { apiVersion: first.apiVersion, kind: first.kind, metadata: escapeKeys(first.metadata) };
    for (const key of Object.keys(first)) {
      if (key === 'apiVersion' || key === 'kind' || key === 'metadata') continue;
      props[key] = Lazy.any({ produce: () => escapeKeys(this.rendered()[key]) });
    }
    super(scope, id, props as any);
    Object.defineProperty(this, RENDERED, { value: true });
    this.node.addValidation({ validate: () => { this.visitedInPass = currentValidationPass(); return []; } });
    OBSERVERS.get(this.node.root)?.(this);
  }

  /** cdk8s's JSON, with the keys it cannot carry (see escapeKeys) given back their names. */
  public override toJson(): any {
    return unescapeKeys(super.toJson());
  }

  private cache?: { readonly version: number; readonly value: KubeObject };

  /** The last validation pass that reached this object (cdk8s validates in tree order). @internal */
  public visitedInPass = -1;

  /** The plain object as the renderer gives it now (not key-sorted, no JSON patches). */
  renderPlain(): KubeObject {
    return this.render();
  }

  /**
   * The same as {@link renderPlain}, rendered once per content version and shared by the lazy
   * fields and the synth check: read it, never change it.
   */
  rendered(): KubeObject {
    const v = contentVersion();
    if (this.cache?.version !== v) this.cache = { version: v, value: this.render() };
    return this.cache.value;
  }
}

const ORDER = new WeakMap<ApiObject, ApiObject[]>();

/**
 * Records that `obj` must be created after `deps` (and deleted before them): Pulumi's dependsOn.
 * In the YAML the order comes from the construct tree, which the constructs build in that order
 * (ServiceAccount and RBAC before the Deployment, DestinationRule before VirtualService, a
 * gateway's objects before the routes that bind to it). We do not use cdk8s dependencies for
 * this: cdk8s resolves every dependency of the App again for each chart it synthesizes, which
 * made a platform with one chart per team quadratic.
 */
export function orderAfter(obj: ApiObject, ...deps: (ApiObject | undefined)[]): void {
  let list = ORDER.get(obj);
  for (const dep of deps) {
    if (!dep || dep === obj) continue;
    if (!list) { list = []; ORDER.set(obj, list); }
    if (!list.includes(dep)) list.push(dep);
  }
}

/**
 * What `obj` must come after: those recorded by {@link orderAfter}, and the ApiObjects of any
 * cdk8s dependency a user added with `addDependency`.
 */
export function orderingOf(obj: ApiObject): ApiObject[] {
  const out = [...(ORDER.get(obj) ?? [])];
  for (const dep of obj.node.dependencies) {
    for (const t of dep instanceof ApiObject ? [dep] : dep.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject)) {
      if (t !== obj && !out.includes(t)) out.push(t);
    }
  }
  return out;
}

// Map keys cdk8s cannot carry. Its serializer refuses an object whose `constructor` is not the
// Object function ("can't render non-simple object"), so a label, selector or header named
// `constructor` (valid in Kubernetes and HTTP) failed synthesis; and it copies maps by assignment,
// which would turn a `__proto__` key into a prototype and drop it. Such keys cross cdk8s under a
// stand-in name and get theirs back in toJson.
const ESCAPED: Readonly<Record<string, string>> = { constructor: '\u0000igc:constructor', ['__proto__']: '\u0000igc:__proto__' }; // computed: a literal __proto__ would set the prototype
const UNESCAPED = new Map(Object.entries(ESCAPED).map(([k, v]) => [v, k]));

/**
 * `value` with every map key named in ESCAPED renamed; the same object when there is none.
 * It runs on every rendered field at every synthesis, and almost never finds a key to rename: it
 * allocates nothing until it does (a copy of a map or list starts at the first entry that changes).
 */
function escapeKeys<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      const e = escapeKeys(v);
      if (e !== v) { out ??= [...value]; out[i] = e; }
    }
    return (out ?? value) as T;
  }
  const keys = Object.keys(value);
  let entries: (readonly [string, unknown])[] | undefined;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const v = (value as Record<string, unknown>)[k];
    const e = escapeKeys(v);
    const key = Object.prototype.hasOwnProperty.call(ESCAPED, k) ? ESCAPED[k] : k;
    if (!entries && (e !== v || key !== k)) {
      entries = [];
      for (let j = 0; j < i; j++) entries.push([keys[j], (value as Record<string, unknown>)[keys[j]]]);
    }
    if (entries) entries.push([key, e]);
  }
  return (entries ? Object.fromEntries(entries) : value) as T;
}

/**
 * Undoes escapeKeys on cdk8s's output, keeping its key order (sorted unless CDK8S_DISABLE_SORT);
 * the same object when nothing was escaped, found without allocating (see escapeKeys).
 */
function unescapeKeys<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      const u = unescapeKeys(v);
      if (u !== v) { out ??= [...value]; out[i] = u; }
    }
    return (out ?? value) as T;
  }
  const keys = Object.keys(value);
  let escaped = false;
  let entries: [string, unknown][] | undefined;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const original = UNESCAPED.get(k);
    const v = (value as Record<string, unknown>)[k];
    const u = unescapeKeys(v);
    if (original !== undefined) escaped = true;
    if (!entries && (original !== undefined || u !== v)) {
      entries = [];
      for (let j = 0; j < i; j++) entries.push([keys[j], (value as Record<string, unknown>)[keys[j]]]);
    }
    if (entries) entries.push([original ?? k, u]);
  }
  if (!entries) return value;
  if (escaped && !process.env.CDK8S_DISABLE_SORT) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // fromEntries defines own properties, so `__proto__` stays a key, never a prototype
  return Object.fromEntries(entries) as T;
}
