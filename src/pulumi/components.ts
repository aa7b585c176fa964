// The constructs as Pulumi ComponentResources: same names, same props (a Pulumi resource name
// instead of scope/id, and ComponentResourceOptions last). Each wraps the cdk8s construct of
// the same name; the platform bridge registers what it renders.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
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

  protected constructor(className: string, name: string, opts: pulumi.ComponentResourceOptions | undefined, build: (scope: Construct, id: string) => C) {
    super(TYPE_PREFIX + className, name, {}, opts);
    this.platform = PulumiPlatform.current();
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
    super('IngressGateway', name, opts, (scope, id) => new c.IngressGateway(scope, id, unwrapProps(props)));
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
    super('TenantGateway', name, opts, (scope, id) => new c.TenantGateway(scope, id, unwrapProps(props)));
    this.deployment = this.resourceOf<k8s.apps.v1.Deployment>(this.construct.deployment)!;
    this.service = this.resourceOf<k8s.core.v1.Service>(this.construct.service)!;
    this.serviceAccount = this.resourceOf<k8s.core.v1.ServiceAccount>(this.construct.serviceAccount)!;
    this.address = this.service.status.apply((s) => {
      const ingress = s?.loadBalancer?.ingress?.[0];
      return ingress?.ip ?? ingress?.hostname ?? undefined;
    });
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
    super('TlsHost', name, opts, (scope, id) => new c.TlsHost(scope, id, unwrapProps(props)));
    this.virtualService = this.resourceOf(this.construct.virtualService);
    this.registerOutputs({});
  }
}

export type TcpGatewayProps = WithGateway<c.TcpGatewayProps>;

/** Raw TCP through a gateway. */
export class TcpGateway extends ConstructComponent<c.TcpGateway> {
  public readonly virtualService: k8s.apiextensions.CustomResource;

  constructor(name: string, props: TcpGatewayProps, opts?: pulumi.ComponentResourceOptions) {
    super('TcpGateway', name, opts, (scope, id) => new c.TcpGateway(scope, id, unwrapProps(props)));
    this.virtualService = this.resourceOf(this.construct.virtualService)!;
    this.registerOutputs({});
  }
}
