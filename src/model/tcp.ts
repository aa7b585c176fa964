// TcpGateway's and TcpCanaryRoute's props and their validated models: a TCP server on a gateway
// port and the route forwarding (or splitting) its connections. Pure: the constructs
// (../cdk8s/tcp-gateway, ../cdk8s/tcp-canary-route) add the server and render the objects.
import { PropChecker } from './checks';
import { nameFragment } from './gateway';
import {
  CanaryVersionsModel, DestinationProp, namespaceOfServiceHost, normalizeCanaryVersions, normalizeVersionSelection, PortDestinationModel,
  PropReaders, ServerGateway, ServerRequest, SubsetProp, TrafficPolicy, VersionSelectionModel,
} from './routes';

/**
 * TcpGateway's props besides its gateway, as the model reads them (documented on
 * `TcpGatewayProps` in ../cdk8s/tcp-gateway, which types the destination's Service construct).
 */
export interface TcpGatewayInput {
  readonly port: number;
  readonly destination: DestinationProp;
  readonly hosts?: string[];
  readonly name?: string;
  readonly namespace?: string;
}

/**
 * TcpCanaryRoute's props besides its gateway, as the model reads them (documented on
 * `TcpCanaryRouteProps` in ../cdk8s/tcp-canary-route, which types the constructs they may name).
 */
export interface TcpCanaryRouteInput extends TcpGatewayInput {
  readonly stable: SubsetProp;
  readonly canary: SubsetProp & { readonly weight: number };
  readonly trafficPolicy?: TrafficPolicy;
  readonly destinationSelector?: Record<string, string>;
}

/** The props each construct knows, its gateway first. */
export const TCP_GATEWAY_PROPS = ['gateway', 'port', 'destination', 'hosts', 'name', 'namespace'];
export const TCP_CANARY_ROUTE_PROPS = ['gateway', 'port', 'destination', 'stable', 'canary', 'hosts', 'name', 'namespace', 'trafficPolicy', 'destinationSelector'];

/** A validated TCP server on a gateway port and where its route is. */
export interface TcpServerModel {
  readonly port: number;
  readonly destination: PortDestinationModel;
  /** Hosts of the server and route (`*` unless given). */
  readonly hosts: string[];
  /** Names the route (and a canary's DestinationRule) and the server's port name. */
  readonly name: string;
  /** Namespace of the route. */
  readonly routeNamespace: string;
  /** The TCP server to add to the gateway. */
  readonly server: ServerRequest;
}

/**
 * Reads what TcpGateway and TcpCanaryRoute share: the port, the destination, the hosts, name and
 * namespace. `portIs` says what the port is, in the refusal of a missing one.
 */
function normalizeTcpServer(check: PropChecker, props: TcpGatewayInput, gateway: ServerGateway, id: string, readers: PropReaders, portIs: string): TcpServerModel {
  const port = check.port('port', props.port);
  if (port === undefined) check.fail('port', props.port, `this prop is required: ${portIs} (1-65535)`);
  const destination = readers.destination(check, 'destination', props.destination, true);
  const hosts = props.hosts === undefined ? ['*'] : check.hosts('hosts', props.hosts);
  const name = check.name('name', props.name ?? nameFragment(id))!;
  const routeNamespace = check.namespace('namespace', props.namespace) ?? gateway.namespace;
  gateway.refuseOwnService(check, 'destination.host', destination.host, routeNamespace);
  return { port, destination, hosts, name, routeNamespace, server: { server: { port, portName: `tcp-${port}-${name}`, protocol: 'TCP', hosts }, prop: 'port' } };
}

/** Validates TcpGateway's props (all but `gateway`, which the front end resolves) for `gateway`. */
export function normalizeTcpGateway(check: PropChecker, props: TcpGatewayInput, gateway: ServerGateway, id: string, readers: PropReaders): TcpServerModel {
  return normalizeTcpServer(check, props, gateway, id, readers, 'the port the gateway listens on');
}

/** A validated TcpCanaryRoute. */
export interface TcpCanaryRouteModel extends TcpServerModel {
  /** Both versions and the canary's share of new connections. */
  readonly versions: CanaryVersionsModel;
  /** How the versions are selected: a DestinationRule (api 'istio') or a Service each (api 'gateway-api'). */
  readonly selection: VersionSelectionModel;
  /** Namespace of the DestinationRule (or the version Services): the destination's when its host is fully qualified. */
  readonly destinationRuleNamespace: string;
  /** The route's split, stable then canary: both stay at 0 and 100, so moving the weight never restructures the route. */
  readonly split: readonly { readonly subset: string; readonly weight: number }[];
}

/** Validates TcpCanaryRoute's props (all but `gateway`, which the front end resolves) for `gateway`. */
export function normalizeTcpCanaryRoute(check: PropChecker, props: TcpCanaryRouteInput, gateway: ServerGateway, id: string, readers: PropReaders): TcpCanaryRouteModel {
  const server = normalizeTcpServer(check, props, gateway, id, readers, 'the gateway port whose connections are split');
  const versions = normalizeCanaryVersions(check, props, { canaryProps: ['weight'], share: 'the canary\'s percentage of new connections' }, readers);
  const selection = normalizeVersionSelection(check, props, gateway.api, {
    trafficPolicyFix: 'remove trafficPolicy, or use a gateway with api \'istio\'',
    gatewayApi: 'on a gateway with api \'gateway-api\'',
  });
  // The server's fields named one by one: a literal starting with a spread gets a hidden class of
  // its own per route, and every read of the model missed.
  return {
    port: server.port, destination: server.destination, hosts: server.hosts, name: server.name, routeNamespace: server.routeNamespace, server: server.server,
    versions, selection,
    destinationRuleNamespace: namespaceOfServiceHost(server.destination.host) ?? server.routeNamespace,
    split: [{ subset: versions.stable.subset, weight: 100 - versions.weight }, { subset: versions.canary.subset, weight: versions.weight }],
  };
}
