// The bridge between the cdk8s constructs and Pulumi. Every Pulumi component builds the same
// cdk8s construct in the App of its program; the bridge registers each ApiObject that appears as a typed
// Pulumi resource under the component that owns it. Object identity (apiVersion, kind,
// namespace, name) is registered at once; the content is resolved when the program's
// synchronous part is done, so a TlsHost declared after its TenantGateway still adds its port to
// that gateway's Service, exactly as in `cdk8s synth`. There is no second copy of the rendering.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { AppState } from '../cdk8s/app-state';
import { orderingOf, RenderedObject } from '../cdk8s/rendered-object';
import { configureSynthAnalysis, SynthCheck } from '../cdk8s/synth-check';
import { formatProblem, IstioGatewayError, IstioGatewayErrorDetails } from '../errors';
import { DNS1123_LABEL, DNS1123_SUBDOMAIN } from '../names';

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

/** apiVersion, kind, namespace and name of a registered object: what other resources refer to. */
export interface ObjectIdentity {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/** @internal An object to register: the caller constructs `new Class(name, args, options)` and passes the resource to `done`. */
export interface PendingRegistration {
  readonly Class: ResourceClass;
  readonly name: string;
  readonly args: Record<string, unknown>;
  readonly options: pulumi.CustomResourceOptions;
  readonly done: (resource: pulumi.CustomResource) => void;
}

interface Registration {
  readonly api: ApiObject;
  readonly resource: pulumi.CustomResource;
  readonly options: pulumi.CustomResourceOptions;
  readonly metadata: Promise<unknown>;
  readonly settle: { resolve: (o: any) => void; reject: (e: unknown) => void };
  /** Settles the dependsOn entries known only at the seal. */
  readonly late?: { resolve: () => void; reject: (e: unknown) => void };
  sealed?: string;
}

/**
 * A pulumi.Input given to props: one placeholder stands for it in the constructs until it
 * resolves, wherever it is given. So the same Output given twice (a namespace for a gateway and
 * for the routes bound to it) is one value to every check, known or not; two different Inputs
 * are two values until they resolve, and are then compared by what they resolved to.
 */
interface InputToken {
  readonly text: string;
  readonly input: pulumi.Output<unknown> | Promise<unknown>;
  /** Each prop it was given to. */
  readonly uses: InputUse[];
  /** Set once the value is known (or known to be unknown, as in a preview). */
  resolved?: { readonly known: boolean; readonly value?: unknown };
  resolution?: Promise<void>;
}

/** One prop given an Input. */
interface InputUse {
  readonly token: InputToken;
  readonly kind: InputKind;
  readonly component: string;
  readonly prop: string;
  /** Its declaration was refused: neither awaited nor checked at the seal. */
  dropped?: boolean;
}

/**
 * A prop that must name what another value does (an AccessLogPolicy's `namespace` and its
 * gateway's workload namespace). When either holds an Input, the construct cannot compare them
 * when it is declared (two Outputs of one value look different then), so the platform leaves the
 * prop out of the construct's props (the construct then takes the other value, as it does when
 * the prop is not given) and compares the two once the Inputs resolve, before any content is
 * handed to Pulumi. At a preview where one is not known, nothing is refused.
 */
export interface SameAs {
  readonly prop: string;
  /** The value the prop must equal, from the construct's props (components replaced by their constructs). */
  readonly as: (props: Record<string, unknown>) => string | undefined;
  /** What is expected, given the other value and what it belongs to. */
  readonly expected: (other: string, owner: string) => string;
  /** What the other value belongs to, for the message. */
  readonly what: (props: Record<string, unknown>) => string;
}

/** A SameAs comparison waiting for the Inputs. */
interface PendingSame {
  readonly component: string;
  readonly prop: string;
  readonly given: string;
  readonly other: string;
  readonly owner: string;
  readonly expected: SameAs['expected'];
  dropped?: boolean;
}

/** The props that may be Inputs, and what their value must be. */
type InputKind = 'namespace' | 'secret' | 'service';

/** Where an Input is accepted, by the path of the prop (`destination.host`, `namespace`, ...). */
export function inputKindOf(path: string): InputKind | undefined {
  const last = path.split('.').pop()!.replace(/\[\d+\]$/, '');
  if (last === 'namespace' || last === 'workloadNamespace') return 'namespace';
  if (last === 'credentialName') return 'secret';
  if (/(^|\.)(destination|mirror)\.host$/.test(path.replace(/\[\d+\]/g, ''))) return 'service';
  return undefined;
}

const TOKEN = /pulumi-input-(\d+)x/g;
const IS_TOKEN = /pulumi-input-\d+x/;
// Private to this copy of the library, like the platform it finds on the monitor.
const PLATFORM = Symbol('istio-gateway-constructs.PulumiPlatform');

/**
 * The cdk8s App of one Pulumi program, holding the constructs of every component. It lives with
 * the program's resource monitor (the engine connection, or the mock monitor of
 * `pulumi.runtime.setMocks`), so two programs in one process (inline programs of the Automation
 * API, unit tests installing mocks afresh) never share constructs, names or checks.
 */
export class PulumiPlatform {
  /** The platform of the program now running, created with its first component. */
  static current(): PulumiPlatform {
    const monitor = pulumi.runtime.getMonitor() as any;
    if (!monitor) {
      throw new Error('istio-gateway-constructs/pulumi: no Pulumi engine is running this program: run it with `pulumi up` or `pulumi preview`, or install mocks with pulumi.runtime.setMocks in a unit test');
    }
    let platform: PulumiPlatform | undefined = monitor[PLATFORM];
    if (!platform) {
      platform = new PulumiPlatform();
      Object.defineProperty(monitor, PLATFORM, { value: platform, enumerable: false });
    }
    return platform;
  }

  public readonly app: App;
  public readonly chart: Chart;
  private readonly state: AppState;
  private readonly owners = new Map<IConstruct, OwnerOptions>();
  private readonly registered = new Map<ApiObject, Registration>();
  private readonly byResource = new Map<pulumi.Resource, Registration>();
  private readonly names = new Map<string, ApiObject>();
  private readonly scopes = new Map<string, Construct>();
  /** By the number in their placeholder. */
  private readonly tokens: InputToken[] = [];
  private readonly tokenOf = new Map<object, InputToken>();
  private readonly uses: InputUse[] = [];
  private readonly pendingSame: PendingSame[] = [];
  private sealScheduled = false;
  /** True once a seal has started: the synchronous part of the program that built it is over. */
  private sealedOnce = false;
  private sealError?: unknown;
  private sealDone: Promise<void> = Promise.resolve();

  /** Objects of this library's constructs created since the last sync, in creation order. */
  private readonly created: ApiObject[] = [];

  private constructor() {
    this.app = new App({ outdir: require('os').tmpdir() });
    this.chart = new Chart(this.app, 'pulumi');
    this.state = AppState.of(this.app);
    RenderedObject.observe(this.app, (o) => this.created.push(o));
    // The check runs again at each seal and for each late declaration: each warning is said once.
    const said = new Set<string>();
    configureSynthAnalysis(this.app, { warn: (line) => { if (!said.has(line)) { said.add(line); void pulumi.log.warn(line); } } });
    const check = SynthCheck.of(this.app);
    check.substitute = (o) => this.substitute(o);
    check.substituteText = (text) => this.knownText(text);
  }

  /** A scope per component class, so ids only need to be unique per class (as Pulumi names per type). */
  scopeFor(className: string): Construct {
    let s = this.scopes.get(className);
    if (!s) { s = new Construct(this.chart, className); this.scopes.set(className, s); }
    return s;
  }

  /**
   * Builds a component's construct before the component itself is registered, so a refusal
   * registers nothing. Props given as Inputs become placeholders (see {@link tokenize}). After the
   * synchronous part of the program (inside an `apply`), the App-wide checks run at once: a late
   * construct that clashes with the platform is refused here, and removed again.
   */
  build<C extends Construct>(className: string, name: string, props: unknown, build: (scope: Construct, id: string, props: any) => C, sameAs?: SameAs): C {
    if (this.sealError) throw this.sealError;
    const scope = this.scopeFor(className);
    const component = `${className} '${name}'`;
    if (scope.node.tryFindChild(name)) {
      throw new IstioGatewayError({
        construct: component, prop: 'name', value: name,
        expected: `this program already has a ${className} named "${name}" (Pulumi names are unique per type in a stack): give the component another name`,
      });
    }
    const usesBefore = this.uses.length;
    const pendingBefore = this.pendingSame.length;
    const createdBefore = this.created.length;
    let construct: C | undefined;
    try {
      let plain = this.tokenize(props, component, '');
      if (sameAs && plain !== null && typeof plain === 'object') {
        const given = (plain as Record<string, unknown>)[sameAs.prop];
        const other = sameAs.as(plain as Record<string, unknown>);
        if (typeof given === 'string' && other !== undefined && given !== other && (IS_TOKEN.test(given) || IS_TOKEN.test(other))) {
          const { [sameAs.prop]: _left, ...rest } = plain as Record<string, unknown>;
          this.pendingSame.push({ component, prop: sameAs.prop, given, other, owner: sameAs.what(plain as Record<string, unknown>), expected: sameAs.expected });
          plain = rest;
        }
      }
      construct = build(scope, name, plain);
      for (const api of this.created.slice(createdBefore)) {
        if (IS_TOKEN.test(api.name)) {
          throw new IstioGatewayError({
            construct: component, prop: `${api.kind} name`, value: '[Output]',
            expected: `the ${api.kind} would be named after an Input, but a Pulumi name must be known at preview and stay put: give that value as a plain string (for a namespace the TenantGateway creates with createNamespace, or create the Namespace yourself and pass its name)`,
          });
        }
      }
      this.checkLate();
      return construct;
    } catch (e) {
      // Nothing of a refused construct stays: not its node, its objects, its Inputs, its checks.
      // (Its placeholders keep their numbers: one may already sit in another construct.)
      for (const u of this.uses.slice(usesBefore)) u.dropped = true;
      for (const p of this.pendingSame.slice(pendingBefore)) p.dropped = true;
      this.created.length = createdBefore;
      const child = scope.node.tryFindChild(name);
      if (child) {
        SynthCheck.of(this.app).forget(child);
        scope.node.tryRemoveChild(name);
      }
      throw this.readable(e);
    }
  }

  /**
   * After the synchronous part of the program, a declaration (or a method such as addHttpHosts)
   * goes through the App-wide checks at once, so the program gets the refusal where it made the
   * mistake. One that changed an object already handed to Pulumi cannot be taken back: the
   * platform stays refused.
   */
  checkLate(): void {
    if (!this.sealedOnce) return;
    if (this.sealError) throw this.sealError;
    // (The check runs as the synthesis scope starts, and throws from there.)
    try {
      this.state.synthesis(() => {
        SynthCheck.of(this.app).run();
        const changed = this.changedSinceSealed();
        if (changed) { this.sealError = changed; throw changed; }
      });
    } catch (e) {
      throw this.readable(e);
    }
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
    return this.byResource.get(resource)?.options;
  }

  /** Every Kubernetes resource registered so far, in registration order. */
  resources(): pulumi.CustomResource[] {
    return [...this.registered.values()].map((r) => r.resource);
  }

  /**
   * The identity of an object as it is registered (Inputs resolved): known at preview when the
   * Inputs it depends on are, as the object's own fields.
   */
  identityOf(api: ApiObject): pulumi.Output<ObjectIdentity> {
    return pulumi.output(this.identityInput(api)) as pulumi.Output<ObjectIdentity>;
  }

  /**
   * The identity as one promise: of the plain identity when the object's metadata holds no Input,
   * else of an Output of the Inputs it holds. Pulumi lifts either into one Output, so a
   * component's identity outputs cost one Output each instead of a chain of applies.
   */
  identityInput(api: ApiObject): Promise<pulumi.Input<ObjectIdentity>> {
    const of = (m: any): ObjectIdentity => {
      const id: ObjectIdentity = { apiVersion: api.apiVersion, kind: api.kind, name: m.name };
      return m.namespace === undefined ? id : { ...id, namespace: m.namespace };
    };
    const r = this.registered.get(api);
    if (!r) return Promise.resolve(of({ name: api.name, namespace: api.metadata.namespace }));
    return r.metadata.then((m: any) => (pulumi.Output.isInstance(m) ? m.apply(of) : of(m)));
  }

  /** The value of a string that may hold placeholders, as an Output (unknown while an Input is). */
  resolveText(text: string): pulumi.Output<string> {
    const used = this.tokensIn(text);
    if (used.length === 0) return pulumi.output(text);
    return pulumi.all(used.map((t) => t.input)).apply((values) => substituteText(text, used, values));
  }

  /**
   * Registers every ApiObject not yet registered, dependencies first, and schedules the seal
   * (see {@link registrations}).
   */
  sync(strays?: ApiObject[]): void {
    for (const r of this.registrations(strays)) r.done(new r.Class(r.name, r.args, r.options));
  }

  /**
   * @internal
   * The objects not yet registered, dependencies first, each with its Pulumi class, name, inputs
   * and options: the caller constructs the resource and hands it to `done` before the next one
   * is prepared (its dependsOn may name the one before). Once all are done the seal is scheduled
   * (not for `strays`). The objects made since the last call are those the constructs created
   * meanwhile (a walk of the whole tree per component was quadratic in the size of the
   * platform). Each component's constructs create them in tree order, which the walk followed.
   * ApiObjects added to the tree by other means are found by the walk at the seal, which passes
   * them as `strays`.
   *
   * The caller constructs each resource, rather than a helper here, on purpose: Pulumi captures
   * the whole call stack with every resource it registers, and parses and sends every frame of
   * it, so each frame between the program and the resource's constructor is paid once per
   * resource. A component's constructor constructs its children itself (see ConstructComponent).
   */
  *registrations(strays?: ApiObject[]): Generator<PendingRegistration> {
    const fresh = (strays ?? this.created.splice(0)).filter((c) => !this.registered.has(c));
    for (const [api, after] of orderByDependencies(fresh)) {
      const owner = this.ownerOf(api);
      if (!owner) {
        throw new Error(`internal: ${api.node.path} has no owning Pulumi component`);
      }
      const namespace = api.metadata.namespace;
      const name = api.name;
      const pulumiName = resourceName(owner.name, namespace, name);
      const key = `${api.apiVersion}/${api.kind} ${pulumiName}`;
      const other = this.names.get(key);
      if (other) {
        throw new IstioGatewayError({
          construct: owner.name, prop: 'name', value: name,
          expected: `${api.kind} "${pulumiName}" is already registered for '${other.node.path}'; with a namespace given as an Input the Pulumi name is <component>/<name>: give the objects of one component distinct names`,
        });
      }
      let settle!: Registration['settle'];
      const content = new Promise<any>((resolve, reject) => { settle = { resolve, reject }; });
      // Keep an early rejection from surfacing as "unhandled" before Pulumi awaits the inputs.
      content.catch(() => undefined);
      // Each field is its own promise; mark each handled so a refused platform is reported by
      // Pulumi through the resources, not also as stray unhandled rejections. A plain promise is an
      // Input as good as an Output here (known, not secret, no dependencies), and Pulumi makes
      // several promises fewer per field of it: about 4% of registering a large platform. A field
      // holding placeholders resolves to an Output of the Inputs, carrying their dependencies.
      const field = (k: string): Promise<unknown> => {
        const p = content.then((o) => o[k]);
        p.catch(() => undefined);
        return p;
      };
      const metadata = field('metadata');
      const args: Record<string, unknown> = { apiVersion: api.apiVersion, kind: api.kind, metadata };
      for (const k of contentKeys(api)) args[k] = field(k);
      const dependsOn: pulumi.Input<pulumi.Resource>[] = [];
      for (const target of after) {
        const r = this.registered.get(target)?.resource;
        if (r) dependsOn.push(r);
      }
      // What the object must follow but does not exist yet (the Gateway of a gateway whose first
      // server comes after this route) is known at the seal: a promise there, as Pulumi allows.
      let late: Registration['late'];
      const pending = RenderedObject.isRendered(api) ? api._pendingOrdering() : [];
      if (pending.length > 0) {
        const gate = new Promise<void>((resolve, reject) => { late = { resolve, reject }; });
        for (const target of pending) {
          const p = gate.then(() => {
            const r = this.resourceOf(target());
            if (!r) throw new Error(`internal: ${api.node.path} is ordered after an object that was never registered`);
            return r;
          });
          p.catch(() => undefined);
          dependsOn.push(p);
        }
      }
      const options = childOptions(owner, dependsOn);
      this.names.set(key, api);
      let resource: pulumi.CustomResource | undefined;
      yield {
        Class: resourceClass(api.apiVersion, api.kind), name: pulumiName, args, options,
        done: (r) => { resource = r; },
      };
      if (!resource) throw new Error(`internal: ${api.node.path} was not registered`);
      const registration: Registration = { api, resource, options, metadata, settle, late };
      this.registered.set(api, registration);
      this.byResource.set(resource, registration);
    }
    if (!strays) this.scheduleSeal();
  }

  /**
   * Props with Inputs replaced by placeholders (`pulumi-input-<n>x`, valid wherever a namespace,
   * Secret or Service name is), and Pulumi components by the constructs they wrap. Inputs are
   * accepted only where the value names something (see inputKindOf): names of our own objects,
   * ports and anything deciding which objects exist must be known to render the platform.
   */
  private tokenize(value: unknown, component: string, path: string): unknown {
    if (isComponent(value)) return value.construct;
    if (pulumi.Output.isInstance(value) || value instanceof Promise) {
      const kind = inputKindOf(path);
      if (!kind) {
        throw new IstioGatewayError({
          construct: component, prop: path || 'props', value: '[Output]',
          expected: 'a plain value: Inputs (Outputs, Promises) are accepted for namespace, workloadNamespace, credentialName, destination.host and mirror.host; the other props decide names, ports or which objects exist, which must be known to render and check the platform',
        });
      }
      let token = this.tokenOf.get(value);
      if (!token) {
        token = { text: `pulumi-input-${this.tokens.length}x`, input: value, uses: [] };
        this.tokens.push(token);
        this.tokenOf.set(value, token);
      }
      const use: InputUse = { token, kind, component, prop: path };
      token.uses.push(use);
      this.uses.push(use);
      return token.text;
    }
    if (Array.isArray(value)) return value.map((v, i) => this.tokenize(v, component, `${path}[${i}]`));
    if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.tokenize(v, component, path ? `${path}.${k}` : k);
      return out;
    }
    return value;
  }

  private tokensIn(text: string): InputToken[] {
    const out: InputToken[] = [];
    for (const m of text.matchAll(TOKEN)) {
      const t = this.tokens[Number(m[1])];
      if (t && !out.includes(t)) out.push(t);
    }
    return out;
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
    const previous = this.sealDone;
    this.sealDone = new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.sealScheduled = false;
        this.sealedOnce = true;
        const batch = this.startSeal();
        previous.catch(() => undefined)
          .then(() => this.awaitInputs())
          .then(() => this.finishSeal(batch))
          .then((error) => (error === undefined ? resolve() : reject(error)), reject);
      });
    });
    this.sealDone.catch(() => undefined);
  }

  /** Registers objects added by hand and takes the batch of objects this seal resolves. */
  private startSeal(): Registration[] {
    // Plain ApiObjects added to a component's construct directly: registered now, in tree order
    // (one walk per seal, not one per component).
    try {
      this.sync(this.chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject));
    } catch (e) {
      this.sealError ??= e;
    }
    const batch = [...this.registered.values()].filter((r) => r.sealed === undefined);
    for (const r of batch) r.sealed = '';
    return batch;
  }

  /** Waits until every Input given so far is known, or known to be unknown (a preview). */
  private async awaitInputs(): Promise<void> {
    await Promise.all(this.tokens.filter((t) => t.uses.some((u) => !u.dropped)).map((t) => {
      t.resolution ??= resolveInput(t.input).then((r) => { t.resolved = r; });
      return t.resolution;
    }));
  }

  /**
   * Resolves the content of a batch of objects from the constructs, after the App-wide checks
   * (the same ones `cdk8s synth` runs) on the content with every known Input in place. Objects
   * sealed earlier must not have changed.
   */
  private finishSeal(batch: readonly Registration[]): unknown {
    try {
      if (this.sealError) throw this.sealError;
      const problems: IstioGatewayErrorDetails[] = [];
      for (const u of this.uses) {
        const r = u.token.resolved;
        const p = !u.dropped && r?.known ? checkInput(u, r.value) : undefined;
        if (p) problems.push(p);
      }
      for (const p of this.pendingSame) {
        const given = this.knownText(p.given);
        const other = this.knownText(p.other);
        // Not known yet (a preview): nothing to compare, nothing refused.
        if (p.dropped || IS_TOKEN.test(given) || IS_TOKEN.test(other) || given === other) continue;
        problems.push({ construct: p.component, prop: p.prop, value: given, expected: p.expected(other, p.owner) });
      }
      if (problems.length > 0) throw new IstioGatewayError(problems);
      this.state.synthesis(() => {
        SynthCheck.of(this.app).run();
        const changed = this.changedSinceSealed();
        if (changed) throw changed;
        for (const r of batch) {
          const json = r.api.toJson();
          r.sealed = JSON.stringify(json);
          r.late?.resolve();
          r.settle.resolve(this.tokens.length === 0 ? json : this.withInputs(json));
        }
      });
    } catch (thrown) {
      const e = this.readable(thrown);
      this.sealError = e;
      // Said once, plainly: Pulumi would otherwise show it once per resource, nested in serialization errors.
      void pulumi.log.error(e instanceof Error ? e.message : String(e));
      for (const r of batch) { r.late?.reject(e); r.settle.reject(e); }
    }
    return this.sealError;
  }

  /** A refusal when an object already handed to Pulumi has changed since (call inside a synthesis scope). */
  private changedSinceSealed(): IstioGatewayError | undefined {
    for (const r of this.registered.values()) {
      if (r.sealed === undefined || r.sealed === '') continue;
      const now = JSON.stringify(r.api.toJson());
      if (now !== r.sealed) {
        return new IstioGatewayError({
          construct: r.api.node.scope?.node.path ?? r.api.node.path,
          prop: 'declaration order',
          value: `${r.api.kind} ${r.api.metadata.namespace ?? ''}/${r.api.name}`,
          expected: 'this object was already registered with Pulumi when a later declaration changed it (for example a TlsHost created inside an apply() after its gateway): declare every construct in the synchronous part of the program',
        });
      }
    }
    return undefined;
  }

  /** Top-level fields holding placeholders become Outputs of the Inputs they stand for. */
  private withInputs(json: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(json)) {
      const text = JSON.stringify(v);
      const used = text === undefined ? [] : this.tokensIn(text);
      out[k] = used.length === 0 ? v : pulumi.all(used.map((t) => t.input)).apply((values) => withoutMergedEntries(v, JSON.parse(substituteText(text, used, values))));
    }
    return out;
  }

  /** A string with the placeholders of the Inputs known now replaced by their values. */
  private knownText(text: string): string {
    if (this.tokens.length === 0 || !IS_TOKEN.test(text)) return text;
    const used = this.tokensIn(text).filter((t) => t.resolved?.known);
    return used.length === 0 ? text : substituteText(text, used, used.map((t) => t.resolved!.value));
  }

  /**
   * A refusal as the user reads it: placeholders replaced by the values of the Inputs, or, for
   * one not known yet, by what it is (`[the Input given as namespace of TenantGateway 'a']`),
   * never by the placeholder, which means nothing to the user. A refusal that compared a value
   * not known yet says so, with what to do: the check could not tell the values apart.
   */
  private readable(e: unknown): unknown {
    if (!(e instanceof IstioGatewayError) || this.tokens.length === 0 || !IS_TOKEN.test(e.message)) return e;
    let unknown = false;
    const text = (v: string): string => this.knownText(v).replace(TOKEN, (m) => {
      const uses = this.tokens[Number(m.slice('pulumi-input-'.length, -1))]?.uses ?? [];
      const use = uses.find((u) => !u.dropped) ?? uses[0];
      if (!use) return m;
      unknown = true;
      return `[the Input given as ${use.prop} of ${use.component}]`;
    });
    const problems = e.problems.map((p) => {
      unknown = false;
      const out = {
        construct: text(p.construct), prop: text(p.prop),
        value: typeof p.value === 'string' ? text(p.value) : p.value, expected: text(p.expected),
      };
      if (!unknown) return out;
      return {
        ...out,
        expected: `${out.expected} (this compares an Input before its value is known, so values that would resolve alike look different here: give both props the same Output object, leave the dependent prop out, or give a plain string where the value is known)`,
      };
    });
    const formatted = e.problems.map(formatProblem).join('\n');
    return new IstioGatewayError(problems, e.message === formatted ? undefined : text(e.message));
  }

  /** @internal the placeholder values known now, for the App-wide check. */
  substitute(o: any): any {
    if (this.tokens.length === 0) return o;
    const text = JSON.stringify(o);
    const used = this.tokensIn(text).filter((t) => t.resolved?.known);
    if (used.length === 0) return o;
    return withoutMergedEntries(o, JSON.parse(substituteText(text, used, used.map((t) => t.resolved!.value))));
  }
}

/**
 * `after` (`before` with Inputs' values in place of their placeholders) without the entries of a
 * list of strings that only the substitution made equal: two different Inputs resolving alike
 * (a gateway's namespace and a route's, from two Outputs) would otherwise admit `team/host`
 * twice. Lists that repeated an entry before keep it: that is what the constructs rendered.
 */
function withoutMergedEntries(before: unknown, after: unknown): unknown {
  if (Array.isArray(after) && Array.isArray(before)) {
    const strings = after.every((x) => typeof x === 'string') && before.every((x) => typeof x === 'string');
    if (strings && new Set(after).size < after.length && new Set(before).size === before.length) return [...new Set(after)];
    return after.map((x, i) => withoutMergedEntries(before[i], x));
  }
  if (after !== null && typeof after === 'object' && before !== null && typeof before === 'object') {
    const out = after as Record<string, unknown>;
    for (const k of Object.keys(out)) out[k] = withoutMergedEntries((before as Record<string, unknown>)[k], out[k]);
    return out;
  }
  return after;
}

/** A component of this package, or a GatewayReference: something that stands for a construct. */
function isComponent(v: unknown): v is { construct: Construct } {
  if (typeof v !== 'object' || v === null || !((v as any).construct instanceof Construct)) return false;
  return pulumi.ComponentResource.isInstance(v as any) || STANDS_FOR_CONSTRUCT in v;
}

/** Marks objects that are not components but stand for a construct in props (GatewayReference). */
export const STANDS_FOR_CONSTRUCT = Symbol.for('istio-gateway-constructs.standsForConstruct');

async function resolveInput(input: pulumi.Output<unknown> | Promise<unknown>): Promise<{ known: boolean; value?: unknown }> {
  if (!pulumi.Output.isInstance(input)) return { known: true, value: await input };
  // isKnown and promise() are how Pulumi's own runtime reads an Output without an apply, which
  // would never run for a value unknown at preview.
  const o = input as any;
  const known: boolean = await o.isKnown;
  return known ? { known, value: await o.promise() } : { known };
}

function substituteText(text: string, used: readonly InputToken[], values: readonly unknown[]): string {
  const byText = new Map(used.map((t, i) => [t.text, values[i]]));
  return text.replace(TOKEN, (m) => (byText.has(m) ? String(byText.get(m)) : m));
}

/** The value an Input resolved to must be what the plain prop would accept. */
function checkInput(t: InputUse, value: unknown): IstioGatewayErrorDetails | undefined {
  const fail = (expected: string) => ({ construct: t.component, prop: t.prop, value, expected });
  if (t.kind === 'namespace') {
    if (typeof value !== 'string' || value.length > 63 || !DNS1123_LABEL.test(value)) {
      return fail('the Input resolved to no namespace name: expected a DNS-1123 label of at most 63 lower-case letters, digits and \'-\' (e.g. "istio-system")');
    }
  } else if (t.kind === 'secret') {
    if (typeof value !== 'string' || value.length > 253 || !DNS1123_SUBDOMAIN.test(value)) {
      return fail('the Input resolved to no Secret name: lower-case letters, digits, "-" and "."');
    }
  } else if (typeof value !== 'string' || value.length > 63 || !DNS1123_LABEL.test(value)) {
    return fail('the Input resolved to no Service name: a host given as an Input is the name of a Service in the route\'s namespace (such as service.metadata.name), a DNS-1123 label; give a fully qualified host as a plain string');
  }
  return undefined;
}

/**
 * Pulumi name of a child: the component's name and the Kubernetes namespace/name, nothing random.
 * A namespace given as an Input is left out (`<component>/<name>`): a name must be known at
 * preview and must not change when the Input's value does.
 */
export function resourceName(component: string, namespace: string | undefined, name: string): string {
  if (namespace && IS_TOKEN.test(namespace)) return `${component}/${name}`;
  return namespace ? `${component}/${namespace}/${name}` : `${component}/${name}`;
}

function childOptions(owner: OwnerOptions, dependsOn: pulumi.Input<pulumi.Resource>[]): pulumi.CustomResourceOptions {
  const o = owner.opts;
  const extra = o.dependsOn === undefined ? [] : (Array.isArray(o.dependsOn) ? o.dependsOn : [o.dependsOn]);
  const opts: pulumi.CustomResourceOptions = { parent: owner.component };
  // No empty list: Pulumi awaits each dependsOn it is given, even an empty one.
  if (extra.length + dependsOn.length > 0) opts.dependsOn = [...(extra as pulumi.Input<pulumi.Resource>[]), ...dependsOn];
  if (o.protect !== undefined) opts.protect = o.protect;
  if (o.provider) opts.provider = o.provider;
  // `providers` and `aliases` reach children through `parent` (Pulumi derives child aliases from the parent's).
  return opts;
}

/** The @pulumi/kubernetes class an object is registered as. */
function resourceClass(apiVersion: string, kind: string): ResourceClass {
  return TYPED[`${apiVersion}/${kind}`] ?? k8s.apiextensions.CustomResource;
}

/**
 * Top-level fields of an object besides apiVersion, kind and metadata. For our objects, those
 * fixed at construction, read without rendering the object (a rendering per object here was
 * garbage made while Pulumi holds every registration's promises in the young generation, so it
 * cost more in collections than in itself).
 */
function contentKeys(api: ApiObject): string[] {
  if (RenderedObject.isRendered(api)) return api._fieldKeys();
  return Object.keys(api.toJson()).filter((k) => k !== 'apiVersion' && k !== 'kind' && k !== 'metadata');
}

/**
 * Orders objects so that each comes after the ones it depends on (ties keep tree order), each
 * with what it is ordered after (read once per object).
 */
function orderByDependencies(list: ApiObject[]): [ApiObject, ApiObject[]][] {
  const ordering = new Map<ApiObject, ApiObject[]>();
  for (const a of list) ordering.set(a, orderingOf(a));
  const done = new Set<ApiObject>();
  const stack = new Set<ApiObject>();
  const out: [ApiObject, ApiObject[]][] = [];
  const visit = (a: ApiObject) => {
    if (done.has(a) || stack.has(a)) return;
    stack.add(a);
    const after = ordering.get(a)!;
    for (const t of after) if (ordering.has(t)) visit(t);
    stack.delete(a);
    done.add(a);
    out.push([a, after]);
  };
  for (const a of list) visit(a);
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
      const Class = resourceClass(o.apiVersion, o.kind);
      const r = new Class(resourceName(name, o.metadata?.namespace, o.metadata?.name), { ...o }, childOptions(owner, deps));
      if (api) registered.set(api, r);
      this.resources[`${o.kind} ${o.metadata?.namespace ? o.metadata.namespace + '/' : ''}${o.metadata?.name}`] = r;
    }
    // No registerOutputs({}): pulumi.ComponentResource sends that request itself, as for the constructs' components.
  }
}

/** Registers every object of any cdk8s chart as typed Pulumi resources. */
export function fromChart(name: string, chart: Chart, opts?: pulumi.ComponentResourceOptions): ChartResources {
  return new ChartResources(name, chart, opts);
}
