// What TlsHost, TcpGateway and TcpCanaryRoute share as constructs: the constructor setup of a
// construct that adds servers to a gateway of this App (its checker, its props object, its gateway)
// and its route bound to that gateway, in either API. Their props are validated in ../model.
import { Construct } from 'constructs';
import { describeConstruct, PropChecker } from '../model/checks';
import { PropReaders, ServerRequest } from '../model/routes';
import { KubeObject } from '../render/objects';
import { IstioGatewayErrorDetails } from '../errors';
import type { RouteContext } from '../render/gateway-api/translate';
import { constructionChecker } from './construction';
import { destinationOf, workloadPodLabels } from './kplus-interop';
import { GatewayBase } from './gateway-base';
import { ImportedGateway } from './gateway-ref';
import { gatewayApiRoute, gatewayRouteContext, refuseTcpOnStandardChannel } from './gateway-api-route';
import { orderAfter, RenderedObject } from './rendered-object';
import { virtualServiceIdentity } from '../render/routes';
import { missingServicePort } from './backend-ports';
import { SynthCheck, SynthChecked } from './synth-check';

/** How the model reads props naming cdk8s constructs: a Service as destination, a workload as subset. */
export const CDK8S_READERS: PropReaders = { destination: destinationOf, workloadLabels: workloadPodLabels };

/** Refuses anything but one of this library's gateways in the same App. @internal */
export function requireGateway(check: PropChecker, self: Construct, gateway: unknown, prop = 'gateway'): GatewayBase {
  if (gateway instanceof ImportedGateway) {
    return check.fail(prop, gateway.node.path, 'this gateway is imported (fromAttributes): another App owns it and declares its servers; bind routes to it (HttpRoute, CanaryRoute), and add servers where the gateway is defined');
  }
  if (!(gateway instanceof GatewayBase)) {
    const shown = gateway && typeof gateway === 'object' ? `${(gateway as object).constructor?.name ?? 'object'}` : gateway;
    return check.fail(prop, shown, 'expected an IngressGateway or TenantGateway construct of this library (from the same front end: cdk8s constructs with cdk8s, Pulumi components with Pulumi)');
  }
  if (gateway.node.root !== self.node.root) {
    return check.fail(prop, gateway.node.path, 'the gateway belongs to another cdk8s App: declare it in the same App');
  }
  return gateway;
}

/**
 * The first steps of a construct's constructor, called right after `super(scope, id)`: its
 * checker, which names it as `className` and its path (the construct joined the tree first: until
 * `check.constructed()`, a refusal detaches it again, leaving nothing behind), then its props
 * object and their names.
 */
export function startConstruct(self: Construct, scope: Construct, id: string, className: string, props: object, known: readonly string[]): PropChecker {
  const check = constructionChecker(self, scope, id, className);
  check.object('props', props, true);
  check.knownProps('', props, known);
  return check;
}

/**
 * The first steps of a server construct's constructor ({@link startConstruct}), then its gateway:
 * one of this App, and for TCP one whose API can say TCP.
 */
export function startServerConstruct(self: Construct, scope: Construct, id: string, className: string, props: { readonly gateway: GatewayBase },
  known: readonly string[], opts: { readonly tcp?: boolean } = {}): { check: PropChecker; gateway: GatewayBase } {
  const check = startConstruct(self, scope, id, className, props, known);
  const gateway = requireGateway(check, self, props.gateway);
  if (opts.tcp) refuseTcpOnStandardChannel(check, gateway);
  return { check, gateway };
}

/** A server construct's route to its gateway. */
export interface GatewayBoundRouteOptions {
  readonly check: PropChecker;
  readonly gateway: GatewayBase;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** The construct's props, to show a value the Gateway API translation refuses. */
  readonly props: object;
  /** The VirtualService (api 'istio'), which the Gateway API flavour translates: named `name` in `namespace`, with `labels`. */
  readonly renderVs: () => KubeObject;
  /** Objects the route is created after, besides the gateway's Gateway. */
  readonly after?: readonly RenderedObject[];
  /** How the Gateway API translation names a subset's Service (canaries). */
  readonly subsetService?: RouteContext['subsetService'];
}

/**
 * The route of a server construct: a VirtualService (api 'istio'), or its Gateway API
 * translation (a TLSRoute, TCPRoute or HTTPRoute, with its ReferenceGrants), ordered after the
 * gateway's Gateway. Made before the construct adds its servers, so that a route the Gateway API
 * cannot say is refused while the gateway is still untouched (the translation's parentRefs, which
 * need the servers, are checked at synthesis); the Gateway is found when the ordering is read.
 */
export function gatewayBoundRoute(scope: Construct, o: GatewayBoundRouteOptions): { virtualService?: RenderedObject; route?: RenderedObject } {
  const after = o.after ?? [];
  if (o.gateway.api === 'gateway-api') {
    const route = gatewayApiRoute(scope, {
      check: o.check, routeName: o.name, namespace: o.namespace, labels: o.labels, props: o.props, renderVs: o.renderVs,
      ctx: gatewayRouteContext([o.gateway], o.namespace, o.subsetService),
    });
    orderAfter(route, ...after, o.gateway.gatewayResourceTarget);
    return { route };
  }
  const virtualService = new RenderedObject(scope, 'VirtualService', o.renderVs, () => virtualServiceIdentity(o));
  orderAfter(virtualService, ...after, o.gateway.gatewayResourceTarget);
  return { virtualService };
}

/**
 * With api 'gateway-api', a route's destination Service declared in this App must have the port
 * (the analyzer checks it for VirtualServices only). For TlsHost's and TcpGateway's App-wide check.
 */
export function destinationPortProblems(self: Construct, className: string, gateway: GatewayBase, all: readonly SynthChecked[],
  destination: { host: string; port: number } | undefined, routeNamespace: string): IstioGatewayErrorDetails[] {
  if (!destination || gateway.api !== 'gateway-api') return [];
  return missingServicePort(self, all, describeConstruct(className, self.node.path), 'destination.port', destination.host, destination.port, routeNamespace);
}

/**
 * The last steps of a server construct's constructor, once its objects are made: its servers on
 * the gateway (last, so that a refusal before leaves the gateway as it was), the namespace its
 * route binds from (a TenantGateway admits it to its namespace-scoped hosts), the App-wide check.
 */
export function completeServerConstruct(self: Construct & SynthChecked, check: PropChecker, gateway: GatewayBase, servers: readonly ServerRequest[],
  routeNamespace: string | undefined): void {
  gateway.addServers(servers, self, check);
  if (routeNamespace !== undefined) gateway.bindRoute(routeNamespace, self);
  SynthCheck.of(self).register(self);
  check.constructed();
}
