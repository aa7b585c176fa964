// An ApiObject whose content comes from a pure renderer, resolved lazily at synthesis so that
// methods called after construction (addHttpHosts, a later TlsHost) still reach it. The same
// rendering feeds the synth-time analysis without a second cdk8s resolve pass.
import * as cdk8s from 'cdk8s';
import { ApiObject, Lazy } from 'cdk8s';
import { isChart } from './cdk8s-compat';
import { Construct, IConstruct } from 'constructs';
import { KubeObject } from '../render/objects';
import { AppState, inTree } from './app-state';

const RENDERED = Symbol.for('istio-gateway-constructs.RenderedObject');
/** Memo key: what plainJson may assume for this App in this synthesis (see builtInResolversOnly). */
const PLAIN_ENVIRONMENT: Readonly<object> = Object.freeze({ plainEnvironment: true });

/** An object to order after, or a function giving it once it exists (a gateway's Gateway appears with its first server). */
export type OrderTarget = ApiObject | (() => ApiObject | undefined) | undefined;

export class RenderedObject extends ApiObject {
  /** True for objects made by this library's constructs. */
  static isRendered(x: unknown): x is RenderedObject {
    return typeof x === 'object' && x !== null && RENDERED in x;
  }

  /**
   * Calls `observer` with every RenderedObject created under `root`'s App from now on, in
   * creation order: a front end that registers objects as they appear (Pulumi) then need not walk
   * the whole tree after every declaration, which is quadratic in the size of the platform.
   */
  static observe(root: IConstruct, observer: (o: RenderedObject) => void): void {
    AppState.of(root).observeCreation((o) => observer(o as RenderedObject));
  }

  private readonly state: AppState;
  /**
   * What this object is created after (Pulumi's dependsOn), set at construction. Made on the first
   * target, as is {@link yamlOnly}: a platform holds tens of thousands of these objects, and every
   * field they keep is copied by each young-generation collection while the App is built.
   */
  private after?: Exclude<OrderTarget, undefined>[];
  /** cdk8s dependencies added only to order the YAML; Pulumi orders by {@link after} instead. */
  private yamlOnly?: Set<IConstruct>;
  /**
   * The props handed to cdk8s (the very object it keeps): apiVersion and kind as given, each
   * rendered field a Lazy of this object's (see FieldProducer), metadata dropped once cdk8s has
   * copied it (cdk8s's toJson writes the metadata from its own copy).
   */
  private readonly ownProps: Record<string, unknown>;
  private readonly render: () => KubeObject;

  /**
   * @param render returns the whole object; apiVersion, kind and metadata are read once now
   *   (they are identity and must not change), the other top-level fields at synthesis.
   * @param identity read now instead of `render` when given: the same apiVersion, kind, metadata
   *   and top-level field names as `render` gives (any values), without what costs in a whole
   *   rendering (test/rendered-identity.test.ts holds every construct's pair to that).
   */
  constructor(scope: Construct, id: string, render: () => KubeObject, identity: () => KubeObject = render) {
    const first = identity();
    const props = new ObjectProps(first.apiVersion, first.kind, escapeKeys(first.metadata)) as unknown as Record<string, unknown>;
    const producers: FieldProducer[] = [];
    for (const key of Object.keys(first)) {
      if (key === 'apiVersion' || key === 'kind' || key === 'metadata') continue;
      const producer = new FieldProducer(key);
      producers.push(producer);
      props[key] = Lazy.any(producer);
    }
    super(scope, id, props as any);
    this.render = render;
    for (const p of producers) p.owner = this;
    props.metadata = undefined;
    this.ownProps = props;
    this.state = AppState.of(this);
    this.state.joined(this);
    this.state.created(this);
  }

  /** cdk8s's JSON, with the keys it cannot carry (see escapeKeys) given back their names. */
  public override toJson(): any {
    return this.plainJson() ?? unescapeKeys(super.toJson());
  }

  /**
   * cdk8s's JSON of this object computed without cdk8s's resolver walk, or undefined when that
   * would not be provably the same. cdk8s's `toJson` resolves every value (each call climbing the
   * tree to the App for its resolvers) and then copies it again to sort its keys; for a plain
   * rendered value the built-in resolvers change nothing, so one sorted copy is the same result.
   * Taken only when the App has exactly cdk8s's built-in resolvers, the object has no JSON patch,
   * and every value (rendered fields and `metadata.toJson()`, which keeps addLabel and friends) is
   * a string, number, boolean, null/undefined, dense array or plain object with no `resolve`
   * function and no key that needs escaping; anything else takes cdk8s's own path.
   */
  private plainJson(): any {
    const patches = (this as any).patches;
    if (!Array.isArray(patches) || patches.length > 0) return undefined;
    // What the App and the environment allow, read once per synthesis rather than per object.
    const env = this.state.memo(PLAIN_ENVIRONMENT, () => ({
      builtInResolvers: builtInResolversOnly(this.node.root),
      sortKeys: process.env.CDK8S_DISABLE_SORT ? false : true,
    }));
    if (!env.builtInResolvers) return undefined;
    let rendered: KubeObject;
    let metadata: unknown;
    try {
      rendered = this.rendered();
      metadata = plainMetadata(this.metadata);
      // cdk8s's own metadata JSON is copied as any other value; plainMetadata's is already a
      // fresh copy, with keys sorted and nothing empty, which a second copy would leave as it is
      if (metadata === NOT_PLAIN) metadata = plainCopy(this.metadata.toJson(), env.sortKeys, false);
    } catch {
      return undefined; // cdk8s's path reports it, naming the construct
    }
    if (metadata === NOT_PLAIN) return undefined;
    // cdk8s lists apiVersion, kind and metadata first, then the rest, sorted unless
    // CDK8S_DISABLE_SORT (then in the order of the props); a null or undefined field is dropped
    const props = this.ownProps;
    const rest: string[] = [];
    for (const key of Object.keys(props)) {
      if (key === 'apiVersion' || key === 'kind' || key === 'metadata') continue;
      if (key === 'constructor' || key === '__proto__' || key.charCodeAt(0) === 0) return undefined;
      rest.push(key);
    }
    if (env.sortKeys) rest.sort();
    const result: Record<string, unknown> = {};
    for (const key of ['apiVersion', 'kind']) {
      if (!(key in props)) continue;
      const v = plainCopy(props[key], env.sortKeys, false);
      if (v === NOT_PLAIN) return undefined;
      if (v !== undefined) result[key] = v;
    }
    if (metadata !== undefined) result.metadata = metadata;
    for (const key of rest) {
      // every field but apiVersion and kind is a FieldProducer's: the rendering's own
      const v = plainCopy(rendered[key], env.sortKeys, false);
      if (v === NOT_PLAIN) return undefined;
      if (v !== undefined) result[key] = v;
    }
    return result;
  }

  /**
   * @internal the top-level fields besides apiVersion, kind and metadata, as fixed at
   * construction (the fields cdk8s's JSON can hold), without rendering the object
   */
  _fieldKeys(): string[] {
    const out: string[] = [];
    for (const key of Object.keys(this.ownProps)) if (key !== 'apiVersion' && key !== 'kind' && key !== 'metadata') out.push(key);
    return out;
  }

  /** The plain object as the renderer gives it now (not key-sorted, no JSON patches). */
  renderPlain(): KubeObject {
    return this.render();
  }

  /**
   * The same as {@link renderPlain}, rendered once per synthesis and shared by the lazy fields
   * and the synth check (outside a synthesis, rendered afresh): read it, never change it.
   */
  rendered(): KubeObject {
    return this.state.memo(this, this.render);
  }

  /** @internal see orderAfter */
  _orderAfter(targets: readonly OrderTarget[]): void {
    for (const t of targets) {
      if (!t || t === this) continue;
      if (!this.after) this.after = Array.of(t); // not a literal: see ObjectProps
      else if (!this.after.includes(t)) this.after.push(t);
    }
  }

  /** @internal see orderInYaml */
  _orderInYaml(target: IConstruct): void {
    this.yamlOnly ??= new Set();
    if (this.yamlOnly.has(target)) return;
    this.yamlOnly.add(target);
    this.node.addDependency(target);
  }

  /** @internal what this object is ordered after but does not exist yet (a Gateway before its first server) */
  _pendingOrdering(): (() => ApiObject | undefined)[] {
    return (this.after ?? []).filter((t): t is () => ApiObject | undefined => typeof t === 'function' && t() === undefined);
  }

  /** @internal see orderingOf */
  _ordering(): ApiObject[] {
    const out: ApiObject[] = [];
    for (const t of this.after ?? []) {
      const o = typeof t === 'function' ? t() : t;
      if (o && o !== this && !out.includes(o)) out.push(o);
    }
    for (const dep of this.node.dependencies) {
      if (this.yamlOnly?.has(dep)) continue;
      for (const o of apiObjectsOf(dep)) if (o !== this && !out.includes(o)) out.push(o);
    }
    return out;
  }
}

// On the prototype, not on each instance: `RENDERED in x` holds for every RenderedObject.
Object.defineProperty(RenderedObject.prototype, RENDERED, { value: true });

/**
 * The props object a RenderedObject hands to cdk8s: apiVersion, kind and metadata, then (added by the
 * constructor) one Lazy per rendered field, in the same key order an object literal would give.
 * Made by a class rather than an object literal on purpose. V8 tracks each literal's allocation site,
 * and these objects all survive, because cdk8s keeps them. Part-way through a large build V8
 * therefore decides to allocate that site's objects in old space, and throws away the optimized code
 * built on its earlier decision. That dropped RenderedObject's optimized constructor twice in every
 * build of 1,000 teams: three compilations instead of one. Objects made with `new` carry no
 * allocation site.
 */
class ObjectProps {
  constructor(public apiVersion: string, public kind: string, public metadata: unknown) {}
}

/**
 * The producer of one rendered field's Lazy: the field `key` of its owner's rendering, with the
 * keys cdk8s cannot carry renamed (see escapeKeys). An object of a class rather than a closure
 * per field, so each field costs one small object (the owner is set once the object exists).
 */
class FieldProducer {
  owner?: RenderedObject;
  constructor(private readonly key: string) {}
  produce(): unknown {
    return escapeKeys(this.owner!.rendered()[this.key]);
  }
}

/**
 * Records, at construction, that `obj` must be created after `deps` (and deleted before them):
 * Pulumi's dependsOn. In the YAML the order comes from the construct tree, which the constructs
 * build in that order (ServiceAccount and RBAC before the Deployment, DestinationRule before
 * VirtualService, a gateway's objects before the routes that bind to it); see {@link orderInYaml}
 * for when it does not. We do not use cdk8s dependencies for this: cdk8s resolves every
 * dependency of the App again for each chart it synthesizes, which made a platform with one
 * chart per team quadratic.
 */
export function orderAfter(obj: RenderedObject, ...deps: OrderTarget[]): void {
  obj._orderAfter(deps);
}

/**
 * Makes the YAML list `obj` after the objects of `target`, when tree order alone would not: that
 * is, when `target` is in `obj`'s chart but does not come before it in the construct tree (or
 * holds it). Whether it does is fixed once both exist (children are only ever appended), and the
 * cdk8s dependency (paid for by every chart's synthesis) is added only in that rare case.
 *
 * Decided now when that takes no listing of a scope's children (the charts differ, the creation
 * stamps tell, or the last listing holds the answer). Otherwise the pair waits for the next
 * synthesis, which decides every waiting pair with one listing per common parent: listing here
 * would list a big parent once per route (a route and its gateway each in a new user scope per
 * team, in one chart: quadratic). Deciding later gives the same answer: x and y (the children of
 * the common parent on each side) both exist now, a scope's children are only ever appended, and
 * appending never changes the relative order of two children already there (ids in the order
 * added; array-index ids before them, in numeric order). So only when the dependency appears on
 * `node.dependencies` differs (at synthesis); the YAML does not, and Pulumi ignores these
 * dependencies (see {@link RenderedObject._ordering}).
 */
export function orderInYaml(obj: RenderedObject, target: IConstruct): void {
  if (chartOf(obj) !== chartOf(target)) return; // charts are ordered by cdk8s, not objects across them
  const before = precedesInTree(target, obj, false);
  if (before === undefined) pendingOrders(obj).push(obj, target);
  else if (!before) obj._orderInYaml(target);
}

/** The App's slot for the pairs {@link orderInYaml} left to the next synthesis. */
const PENDING_ORDERS = 'rendered-object.pendingOrders';

/**
 * This App's pairs waiting for the next synthesis, flat (object, target, object, target, ...); the
 * hook deciding them is registered with the list, once per App.
 */
function pendingOrders(c: IConstruct): (RenderedObject | IConstruct)[] {
  const state = AppState.of(c);
  return state.slot(PENDING_ORDERS, () => {
    const pending: (RenderedObject | IConstruct)[] = [];
    state.onSynthesisStart(() => orderPending(pending));
    return pending;
  });
}

/**
 * Decides the waiting pairs (see orderInYaml), at the start of a synthesis: before cdk8s reads any
 * dependency and before a chart's order is computed. A pair either side of which has left the tree
 * since (a refused construct removes itself; a user's `tryRemoveChild`) is dropped: it is not
 * synthesized, and its side can no longer be placed by a listing.
 */
function orderPending(pending: (RenderedObject | IConstruct)[]): void {
  if (pending.length === 0) return;
  const pairs = pending.splice(0);
  for (let i = 0; i < pairs.length; i += 2) {
    const obj = pairs[i] as RenderedObject;
    const target = pairs[i + 1];
    if (!inTree(obj) || !inTree(target)) continue;
    if (!precedesInTree(target, obj, true)) obj._orderInYaml(target);
  }
}

/**
 * What `obj` must come after: those recorded by {@link orderAfter}, and the ApiObjects of any
 * cdk8s dependency a user added with `addDependency`.
 */
export function orderingOf(obj: ApiObject): ApiObject[] {
  if (RenderedObject.isRendered(obj)) return obj._ordering();
  const out: ApiObject[] = [];
  for (const dep of obj.node.dependencies) {
    for (const o of apiObjectsOf(dep)) if (o !== obj && !out.includes(o)) out.push(o);
  }
  return out;
}

function apiObjectsOf(c: IConstruct): ApiObject[] {
  return c instanceof ApiObject ? [c] : c.node.findAll().filter((x): x is ApiObject => x instanceof ApiObject);
}

function chartOf(c: IConstruct): IConstruct | undefined {
  for (let s: IConstruct | undefined = c; s; s = s.node.scope) {
    if (isChart(s)) return s;
  }
  return undefined;
}

/**
 * True when every node of `a`'s subtree comes before `b` in pre-order (a before b, b not inside a).
 * Without `list`, undefined when only a listing of the common parent's children could tell.
 */
function precedesInTree(a: IConstruct, b: IConstruct, list: true): boolean;
function precedesInTree(a: IConstruct, b: IConstruct, list: boolean): boolean | undefined;
function precedesInTree(a: IConstruct, b: IConstruct, list: boolean): boolean | undefined {
  const pathA = a.node.scopes;
  const pathB = b.node.scopes;
  let i = 0;
  while (i < pathA.length && i < pathB.length && pathA[i] === pathB[i]) i++;
  if (i === pathA.length) return false; // b is a inside a (or is a)
  if (i === pathB.length) return false; // a is inside b: after b
  const parent = pathA[i - 1];
  const x = pathA[i];
  const y = pathB[i];
  return stampedBefore(parent, x, y, a) ?? childBefore(parent, x, y, list);
}

/** True for an id a JavaScript object orders as an array index ('0' to '4294967294'). */
function isIndexKey(id: string): boolean {
  return /^(?:0|[1-9][0-9]{0,9})$/.test(id) && Number(id) < 4294967295;
}

/**
 * Whether child `x` of `parent` comes before its child `y`, told by creation stamps without listing
 * the parent's children; undefined when the stamps cannot tell (then list them). `target` is the
 * construct inside `x` (or `x` itself) whose order is asked.
 *
 * A scope keeps its children in an object keyed by id: in the order they were added, except
 * array-index ids ('0', '42'), which come first in numeric order whenever they were added (and
 * `__proto__`, which a plain object does not keep as a key), so for those only a listing tells.
 * Otherwise children are in the order they joined; a construct joins its scope when it is
 * created, and each construct of this library is stamped first thing after it joined, before
 * anything else can be created (AppState.stamp): so of two stamped children the one with the
 * smaller stamp was added first. And when `y` is stamped after `target` was, `x` (which is
 * `target` or holds it, so joined no later than `target` was created) joined before `y` did,
 * whatever `x` is (a user's scope of unknown age): a route, or a construct of ours holding one, is
 * created after the gateway its props hold, and is that `y`. A `y` of unknown age (a user's
 * scope) is never judged by stamps.
 */
function stampedBefore(parent: IConstruct, x: IConstruct, y: IConstruct, target: IConstruct): boolean | undefined {
  if (unorderedKey(x.node.id) || unorderedKey(y.node.id)) return undefined;
  const state = AppState.of(parent);
  const sy = state.stampOf(y);
  if (sy === undefined) return undefined;
  const sx = state.stampOf(x);
  if (sx !== undefined) return sx < sy;
  const st = state.stampOf(target);
  if (st !== undefined && st < sy) return true;
  return undefined;
}

/** An id whose place among its siblings is not the order it was added in (see stampedBefore). */
function unorderedKey(id: string): boolean {
  return id === '__proto__' || isIndexKey(id);
}

/** The App's slot for the children's positions that {@link childBefore} last listed, by parent. */
const CHILD_POSITIONS = 'rendered-object.childPositions';

/**
 * True when child `x` of `parent` comes before its child `y`, by listing the parent's children
 * (when creation stamps cannot tell, see stampedBefore). Listing costs their number.
 * Children are only ever appended (a removed id added again is appended too), so positions once
 * listed stay in order, and a child missing from the last listing came after every child in it:
 * the children are listed again only when neither is in it (or an id is an array index, see below).
 * Without `list`, undefined instead of listing.
 */
function childBefore(parent: IConstruct, x: IConstruct, y: IConstruct, list: boolean): boolean | undefined {
  const listed = AppState.of(parent).slot(CHILD_POSITIONS, () => new WeakMap<IConstruct, Map<IConstruct, number>>());
  let positions = listed.get(parent);
  let px = positions?.get(x);
  let py = positions?.get(y);
  // Children are kept in an object keyed by id, where array-index ids ('0', '42') are listed first
  // in numeric order whenever they were added: for those, list the children afresh each time.
  if ((px === undefined && py === undefined) || isIndexKey(x.node.id) || isIndexKey(y.node.id)) {
    if (!list) return undefined;
    positions = new Map(parent.node.children.map((c, n) => [c, n]));
    listed.set(parent, positions);
    px = positions.get(x);
    py = positions.get(y);
  }
  if (px === undefined) return false; // x came after y, which was listed
  if (py === undefined) return true;
  return px < py;
}

// Map keys cdk8s cannot carry. Its serializer refuses an object whose `constructor` is not the
// Object function ("can't render non-simple object"), so a label, selector or header named
// `constructor` (valid in Kubernetes and HTTP) failed synthesis; and it copies maps by assignment,
// which would turn a `__proto__` key into a prototype and drop it. Such keys cross cdk8s under a
// stand-in name and get theirs back in toJson.
const ESCAPED: Readonly<Record<string, string>> = { constructor: '\u0000igc:constructor', ['__proto__']: '\u0000igc:__proto__' }; // computed: a literal __proto__ would set the prototype
const UNESCAPED: ReadonlyMap<string, string> = new Map(Object.entries(ESCAPED).map(([k, v]) => [v, k]));

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

const NOT_PLAIN = Symbol('not plain');

/**
 * What cdk8s's `sanitizeValue(resolve(value))` gives for a plain value when the App has only the
 * built-in resolvers (keys sorted unless `sortKeys` is false, null and undefined dropped from
 * maps, turned into undefined in lists), or NOT_PLAIN when cdk8s's resolvers or serializer could
 * act on something in it: a Lazy or other token, an object with a `resolve` function, a class
 * instance, a prototype-less map, a sparse or subclassed array, a key cdk8s cannot carry
 * (see ESCAPED) or an escaped one.
 */
function plainCopy(value: unknown, sortKeys: boolean, filterEmpty: boolean): unknown {
  if (value === null || value === undefined) return undefined;
  const t = typeof value;
  if (t === 'string' || t === 'number' || t === 'boolean') return value;
  if (t !== 'object') return NOT_PLAIN;
  const proto = Object.getPrototypeOf(value);
  if (proto === Array.prototype) {
    const list = value as unknown[];
    if ((list as any).resolve !== undefined || (list as any).value !== undefined) return NOT_PLAIN;
    if (filterEmpty && list.length === 0) return undefined;
    const out = new Array(list.length);
    for (let i = 0; i < list.length; i++) {
      const v = list[i];
      if (v === undefined && !(i in list)) return NOT_PLAIN;
      const c = plainCopy(v, sortKeys, filterEmpty);
      if (c === NOT_PLAIN) return NOT_PLAIN;
      out[i] = c;
    }
    return out;
  }
  if (proto !== Object.prototype) return NOT_PLAIN;
  const map = value as Record<string, unknown>;
  if (typeof map.resolve === 'function') return NOT_PLAIN;
  const keys = Object.keys(map);
  if (sortKeys) keys.sort();
  const out: Record<string, unknown> = {};
  let n = 0;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k === 'constructor' || k === '__proto__' || k.charCodeAt(0) === 0) return NOT_PLAIN;
    const c = plainCopy(map[k], sortKeys, filterEmpty);
    if (c === NOT_PLAIN) return NOT_PLAIN;
    if (c !== undefined) { out[k] = c; n++; }
  }
  return filterEmpty && n === 0 ? undefined : out;
}

/** The metadata fields plainMetadata copies (all but apiObject and the additional attributes), sorted. */
const SORTED_METADATA_FIELDS: readonly string[] = ['annotations', 'finalizers', 'labels', 'name', 'namespace', 'ownerReferences'];
const OWN_METADATA_FIELDS: ReadonlySet<string> = new Set(SORTED_METADATA_FIELDS);

/** The fields of cdk8s's ApiObjectMetadataDefinition, all of which its toJson reads (apiObject: for resolving). */
const METADATA_FIELDS: ReadonlySet<string> = new Set(['name', 'namespace', 'labels', 'annotations', 'finalizers', 'ownerReferences', 'apiObject', '_additionalAttributes']);

/**
 * What cdk8s's `metadata.toJson()` gives (`sanitizeValue(resolve({...}), { filterEmptyArrays,
 * filterEmptyObjects })`, keys always sorted) for an object whose metadata holds plain values,
 * read from the same fields it reads, so labels and annotations added with addLabel and friends
 * are included; NOT_PLAIN when the metadata is not exactly cdk8s's shape (another cdk8s version,
 * a subclass) or holds anything cdk8s would resolve. The caller has checked the App's resolvers.
 */
function plainMetadata(m: unknown): unknown {
  if (!(m instanceof cdk8s.ApiObjectMetadataDefinition) || Object.getPrototypeOf(m) !== cdk8s.ApiObjectMetadataDefinition.prototype) return NOT_PLAIN;
  const keys = Object.keys(m);
  if (keys.length !== METADATA_FIELDS.size) return NOT_PLAIN;
  for (const k of keys) if (!METADATA_FIELDS.has(k)) return NOT_PLAIN;
  const f = m as any;
  const additional = f._additionalAttributes;
  if (additional === null || typeof additional !== 'object' || Object.getPrototypeOf(additional) !== Object.prototype) return NOT_PLAIN;
  if (onlyOwnFields(additional)) {
    // The usual case, nothing beyond cdk8s's own fields: each copied in sorted order, as the
    // merged object below would give them, without making and sorting that object. cdk8s keeps
    // the options it was given as the additional attributes (name, namespace and labels at
    // least), and the merged object takes each of those from the fields: a spread copy made
    // here gave every object's metadata a hidden class of its own (one cold lookup miss per
    // field and object at synthesis).
    const out: Record<string, unknown> = {};
    let n = 0;
    for (const k of SORTED_METADATA_FIELDS) {
      const c = plainCopy(f[k], true, true);
      if (c === NOT_PLAIN) return NOT_PLAIN;
      if (c !== undefined) { out[k] = c; n++; }
    }
    return n === 0 ? undefined : out;
  }
  return plainCopy({
    ...additional,
    name: f.name,
    namespace: f.namespace,
    annotations: f.annotations,
    finalizers: f.finalizers,
    ownerReferences: f.ownerReferences,
    labels: f.labels,
  }, true, true);
}

/** True when every key of cdk8s's additional metadata attributes is one of its own fields, which the merged metadata takes from the fields instead. */
function onlyOwnFields(additional: object): boolean {
  const keys = Object.keys(additional);
  for (let i = 0; i < keys.length; i++) if (!OWN_METADATA_FIELDS.has(keys[i])) return false;
  return true;
}

/**
 * True when `root` (the App) resolves with cdk8s's built-in resolvers only, in cdk8s's order, and
 * no prototype gives primitives or lists a `resolve` or `value` those resolvers would act on. An
 * App of a cdk8s without `resolvers` (before 2.x's resolver API) is never taken to be one.
 */
function builtInResolversOnly(root: IConstruct): boolean {
  const resolvers = (root as { resolvers?: unknown }).resolvers;
  const lib = cdk8s as any;
  if (!Array.isArray(resolvers) || resolvers.length !== 3 || !lib.LazyResolver || !lib.ImplicitTokenResolver || !lib.NumberStringUnionResolver) return false;
  if (Object.getPrototypeOf(resolvers[0]) !== lib.LazyResolver.prototype
    || Object.getPrototypeOf(resolvers[1]) !== lib.ImplicitTokenResolver.prototype
    || Object.getPrototypeOf(resolvers[2]) !== lib.NumberStringUnionResolver.prototype) return false;
  for (const proto of PROTOTYPES) if ('resolve' in proto || 'value' in proto) return false;
  return true;
}

const PROTOTYPES: readonly object[] = [Object.prototype, Array.prototype, String.prototype, Number.prototype, Boolean.prototype];
