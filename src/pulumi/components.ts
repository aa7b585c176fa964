// The constructs as Pulumi ComponentResources: same names, same props (a Pulumi resource name
// instead of scope/id, and ComponentResourceOptions last). Each wraps the cdk8s construct of
// the same name; the platform bridge registers what it renders.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import * as c from '../cdk8s';
import { OwnerOptions, PulumiPlatform } from './platform';

/** Type token prefix of every component of this package. */
export const TYPE_PREFIX = 'istio-gateway-constructs:index:';

/** A Pulumi component backed by one cdk8s construct. */
export abstract class ConstructComponent<C extends Construct> extends pulumi.ComponentResource {
  /** The cdk8s construct that renders this component's Kubernetes objects. */
  public readonly construct: C;
  protected readonly platform: PulumiPlatform;

  protected constructor(className: string, name: string, opts: pulumi.ComponentResourceOptions | undefined, build: (scope: Construct, id: string) => C, references: readonly ConstructComponent<Construct>[] = []) {
    super(TYPE_PREFIX + className, name, {}, opts);
    this.platform = PulumiPlatform.forComponent(references.map((r) => r.construct));
    this.construct = build(this.platform.scopeFor(className), name);
    const owner: OwnerOptions = { component: this, name, opts: opts ?? {} };
    this.platform.adopt(this.construct, owner);
    this.platform.sync();
  }

  /** The Pulumi resource registered for one of the construct's objects. */
  protected resourceOf<T extends pulumi.CustomResource>(api: c.RenderedObject | undefined): T | undefined {
    return this.platform.resourceOf<T>(api);
  }
}

/** Replaces Pulumi components in props by the cdk8s constructs they wrap. */
function unwrap<T>(value: T): any {
  if (value instanceof ConstructComponent) return value.construct;
  if (Array.isArray(value)) return value.map(unwrap);
  return value;
}

/** The components a declaration refers to (its gateway or gateways). */
function componentsIn(props: object | undefined): ConstructComponent<Construct>[] {
  const out: ConstructComponent<Construct>[] = [];
  if (props === null || typeof props !== 'object') return out;
  for (const v of Object.values(props)) {
    for (const x of Array.isArray(v) ? v : [v]) if (x instanceof ConstructComponent) out.push(x);
  }
  return out;
}

function unwrapProps<P extends object>(props: P): any {
  if (props === null || typeof props !== 'object') return props;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) out[k] = unwrap(v);
  return out;
}

/** What the gateway components share. */
abstract class GatewayComponent<C extends c.GatewayBase> extends ConstructComponent<C> {
  /** `namespace/name` of the Istio Gateway, for VirtualServices written by hand. */
  get ref(): string { return this.construct.ref; }
  /** Hosts served so far. */
  get hosts(): string[] { return this.construct.hosts; }

  /** The Istio Gateway resource, once the gateway has a server. */
  get gateway(): k8s.apiextensions.CustomResource | undefined {
    return this.resourceOf(this.construct.gatewayResource);
  }

  /** Serves `hosts` over plain HTTP (port 80 unless given). */
  addHttpHosts(hosts: string[], options?: c.HttpHostsOptions): void {
    this.construct.addHttpHosts(hosts, options);
    this.platform.sync();
  }
}

export type IngressGatewayProps = c.IngressGatewayProps;

/** Istio Gateway resources for an existing shared gateway workload. */
export class IngressGateway extends GatewayComponent<c.IngressGateway> {
  constructor(name: string, props: IngressGatewayProps, opts?: pulumi.ComponentResourceOptions) {
    super('IngressGateway', name, opts, (scope, id) => new c.IngressGateway(scope, id, unwrapProps(props)), componentsIn(props));
    this.registerOutputs({});
  }
}

export type TenantGatewayProps = c.TenantGatewayProps;

/** A team's dedicated gateway: Deployment, Service, ServiceAccount, RBAC, HPA, PDB and Gateway. */
export class TenantGateway extends GatewayComponent<c.TenantGateway> {
  public readonly deployment: k8s.apps.v1.Deployment;
  public readonly service: k8s.core.v1.Service;
  public readonly serviceAccount: k8s.core.v1.ServiceAccount;
  /** The load balancer's IP or hostname, once the cloud has assigned one. */
  public readonly address: pulumi.Output<string | undefined>;

  constructor(name: string, props: TenantGatewayProps, opts?: pulumi.ComponentResourceOptions) {
    super('TenantGateway', name, opts, (scope, id) => new c.TenantGateway(scope, id, unwrapProps(props)), componentsIn(props));
    this.deployment = this.resourceOf<k8s.apps.v1.Deployment>(this.construct.deployment)!;
    this.service = this.resourceOf<k8s.core.v1.Service>(this.construct.service)!;
    this.serviceAccount = this.resourceOf<k8s.core.v1.ServiceAccount>(this.construct.serviceAccount)!;
    // With api 'gateway-api' Istio generates the Service, so there is no address to read here (yet).
    this.address = this.service ? this.service.status.apply((s) => {
      const ingress = s?.loadBalancer?.ingress?.[0];
      return ingress?.ip ?? ingress?.hostname ?? undefined;
    }) : pulumi.output(undefined);
    this.registerOutputs({ address: this.address });
  }
}

type WithGateway<P> = Omit<P, 'gateway'> & { readonly gateway: IngressGateway | TenantGateway };

export type TlsHostProps = WithGateway<c.TlsHostProps>;

/** TLS hosts on a gateway (termination, mutual TLS, passthrough, redirect). */
export class TlsHost extends ConstructComponent<c.TlsHost> {
  /** The VirtualService, when a destination was given. */
  public readonly virtualService?: k8s.apiextensions.CustomResource;

  constructor(name: string, props: TlsHostProps, opts?: pulumi.ComponentResourceOptions) {
    super('TlsHost', name, opts, (scope, id) => new c.TlsHost(scope, id, unwrapProps(props)), componentsIn(props));
    this.virtualService = this.resourceOf(this.construct.virtualService);
    this.registerOutputs({});
  }
}

export type TcpGatewayProps = WithGateway<c.TcpGatewayProps>;

/** Raw TCP through a gateway. */
export class TcpGateway extends ConstructComponent<c.TcpGateway> {
  public readonly virtualService: k8s.apiextensions.CustomResource;

  constructor(name: string, props: TcpGatewayProps, opts?: pulumi.ComponentResourceOptions) {
    super('TcpGateway', name, opts, (scope, id) => new c.TcpGateway(scope, id, unwrapProps(props)), componentsIn(props));
    this.virtualService = this.resourceOf(this.construct.virtualService)!;
    this.registerOutputs({});
  }
}

export type TcpCanaryRouteProps = WithGateway<c.TcpCanaryRouteProps>;

/** Weighted TCP shifting between two subsets on a gateway port: a DestinationRule and a VirtualService. */
export class TcpCanaryRoute extends ConstructComponent<c.TcpCanaryRoute> {
  /** Created before, and deleted after, the VirtualService that routes to its subsets. */
  public readonly destinationRule: k8s.apiextensions.CustomResource;
  public readonly virtualService: k8s.apiextensions.CustomResource;

  constructor(name: string, props: TcpCanaryRouteProps, opts?: pulumi.ComponentResourceOptions) {
    super('TcpCanaryRoute', name, opts, (scope, id) => new c.TcpCanaryRoute(scope, id, unwrapProps(props)), componentsIn(props));
    this.destinationRule = this.resourceOf(this.construct.destinationRule)!;
    this.virtualService = this.resourceOf(this.construct.virtualService)!;
    this.registerOutputs({});
  }
}

type WithGateways<P> = Omit<P, 'gateways'> & { readonly gateways?: (IngressGateway | TenantGateway)[] };

export type HttpRouteProps = WithGateways<c.HttpRouteProps>;

/** Routes hosts (at gateways and/or in the mesh) to one destination. */
export class HttpRoute extends ConstructComponent<c.HttpRoute> {
  public readonly virtualService: k8s.apiextensions.CustomResource;

  constructor(name: string, props: HttpRouteProps, opts?: pulumi.ComponentResourceOptions) {
    super('HttpRoute', name, opts, (scope, id) => new c.HttpRoute(scope, id, unwrapProps(props)), componentsIn(props));
    this.virtualService = this.resourceOf(this.construct.virtualService)!;
    this.registerOutputs({});
  }
}

export type CanaryRouteProps = WithGateways<c.CanaryRouteProps>;

/** Weighted and header-matched routing between two subsets: a DestinationRule and a VirtualService. */
export class CanaryRoute extends ConstructComponent<c.CanaryRoute> {
  /** Created before, and deleted after, the VirtualService that routes to its subsets. */
  public readonly destinationRule: k8s.apiextensions.CustomResource;
  public readonly virtualService: k8s.apiextensions.CustomResource;

  constructor(name: string, props: CanaryRouteProps, opts?: pulumi.ComponentResourceOptions) {
    super('CanaryRoute', name, opts, (scope, id) => new c.CanaryRoute(scope, id, unwrapProps(props)), componentsIn(props));
    this.destinationRule = this.resourceOf(this.construct.destinationRule)!;
    this.virtualService = this.resourceOf(this.construct.virtualService)!;
    this.registerOutputs({});
  }
}

export type StrictMtlsProps = c.StrictMtlsProps;

/** PeerAuthentication with mutual TLS STRICT, mesh-wide, per namespace or per workload. */
export class StrictMtls extends ConstructComponent<c.StrictMtls> {
  public readonly peerAuthentication: k8s.apiextensions.CustomResource;

  constructor(name: string, props: StrictMtlsProps = {}, opts?: pulumi.ComponentResourceOptions) {
    super('StrictMtls', name, opts, (scope, id) => new c.StrictMtls(scope, id, unwrapProps(props)), componentsIn(props));
    this.peerAuthentication = this.resourceOf(this.construct.peerAuthentication)!;
    this.registerOutputs({});
  }
}

export type AccessLogPolicyProps = WithGateway<c.AccessLogPolicyProps> | Omit<c.AccessLogPolicyProps, 'gateway'>;

/** Telemetry access logging for a gateway's pods, a workload, a namespace or the mesh. */
export class AccessLogPolicy extends ConstructComponent<c.AccessLogPolicy> {
  public readonly telemetry: k8s.apiextensions.CustomResource;

  constructor(name: string, props: AccessLogPolicyProps = {}, opts?: pulumi.ComponentResourceOptions) {
    super('AccessLogPolicy', name, opts, (scope, id) => new c.AccessLogPolicy(scope, id, unwrapProps(props)), componentsIn(props));
    this.telemetry = this.resourceOf(this.construct.telemetry)!;
    this.registerOutputs({});
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
    super(TYPE_PREFIX + 'TrimmedGatewayConfig', name, {}, opts);
    // Its own App: the IstioOperator must not be registered with, or analyzed beside, the cluster objects.
    const app = new App({ outdir: require('os').tmpdir() });
    const chart = new Chart(app, 'istioctl');
    this.construct = new c.TrimmedGatewayConfig(new Construct(chart, 'TrimmedGatewayConfig'), name, props);
    this.istioOperatorYaml = app.synthYaml();
    this.helmValues = this.construct.helmValues();
    this.registerOutputs({});
  }
}
