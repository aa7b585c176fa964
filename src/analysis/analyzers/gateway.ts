// Analyzers over Istio Gateways, after istio/istio pkg/config/analysis/analyzers/gateway:
// workload selection and Service ports (IST0101, IST0162), TLS credentials (IST0101, IST0161),
// conflicting servers (IST0145) and certificates shared across gateways (IST0138).

import { certificateProblem, extractCert, hasCaCert, secretData } from '../credentials';
import { shortOrFullName } from '../hosts';
import { isEmptySelector, Labels, pairKey, selectorString, selectorSubset } from '../labels';
import { MESSAGES } from '../messages';
import { Dict, int, isRecord, rec, recs, sortedUnique, str, strMapCopy, strs } from '../objects';
import { Res, Workload } from '../resource-index';
import { AnalysisContext, Analyzer } from './framework';

const SELECTORS = new WeakMap<Res, Labels>();

/**
 * The Gateway's workload selector, built once per analysis (five analyzers read it). Do not modify it.
 * An object of this analysis, never the input's own (strMap may return that) nor one shared empty
 * map: the caches below are keyed by it, and must not answer a later analysis with this one's
 * workloads (a selector-less Gateway was answered with the workloads of an earlier analyze() call).
 */
export function gatewaySelector(gw: Res): Labels {
  let selector = SELECTORS.get(gw);
  if (!selector) SELECTORS.set(gw, selector = strMapCopy(gw.spec.selector));
  return selector;
}

const SELECTOR_STRINGS = new WeakMap<Labels, string>();
const SELECTED = new WeakMap<Labels, readonly Workload[]>();
/** The same by selector string, per analysis: Gateways of many teams on one workload share a selector, not its object. */
const SELECTED_BY_STRING = new WeakMap<object, Map<string, readonly Workload[]>>();

/** selectorString of a Gateway's selector, once per analysis (three analyzers key by it). */
function gatewaySelectorString(selector: Labels): string {
  let s = SELECTOR_STRINGS.get(selector);
  if (s === undefined) SELECTOR_STRINGS.set(selector, s = selectorString(selector));
  return s;
}

/** The workloads a Gateway's selector (from gatewaySelector) selects in any namespace, once per analysis. Read-only. */
function gatewayWorkloads(ctx: AnalysisContext, selector: Labels): readonly Workload[] {
  let w = SELECTED.get(selector);
  if (w) return w;
  let byString = SELECTED_BY_STRING.get(ctx.index);
  if (!byString) SELECTED_BY_STRING.set(ctx.index, byString = new Map());
  const k = gatewaySelectorString(selector);
  w = byString.get(k);
  if (!w) byString.set(k, w = ctx.index.selectWorkloads(selector));
  SELECTED.set(selector, w);
  return w;
}

const WORKLOAD_NAMESPACES = new WeakMap<readonly Workload[], readonly string[]>();

/** The namespaces of `workloads` (from gatewayWorkloads), sorted, once per list. Read-only. */
function workloadNamespaces(workloads: readonly Workload[]): readonly string[] {
  let ns = WORKLOAD_NAMESPACES.get(workloads);
  if (!ns) WORKLOAD_NAMESPACES.set(workloads, ns = workloads.length === 1 ? [workloads[0].namespace] : sortedUnique(workloads.map((w: Workload) => w.namespace)));
  return ns;
}

export function gatewayServers(gw: Res): readonly Dict[] {
  return recs(gw.spec.servers);
}

/** The same IST0101 for a selector that matches nothing, whichever analyzer finds it (so that istioctl-style dedup applies). */
export function reportNoWorkload(ctx: AnalysisContext, gw: Res, selector: Labels): void {
  ctx.report(gw, MESSAGES.ReferencedResourceNotFound, ['selector', selectorString(selector)],
    'Fix: no Pod or pod template (Deployment, StatefulSet, DaemonSet, ReplicaSet) in any namespace carries these labels; '
    + 'change spec.selector to the labels of the gateway workload, or pass the gateway Deployment/Pod with --external if it is deployed separately.');
}

export const ingressGatewayPortAnalyzer: Analyzer = {
  name: 'gateway.IngressGatewayPortAnalyzer',
  run(ctx) {
    // Gateways usually share a few selectors: resolve each selector once.
    const portsBySelector = new Map<string, Set<number> | undefined>();
    const portsFor = (selector: Labels): Set<number> | undefined => {
      const k = gatewaySelectorString(selector);
      if (portsBySelector.has(k)) return portsBySelector.get(k);
      const workloads = gatewayWorkloads(ctx, selector);
      let ports: Set<number> | undefined;
      if (workloads.length > 0) {
        ports = new Set();
        for (let i = 0; i < workloads.length; i++) {
          const services = ctx.index.servicesSelecting(workloads[i]);
          for (let j = 0; j < services.length; j++) {
            const svcPorts = services[j].ports;
            for (let n = 0; n < svcPorts.length; n++) {
              const p = svcPorts[n];
              if (p.protocol !== 'TCP') continue;
              ports.add(p.port);
              if (p.targetPort !== undefined) ports.add(p.targetPort);
            }
          }
        }
      }
      portsBySelector.set(k, ports);
      return ports;
    };
    const gateways = ctx.index.list('Gateway');
    for (let i = 0; i < gateways.length; i++) {
      const gw = gateways[i];
      const selector = gatewaySelector(gw);
      const ports = portsFor(selector);
      if (!ports) {
        reportNoWorkload(ctx, gw, selector);
        continue;
      }
      const servers = gatewayServers(gw);
      for (let j = 0; j < servers.length; j++) {
        const server = servers[j];
        if (!isRecord(server.port)) continue;
        const number = int(server.port.number) ?? 0;
        if (ports.has(number)) continue;
        const offered = [...ports].sort((a, b) => a - b).join(', ') || 'none';
        ctx.report(gw, MESSAGES.GatewayPortNotDefinedOnService, [number, selectorString(selector)],
          `Fix: add port ${number} (as port or targetPort, protocol TCP) to the Service that selects the gateway workload `
          + `(TCP ports it offers now: ${offered}), or listen on one of those ports.`);
      }
    }
  },
};

const NO_NAMES: readonly string[] = Object.freeze([]);

/** Credential names of a server's TLS settings: `credentialName` and the newer `credentialNames` list. */
function credentialNames(tls: Dict): readonly string[] {
  // The usual server names one credential and no list: no arrays to merge.
  if (tls.credentialNames === undefined) {
    const cn = str(tls.credentialName) ?? '';
    return cn === '' ? NO_NAMES : [cn];
  }
  const names = [str(tls.credentialName) ?? '', ...strs(tls.credentialNames)].filter((n) => n.length > 0);
  return [...new Set(names)];
}

export const secretAnalyzer: Analyzer = {
  name: 'gateway.SecretAnalyzer',
  run(ctx) {
    const gateways = ctx.index.list('Gateway');
    for (let i = 0; i < gateways.length; i++) {
      const gw = gateways[i];
      const selector = gatewaySelector(gw);
      const workloads = gatewayWorkloads(ctx, selector);
      if (workloads.length === 0) {
        reportNoWorkload(ctx, gw, selector);
        continue;
      }
      // istiod reads the secret in the namespace of the gateway workload, not of the Gateway resource.
      // Istio checks the namespace of the first selected pod; every selected namespace needs the secret.
      const namespaces = workloadNamespaces(workloads);
      const servers = gatewayServers(gw);
      for (let j = 0; j < servers.length; j++) {
        const server = servers[j];
        if (!isRecord(server.tls)) continue;
        const tls = server.tls;
        const mode = str(tls.mode) ?? '';
        const names = credentialNames(tls);
        for (let c = 0; c < names.length; c++) {
          const cn = names[c];
          const missingIn: string[] = [];
          const problems: string[] = [];
          // (Only several namespaces can name one Secret twice: a credential name with its own namespace.)
          const seen = namespaces.length > 1 ? new Set<string>() : undefined;
          for (let n = 0; n < namespaces.length; n++) {
            const ns = namespaces[n];
            const ref = shortOrFullName(ns, cn);
            const k = `${ref.namespace}/${ref.name}`;
            if (seen) {
              if (seen.has(k)) continue;
              seen.add(k);
            }
            const secret = ctx.index.get('Secret', ref.namespace, ref.name);
            if (!secret) {
              missingIn.push(ref.namespace);
              continue;
            }
            if (secret.external) continue; // trusted: managed outside this input (e.g. by cert-manager)
            const problem = credentialProblem(ctx, secret, mode);
            if (problem) problems.push(`Secret ${k}: ${problem}`);
          }
          if (missingIn.length > 0) {
            ctx.report(gw, MESSAGES.ReferencedResourceNotFound, ['credentialName', cn],
              `Fix: create the TLS Secret "${shortOrFullName('', cn).name}" in namespace ${missingIn.map((n) => `"${n}"`).join(', ')} `
              + '(the namespace of the gateway workload, not of the Gateway), or pass it with --external if it is managed elsewhere.');
          } else if (problems.length > 0) {
            ctx.report(gw, MESSAGES.InvalidGatewayCredential, [gw.name, namespaces.join(',')],
              `Fix: ${problems.join('; ')}.`);
          }
        }
      }
    }
  },
};

/** Certificate checks by PEM text, per analyze() run (gateways often share one wildcard certificate). */
const CERT_CACHE = new WeakMap<AnalysisContext, Map<string, string | undefined>>();

function cachedCertificateProblem(ctx: AnalysisContext, pem: Buffer): string | undefined {
  let cache = CERT_CACHE.get(ctx);
  if (!cache) CERT_CACHE.set(ctx, cache = new Map());
  const k = pem.toString('base64');
  if (!cache.has(k)) cache.set(k, certificateProblem(pem, ctx.now));
  return cache.get(k);
}

function credentialProblem(ctx: AnalysisContext, secret: Res, mode: string): string | undefined {
  const data = secretData(secret);
  const pair = extractCert(data);
  if ('problem' in pair) return `${pair.problem}; store the certificate chain and key as "tls.crt" and "tls.key"`;
  const certProblem = cachedCertificateProblem(ctx, pair.cert);
  if (certProblem) return `${certProblem}; put a valid PEM certificate in the Secret`;
  if (mode === 'MUTUAL' || mode === 'OPTIONAL_MUTUAL') {
    // Not checked by Istio's analyzer, but istiod cannot serve mutual TLS without a CA bundle.
    if (!hasCaCert(data) && !ctx.index.get('Secret', secret.namespace, `${secret.name}-cacert`)) {
      return `tls.mode ${mode} needs a CA bundle: add "ca.crt" to the Secret or create Secret "${secret.name}-cacert"`;
    }
  }
  return undefined;
}

/** The gateway's last server on a port (Istio keeps one server per gateway, selector and port): its hosts, all with its bind. */
interface ServerAtPort {
  readonly gw: Res;
  readonly hosts: readonly string[];
  readonly bind: string;
}

/**
 * bind -> host -> the full names of the gateways whose server on this port claims that host (one name
 * as a string, several as a list, in gateway order), built once per selector and port. Keyed by the
 * input's own strings (no `host\0bind` text made and hashed per host, twice: 50,000 hosts on one shared
 * workload made 100,000 of them per analysis), and one name per host needs no list.
 */
type HostIndex = Map<string, Map<string, string | string[]>>;
const HOST_INDEX = new WeakMap<Map<string, ServerAtPort>, HostIndex>();
const NO_HOSTS: HostIndex = new Map();
function hostIndex(ports: Map<string, Map<string, ServerAtPort>>, port: string): HostIndex {
  const byGw = ports.get(port);
  if (!byGw) return NO_HOSTS;
  let index = HOST_INDEX.get(byGw);
  if (!index) {
    index = new Map();
    const into = index;
    byGw.forEach((s, name) => {
      let byHost = into.get(s.bind);
      if (!byHost) into.set(s.bind, byHost = new Map());
      for (let i = 0; i < s.hosts.length; i++) {
        const h = s.hosts[i];
        const names = byHost.get(h);
        if (names === undefined) byHost.set(h, name);
        else if (typeof names === 'string') byHost.set(h, [names, name]);
        else names.push(name);
      }
    });
    HOST_INDEX.set(byGw, index);
  }
  return index;
}

/** The Gateways with servers that share one selector (in input order), and their servers by port, made when first needed. */
interface SelectorGroup {
  readonly selector: Labels;
  readonly gateways: Res[];
  ports?: Map<string, Map<string, ServerAtPort>>;
}

/** port -> gateway full name -> the gateway's last server on that port, for the gateways of one selector. */
function portsOf(group: SelectorGroup): Map<string, Map<string, ServerAtPort>> {
  if (group.ports) return group.ports;
  const ports = new Map<string, Map<string, ServerAtPort>>();
  for (let i = 0; i < group.gateways.length; i++) {
    const gw = group.gateways[i];
    const servers = gatewayServers(gw);
    for (let j = 0; j < servers.length; j++) {
      const server = servers[j];
      const port = String(int(rec(server.port).number) ?? 0);
      let byGw = ports.get(port);
      if (!byGw) ports.set(port, byGw = new Map());
      byGw.set(gw.fullName, { gw, hosts: strs(server.hosts), bind: str(server.bind) ?? '' });
    }
  }
  return group.ports = ports;
}

export const conflictingGatewayAnalyzer: Analyzer = {
  name: 'gateway.ConflictingGatewayAnalyzer',
  run(ctx) {
    const gateways = ctx.index.list('Gateway');
    // selector string -> the Gateways with servers that use it
    const bySelector = new Map<string, SelectorGroup>();
    for (let i = 0; i < gateways.length; i++) {
      const gw = gateways[i];
      if (gatewayServers(gw).length === 0) continue;
      const selector = gatewaySelector(gw);
      const sk = gatewaySelectorString(selector);
      const entry = bySelector.get(sk);
      if (entry) entry.gateways.push(gw);
      // (`ports` present from the start: added later, it made a hidden class that died with each
      // analysis, and V8 dropped portsOf's optimized code with it: 1,000 Gateways on one selector.)
      else bySelector.set(sk, { selector, gateways: [gw], ports: undefined });
    }
    // Selectors "hit" each other when equal, or when one string contains the other and a workload matches both.
    // Comparing every selector with every other is quadratic in the gateways of a large mesh, so the
    // candidates come from the workloads instead: a selector can only hit the selectors of the
    // workloads it selects (a workload matching both exists exactly when the merged selector matches one).
    const related = new Map<string, string[]>();
    const order = new Map<string, number>();
    let selecting: Map<Workload, string[]> | undefined;
    const relatedTo = (sk: string, selector: Labels): string[] => {
      let list = related.get(sk);
      if (list) return list;
      if (!selecting) {
        selecting = new Map();
        const into = selecting;
        bySelector.forEach((x, xk) => {
          order.set(xk, order.size);
          const workloads = gatewayWorkloads(ctx, x.selector);
          for (let i = 0; i < workloads.length; i++) {
            const keys = into.get(workloads[i]);
            if (keys) keys.push(xk);
            else into.set(workloads[i], [xk]);
          }
        });
      }
      const hits = new Set<string>();
      if (bySelector.has(sk)) hits.add(sk);
      const workloads = gatewayWorkloads(ctx, selector);
      for (let i = 0; i < workloads.length; i++) {
        const keys = selecting.get(workloads[i]);
        if (keys) for (let j = 0; j < keys.length; j++) if (keys[j].includes(sk) || sk.includes(keys[j])) hits.add(keys[j]);
      }
      // In the order of bySelector, as a scan over it would list them.
      list = [...hits].sort((a, b) => order.get(a)! - order.get(b)!);
      related.set(sk, list);
      return list;
    };
    for (let i = 0; i < gateways.length; i++) {
      const gw = gateways[i];
      const selector = gatewaySelector(gw);
      const sk = gatewaySelectorString(selector);
      const hits = relatedTo(sk, selector);
      if (sk !== '' && hits.length === 0) {
        // Istio reports a selector no gateway server uses (this Gateway has no servers either).
        if (gatewayWorkloads(ctx, selector).length === 0) reportNoWorkload(ctx, gw, selector);
        else {
          ctx.report(gw, MESSAGES.ReferencedResourceNotFound, ['selector', sk],
            `Fix: this Gateway has no servers, and no other Gateway with servers selects workloads labelled ${sk}; `
            + 'add spec.servers or delete the Gateway.');
        }
        continue;
      }
      // A conflict names another Gateway under a selector this one hits: when there is none (every
      // team's gateway on its own workload), its servers need no comparing.
      if (!hits.some((xk) => { const g = bySelector.get(xk)!.gateways; return g.length > 1 || g[0] !== gw; })) continue;
      const servers = gatewayServers(gw);
      for (let j = 0; j < servers.length; j++) {
        const server = servers[j];
        const port = String(int(rec(server.port).number) ?? 0);
        const hosts = strs(server.hosts);
        const bind = str(server.bind) ?? '';
        // Exact host strings with the same bind address (Istio's model.CheckDuplicates); no wildcard expansion.
        let found: Set<string> | undefined;
        for (let x = 0; x < hits.length; x++) {
          const byHost = hostIndex(portsOf(bySelector.get(hits[x])!), port).get(bind);
          if (!byHost) continue;
          for (let h = 0; h < hosts.length; h++) {
            const names = byHost.get(hosts[h]);
            if (names === undefined) continue;
            if (typeof names === 'string') {
              if (names !== gw.fullName) (found ??= new Set()).add(names);
            } else for (let n = 0; n < names.length; n++) if (names[n] !== gw.fullName) (found ??= new Set()).add(names[n]);
          }
        }
        if (!found) continue;
        const conflicting = [...found].sort();
        ctx.report(gw, MESSAGES.ConflictingGateways, [conflicting.join(','), sk, port, hosts.join(',')],
          `Fix: only one server per workload and port may claim a host; remove host(s) ${hosts.join(',')} from port ${port} `
          + `here or in ${conflicting.join(', ')}, or merge the servers into one Gateway.`);
      }
    }
  },
};

/** Identity of the certificate a TLS server serves, as Istio's haveSameCertificate compares them. */
function certificateKey(tls: Dict): string | undefined {
  const cn = str(tls.credentialName) ?? '';
  if (cn !== '') return `credentialName:${cn}`;
  const cert = str(tls.serverCertificate) ?? '';
  const key = str(tls.privateKey) ?? '';
  if (cert !== '' && key !== '') return `files:${cert}\u0000${key}`;
  return undefined;
}

export const certificateAnalyzer: Analyzer = {
  name: 'gateway.CertificateAnalyzer',
  run(ctx) {
    // certificate identity -> TLS servers using it
    const byCert = new Map<string, Array<{ gw: Res; selector: Labels }>>();
    const gateways = ctx.index.list('Gateway');
    for (let i = 0; i < gateways.length; i++) {
      const gw = gateways[i];
      const selector = gatewaySelector(gw);
      const servers = gatewayServers(gw);
      for (let j = 0; j < servers.length; j++) {
        const server = servers[j];
        if (!isRecord(server.tls)) continue;
        const k = certificateKey(server.tls);
        if (k === undefined) continue;
        let list = byCert.get(k);
        if (!list) byCert.set(k, list = []);
        list.push({ gw, selector });
      }
    }
    for (const [k, servers] of byCert) {
      if (servers.length < 2) continue;
      const what = k.startsWith('credentialName:') ? `credentialName "${k.slice('credentialName:'.length)}"` : 'serverCertificate/privateKey files';
      // Every team's gateway may use a Secret of one name (in its own namespace), so a group can hold
      // most gateways of the mesh. Servers by selector label pair: the others whose selector contains
      // all of the current one's pairs are among those holding its rarest pair, in the group's order.
      const byPair = new Map<string, number[]>();
      servers.forEach((srv, i) => {
        for (const lk in srv.selector) {
          const pk = pairKey(lk, srv.selector[lk]);
          const list = byPair.get(pk);
          if (list) list.push(i);
          else byPair.set(pk, [i]);
        }
      });
      for (let c = 0; c < servers.length; c++) {
        const current = servers[c];
        let candidates: readonly number[] | undefined;
        for (const lk in current.selector) {
          const list = byPair.get(pairKey(lk, current.selector[lk])) ?? [];
          if (!candidates || list.length < candidates.length) candidates = list;
        }
        const count = candidates ? candidates.length : servers.length;
        for (let o = 0; o < count; o++) {
          const other = servers[candidates ? candidates[o] : o];
          if (other.gw === current.gw) continue;
          // The other gateway must select at least the workloads this one selects.
          if (!isEmptySelector(current.selector) && !selectorSubset(current.selector, other.selector)) continue;
          ctx.report(current.gw, MESSAGES.GatewayDuplicateCertificate, [[current.gw.fullName, other.gw.fullName]],
            `Fix: ${current.gw.fullName} and ${other.gw.fullName} serve the same ${what} on the same workloads; `
            + 'use one Gateway with all hosts of that certificate, or a distinct certificate per Gateway.');
        }
      }
    }
  },
};
