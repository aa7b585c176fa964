// The Gateway API side of a gateway itself: the listeners its Istio servers become, its Gateway
// object, parentRefs into its listeners, and the small objects routes need beside them
// (ReferenceGrant, the redirect HTTPRoute, a Service per subset). Kept apart from the route
// translation (translate.ts) because the Istio flavour's constructs use these too, and need
// not load the translation.
import { identity, KubeObject, meta, object, sortedByKey, SPEC_ONLY } from '../objects';
import { DNS1123_LABEL } from '../../names';
import { K8S_GATEWAY, K8S_HTTP_ROUTE, K8S_REFERENCE_GRANT, SERVICE } from '../api-versions';

/** Something the translation could not express, and why. */
export interface TranslationProblem {
  /** `Kind namespace/name` of the Istio object. */
  readonly object: string;
  /** Field of the Istio object, e.g. `spec.http[0].fault`. */
  readonly field: string;
  readonly reason: string;
}

type Obj = Record<string, any>;

/** The Gateway API listener an Istio server becomes. */
export interface ListenerModel {
  readonly name: string;
  readonly port: number;
  readonly protocol: 'HTTP' | 'HTTPS' | 'TLS' | 'TCP';
  readonly hostname?: string;
  /** True for the plain-HTTP listener of an Istio `tls.httpsRedirect` server. */
  readonly redirect?: boolean;
  /** Port name of the Istio server it comes from (not rendered). */
  readonly source?: string;
  /**
   * The namespaces its routes may come from, when every host it comes from is namespace-scoped
   * (`ns/host`, `./host`; `*\/host` gives 'All'); undefined for plain hosts.
   */
  readonly namespaces?: readonly string[] | 'All';
  readonly tls?: { readonly mode: 'Terminate' | 'Passthrough'; readonly certificateRefs?: readonly { name: string; namespace?: string }[] };
}

export interface ListenerOptions {
  /** The port clients use for a server port (the Service port that targets it). */
  readonly portOf?: (serverPort: number) => number;
  /** Namespace of the TLS Secrets when it is not the Gateway's (then a ReferenceGrant is needed). */
  readonly secretNamespace?: string;
  /** The Gateway's namespace, for `./host`. */
  readonly gatewayNamespace?: string;
}

/** A Gateway has at most this many listeners (the CRD's maxItems). */
export const MAX_LISTENERS = 64;

/** The host part of an Istio server host (`ns/host`, `./host`, `*` or a name). */
export function hostOf(h: string): string {
  const i = h.indexOf('/');
  return i >= 0 ? h.slice(i + 1) : h;
}

/** Listeners of the servers of an Istio Gateway, in server order: one per server and host. */
export function listenersOf(servers: readonly Obj[], origin: string, opts: ListenerOptions = {}): { listeners: ListenerModel[]; problems: TranslationProblem[] } {
  // Loops, not closures per server and host: every gateway of an App lists its listeners once per
  // synthesis (its Gateway object), on code that is still cold then.
  const listeners: ListenerModel[] = [];
  const problems: TranslationProblem[] = [];
  const names = new Set<string>();
  const portOf = opts.portOf;
  for (let i = 0; i < servers.length; i++) {
    const s = servers[i];
    const field = `spec.servers[${i}]`;
    const number = Number(s?.port?.number);
    const port = portOf ? portOf(number) : number;
    const hosts = hostStrings(s?.hosts);
    const base = listenerBase(s, field, port, origin, opts.secretNamespace, problems);
    if (!base) continue;
    // TCP carries no host name: one listener, whatever the hosts.
    const listenerHosts = base.protocol === 'TCP' ? ['*'] : hosts.length === 1 ? [hostOf(hosts[0])] : uniq(hosts.map(hostOf));
    const stem = listenerStem(String(s?.port?.name ?? ''), base.protocol, port);
    for (let j = 0; j < listenerHosts.length; j++) {
      const h = listenerHosts[j];
      const clash = clashOf(listeners, port, h, base.protocol);
      if (clash) {
        problems.push({ object: origin, field: `${field}.hosts`, reason: `listener "${clash.name}" already serves ${h === '*' ? 'every host' : `"${h}"`} on port ${port}: Gateway API marks both listeners Conflicted` });
        continue;
      }
      let name = listenerHosts.length > 1 ? `${stem}-${j}` : stem;
      for (let n = 2; names.has(name); n++) name = `${stem}-${n}`;
      names.add(name);
      listeners.push(listener(base, name, String(s?.port?.name ?? ''), h === '*' ? undefined : h, scopesOf(hosts, h, base.protocol, opts.gatewayNamespace)));
    }
  }
  return { listeners, problems };
}

/**
 * A server's hosts as strings, none when it lists none. Pushed, not mapped: a mapped list is holey
 * or packed depending on whether its caller runs optimized, and the code reading it deoptimized
 * when the kind changed.
 */
function hostStrings(hosts: unknown): string[] {
  const out: string[] = [];
  if (Array.isArray(hosts)) for (let i = 0; i < hosts.length; i++) out.push(String(hosts[i]));
  return out;
}

/** The first listener already serving host `h` on `port` for a listener of `protocol` (Gateway API marks both Conflicted). */
function clashOf(listeners: readonly ListenerModel[], port: number, h: string, protocol: ListenerModel['protocol']): ListenerModel | undefined {
  for (let i = 0; i < listeners.length; i++) {
    const l = listeners[i];
    if (l.port === port && (l.hostname ?? '*') === h && (l.protocol === protocol || (l.protocol !== 'HTTP') === (protocol !== 'HTTP'))) return l;
  }
  return undefined;
}

/**
 * Who may bind listener host `h` of a server with `hosts`: the namespace parts of its server hosts
 * (all of them scoped), sorted, else anyone (undefined); 'All' for `*\/host`.
 */
function scopesOf(hosts: readonly string[], h: string, protocol: ListenerModel['protocol'], gatewayNamespace: string | undefined): readonly string[] | 'All' | undefined {
  const forHost = protocol === 'TCP' ? hosts : hosts.filter((x) => hostOf(x) === h);
  if (forHost.length === 0) return undefined;
  if (forHost.length === 1) {
    // The usual server: one host, one namespace (already a sorted list of distinct names).
    const slash = forHost[0].indexOf('/');
    if (slash < 0) return undefined;
    const n = forHost[0].slice(0, slash);
    return n === '*' ? 'All' : [n === '.' ? gatewayNamespace ?? '.' : n];
  }
  if (forHost.some((x) => !x.includes('/'))) return undefined;
  const ns = forHost.map((x) => x.slice(0, x.indexOf('/')));
  if (ns.includes('*')) return 'All';
  return uniq(ns.map((n) => (n === '.' ? gatewayNamespace ?? '.' : n))).sort();
}

/**
 * A listener: `base`'s fields, then the others, each only when set (the fields of `{ ...base, name,
 * ... }`, in its order, assigned one by one: spreading bases of four shapes was most of the time
 * a gateway took to list its listeners).
 */
function listener(base: ListenerBase, name: string, source: string, hostname: string | undefined, namespaces: ListenerModel['namespaces']): ListenerModel {
  const out: { -readonly [K in keyof ListenerModel]: ListenerModel[K] } = { port: base.port, protocol: base.protocol } as ListenerModel;
  if (base.redirect !== undefined) out.redirect = base.redirect;
  if (base.tls !== undefined) out.tls = base.tls;
  out.name = name;
  out.source = source;
  if (hostname !== undefined) out.hostname = hostname;
  if (namespaces !== undefined) out.namespaces = namespaces;
  return out;
}

type ListenerBase = Omit<ListenerModel, 'name' | 'hostname'>;

/**
 * What every listener of Istio server `s` (at `field`) shares, or undefined when Gateway API has no
 * listener for it; pushes what it cannot say to `problems`. A server's own problems: its hosts and
 * the other servers play no part.
 */
function listenerBase(s: Obj, field: string, port: number, origin: string, secretNamespace: string | undefined, problems: TranslationProblem[]): ListenerBase | undefined {
  const protocol = String(s?.port?.protocol ?? '').toUpperCase();
  const tls: Obj | undefined = s?.tls;
  // Every base in one shape, its absent fields undefined (listener() copies the set ones): bases of
  // four shapes made the code reading them deoptimize when a new shape came.
  let base: ListenerBase | undefined;
  if (protocol === 'HTTP') {
    base = { port, protocol: 'HTTP', redirect: tls?.httpsRedirect ? true : undefined, tls: undefined };
  } else if (protocol === 'HTTPS' || protocol === 'TLS') {
    const mode = String(tls?.mode ?? 'SIMPLE');
    if (mode === 'PASSTHROUGH') {
      base = { port, protocol: 'TLS', redirect: undefined, tls: { mode: 'Passthrough' } };
    } else if (mode === 'SIMPLE' && protocol === 'HTTPS') {
      if (!tls?.credentialName) {
        problems.push({ object: origin, field: `${field}.tls.credentialName`, reason: 'a Terminate listener needs certificateRefs, and this server names no credential Secret' });
      } else {
        const ref: { name: string; namespace?: string } = { name: String(tls.credentialName) };
        if (secretNamespace) ref.namespace = secretNamespace;
        base = { port, protocol: 'HTTPS', redirect: undefined, tls: { mode: 'Terminate', certificateRefs: [ref] } };
      }
    } else {
      problems.push({ object: origin, field: `${field}.tls.mode`, reason: `TLS mode ${mode} on a ${protocol} server has no Gateway API listener this library writes (a listener terminates with a server certificate only, or passes TLS through): use SIMPLE or PASSTHROUGH, or keep the Istio API for this gateway` });
    }
    for (let i = 0; i < LISTENER_TLS_FIELDS.length; i++) {
      const f = LISTENER_TLS_FIELDS[i];
      const v = tls?.[f];
      if (v !== undefined && !(Array.isArray(v) && v.length === 0)) {
        problems.push({ object: origin, field: `${field}.tls.${f}`, reason: `a Gateway API listener has no ${f}: Istio's Gateway API gateways use their TLS defaults` });
      }
    }
  } else if (protocol === 'TCP') {
    base = { port, protocol: 'TCP', redirect: undefined, tls: undefined };
  } else {
    problems.push({ object: origin, field: `${field}.port.protocol`, reason: `protocol ${protocol || '(none)'} has no Gateway API listener this library writes (HTTP, HTTPS, TLS, TCP)` });
  }
  return base;
}

/**
 * What Gateway API cannot say of one Istio server (as listenersOf reports it for the only server of
 * a Gateway), without making its listeners.
 */
export function serverListenerProblems(server: Obj): TranslationProblem[] {
  const problems: TranslationProblem[] = [];
  listenerBase(server, 'spec.servers[0]', Number(server?.port?.number), '', undefined, problems);
  return problems;
}

/** Server TLS settings a Gateway API listener has no field for. */
const LISTENER_TLS_FIELDS: readonly string[] = ['minProtocolVersion', 'maxProtocolVersion', 'cipherSuites', 'subjectAltNames', 'verifyCertificateSpki', 'verifyCertificateHash', 'caCertificates'];

function listenerStem(portName: string, protocol: string, port: number): string {
  // The usual port name (`https-443-web`) is a label already, which the cleaning below leaves as it is.
  if (portName.length <= 200 && DNS1123_LABEL.test(portName)) return portName;
  const clean = portName.toLowerCase().replace(/[^-a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 200);
  return DNS1123_LABEL.test(clean) ? clean : `${protocol.toLowerCase()}-${port}`;
}

function uniq<T>(xs: readonly T[]): T[] { return [...new Set(xs)]; }

/** `allowedRoutes` of a listener: from the Gateway's namespace only, exactly these namespaces, or all. */
export function allowedRoutes(gatewayNamespace: string, namespaces: readonly string[] | 'All'): Obj {
  if (namespaces === 'All') return { namespaces: { from: 'All' } };
  const list = namespaces.length === 1 ? [namespaces[0]] : uniq(namespaces).sort();
  if (list.length === 1 && list[0] === gatewayNamespace) return { namespaces: { from: 'Same' } };
  return {
    namespaces: {
      from: 'Selector',
      selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: list }] },
    },
  };
}

export interface K8sGatewayModel {
  readonly name: string;
  readonly namespace: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly listeners: readonly ListenerModel[];
  readonly allowedRoutes: Obj;
  /** Manual deployment: the existing Service's host name. */
  readonly address?: string;
  readonly infrastructure?: Obj;
}

export function renderK8sGateway(m: K8sGatewayModel): KubeObject {
  const spec: Obj = { gatewayClassName: 'istio' };
  if (m.address) spec.addresses = [{ type: 'Hostname', value: m.address }];
  if (m.infrastructure && Object.keys(m.infrastructure).length > 0) spec.infrastructure = m.infrastructure;
  spec.listeners = m.listeners.map((l) => {
    const out: Obj = { name: l.name };
    if (l.hostname) out.hostname = l.hostname;
    out.port = l.port;
    out.protocol = l.protocol;
    if (l.tls) {
      out.tls = { mode: l.tls.mode };
      if (l.tls.certificateRefs) out.tls.certificateRefs = l.tls.certificateRefs.map((r) => ({ group: '', kind: 'Secret', name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}) }));
    }
    out.allowedRoutes = l.namespaces ? allowedRoutes(m.namespace, l.namespaces) : JSON.parse(JSON.stringify(m.allowedRoutes));
    return out;
  });
  return object(K8S_GATEWAY, meta(m.name, m.namespace, m.labels, m.annotations), { spec });
}

/** Does listener hostname `listener` (none: any) accept route hostname `host` (`*`: any)? */
export function hostnamesIntersect(listener: string | undefined, host: string): boolean {
  if (!listener || host === '*') return true;
  const l = listener.toLowerCase();
  const h = host.toLowerCase();
  if (l === h) return true;
  if (l.startsWith('*.') && h.endsWith(l.slice(1)) && h.length > l.length - 1) return true;
  if (h.startsWith('*.') && l.endsWith(h.slice(1)) && l.length > h.length - 1) return true;
  return false;
}

/** A ReferenceGrant in `to.namespace` letting `from` objects refer to `to` objects there. */
export function renderReferenceGrant(name: string, toNamespace: string, from: { group: string; kind: string; namespace: string }, to: { group: string; kind: string; name?: string }, labels?: Record<string, string>): KubeObject {
  return object(K8S_REFERENCE_GRANT, meta(name, toNamespace, labels), {
    spec: { from: [{ ...from }], to: [{ group: to.group, kind: to.kind, ...(to.name ? { name: to.name } : {}) }] },
  });
}

/** The HTTPRoute that answers a redirect listener with a redirect to https (port 443). */
export function renderRedirectRoute(name: string, namespace: string, gateway: { name: string; namespace: string }, sectionNames: readonly string[], hostnames: readonly string[], labels?: Record<string, string>): KubeObject {
  const spec: Obj = {
    parentRefs: sectionNames.map((s) => parentRef(gateway, namespace, s)),
  };
  const hn = hostnames.filter((h) => h !== '*');
  if (hn.length > 0 && hn.length === hostnames.length) spec.hostnames = [...hn];
  spec.rules = [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }];
  return object(K8S_HTTP_ROUTE, meta(name, namespace, labels), { spec });
}

export function parentRef(gateway: { name: string; namespace: string }, routeNamespace: string, sectionName?: string): Obj {
  // Field by field, in the order of `{ group, kind, name, ...namespace, ...sectionName }`.
  const ref: Obj = { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: gateway.name };
  if (gateway.namespace !== routeNamespace) ref.namespace = gateway.namespace;
  if (sectionName) ref.sectionName = sectionName;
  return ref;
}

/**
 * parentRefs of a route of `kind` for `hosts` on a Gateway with `listeners`: the whole Gateway when
 * every listener serves the route, else one ref per serving listener (never a redirect listener);
 * a reason when none serves it.
 */
export function parentRefsFor(listeners: readonly ListenerModel[], gateway: { name: string; namespace: string }, routeNamespace: string,
  kind: 'http' | 'tls' | 'tcp', hosts: readonly string[], port?: number): Obj[] | string {
  // In loops: every route of a platform asks this of its gateway at each synthesis.
  const serving: ListenerModel[] = [];
  for (let i = 0; i < listeners.length; i++) {
    const l = listeners[i];
    if (l.redirect) continue;
    const ofKind = kind === 'http' ? l.protocol === 'HTTP' || l.protocol === 'HTTPS'
      : kind === 'tls' ? l.protocol === 'TLS' : l.protocol === 'TCP' && (port === undefined || l.port === port);
    if (ofKind && (kind === 'tcp' || servesAny(l.hostname, hosts))) serving.push(l);
  }
  if (serving.length === 0) return `Gateway ${gateway.namespace}/${gateway.name} has no ${kind.toUpperCase()} listener${port !== undefined ? ` on port ${port}` : ''} serving ${JSON.stringify(hosts)}`;
  if (serving.length === listeners.length) return [parentRef(gateway, routeNamespace)];
  const refs: Obj[] = [];
  for (let i = 0; i < serving.length; i++) refs.push(parentRef(gateway, routeNamespace, serving[i].name));
  return refs;
}

/** Does a listener with `hostname` accept one of the route hosts `hosts` (`ns/host` or plain)? */
function servesAny(hostname: string | undefined, hosts: readonly string[]): boolean {
  for (let i = 0; i < hosts.length; i++) if (hostnamesIntersect(hostname, hostOf(hosts[i]))) return true;
  return false;
}

/** A Service per DestinationRule subset: `<host>-<subset>`, selecting the host's pods with the subset's labels. */
export function renderSubsetService(name: string, namespace: string, selector: Record<string, string>, ports: readonly Obj[], labels?: Record<string, string>): KubeObject {
  return object(SERVICE, meta(name, namespace, labels), {
    spec: { selector: sortedByKey(selector), ports: ports.map((p) => ({ ...p })) },
  });
}

/** What {@link renderSubsetService} gives but the spec's content: its identity and field names. */
export function subsetServiceIdentity(name: string, namespace: string, labels?: Record<string, string>): KubeObject {
  return identity(SERVICE, meta(name, namespace, labels), SPEC_ONLY);
}
