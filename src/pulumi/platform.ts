// The bridge between the cdk8s constructs and Pulumi. Every Pulumi component builds the same
// cdk8s construct in one shared App; the bridge registers each ApiObject that appears as a typed
// Pulumi resource under the component that owns it. Object identity (apiVersion, kind,
// namespace, name) is registered at once; the content is resolved when the program's
// synchronous part is done, so a TlsHost declared after its TenantGateway still adds its port to
// that gateway's Service, exactly as in `cdk8s synth`. There is no second copy of the rendering.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { orderingOf, RenderedObject } from '../cdk8s/rendered-object';
import { SynthCheck } from '../cdk8s/synth-check';
import { IstioGatewayError } from '../errors';

type ResourceClass = new (name: string, args: any, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/** Typed @pulumi/kubernetes classes by `apiVersion/kind`; every other kind is a CustomResource of its own type. */
const TYPED: Record<string, ResourceClass> = {
  'v1/ConfigMap': k8s.core.v1.ConfigMap,
  'v1/Namespace': k8s.core.v1.Namespace,
  'v1/Pod': k8s.core.v1.Pod,
  'v1/Secret': k8s.core.v1.Secret,
  'v1/Service': k8s.core.v1.Service,
  'v1/ServiceAccount': k8s.core.v1.ServiceAccount,
  'apps/v1/DaemonSet': k8s.apps.v1.DaemonSet,
  'apps/v1/Deployment': k8s.apps.v1.Deployment,
  'apps/v1/StatefulSet': k8s.apps.v1.StatefulSet,
  'autoscaling/v2/HorizontalPodAutoscaler': k8s.autoscaling.v2.HorizontalPodAutoscaler,
  'batch/v1/Job': k8s.batch.v1.Job,
  'networking.k8s.io/v1/NetworkPolicy': k8s.networking.v1.NetworkPolicy,
  'networking.k8s.io/v1/Ingress': k8s.networking.v1.Ingress,
  'policy/v1/PodDisruptionBudget': k8s.policy.v1.PodDisruptionBudget,
  'rbac.authorization.k8s.io/v1/ClusterRole': k8s.rbac.v1.ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': k8s.rbac.v1.ClusterRoleBinding,
  'rbac.authorization.k8s.io/v1/Role': k8s.rbac.v1.Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': k8s.rbac.v1.RoleBinding,
};

/** What a component passes down to the resources it owns. */
export interface OwnerOptions {
  readonly component: pulumi.ComponentResource;
  /** Prefix of the Pulumi names of its resources (the component's own name). */
  readonly name: string;
  readonly opts: pulumi.ComponentResourceOptions;
}

interface Registration {
  readonly api: ApiObject;
  readonly resource: pulumi.CustomResource;
  readonly options: pulumi.CustomResourceOptions;
  readonly settle: { resolve: (o: any) => void; reject: (e: unknown) => void };
  sealed?: string;
}

/**
 * One cdk8s App per Pulumi program, holding the constructs of every component. Use
 * {@link PulumiPlatform.current}; tests that run several programs in one process call
 * {@link PulumiPlatform.reset} between them.
 */
export class PulumiPlatform {
  private static instance?: PulumiPlatform;

  static current(): PulumiPlatform {
    if (!PulumiPlatform.instance) PulumiPlatform.instance = new PulumiPlatform();
    return PulumiPlatform.instance;
  }

  /** Starts a fresh platform (for tests running several programs in one process). */
  /**
   * The platform a new component joins. Once the current platform has been sealed (the program's
   * synchronous part is over), a component that refers to none of its constructs starts a new
   * platform: a later program in the same process (a second unit test, say) must not be checked
   * against, or collide with, the first one's objects. A component that does refer to an earlier
   * one stays with it, so a late change to a sealed object is still reported.
   */
  static forComponent(references: readonly IConstruct[]): PulumiPlatform {
    const cur = PulumiPlatform.current();
    if (!cur.sealedOnce) return cur;
    if (references.some((r) => r.node.root === cur.app)) return cur;
    PulumiPlatform.reset();
    return PulumiPlatform.current();
  }

  static reset(): void {
    PulumiPlatform.instance = undefined;
  }

  public readonly app: App;
  public readonly chart: Chart;
  private readonly owners = new Map<IConstruct, OwnerOptions>();
  private readonly registered = new Map<ApiObject, Registration>();
  private readonly scopes = new Map<string, Construct>();
  private sealScheduled = false;
  /** True once a seal has run: the synchronous part of the program that built it is over. */
  private sealedOnce = false;
  private sealError?: unknown;
  private sealDone: Promise<void> = Promise.resolve();

  /** Objects of this library's constructs created since the last sync, in creation order. */
  private readonly created: ApiObject[] = [];

  private constructor() {
    this.app = new App({ outdir: require('os').tmpdir() });
    this.chart = new Chart(this.app, 'pulumi');
    RenderedObject.observe(this.app, (o) => this.created.push(o));
  }

  /** A scope per component class, so ids only need to be unique per class (as Pulumi names per type). */
  scopeFor(className: string): Construct {
    let s = this.scopes.get(className);
    if (!s) { s = new Construct(this.chart, className); this.scopes.set(className, s); }
    return s;
  }

  /** Declares that the ApiObjects under `construct` belong to a component. */
  adopt(construct: IConstruct, owner: OwnerOptions): void {
    this.owners.set(construct, owner);
  }

  /** The Pulumi resource registered for an ApiObject. */
  resourceOf<T extends pulumi.CustomResource = pulumi.CustomResource>(api: ApiObject | undefined): T | undefined {
    return api ? this.registered.get(api)?.resource as T | undefined : undefined;
  }

  /** The options a resource was registered with (parent, dependsOn, provider, protect). */
  optionsOf(resource: pulumi.Resource): pulumi.CustomResourceOptions | undefined {
    for (const r of this.registered.values()) if (r.resource === resource) return r.options;
    return undefined;
  }

  /** Every Kubernetes resource registered so far, in registration order. */
  resources(): pulumi.CustomResource[] {
    return [...this.registered.values()].map((r) => r.resource);
  }

  /**
   * Registers every ApiObject not yet registered, dependencies first, and schedules the seal.
   * The objects made since the last call are those the constructs created meanwhile (a walk of
   * the whole tree per component was quadratic in the size of the platform). Each component's
   * constructs create them in tree order, which the walk followed. ApiObjects added to the tree
   * by other means are found by the walk at the seal.
   */
  sync(): void {
    const fresh = this.created.splice(0).filter((c) => !this.registered.has(c));
    for (const api of orderByDependencies(fresh)) this.register(api);
    this.scheduleSeal();
  }

  private register(api: ApiObject): void {
    const owner = this.ownerOf(api);
    if (!owner) {
      throw new Error(`internal: ${api.node.path} has no owning Pulumi component`);
    }
    let settle!: Registration['settle'];
    const content = new Promise<any>((resolve, reject) => { settle = { resolve, reject }; });
    // Keep an early rejection from surfacing as "unhandled" before Pulumi awaits the inputs.
    content.catch(() => undefined);
    const meta = api.metadata;
    const namespace = meta.namespace;
    const name = api.name;
    // Each field is its own promise; mark each handled so a refused platform is reported by
    // Pulumi through the resources, not also as stray unhandled rejections. A plain promise is an
    // Input as good as an Output here (known, not secret, no dependencies), and Pulumi makes
    // several promises fewer per field of it: about 4% of registering a large platform.
    const field = (key: string): Promise<unknown> => {
      const p = content.then((o) => o[key]);
      p.catch(() => undefined);
      return p;
    };
    const args: Record<string, unknown> = { apiVersion: api.apiVersion, kind: api.kind, metadata: field('metadata') };
    for (const key of contentKeys(api)) args[key] = field(key);
    const dependsOn: pulumi.Resource[] = [];
    for (const target of orderingOf(api)) {
      const r = this.registered.get(target)?.resource;
      if (r) dependsOn.push(r);
    }
    const options = childOptions(owner, dependsOn);
    const resource = newResource(api.apiVersion, api.kind, resourceName(owner.name, namespace, name), args, options);
    this.registered.set(api, { api, resource, options, settle });
  }

  private ownerOf(api: ApiObject): OwnerOptions | undefined {
    for (let c: IConstruct | undefined = api; c; c = c.node.scope) {
      const o = this.owners.get(c);
      if (o) return o;
    }
    return undefined;
  }

  /**
   * Resolves once everything declared so far has been checked and its content handed to Pulumi;
   * rejects with the IstioGatewayError that refused the platform.
   */
  settled(): Promise<void> {
    return this.sealDone;
  }

  private scheduleSeal(): void {
    if (this.sealScheduled) return;
    this.sealScheduled = true;
    this.sealDone = new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.sealScheduled = false;
        this.sealedOnce = true;
        const error = this.seal();
        if (error === undefined) resolve(); else reject(error);
      });
    });
    this.sealDone.catch(() => undefined);
  }

  /**
   * Resolves the content of every registered object from the constructs, after the App-wide
   * checks (the same ones `cdk8s synth` runs). Objects sealed earlier must not have changed.
   */
  private seal(): unknown {
    // Plain ApiObjects added to a component's construct directly: registered now, in tree order
    // (one walk per seal, not one per component).
    try {
      const strays = this.chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && !this.registered.has(c));
      for (const api of orderByDependencies(strays)) this.register(api);
    } catch (e) {
      this.sealError ??= e;
    }
    const pending = [...this.registered.values()].filter((r) => r.sealed === undefined);
    // Even with nothing new to register, a late declaration may have changed a sealed object.
    try {
      if (this.sealError) throw this.sealError;
      SynthCheck.of(this.app).run();
      for (const r of this.registered.values()) {
        if (r.sealed === undefined) continue;
        const now = JSON.stringify(r.api.toJson());
        if (now !== r.sealed) {
          throw new IstioGatewayError({
            construct: r.api.node.scope?.node.path ?? r.api.node.path,
            prop: 'declaration order',
            value: `${r.api.kind} ${r.api.metadata.namespace ?? ''}/${r.api.name}`,
            expected: 'this object was already registered with Pulumi when a later declaration changed it (for example a TlsHost created inside an apply() after its gateway): declare every construct in the synchronous part of the program',
          });
        }
      }
      for (const r of pending) {
        const json = r.api.toJson();
        r.sealed = JSON.stringify(json);
        r.settle.resolve(json);
      }
    } catch (e) {
      this.sealError = e;
      // Said once, plainly: Pulumi would otherwise show it once per resource, nested in serialization errors.
      pulumi.log.error(e instanceof Error ? e.message : String(e));
      for (const r of pending) r.settle.reject(e);
    }
    return this.sealError;
  }
}

/** Pulumi name of a child: the component's name and the Kubernetes namespace/name, nothing random. */
export function resourceName(component: string, namespace: string | undefined, name: string): string {
  return namespace ? `${component}/${namespace}/${name}` : `${component}/${name}`;
}

function childOptions(owner: OwnerOptions, dependsOn: pulumi.Resource[]): pulumi.CustomResourceOptions {
  const o = owner.opts;
  const extra = o.dependsOn === undefined ? [] : (Array.isArray(o.dependsOn) ? o.dependsOn : [o.dependsOn]);
  const opts: pulumi.CustomResourceOptions = {
    parent: owner.component,
    dependsOn: [...(extra as pulumi.Input<pulumi.Resource>[]), ...dependsOn],
  };
  if (o.protect !== undefined) opts.protect = o.protect;
  if (o.provider) opts.provider = o.provider;
  // `providers` and `aliases` reach children through `parent` (Pulumi derives child aliases from the parent's).
  return opts;
}

function newResource(apiVersion: string, kind: string, name: string, args: Record<string, unknown>, opts: pulumi.CustomResourceOptions): pulumi.CustomResource {
  const Typed = TYPED[`${apiVersion}/${kind}`];
  if (Typed) return new Typed(name, args, opts);
  return new k8s.apiextensions.CustomResource(name, args as k8s.apiextensions.CustomResourceArgs, opts);
}

/** Top-level fields of an object besides apiVersion, kind and metadata, without resolving it twice. */
function contentKeys(api: ApiObject): string[] {
  return Object.keys(RenderedObject.isRendered(api) ? api.renderPlain() : api.toJson()).filter((k) => k !== 'apiVersion' && k !== 'kind' && k !== 'metadata');
}

/** Orders objects so that each comes after the ones it depends on (ties keep tree order). */
function orderByDependencies(list: ApiObject[]): ApiObject[] {
  const inList = new Set(list);
  const done = new Set<ApiObject>();
  const out: ApiObject[] = [];
  const visit = (a: ApiObject, stack: Set<ApiObject>) => {
    if (done.has(a) || stack.has(a)) return;
    stack.add(a);
    for (const t of orderingOf(a)) if (inList.has(t)) visit(t, stack);
    stack.delete(a);
    done.add(a);
    out.push(a);
  };
  for (const a of list) visit(a, new Set());
  return out;
}

/**
 * Registers every object of a cdk8s chart as typed Pulumi resources under one component, for
 * teams that already have cdk8s charts. Runs the chart's validations (and this library's
 * synth-time checks) first; resource names are `<name>/<namespace>/<object name>`.
 */
export class ChartResources extends pulumi.ComponentResource {
  /** Registered resources by `Kind namespace/name`. */
  public readonly resources: Record<string, pulumi.CustomResource> = {};

  constructor(name: string, chart: Chart, opts: pulumi.ComponentResourceOptions = {}) {
    super('istio-gateway-constructs:index:Chart', name, {}, opts);
    const objects = chart.toJson(); // validations and dependency order, as `cdk8s synth`
    const apis = chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
    const byKey = new Map<string, ApiObject>(apis.map((a) => [`${a.apiVersion}|${a.kind}|${a.metadata.namespace ?? ''}|${a.name}`, a]));
    const registered = new Map<ApiObject, pulumi.CustomResource>();
    const owner: OwnerOptions = { component: this, name, opts };
    for (const o of objects) {
      const key = `${o.apiVersion}|${o.kind}|${o.metadata?.namespace ?? ''}|${o.metadata?.name}`;
      const api = byKey.get(key);
      const deps: pulumi.Resource[] = [];
      for (const t of api ? orderingOf(api) : []) { const r = registered.get(t); if (r) deps.push(r); }
      const r = newResource(o.apiVersion, o.kind, resourceName(name, o.metadata?.namespace, o.metadata?.name), { ...o }, childOptions(owner, deps));
      if (api) registered.set(api, r);
      this.resources[`${o.kind} ${o.metadata?.namespace ? o.metadata.namespace + '/' : ''}${o.metadata?.name}`] = r;
    }
    this.registerOutputs({});
  }
}

/** Registers every object of any cdk8s chart as typed Pulumi resources. */
export function fromChart(name: string, chart: Chart, opts?: pulumi.ComponentResourceOptions): ChartResources {
  return new ChartResources(name, chart, opts);
}
