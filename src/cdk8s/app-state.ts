// What this library keeps for one cdk8s App, held by the App itself (not by the module), so two
// Apps in one process never share anything. Rendered content is cached only for the length of
// one synthesis (a call of `app.synth()`, `app.synthYaml()` or `chart.toJson()`): no user code
// runs inside it, so nothing a renderer reads can change, and nothing has to be invalidated.
import { ApiObject, App, Chart, DependencyGraph } from 'cdk8s';
import { dependencyOrder } from './chart-order';
import { isApiObject, isChart } from './cdk8s-compat';
import { IConstruct } from 'constructs';

// Private to this copy of the library: a second copy (another version) in one process keeps its own.
const STATE = Symbol('istio-gateway-constructs.AppState');
const WRAPPED = Symbol('istio-gateway-constructs.synthesisScope');
/** Memo key: cdk8s has prepared (dependencies) and validated the whole App in this synthesis. */
const APP_PREPARED: Readonly<object> = Object.freeze({ appPrepared: true });
/** A construct's creation stamp (see AppState.stamp); a construct belongs to one App for its life. */
const STAMP = Symbol('istio-gateway-constructs.creationStamp');
type Stamped = IConstruct & { [STAMP]?: number };

/** Memo key of {@link AppState.apiObjects}. */
const API_OBJECTS: Readonly<object> = Object.freeze({ apiObjects: true });
/** Memo key of the App's constructs in pre-order (see {@link AppState.subtree}). */
const ALL_CONSTRUCTS: Readonly<object> = Object.freeze({ allConstructs: true });

export class AppState {
  /** The state of the App that holds `scope`, created on first use. */
  static of(scope: IConstruct): AppState {
    const root = scope.node.root as any;
    let state: AppState | undefined = root[STATE];
    if (!state) {
      state = new AppState(root);
      Object.defineProperty(root, STATE, { value: state, enumerable: false });
    }
    return state;
  }

  /** Per-App singletons of other modules (the synth check), by key. */
  private readonly slots = new Map<string, unknown>();
  /** Results cached for the synthesis in progress; dropped when it ends. */
  private memos?: Map<object, unknown>;
  private depth = 0;
  private readonly startHooks: (() => void)[] = [];
  private readonly creationObservers: ((o: IConstruct) => void)[] = [];
  /** The scope {@link joined} walked last: a construct's objects join one after another from one scope. */
  private lastJoinedScope?: IConstruct;
  /** The last creation stamp given (see {@link stamp}). */
  private lastStamp = 0;

  private constructor(private readonly root: IConstruct) {
    // The App's own entry points become synthesis scopes (an instance property over the prototype's
    // method; other Apps are untouched), and so do the charts already there (a chart whose
    // constructs were all refused, say) and each chart a construct of ours joins later.
    wrapSynthesis(root, ['synth', 'synthYaml'], this);
    orderChartsWithoutGraph(root, this);
    for (const c of root.node.findAll()) if (isChart(c)) wrapSynthesis(c, ['toJson'], this, true);
  }

  /** One value per App for `key`, made by `create` on first use. */
  slot<T>(key: string, create: () => T): T {
    if (!this.slots.has(key)) this.slots.set(key, create());
    return this.slots.get(key) as T;
  }

  /**
   * Adds `construct` to the constructs of this App that declare one same object of the cluster (the
   * same `key` in `group`), in creation order, and returns that list: the same one for all of them.
   * Such declarations are one object in the cluster, so only the first of them still in the App
   * declares it (see {@link declaresFirst}).
   */
  sameDeclaration<T extends IConstruct>(group: string, key: string, construct: T): readonly T[] {
    const all = this.slot(group, () => new Map<string, T[]>());
    let list = all.get(key);
    if (!list) all.set(key, list = []);
    list.push(construct);
    return list;
  }

  /**
   * Called by every construct of this library when it is created: makes the synthesis of its
   * chart (and the charts around it) a scope.
   */
  joined(construct: IConstruct): void {
    // The charts around a scope never change, and wrapping one is done once: a scope walked
    // last time has nothing new to wrap (and no new chart of ours to look for others after).
    if (construct.node.scope === this.lastJoinedScope) return;
    this.lastJoinedScope = construct.node.scope;
    let newChart = false;
    for (let s: IConstruct | undefined = construct.node.scope; s; s = s.node.scope) {
      if (isChart(s) && wrapSynthesis(s, ['toJson'], this, true)) newChart = true;
    }
    // A chart of ours is new: the App's other charts made meanwhile (one whose constructs were all
    // refused, say) become scopes too, so synthesizing any of them first refuses with our error.
    // Once per chart of ours, over the App's top-level charts.
    if (newChart) for (const c of this.root.node.children) if (isChart(c)) wrapSynthesis(c, ['toJson'], this, true);
  }

  /**
   * Records that `construct`, one of this library's, has just joined its scope: called first thing
   * after `super(scope, id)`, before anything can create another construct. Stamps therefore
   * follow the order in which constructs were added to their scopes (see childBefore in
   * rendered-object.ts, which orders siblings by them instead of listing a scope's children).
   */
  stamp(construct: IConstruct): void {
    // Kept on the construct rather than in a WeakMap of every construct: a cold build paid a
    // WeakMap entry per construct, and each young-generation collection the ephemeron table.
    (construct as Stamped)[STAMP] = ++this.lastStamp;
  }

  /** The creation stamp of `construct` ({@link stamp}), or undefined for a construct not of this library. */
  stampOf(construct: IConstruct): number | undefined {
    return (construct as Stamped)[STAMP];
  }

  /** Runs `fn` once at the start of each synthesis (outermost scope), before cdk8s validates. */
  onSynthesisStart(fn: () => void): void {
    this.startHooks.push(fn);
  }

  /** Calls `observer` with each rendered object created under this App from now on. */
  observeCreation(observer: (o: IConstruct) => void): void {
    this.creationObservers.push(observer);
  }

  /** @internal for RenderedObject */
  created(o: IConstruct): void {
    for (const f of this.creationObservers) f(o);
  }

  /** True while a synthesis of this App runs. */
  get synthesizing(): boolean { return this.depth > 0; }

  /**
   * Runs `fn` as one synthesis: results of {@link memo} are shared inside it and dropped after.
   * Nested calls (synthYaml calling each chart's toJson) are one synthesis.
   */
  synthesis<T>(fn: () => T): T {
    this.depth++;
    try {
      if (this.depth === 1) {
        this.memos = new Map();
        for (const hook of this.startHooks) hook();
      }
      return fn();
    } finally {
      this.depth--;
      if (this.depth === 0) this.memos = undefined;
    }
  }

  /**
   * A chart's objects as `chart.toJson()` gives them, inside a synthesis. cdk8s's `toJson` of a
   * chart prepares and validates the whole App first (`App._synthChart`: every dependency of every
   * construct, every validation), so `synthYaml()` of an App with N charts walks the whole App
   * N + 1 times: quadratic in the charts. Inside one synthesis nothing changes the tree (the premise
   * of {@link memo}), so once the whole App has been prepared and validated in this synthesis (by
   * `app.synth()`/`app.synthYaml()`, which do it before any chart, or by a first chart's
   * `toJson`), the charts skip to what `toJson` does after it: the chart's ApiObjects in dependency
   * order, each one's `toJson()` (cdk8s's own steps; the order is its DependencyGraph's, computed
   * by chart-order.ts without building the graph). Taken only
   * for cdk8s's own `Chart.toJson` of a cdk8s that prepares per chart (every such release prepares
   * in `synth`/`synthYaml` first); a subclass that overrides `toJson` keeps it.
   * @internal
   */
  chartJson(chart: IConstruct, original: (...a: unknown[]) => unknown, args: unknown[]): unknown {
    const memos = this.memos;
    const plain = original === Chart.prototype.toJson && typeof (App as unknown as { _synthChart?: unknown })._synthChart === 'function';
    if (plain && memos?.has(APP_PREPARED)) {
      // dependencyOrder gives cdk8s's order without its graph (a vertex and two Sets per construct);
      // on a cycle it gives undefined and cdk8s's own graph decides (reports it, or does what it does).
      return (dependencyOrder(chart, this.subtree(chart)) ?? new DependencyGraph(chart.node).topology())
        .filter((x): x is ApiObject => isApiObject(x))
        .filter((x) => Chart.of(x) === chart)
        .map((x) => x.toJson());
    }
    const out = original.apply(chart, args);
    if (plain && memos) memos.set(APP_PREPARED, true);
    return out;
  }

  /** @internal `app.synth()` or `app.synthYaml()` runs: cdk8s prepares and validates the App before any chart. */
  appSynthesis(): void {
    this.memos?.set(APP_PREPARED, true);
  }

  /**
   * Every ApiObject of the App, in tree order (pre-order, as `findAll()` lists them): listed once per
   * synthesis (outside one, afresh) for all that need them, the synth check and the App's Services by
   * name (backend-ports.ts), each of which walked the whole tree (24,000 constructs at 1,000 teams).
   */
  apiObjects(): readonly ApiObject[] {
    return this.memo(API_OBJECTS, () => {
      const out: ApiObject[] = [];
      const all = this.subtree(this.root);
      for (let i = 0; i < all.length; i++) if (all[i] instanceof ApiObject) out.push(all[i] as ApiObject);
      return out;
    });
  }

  /**
   * `scope.node.findAll()`: inside a synthesis, for the App and its top-level charts, taken from one
   * listing of the App per synthesis. A chart's constructs are a run of the App's pre-order list,
   * from the chart to the next top-level construct. `findAll` lists a scope's children with
   * `Object.values`, which sorts them when a chart holds thousands (37,000 constructs listed in
   * 20-27 ms), and a synthesis listed the App for the synth check, for `app.charts` and for each
   * chart's order.
   */
  subtree(scope: IConstruct): readonly IConstruct[] {
    if (!this.memos || (scope !== this.root && scope.node.scope !== this.root)) return scope.node.findAll();
    const listing = this.memo(ALL_CONSTRUCTS, () => listApp(this.root));
    if (scope === this.root) return listing.all;
    const range = listing.topLevel.get(scope);
    return range ? listing.all.slice(range[0], range[1]) : scope.node.findAll();
  }

  /** `compute()` once per synthesis for `key`; outside a synthesis, every time. */
  memo<T>(key: object, compute: () => T): T {
    const memos = this.memos;
    if (!memos) return compute();
    if (memos.has(key)) return memos.get(key) as T;
    const value = compute();
    memos.set(key, value);
    return value;
  }
}

/**
 * Makes `methods` of `target` synthesis scopes (a chart's through {@link AppState.chartJson}; the
 * App's record that cdk8s prepares the whole App before any chart); false when they already were.
 */
function wrapSynthesis(target: any, methods: readonly string[], state: AppState, chart = false): boolean {
  if (Object.prototype.hasOwnProperty.call(target, WRAPPED)) return false;
  Object.defineProperty(target, WRAPPED, { value: true, enumerable: false });
  for (const method of methods) {
    const original = target[method];
    if (typeof original !== 'function') continue;
    Object.defineProperty(target, method, {
      configurable: true,
      enumerable: false,
      writable: true,
      value: chart
        ? function synthesisScope(this: IConstruct, ...args: unknown[]) {
          return state.synthesis(() => state.chartJson(this, original, args));
        }
        : function synthesisScope(this: unknown, ...args: unknown[]) {
          return state.synthesis(() => {
            state.appSynthesis();
            return original.apply(this, args);
          });
        },
    });
  }
  return true;
}

/** The App's constructs in pre-order (`findAll()`), and where each top-level construct's run of them starts and ends. */
function listApp(root: IConstruct): { all: IConstruct[]; topLevel: Map<IConstruct, [number, number]> } {
  const all = root.node.findAll();
  const topLevel = new Map<IConstruct, [number, number]>();
  let open: [number, number] | undefined;
  for (let i = 0; i < all.length; i++) {
    if (all[i].node.scope !== root) continue;
    if (open) open[1] = i;
    topLevel.set(all[i], open = [i, all.length]);
  }
  return { all, topLevel };
}

/**
 * Makes `app.charts` give cdk8s's list without cdk8s's DependencyGraph of the whole App: `synth()`
 * and `synthYaml()` read it once per synthesis, and the graph (a vertex and two Sets per construct,
 * twice as many constructs as objects in a platform of ours) cost more than the floor's, most of all
 * in a fresh process. dependencyOrder gives the same topology (test/chart-order.test.ts); on a cycle
 * it gives undefined and cdk8s's own getter decides. Only for cdk8s's own getter of the copy of
 * cdk8s this library uses (the same `Chart` class then, so its `instanceof` is cdk8s's test); an App
 * whose class overrides `charts` keeps its override.
 */
function orderChartsWithoutGraph(app: IConstruct, state: AppState): void {
  const own = Object.getOwnPropertyDescriptor(App.prototype, 'charts')?.get;
  if (!own || Object.prototype.hasOwnProperty.call(app, 'charts') || getterOf(app, 'charts') !== own) return;
  Object.defineProperty(app, 'charts', {
    configurable: true,
    enumerable: false,
    get(this: IConstruct): Chart[] {
      const order = dependencyOrder(this, state.subtree(this));
      if (!order) return own.call(this);
      const charts: Chart[] = [];
      for (let i = 0; i < order.length; i++) if (order[i] instanceof Chart) charts.push(order[i] as Chart);
      return charts;
    },
  });
}

/** The getter `name` resolves to on `target` (through its prototypes), if a getter. */
function getterOf(target: object, name: string): (() => unknown) | undefined {
  for (let o: object | null = target; o; o = Object.getPrototypeOf(o)) {
    const d = Object.getOwnPropertyDescriptor(o, name);
    if (d) return d.get;
  }
  return undefined;
}

/**
 * True when `construct` is the first of `declarers` (see {@link AppState.sameDeclaration}) still in
 * the construct tree: the one that declares their common object.
 */
export function declaresFirst(construct: IConstruct, declarers: readonly IConstruct[]): boolean {
  for (let i = 0; i < declarers.length; i++) {
    if (declarers[i] === construct) return true;
    if (inTree(declarers[i])) return false;
  }
  return true;
}

/** False for a construct taken out of the tree (a Pulumi declaration refused after it was built, a route refused after it was ordered). */
export function inTree(c: IConstruct): boolean {
  for (let s: IConstruct = c, parent = s.node.scope; parent; s = parent, parent = s.node.scope) {
    if (parent.node.tryFindChild(s.node.id) !== s) return false;
  }
  return true;
}
