// The constructs as Pulumi ComponentResources: same names, same props (a Pulumi resource name
// instead of scope/id, ComponentResourceOptions last, and Inputs where a value usually comes
// from another resource). One generic component wraps the cdk8s construct of the same name,
// described by a row of SPECS; the platform bridge registers what the construct renders.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import * as c from '../cdk8s';
import { ObjectIdentity, OwnerOptions, PulumiPlatform, SameAs, STANDS_FOR_CONSTRUCT } from './platform';

/** Type token prefix of every component of this package. */
export const TYPE_PREFIX = 'istio-gateway-constructs:index:';

/** A value given directly or as a Pulumi Input (an Output of another resource, a Promise). */
export type InputString<T> = T extends string ? pulumi.Input<string> : T;

/** A destination whose host may be an Input: the name of a Service in the route's namespace. */
export type HostInput<T> = T extends { readonly host: string } ? Omit<T, 'host'> & { readonly host: pulumi.Input<string> }
  : T extends { readonly host?: string } ? Omit<T, 'host'> & { readonly host?: pulumi.Input<string> } : T;

/** A gateway component of this package, or a reference to a gateway another program owns, where a construct takes a gateway. */
export type GatewayComponentRef = IngressGateway | TenantGateway | GatewayReference;

/** Attributes of a gateway another program (or stack, or tool) owns; `namespace` and `workloadNamespace` may be Inputs (a StackReference's outputs). */
export type GatewayReferenceAttributes = ComponentProps<c.GatewayAttributes>;

/**
 * A gateway this program does not own, for routes (HttpRoute, CanaryRoute) and, when its pod
 * labels are known, AccessLogPolicy to bind to. Registers nothing: made by
 * `TenantGateway.fromAttributes` and `IngressGateway.fromAttributes`.
 */
export class GatewayReference {
  /** @internal */
  public readonly [STANDS_FOR_CONSTRUCT] = true;

  /** @internal */
  constructor(
    /** The cdk8s import the routes bind to. */
    public readonly construct: c.IGateway,
    private readonly platform: PulumiPlatform,
  ) {}

  /** `namespace/name` of the Istio Gateway (Inputs resolved). */
  get ref(): pulumi.Output<string> { return this.platform.resolveText(this.construct.ref); }
}

/** The reference for `fromAttributes`, built (and checked) in the program's App. */
function importGateway(className: string, name: string, attrs: GatewayReferenceAttributes,
  build: (scope: Construct, id: string, attrs: c.GatewayAttributes) => c.IGateway): GatewayReference {
  const platform = PulumiPlatform.current();
  const reference = new GatewayReference(platform.build(className, name, attrs, (scope, id, plain) => build(scope, id, plain) as c.ImportedGateway), platform);
  platform.sync(); // a declaration like any other: the seal checks it
  return reference;
}

/**
 * A construct's props as a component takes them: `namespace`, `workloadNamespace`,
 * `credentialName` and the `host` of `destination` and `mirror` may be Inputs; `gateway(s)` are
 * components. Every other prop decides names, ports or which objects exist, and is a plain value.
 */
export type ComponentProps<P> = {
  readonly [K in keyof P]:
  K extends 'namespace' | 'workloadNamespace' | 'credentialName' ? InputString<P[K]>
    : K extends 'destination' | 'mirror' ? HostInput<P[K]>
      : K extends 'gateway' ? GatewayComponentRef | Exclude<P[K], c.IGateway>
        : K extends 'gateways' ? readonly GatewayComponentRef[] | undefined
          : P[K];
};

/** One row of the component table: the construct a component builds and its main objects. */
export interface ComponentSpec<C extends Construct> {
  readonly className: string;
  readonly build: (scope: Construct, id: string, props: any) => C;
  /** Main objects: exposed as their Pulumi resources and, in `ids`, as identity Outputs. */
  readonly main: Readonly<Record<string, (construct: C) => c.RenderedObject | undefined>>;
  /** A prop that must name what another does (see SameAs): compared once Inputs resolve. */
  readonly sameAs?: SameAs;
}

/** Where the class made by `component()` keeps its row of the table. */
const SPEC = Symbol('istio-gateway-constructs.componentSpec');

/**
 * A Pulumi component backed by one cdk8s construct. The construct is built (and its props
 * checked) before the component is registered: a refused declaration registers nothing.
 */
export abstract class ConstructComponent<C extends Construct> extends pulumi.ComponentResource {
  // Declared, not defined: a class field would give this class a constructor (see below).
  /** The cdk8s construct that renders this component's Kubernetes objects. */
  declare public readonly construct: C;
  /** The identities (apiVersion, kind, namespace, name) of the main objects, Inputs resolved. */
  declare public readonly ids: Readonly<Record<string, pulumi.Output<ObjectIdentity | undefined>>>;
  /** @internal the platform of the program this component belongs to */
  declare public readonly platform: PulumiPlatform;

  // No constructor here, nor in the classes between this one and the component class the
  // program instantiates: that class's own constructor (written out in each) builds the
  // construct (`declareComponent`), registers the component (`super`, which V8 passes straight
  // to pulumi.ComponentResource past the constructor-less classes between), sets it up
  // (`setUpComponent`) and constructs the children itself in a loop over
  // `platform.registrations()`. Pulumi captures, parses and sends the whole call stack with
  // every resource it registers, so each frame between the program and a resource's constructor
  // is paid once per resource (measured: about 3-4% of registering a platform per frame).
  // Components and their children are thus constructed one frame below the program.
  //
  // Nor do the constructors call `registerOutputs({})`: pulumi.ComponentResource makes that very
  // call (RegisterResourceOutputs with no outputs) by itself once `initialize` has settled, that
  // is after the program's synchronous part, when every component has been declared. Made in each
  // constructor instead, right after the component's children, it cost Pulumi 2-5% more CPU at 200
  // teams (docs/performance-history.md, "Pulumi registration, ninth round"): the same requests, in
  // another order.

  /**
   * @internal
   * Sets up a component just registered: its construct, its owner for the platform, and `ids`.
   * No outputs are registered (Pulumi's own registerOutputs call sends none): programs read
   * `ids`, the resources and `address` from the component object, and recording them made
   * Pulumi wait for and serialize every identity once more per component.
   */
  protected setUpComponent(declared: DeclaredComponent<C>, name: string, opts: pulumi.ComponentResourceOptions | undefined): void {
    const { spec, platform, construct } = declared;
    Object.assign(this, { platform, construct });
    const owner: OwnerOptions = { component: this, name, opts: opts ?? {} };
    platform.adopt(construct, owner);
    // Main objects may appear after construction (a gateway's Gateway with its first server):
    // their identities are read once the platform is checked and sealed. A refused platform is
    // reported by the platform and its resources; the identities then stay undefined.
    // Nothing is computed until `ids` is read: every Output and tracked promise costs Pulumi a
    // captured stack trace, paid per component. All identities of a component then come from
    // one promise, and the Output of each is made when it is first read.
    let identities: Promise<Record<string, pulumi.Input<ObjectIdentity> | undefined>> | undefined;
    const all = () => (identities ??= platform.settled().then(async () => {
      const out: Record<string, pulumi.Input<ObjectIdentity> | undefined> = {};
      for (const [key, objectOf] of Object.entries(spec.main)) {
        const api = objectOf(construct);
        out[key] = api ? await platform.identityInput(api) : undefined;
      }
      return out;
    }, () => ({} as Record<string, undefined>)));
    const ids: Record<string, pulumi.Output<ObjectIdentity | undefined>> = {};
    for (const key of Object.keys(spec.main)) {
      let id: pulumi.Output<ObjectIdentity | undefined> | undefined;
      Object.defineProperty(ids, key, {
        enumerable: true,
        get: () => (id ??= pulumi.output(all().then((a) => a[key])) as pulumi.Output<ObjectIdentity | undefined>),
      });
    }
    Object.assign(this, { ids: Object.freeze(ids) });
  }
}

/** @internal A component's construct, built (and its props checked) before the component is registered. */
export interface DeclaredComponent<C extends Construct> {
  readonly type: string;
  readonly spec: ComponentSpec<C>;
  readonly platform: PulumiPlatform;
  readonly construct: C;
}

/**
 * Builds the construct of a component about to be registered, from the row of the component
 * table of its class (`new.target` of its constructor): a refused declaration registers nothing.
 */
function declareComponent<C extends Construct>(target: Function, name: string, props: unknown): DeclaredComponent<C> {
  const spec: ComponentSpec<C> = (target as any)[SPEC];
  const platform = PulumiPlatform.current();
  const construct = platform.build(spec.className, name, props ?? {}, spec.build, spec.sameAs);
  return { type: TYPE_PREFIX + spec.className, spec, platform, construct };
}

/** What the gateway components add: the Gateway's reference, its hosts, and addHttpHosts. */
export abstract class GatewayComponent<C extends c.GatewayBase> extends ConstructComponent<C> {
  /** `namespace/name` of the Istio Gateway, for VirtualServices written by hand (Inputs resolved). */
  get ref(): pulumi.Output<string> { return this.platform.resolveText(this.construct.ref); }
  /** Hosts served so far. */
  get hosts(): string[] { return this.construct.hosts; }
  /** Serves `hosts` over plain HTTP (port 80 unless given). */
  addHttpHosts(hosts: string[], options?: c.HttpHostsOptions): void {
    this.construct.addHttpHosts(hosts, options);
    this.platform.checkLate();
    this.platform.sync();
  }
}

/**
 * The component class for one row of the table (the construct class it builds, under the type
 * token `istio-gateway-constructs:index:<className>`, and its main objects), with a getter per
 * main object returning its registered resource. Its constructor is pulumi.ComponentResource's
 * (type, name, args, opts): each component class declares its own, taking the construct's props
 * as a component takes them (see ConstructComponent).
 */
function component<C extends Construct, R extends Record<string, pulumi.CustomResource | undefined>, I extends ConstructComponent<C> = ConstructComponent<C>>(
  className: string,
  ConstructClass: new (scope: Construct, id: string, props: any) => C,
  main: { readonly [K in keyof R]: (construct: C) => c.RenderedObject | undefined },
  base: Function & { prototype: I } = ConstructComponent as any,
  sameAs?: SameAs,
): new (type: string, name: string, args: {}, opts?: pulumi.ComponentResourceOptions) => I & Readonly<R> {
  const spec: ComponentSpec<C> = { className, build: (scope, id, props) => new ConstructClass(scope, id, props), main, sameAs };
  const Base = base as any;
  // No constructor of its own (see ConstructComponent): the row is read through new.target.
  class Component extends Base {
    static readonly [SPEC] = spec;
  }
  for (const [key, objectOf] of Object.entries(main) as [string, (construct: C) => c.RenderedObject | undefined][]) {
    Object.defineProperty(Component.prototype, key, {
      get(this: ConstructComponent<C>) { return this.platform.resourceOf(objectOf(this.construct)); },
    });
  }
  return Component as any;
}

/** The Pulumi resource a component registers an Istio object (VirtualService, Gateway...) as. */
export type IstioResource = k8s.apiextensions.CustomResource;

export type IngressGatewayProps = ComponentProps<c.IngressGatewayProps>;

/** Istio Gateway resources for an existing shared gateway workload. */
export class IngressGateway extends component<c.IngressGateway, { gateway: IstioResource | undefined }, GatewayComponent<c.IngressGateway>>(
  'IngressGateway', c.IngressGateway, { gateway: (g) => g.gatewayResource }, GatewayComponent) {
  constructor(name: string, props: IngressGatewayProps, opts?: pulumi.ComponentResourceOptions) {
    // Written out in each component class: see ConstructComponent.
    const declared = declareComponent<any>(new.target, name, props);
    super(declared.type, name, {}, opts);
    this.setUpComponent(declared, name, opts);
    for (const r of this.platform.registrations()) r.done(new r.Class(r.name, r.args, r.options));
  }

  /** A shared gateway another program owns (see c.IngressGateway.fromAttributes); registers nothing. */
  static fromAttributes(name: string, attrs: GatewayReferenceAttributes): GatewayReference {
    return importGateway('IngressGatewayReference', name, attrs, (scope, id, a) => c.IngressGateway.fromAttributes(scope, id, a));
  }
}

export type TenantGatewayProps = ComponentProps<c.TenantGatewayProps>;

/** A team's dedicated gateway: Deployment, Service, ServiceAccount, RBAC, HPA, PDB and Gateway. */
export class TenantGateway extends component<c.TenantGateway, {
  /** Undefined with api 'gateway-api': Istio then makes the workload from the Gateway. */
  deployment: k8s.apps.v1.Deployment | undefined; service: k8s.core.v1.Service | undefined; serviceAccount: k8s.core.v1.ServiceAccount | undefined; gateway: IstioResource | undefined;
}, GatewayComponent<c.TenantGateway>>(
  'TenantGateway', c.TenantGateway,
  { deployment: (g) => g.deployment, service: (g) => g.service, serviceAccount: (g) => g.serviceAccount, gateway: (g) => g.gatewayResource },
  GatewayComponent) {
  constructor(name: string, props: TenantGatewayProps, opts?: pulumi.ComponentResourceOptions) {
    // Written out in each component class: see ConstructComponent.
    const declared = declareComponent<any>(new.target, name, props);
    super(declared.type, name, {}, opts);
    this.setUpComponent(declared, name, opts);
    for (const r of this.platform.registrations()) r.done(new r.Class(r.name, r.args, r.options));
  }

  /** A TenantGateway another program owns (see c.TenantGateway.fromAttributes); registers nothing. */
  static fromAttributes(name: string, attrs: GatewayReferenceAttributes): GatewayReference {
    return importGateway('TenantGatewayReference', name, attrs, (scope, id, a) => c.TenantGateway.fromAttributes(scope, id, a));
  }

  /** The load balancer's IP or hostname, once the cloud has assigned one. */
  get address(): pulumi.Output<string | undefined> {
    // Made when first read (an Output per gateway costs Pulumi tracked promises).
    // With api 'gateway-api' Istio generates the Service, so there is no address to read here (yet).
    const service = this.service;
    const address = service ? service.status.apply((s) => {
      const ingress = s?.loadBalancer?.ingress?.[0];
      return ingress?.ip ?? ingress?.hostname ?? undefined;
    }) : pulumi.output(undefined);
    Object.defineProperty(this, 'address', { value: address, enumerable: true });
    return address;
  }
}

export type TlsHostProps = ComponentProps<c.TlsHostProps>;

/** TLS hosts on a gateway (termination, mutual TLS, passthrough, redirect). */
export class TlsHost extends component<c.TlsHost, { virtualService: IstioResource | undefined }>(
  'TlsHost', c.TlsHost, { virtualService: (t) => t.virtualService }) {
  constructor(name: string, props: TlsHostProps, opts?: pulumi.ComponentResourceOptions) {
    // Written out in each component class: see ConstructComponent.
    const declared = declareComponent<any>(new.target, name, props);
    super(declared.type, name, {}, opts);
    this.setUpComponent(declared, name, opts);
    for (const r of this.platform.registrations()) r.done(new r.Class(r.name, r.args, r.options));
  }
}

export type TcpGatewayProps = ComponentProps<c.TcpGatewayProps>;

/** Raw TCP through a gateway. */
export class TcpGateway extends component<c.TcpGateway, { virtualService: IstioResource }>(
  'TcpGateway', c.TcpGateway, { virtualService: (t) => t.virtualService }) {
  constructor(name: string, props: TcpGatewayProps, opts?: pulumi.ComponentResourceOptions) {
    // Written out in each component class: see ConstructComponent.
    const declared = declareComponent<any>(new.target, name, props);
    super(declared.type, name, {}, opts);
    this.setUpComponent(declared, name, opts);
    for (const r of this.platform.registrations()) r.done(new r.Class(r.name, r.args, r.options));
  }
}

export type TcpCanaryRouteProps = ComponentProps<c.TcpCanaryRouteProps>;

/** Weighted TCP shifting between two subsets on a gateway port: a DestinationRule and a VirtualService. */
export class TcpCanaryRoute extends component<c.TcpCanaryRoute, { destinationRule: IstioResource; virtualService: IstioResource }>(
  'TcpCanaryRoute', c.TcpCanaryRoute, { destinationRule: (r) => r.destinationRule, virtualService: (r) => r.virtualService }) {
  constructor(name: string, props: TcpCanaryRouteProps, opts?: pulumi.ComponentResourceOptions) {
    // Written out in each component class: see ConstructComponent.
    const declared = declareComponent<any>(new.target, name, props);
    super(declared.type, name, {}, opts);
    this.setUpComponent(declared, name, opts);
    for (const r of this.platform.registrations()) r.done(new r.Class(r.name, r.args, r.options));
  }
}

export type HttpRouteProps = ComponentProps<c.HttpRouteProps>;

/** Routes hosts (at gateways and/or in the mesh) to one destination. */
export class HttpRoute extends component<c.HttpRoute, { virtualService: IstioResource }>(
  'HttpRoute', c.HttpRoute, { virtualService: (r) => r.virtualService }) {
  constructor(name: string, props: HttpRouteProps, opts?: pulumi.ComponentResourceOptions) {
    // Written out in each component class: see ConstructComponent.
    const declared = declareComponent<any>(new.target, name, props);
    super(declared.type, name, {}, opts);
    this.setUpComponent(declared, name, opts);
    for (const r of this.platform.registrations()) r.done(new r.Class(r.name, r.args, r.options));
  }
}

export type CanaryRouteProps = ComponentProps<c.CanaryRouteProps>;

/**
 * Weighted and header-matched routing between two subsets: a DestinationRule (created before,
 * and deleted after, the VirtualService that routes to its subsets) and a VirtualService.
 */
export class CanaryRoute extends component<c.CanaryRoute, { destinationRule: IstioResource; virtualService: IstioResource }>(
  'CanaryRoute', c.CanaryRoute, { destinationRule: (r) => r.destinationRule, virtualService: (r) => r.virtualService }) {
  constructor(name: string, props: CanaryRouteProps, opts?: pulumi.ComponentResourceOptions) {
    // Written out in each component class: see ConstructComponent.
    const declared = declareComponent<any>(new.target, name, props);
    super(declared.type, name, {}, opts);
    this.setUpComponent(declared, name, opts);
    for (const r of this.platform.registrations()) r.done(new r.Class(r.name, r.args, r.options));
  }
}

export type StrictMtlsProps = ComponentProps<c.StrictMtlsProps>;

/** PeerAuthentication with mutual TLS STRICT, mesh-wide, per namespace or per workload. */
export class StrictMtls extends component<c.StrictMtls, { peerAuthentication: IstioResource }>(
  'StrictMtls', c.StrictMtls, { peerAuthentication: (p) => p.peerAuthentication }) {
  constructor(name: string, props?: StrictMtlsProps, opts?: pulumi.ComponentResourceOptions) {
    // Written out in each component class: see ConstructComponent.
    const declared = declareComponent<any>(new.target, name, props);
    super(declared.type, name, {}, opts);
    this.setUpComponent(declared, name, opts);
    for (const r of this.platform.registrations()) r.done(new r.Class(r.name, r.args, r.options));
  }
}

export type AccessLogPolicyProps = ComponentProps<c.AccessLogPolicyProps>;

/** Telemetry access logging for a gateway's pods, a workload, a namespace or the mesh. */
export class AccessLogPolicy extends component<c.AccessLogPolicy, { telemetry: IstioResource }>(
  'AccessLogPolicy', c.AccessLogPolicy, { telemetry: (p) => p.telemetry }, ConstructComponent, {
    // The construct requires `namespace` to be the gateway's workload namespace; either may be an Input.
    prop: 'namespace',
    as: (props) => (props.gateway as c.IGateway | undefined)?.workloadNamespace,
    expected: (ns, gateway) => `a Telemetry selector matches pods of its own namespace only, and the pods of gateway '${gateway}' run in "${ns}": use that namespace or leave it out`,
    what: (props) => (props.gateway as c.IGateway).node.path,
  }) {
  constructor(name: string, props?: AccessLogPolicyProps, opts?: pulumi.ComponentResourceOptions) {
    // Written out in each component class: see ConstructComponent.
    const declared = declareComponent<any>(new.target, name, props);
    super(declared.type, name, {}, opts);
    this.setUpComponent(declared, name, opts);
    for (const r of this.platform.registrations()) r.done(new r.Class(r.name, r.args, r.options));
  }
}

export type TrimmedGatewayConfigProps = c.TrimmedGatewayConfigProps;

/**
 * Control-plane settings that keep gateway proxies small. The IstioOperator is for
 * `istioctl install -f`, not the Kubernetes API (Istio 1.30 installs no IstioOperator CRD), so this
 * component registers no resource: use `istioOperatorYaml` with istioctl, or `helmValues` with the
 * istiod Helm chart (for example in a `k8s.helm.v3.Release`).
 */
export class TrimmedGatewayConfig extends pulumi.ComponentResource {
  /** The cdk8s construct that renders the settings. */
  public readonly construct: c.TrimmedGatewayConfig;
  /** The IstioOperator document as YAML. */
  public readonly istioOperatorYaml: string;
  /** The same settings as istiod Helm chart values (`pilot.env`, `meshConfig`). */
  public readonly helmValues: Record<string, unknown>;

  constructor(name: string, props: TrimmedGatewayConfigProps = {}, opts?: pulumi.ComponentResourceOptions) {
    // Its own App: the IstioOperator must not be registered with, or analyzed beside, the cluster
    // objects. Built first, so a refused declaration registers nothing.
    const app = new App({ outdir: require('os').tmpdir() });
    const chart = new Chart(app, 'istioctl');
    const construct = new c.TrimmedGatewayConfig(new Construct(chart, 'TrimmedGatewayConfig'), name, props);
    const istioOperatorYaml = app.synthYaml();
    super(TYPE_PREFIX + 'TrimmedGatewayConfig', name, {}, opts);
    this.construct = construct;
    this.istioOperatorYaml = istioOperatorYaml;
    this.helmValues = construct.helmValues();
    this.registerOutputs({ istioOperatorYaml: this.istioOperatorYaml, helmValues: this.helmValues });
  }
}
