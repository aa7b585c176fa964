// Binding routes to gateways and destinations: what the model asks of a gateway, which hosts a
// gateway's servers carry HTTP routes for, and the namespace of an in-cluster service host.
import { PropChecker } from '../checks';
import { GatewayServer, hostsIntersect } from '../gateway';
import { CLUSTER_SERVICE_FQDN } from '../../names';

// ---------------------------------------------------------------------------------------------
// What the model asks of a gateway
// ---------------------------------------------------------------------------------------------

/** A gateway a route binds to, as the model sees it (an owned or an imported gateway). */
export interface BoundGateway {
  /** Namespace of the Gateway resource. */
  readonly namespace: string;
  /** `namespace/name`, as a VirtualService binds to the Gateway. */
  readonly ref: string;
  /** The API the Gateway (and so the route) is written in. */
  readonly api: 'istio' | 'gateway-api';
  /** Refuses a route destination that is the gateway's own Service (a loop), when that Service is known. @internal */
  refuseOwnService(check: PropChecker, prop: string, host: string, routeNamespace: string): void;
}

/** A gateway of this App that a construct adds servers to (TlsHost, TcpGateway, TcpCanaryRoute). */
export interface ServerGateway extends BoundGateway {
  /** Namespace where the gateway pods run, and so where TLS Secrets must live. */
  readonly workloadNamespace: string;
  /** The port clients connect to for a server on `port` (a shared gateway's Service may map 80 to 8080). */
  clientPort(port: number): number;
}

// ---------------------------------------------------------------------------------------------
// Binding to gateways
// ---------------------------------------------------------------------------------------------

/** Protocols whose servers carry HTTP routes (TLS passthrough and TCP servers do not). */
function servesHttp(s: GatewayServer): boolean {
  return s.protocol === 'HTTP' || s.protocol === 'HTTPS';
}

/**
 * The lower-cased hosts of the servers that carry HTTP routes. A route host in this set is served
 * ({@link unservedHosts} finds nothing to report), which a gateway shared by hundreds of teams can
 * answer without a scan of all its servers for every route.
 */
export function httpHostSet(servers: readonly GatewayServer[]): Set<string> {
  const out = new Set<string>();
  for (const s of servers) if (servesHttp(s)) for (const h of s.hosts) out.add(h.toLowerCase());
  return out;
}

/**
 * Why an HTTP route for `hosts` would never receive traffic from a gateway with these servers
 * (istioctl's IST0132 VirtualServiceHostNotFoundInGateway), or undefined when some host is served.
 */
export function unservedHosts(hosts: readonly string[], gateway: { ref: string; servers: readonly GatewayServer[] }): string | undefined {
  const http = gateway.servers.filter(servesHttp);
  if (http.some((s) => s.hosts.some((gh) => hosts.some((h) => hostsIntersect(h, gh))))) return undefined;
  const all = [...new Set(gateway.servers.flatMap((s) => [...s.hosts]))];
  const httpHosts = [...new Set(http.flatMap((s) => [...s.hosts]))];
  if (all.length === 0) {
    return `Gateway ${gateway.ref} serves no hosts yet, so the route would never receive traffic (IST0132): add hosts to the gateway (addHttpHosts, TlsHost) or bind the route to another gateway`;
  }
  const nonHttp = gateway.servers.filter((s) => !servesHttp(s) && s.hosts.some((gh) => hosts.some((h) => hostsIntersect(h, gh))));
  if (nonHttp.length > 0) {
    return `Gateway ${gateway.ref} serves these hosts only as ${[...new Set(nonHttp.map((s) => s.protocol))].join('/')} (not terminated), so HTTP rules never apply: ` +
      `serve them over HTTP or HTTPS${httpHosts.length > 0 ? ` (it serves HTTP for ${JSON.stringify(httpHosts)})` : ''}`;
  }
  return `Gateway ${gateway.ref} serves none of them (its HTTP hosts: ${JSON.stringify(httpHosts)}; all hosts: ${JSON.stringify(all)}), so the route would never receive traffic (IST0132): ` +
    'use one of the gateway\'s hosts, or add these hosts to the gateway';
}

/**
 * Namespace of a Kubernetes Service given as `name.namespace.svc.cluster.local`, else undefined.
 * Istio expands only dot-less short names; `name.namespace` is taken literally, so it tells nothing.
 */
export function namespaceOfServiceHost(host: string): string | undefined {
  const m = CLUSTER_SERVICE_FQDN.exec(host);
  return m ? m[3] : undefined;
}

/** A server as a construct declares it (the gateway adds who declared it), and the prop it comes from. */
export interface ServerRequest {
  readonly server: Omit<GatewayServer, 'declaredBy'>;
  /** The prop a refusal of this server names. */
  readonly prop: string;
}
