// The validated model of a gateway's servers: what each server listens on, which hosts it
// claims, and the rules that keep two declarations from fighting over a host or a port.
// Pure data and checks; rendering lives in ../render, constructs in ../cdk8s.
import { IstioGatewayErrorDetails } from '../errors';
import { PropChecker } from './checks';
import { DNS1123_LABEL, hostMatches } from '../names';

/**
 * Which API a gateway (and everything bound to it) is written in: Istio's `networking.istio.io`
 * or the Kubernetes Gateway API (`gateway.networking.k8s.io`, class `istio`).
 */
export type GatewayApi = 'istio' | 'gateway-api';
export const GATEWAY_APIS: readonly GatewayApi[] = ['istio', 'gateway-api'];

/** The Gateway API release channel whose CRDs the cluster runs. */
export type GatewayApiChannel = 'standard' | 'experimental';

/** The label Istio puts on the pods of an automated deployment (a Gateway API Gateway of class istio). */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

/** Name of what Istio generates for Gateway `name` of class istio (Deployment, Service, ServiceAccount). */
export function generatedName(name: string): string { return `${name}-istio`; }

/** The `api` and `gatewayApiChannel` props of a gateway construct, checked together. */
export function gatewayApiOf(check: PropChecker, props: { readonly api?: GatewayApi; readonly gatewayApiChannel?: GatewayApiChannel }): { api: GatewayApi; gatewayApiChannel?: GatewayApiChannel } {
  const api = check.oneOf('api', props.api, GATEWAY_APIS) ?? 'istio';
  const gatewayApiChannel = check.oneOf('gatewayApiChannel', props.gatewayApiChannel, ['standard', 'experimental'] as const);
  if (gatewayApiChannel && api !== 'gateway-api') check.fail('gatewayApiChannel', gatewayApiChannel, 'applies only with api \'gateway-api\'');
  return { api, gatewayApiChannel };
}

/** TLS modes of an Istio Gateway server; the values are Istio's own strings. */
export enum TlsMode {
  /** Terminate TLS with a server certificate from `credentialName`. */
  SIMPLE = 'SIMPLE',
  /** Terminate TLS and require a client certificate signed by the CA in the credential. */
  MUTUAL = 'MUTUAL',
  /** Terminate TLS; verify a client certificate when one is presented. */
  OPTIONAL_MUTUAL = 'OPTIONAL_MUTUAL',
  /** Do not terminate: route the TLS stream by SNI to the backend. */
  PASSTHROUGH = 'PASSTHROUGH',
  /** Terminate with Istio's own mesh certificates (for east-west or mesh-internal clients). */
  ISTIO_MUTUAL = 'ISTIO_MUTUAL',
}

export const TLS_MODES: readonly TlsMode[] = [TlsMode.SIMPLE, TlsMode.MUTUAL, TlsMode.OPTIONAL_MUTUAL, TlsMode.PASSTHROUGH, TlsMode.ISTIO_MUTUAL];

/** Modes in which the gateway terminates TLS (and so HTTP routes apply). */
export function isTerminating(mode: TlsMode): boolean {
  return mode !== TlsMode.PASSTHROUGH;
}

/** Modes that need a certificate Secret (`credentialName`). */
export function needsCredential(mode: TlsMode): boolean {
  return mode === TlsMode.SIMPLE || mode === TlsMode.MUTUAL || mode === TlsMode.OPTIONAL_MUTUAL;
}

export type ServerProtocol = 'HTTP' | 'HTTPS' | 'TLS' | 'TCP';

/** The listener a port ends up as in Envoy: one per port, so protocols must agree. */
export function listenerFamily(protocol: ServerProtocol): 'http' | 'tls' | 'tcp' {
  switch (protocol) {
    case 'HTTP': return 'http';
    case 'HTTPS':
    case 'TLS': return 'tls';
    case 'TCP': return 'tcp';
  }
}

export interface ServerTls {
  readonly mode?: TlsMode;
  readonly credentialName?: string;
  readonly httpsRedirect?: boolean;
  readonly minProtocolVersion?: string;
  readonly subjectAltNames?: readonly string[];
}

/** One server of an Istio Gateway, as the model keeps it. */
export interface GatewayServer {
  readonly port: number;
  /** Port name, unique in the Gateway (Istio keys HTTPS routes by it). */
  readonly portName: string;
  readonly protocol: ServerProtocol;
  /** Host names without a namespace part. */
  readonly hosts: readonly string[];
  /**
   * The namespace part each host was declared with (`ns/host`, `./host`, `*\/host`), by index;
   * undefined for a plain host, which the gateway scopes to its route namespaces when rendering.
   */
  readonly hostScopes?: readonly (string | undefined)[];
  readonly tls?: ServerTls;
  /** Construct that declared it, for error messages and diagnostics. */
  readonly declaredBy: string;
}

/** One Istio Gateway resource: what renderGateway writes. */
export interface GatewayObjectModel {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly servers: readonly GatewayServer[];
}

/** A port the gateway's Service must expose for its servers. */
export interface DerivedPort {
  readonly name: string;
  readonly port: number;
  readonly protocol: ServerProtocol;
}

/**
 * The servers of one gateway, in declaration order. Refuses, at the point of declaration, a host
 * claimed twice on one port (Istio's IST0145) and a port shared by plain HTTP and TLS or TCP.
 */
export class ServerSet {
  private readonly list: GatewayServer[] = [];
  private readonly hostPort = new Map<string, GatewayServer>();
  private readonly families = new Map<number, GatewayServer>();
  private readonly portNames = new Set<string>();
  /** Port names of plain-HTTP servers, which may repeat (they merge into one server). */
  private readonly plainHttpPortNames = new Set<string>();

  get servers(): readonly GatewayServer[] { return this.list; }

  /** Checks `server` against those already present and appends it. */
  add(server: GatewayServer, check: PropChecker, prop: string): void {
    const family = listenerFamily(server.protocol);
    const existing = this.families.get(server.port);
    if (existing && listenerFamily(existing.protocol) !== family) {
      check.fail(prop, server.port,
        `port ${server.port} already serves ${existing.protocol} (declared by ${existing.declaredBy}); ` +
        `a port carries one kind of listener, so ${server.protocol} cannot share it: choose another port`);
    }
    if (server.protocol === 'TCP') {
      const tcp = this.list.find((s) => s.port === server.port && s.protocol === 'TCP');
      if (tcp) check.fail(prop, server.port, tcpPortTakenMessage(server.port, tcp.declaredBy, 'this gateway'));
    }
    const hosts = server.hosts;
    // Index loops: each construct adding servers runs these while cold, where a for-of step allocates.
    for (let i = 0; i < hosts.length; i++) {
      const host = hosts[i];
      const key = hostPortKey(server.port, host);
      const other = this.hostPort.get(key);
      if (other) {
        check.fail(prop, host,
          `host "${host}" is already served on port ${server.port} of this gateway by ${other.declaredBy}; ` +
          'Istio would reject the duplicate (IST0145 ConflictingGateways): serve each host once per port');
      }
    }
    // Plain-HTTP declarations with one port name render as one server (see isPlainHttp).
    if (this.portNames.has(server.portName) && !(isPlainHttp(server) && this.plainHttpPortNames.has(server.portName))) {
      check.fail(prop, server.portName, 'a server port name must be unique within the Gateway: give this construct another name');
    }
    this.list.push(server);
    this.portNames.add(server.portName);
    if (isPlainHttp(server)) this.plainHttpPortNames.add(server.portName);
    if (!existing) this.families.set(server.port, server);
    for (let i = 0; i < hosts.length; i++) this.hostPort.set(hostPortKey(server.port, hosts[i]), server);
  }

  /** Adds all of `servers` or, when one is refused, none of them. */
  addAll(servers: readonly { server: GatewayServer; prop: string }[], check: PropChecker): void {
    // Added in place and taken back on a refusal: trying them on a copy of the whole set first
    // cost every call the size of the set, quadratic for a shared gateway with many hosts.
    const before = this.list.length;
    try {
      for (let i = 0; i < servers.length; i++) this.add(servers[i].server, check, servers[i].prop);
    } catch (e) {
      const kept = this.list.slice(0, before);
      this.list.length = 0;
      this.hostPort.clear();
      this.families.clear();
      this.portNames.clear();
      this.plainHttpPortNames.clear();
      for (const s of kept) this.add(s, check, ''); // accepted before, in this order: cannot fail
      throw e;
    }
  }

  /** Distinct ports in first-declared order, as the Service must expose them. */
  derivedPorts(): DerivedPort[] {
    const out: DerivedPort[] = [];
    const seen = new Set<number>();
    for (const s of this.list) {
      if (seen.has(s.port)) continue;
      seen.add(s.port);
      out.push({ name: servicePortName(s.protocol, s.port), port: s.port, protocol: s.protocol });
    }
    return out;
  }

  /** Every host this gateway serves, de-duplicated, in declaration order. */
  hosts(): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    for (const s of this.list) {
      for (const h of s.hosts) {
        if (!seen.has(h)) { seen.add(h); out.push(h); }
      }
    }
    return out;
  }
}

/**
 * Why a second plain-TCP server on a port is refused. TCP carries no host name, so Envoy has one
 * TCP filter chain per port: when istiod merges the Gateways of one workload (pilot's
 * mergeGateways) it keeps the first TCP server on a port and drops the others as conflicts.
 */
export function tcpPortTakenMessage(port: number, firstDeclaredBy: string, where: string): string {
  return `port ${port} of ${where} already carries a TCP server (declared by ${firstDeclaredBy}); TCP has no host name to route by, ` +
    'so Istio keeps only the first TCP server on a port and the second would never receive a connection: ' +
    'use another port, or one TcpGateway (TcpCanaryRoute to split it between versions)';
}

/** A plain HTTP server (no redirect): several of them on one port merge into one. */
export function isPlainHttp(s: { protocol: ServerProtocol; tls?: ServerTls }): boolean {
  return s.protocol === 'HTTP' && !s.tls;
}

export function hostPortKey(port: number, host: string): string {
  return `${port}|${host.toLowerCase()}`;
}

/**
 * Name of a Service port for a server protocol. Istio picks the protocol from the name prefix
 * (`http-`, `https-`, `tls-`, `tcp-`).
 */
export function servicePortName(protocol: ServerProtocol, port: number): string {
  return `${protocol.toLowerCase()}-${port}`;
}

/** Lower-cased DNS-label-safe fragment of a construct name, for port names. */
export function nameFragment(s: string): string {
  const f = s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return f.length > 0 ? f.slice(0, 40) : 'server';
}

/**
 * The default object name for a construct id: the id itself when it is already a valid name (so
 * an existing id keeps its name), else the id lower-cased with each run of other characters
 * replaced by '-' (as {@link nameFragment} does), at most 63 characters. When that is still not a
 * valid name (empty, or a leading digit where the name also names a Service: DNS-1035) the id is
 * returned as it is, for the name check to refuse it with its fix.
 */
export function nameFromId(id: string, serviceName = false): string {
  const valid = (s: string) => s.length > 0 && s.length <= 63 && DNS1123_LABEL.test(s) && (!serviceName || /^[a-z]/.test(s));
  if (valid(id)) return id;
  let f = id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  f = f.slice(0, 63).replace(/-+$/, '');
  return valid(f) ? f : id;
}

/**
 * True when a route host matches a Gateway server host, as Istio decides which servers a
 * VirtualService binds to: exact (case-insensitive), or either side's leading wildcard covers the other.
 */
export function hostsIntersect(a: string, b: string): boolean {
  return hostMatches(a, b, { ignoreCase: true });
}

/** Options of `addHttpHosts` on a gateway. */
export interface HttpHostsOptions {
  /**
   * Port of the plain-HTTP server.
   * @default 80
   */
  readonly port?: number;
}

/** A server as a construct declares it; the gateway adds who declared it. */
export type ServerDeclaration = Omit<GatewayServer, 'declaredBy'>;

/** The plain-HTTP server `addHttpHosts(hosts, options)` declares. */
export function httpHostsServer(check: PropChecker, hosts: unknown, options: HttpHostsOptions): ServerDeclaration {
  check.object('options', options);
  check.knownProps('options', options, ['port']);
  const { hosts: list, scopes } = check.serverHosts('hosts', hosts);
  const port = check.port('options.port', options.port) ?? 80;
  return { port, portName: `http-${port}`, protocol: 'HTTP', hosts: list, ...(scopes.some((x) => x !== undefined) ? { hostScopes: scopes } : {}) };
}

/**
 * A copy of server `s` with `hosts`; `hostScopes` as given (`'keep'`: as in `s`, absent when `s`
 * has none; `'drop'`: absent); `declaredBy` when given, else as in `s`. Written field by field in
 * GatewayServer's order. Not `{ ...s, hosts, declaredBy }`: V8 (Node 20) gives each object made by
 * a spread followed by more fields a hidden class of its own, so every function reading servers
 * met a new shape per server (megamorphic, deoptimized for "wrong map" and compiled again), and
 * each server kept maps of its own alive. test/gateway-model.test.ts holds the copy to the
 * spread's fields and values.
 */
export function copyServer(s: ServerDeclaration & { readonly declaredBy?: string }, hosts: readonly string[],
  hostScopes: 'keep' | 'drop' | readonly (string | undefined)[], declaredBy?: string): GatewayServer {
  const out: Record<string, unknown> = { port: s.port, portName: s.portName, protocol: s.protocol, hosts };
  if (hostScopes === 'keep') {
    if ('hostScopes' in s) out.hostScopes = s.hostScopes;
  } else if (hostScopes !== 'drop') {
    out.hostScopes = hostScopes;
  }
  if ('tls' in s) out.tls = s.tls;
  if (declaredBy !== undefined) out.declaredBy = declaredBy;
  else if ('declaredBy' in s) out.declaredBy = s.declaredBy;
  return out as unknown as GatewayServer;
}

/**
 * The servers as the Gateway lists them: plain-HTTP declarations on one port merged (one server,
 * hosts in declaration order, the first declaration's other fields), and hosts scoped (see
 * {@link scopedHosts}) to `namespaces`. Fresh servers (and host lists) without `hostScopes`.
 */
export function listedServers(servers: readonly GatewayServer[], namespaces: readonly string[] | undefined): GatewayServer[] {
  // One pass and one copy per server (copyServer): a shared gateway lists thousands of servers at
  // each synthesis, and copying each twice (merging, then scoping) cost as much as rendering them.
  const out: GatewayServer[] = [];
  const byName = new Map<string, string[]>();
  for (const s of servers) {
    if (isPlainHttp(s)) {
      const merged = byName.get(s.portName);
      if (merged) { scopedHosts(s, namespaces, merged); continue; }
      const hosts = scopedHosts(s, namespaces, []);
      byName.set(s.portName, hosts);
      out.push(copyServer(s, hosts, 'drop'));
    } else {
      out.push(copyServer(s, scopedHosts(s, namespaces, []), 'drop'));
    }
  }
  return out;
}

/**
 * Appends a server's hosts as the Gateway lists them to `out`: a host declared with a namespace
 * part keeps it; a plain host becomes `ns/host` for each of `namespaces` (in their order), or stays
 * plain without them.
 */
function scopedHosts(s: GatewayServer, namespaces: readonly string[] | undefined, out: string[]): string[] {
  const scopes = s.hostScopes;
  for (let i = 0; i < s.hosts.length; i++) {
    const h = s.hosts[i];
    const scope = scopes?.[i];
    if (scope !== undefined) out.push(`${scope}/${h}`);
    else if (namespaces) for (const ns of namespaces) out.push(`${ns}/${h}`);
    else out.push(h);
  }
  return out;
}

/** A gateway as {@link workloadConflicts} compares it with the others on its workload. */
export interface WorkloadPeer {
  /** `namespace/name` of its Gateway. */
  readonly ref: string;
  readonly servers: readonly GatewayServer[];
}

/**
 * Conflicts between gateways that program one workload (`workload` describes its selector): a
 * second TCP server on a port, two kinds of listener on one port, a host claimed twice on a port.
 */
export function workloadConflicts(peers: readonly WorkloadPeer[], workload: string): IstioGatewayErrorDetails[] {
  const problems: IstioGatewayErrorDetails[] = [];
  const hostOwner = new Map<string, { gw: WorkloadPeer; s: GatewayServer }>();
  const portOwner = new Map<number, { gw: WorkloadPeer; s: GatewayServer }>();
  const tcpOwner = new Map<number, { gw: WorkloadPeer; s: GatewayServer }>();
  for (const gw of peers) {
    for (const s of gw.servers) {
      if (s.protocol === 'TCP') {
        const first = tcpOwner.get(s.port);
        if (first && first.gw !== gw) {
          problems.push({ construct: s.declaredBy, prop: 'port', value: s.port,
            expected: tcpPortTakenMessage(s.port, `${first.s.declaredBy} through Gateway ${first.gw.ref}`, `the gateway workload selected by ${workload}`) });
          continue;
        } else if (!first) {
          tcpOwner.set(s.port, { gw, s });
        }
      }
      const prev = portOwner.get(s.port);
      if (prev && prev.gw !== gw && listenerFamily(prev.s.protocol) !== listenerFamily(s.protocol)) {
        problems.push({ construct: s.declaredBy, prop: 'port', value: s.port,
          expected: `port ${s.port} of the workload selected by ${workload} already serves ${prev.s.protocol} through Gateway ${prev.gw.ref} (declared by ${prev.s.declaredBy}); a port carries one kind of listener: choose another port` });
      } else if (!prev) {
        portOwner.set(s.port, { gw, s });
      }
      for (const h of s.hosts) {
        const key = hostPortKey(s.port, h);
        const other = hostOwner.get(key);
        if (other && other.gw !== gw) {
          problems.push({ construct: s.declaredBy, prop: 'hosts', value: h,
            expected: `host "${h}" on port ${s.port} is already claimed on the same gateway workload (${workload}) by Gateway ${other.gw.ref} (declared by ${other.s.declaredBy}); Istio would program only one of them (IST0145 ConflictingGateways): serve the host once` });
        } else if (!other) {
          hostOwner.set(key, { gw, s });
        }
      }
    }
  }
  return problems;
}

/** Workload identity: gateways with equal selectors program the same pods. */
export function selectorKey(selector: Readonly<Record<string, string>>): string {
  return Object.keys(selector).sort().map((k) => `${k}=${selector[k]}`).join(',');
}
