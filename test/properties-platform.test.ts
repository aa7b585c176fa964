// Property-based tests over random platforms: several teams, each with a TenantGateway, TLS hosts,
// a TCP port and a canary route in its own chart, plus shared IngressGateways with HTTP routes, all
// in one App, with random collisions between teams (namespaces, gateway and route names, hosts,
// ports). Collisions Istio cannot serve are refused with IstioGatewayError naming the construct,
// at construction or at synthesis, and nothing else is; an accepted platform is schema-valid, passes
// the synth-time analysis, serves every declared host, keeps every gateway's selector to its own
// pods, and its identity (selectors, names, RoleBinding subjects) never moves when hosts, ports,
// service type, routes, labels or annotations change. Seeded: FC_SEED=... FC_RUNS=... reproduce a run.
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import {
  AccessLogPolicy, CanaryRoute, configureSynthAnalysis, HttpRoute, IngressGateway, StrictMtls, SynthCheck, TcpCanaryRoute, TcpGateway, TenantGateway, TlsHost, TlsMode,
  TrimmedGatewayConfig,
} from '../src';
import { fcParams, labels, opt } from './support/arbitraries';
import { expectRefusal } from './support/refusals';
import { expectValid } from './support/validate-helper';
import { intersects, namesHost } from './support/host-oracle';
import { breadthFindings } from './support/breadth';

// ---------------------------------------------------------------------------------------------
// Inputs: small pools, so that teams meet on namespaces, names, hosts and ports
// ---------------------------------------------------------------------------------------------

const HOSTS = ['shop.example.com', 'api.example.com', '*.example.com', 'pay.example.io', 'team.example.net', 'Shop.Example.com'];
const hosts = fc.uniqueArray(fc.constantFrom(...HOSTS), { minLength: 1, maxLength: 2, selector: (h) => h.toLowerCase() });

const tlsSpec = fc.record({
  hosts,
  mode: fc.constantFrom(TlsMode.SIMPLE, TlsMode.SIMPLE, TlsMode.MUTUAL, TlsMode.PASSTHROUGH, TlsMode.ISTIO_MUTUAL),
  port: fc.constantFrom(undefined, 443, 8443),
  destination: opt(fc.record({ host: fc.constantFrom('web', 'api', 'web.shop.svc.cluster.local'), port: fc.constantFrom(8080, 9090) })),
});

const teamSpec = fc.record({
  namespace: fc.constantFrom('team-a', 'team-b', 'team-c'),
  // 'ingressgateway' would label the pods like Istio's shared ingress gateway (refused); 'web' makes
  // the gateway's own Service a backend of its routes (refused: a loop)
  name: fc.oneof({ arbitrary: fc.constantFrom('gw', 'edge', 'public'), weight: 12 }, { arbitrary: fc.constantFrom('ingressgateway', 'eastwestgateway', 'web'), weight: 1 }),
  serviceType: fc.constantFrom(undefined, 'LoadBalancer' as const, 'NodePort' as const, 'ClusterIP' as const),
  replicas: opt(fc.integer({ min: 1, max: 5 })),
  labels: opt(labels),
  tls: fc.array(tlsSpec, { minLength: 1, maxLength: 2 }),
  // 80 and 443 collide with the redirect and TLS servers of the same gateway: refused
  tcp: opt(fc.record({ port: fc.constantFrom(5432, 7000, 31400, 31400, 443, 80), destination: fc.record({ host: fc.constantFrom('db', 'ledger'), port: fc.constantFrom(5432, 7000) }) })),
  canary: opt(fc.record({
    name: fc.constantFrom(undefined, 'web', 'api'),
    destination: fc.record({ host: fc.constantFrom('web', 'api', 'web.shop.svc.cluster.local'), port: fc.constantFrom(8080, 9090) }),
    weight: fc.integer({ min: 0, max: 100 }),
    match: opt(fc.constant([{ headers: { 'end-user': { exact: 'jason' } } }])),
  })),
});

const sharedSpec = fc.record({
  namespace: fc.constantFrom('edge', 'team-a'),
  name: fc.constantFrom('shared', 'public'),
  // the default selector (Istio's shared ingress gateway) comes up often, so shared gateways meet on it
  selector: fc.constantFrom(undefined, undefined, { istio: 'internal-gateway' }),
  hosts,
  route: opt(fc.record({ name: fc.constantFrom(undefined, 'web'), destination: fc.record({ host: fc.constantFrom('web', 'storefront'), port: fc.constantFrom(8080, 9090) }) })),
});

const platformSpec = fc.record({
  teams: fc.array(teamSpec, { minLength: 1, maxLength: 3 }),
  shared: fc.array(sharedSpec, { maxLength: 2 }),
});

type PlatformSpec = typeof platformSpec extends fc.Arbitrary<infer T> ? T : never;

// ---------------------------------------------------------------------------------------------
// Building, with what each accepted construct promises to emit
// ---------------------------------------------------------------------------------------------


interface Server { port: number; protocol: 'HTTP' | 'HTTPS' | 'TLS' | 'TCP'; hosts: string[] }
interface GatewayRecord { ref: string; workload: string; servers: Server[]; by: string }

/** What the accepted constructs of one platform declared. */
interface Declared {
  gateways: Map<string, GatewayRecord>;
  /** `kind ns/name` of every object some accepted construct emits, with its construct. */
  objects: { id: string; by: string }[];
  /** Routes bound to one gateway: must be served by it over HTTP(S). */
  routes: { by: string; gateway: string; hosts: string[] }[];
  /** Backends the routes name, as `namespace/name` of the Service they resolve to. */
  backends: { by: string; service: string }[];
  /** `namespace/name` of each tenant gateway's own Service. */
  gatewayServices: Map<string, string>;
}

/** The Service a route in `namespace` reaches with `host` (short, or fully qualified). */
function serviceOf(host: string, namespace: string): string {
  const fqdn = /^([^.]+)\.([^.]+)\.svc\.cluster\.local$/.exec(host);
  return fqdn ? `${fqdn[2]}/${fqdn[1]}` : `${namespace}/${host}`;
}

function build(spec: PlatformSpec): { app: App; declared: Declared } {
  const app = freshApp();
  const declared: Declared = { gateways: new Map(), objects: [], routes: [], backends: [], gatewayServices: new Map() };
  const emit = (by: string, kind: string, ns: string, name: string) => declared.objects.push({ id: `${kind} ${ns}/${name}`, by });
  /** Runs one declaration; a refusal must name the construct. */
  const attempt = <T>(construct: string, fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (e) {
      expectRefusal(e, construct);
      return undefined;
    }
  };

  spec.teams.forEach((t, i) => {
    const chart = new Chart(app, `team${i}`);
    const gw = attempt(`TenantGateway 'team${i}/gw'`, () => new TenantGateway(chart, 'gw', {
      namespace: t.namespace, name: t.name, serviceType: t.serviceType, replicas: t.replicas, labels: t.labels,
    }));
    if (!gw) return;
    for (const kind of ['Deployment', 'Service', 'ServiceAccount', 'Role', 'RoleBinding', 'PodDisruptionBudget', ...(t.replicas === undefined ? ['HorizontalPodAutoscaler'] : [])]) {
      emit(`team${i}/gw`, kind, t.namespace, t.name);
    }
    declared.gatewayServices.set(`${t.namespace}/${t.name}`, `team${i}/gw`);
    const record: GatewayRecord = { ref: gw.ref, workload: `tenant ${t.namespace}/${t.name}`, servers: [], by: `team${i}/gw` };
    declared.gateways.set(`team${i}/gw`, record);
    t.tls.forEach((h, j) => {
      const terminating = h.mode !== TlsMode.PASSTHROUGH;
      const tls = attempt(`TlsHost 'team${i}/tls${j}'`, () => new TlsHost(chart, `tls${j}`, {
        gateway: gw, hosts: h.hosts, mode: h.mode, port: h.port, destination: h.destination,
        credentialName: h.mode === TlsMode.SIMPLE || h.mode === TlsMode.MUTUAL ? `cert-${j}` : undefined,
      }));
      if (!tls) return;
      record.servers.push({ port: tls.port, protocol: terminating ? 'HTTPS' : 'TLS', hosts: h.hosts });
      // the redirect server comes only with TLS on 443 (Envoy's redirect swaps only the scheme)
      if (terminating && tls.port === 443) record.servers.push({ port: 80, protocol: 'HTTP', hosts: h.hosts });
      if (h.destination) {
        emit(`team${i}/tls${j}`, 'VirtualService', t.namespace, `tls${j}`);
        declared.backends.push({ by: `team${i}/tls${j}`, service: serviceOf(h.destination.host, t.namespace) });
      }
    });
    if (t.tcp) {
      const tcp = attempt(`TcpGateway 'team${i}/tcp'`, () => new TcpGateway(chart, 'tcp', { gateway: gw, port: t.tcp!.port, destination: t.tcp!.destination }));
      if (tcp) {
        record.servers.push({ port: t.tcp.port, protocol: 'TCP', hosts: ['*'] });
        declared.backends.push({ by: `team${i}/tcp`, service: serviceOf(t.tcp.destination.host, t.namespace) });
        emit(`team${i}/tcp`, 'VirtualService', t.namespace, 'tcp');
      }
    }
    if (t.canary) {
      const c = t.canary;
      const route = attempt(`CanaryRoute 'team${i}/canary'`, () => new CanaryRoute(chart, 'canary', {
        hosts: t.tls[0].hosts, gateways: [gw], name: c.name, destination: c.destination,
        stable: { subset: 'v1', labels: { version: 'v1' } },
        canary: { subset: 'v2', labels: { version: 'v2' }, weight: c.weight, match: c.match && c.match.map((m) => ({ ...m })) },
      }));
      if (route) {
        emit(`team${i}/canary`, 'VirtualService', t.namespace, c.name ?? 'canary');
        emit(`team${i}/canary`, 'DestinationRule', route.destinationRuleNamespace, c.name ?? 'canary');
        declared.routes.push({ by: `team${i}/canary`, gateway: `team${i}/gw`, hosts: t.tls[0].hosts });
        declared.backends.push({ by: `team${i}/canary`, service: serviceOf(c.destination.host, t.namespace) });
      }
    }
    if (record.servers.length > 0) emit(`team${i}/gw`, 'Gateway', t.namespace, t.name);
  });

  if (spec.shared.length > 0) {
    const chart = new Chart(app, 'shared');
    spec.shared.forEach((s, i) => {
      const path = `shared/ingress${i}`;
      const ig = attempt(`IngressGateway '${path}'`, () => new IngressGateway(chart, `ingress${i}`, { namespace: s.namespace, name: s.name, selector: s.selector }));
      if (!ig) return;
      const selector = s.selector ?? { istio: 'ingressgateway' };
      const record: GatewayRecord = { ref: ig.ref, workload: `selector ${JSON.stringify(selector)}`, servers: [], by: path };
      declared.gateways.set(path, record);
      if (attempt(`IngressGateway '${path}'`, () => { ig.addHttpHosts(s.hosts); return true; })) {
        record.servers.push({ port: 80, protocol: 'HTTP', hosts: s.hosts });
        emit(path, 'Gateway', s.namespace, s.name);
      }
      if (s.route) {
        const r = s.route;
        const route = attempt(`HttpRoute 'shared/route${i}'`, () => new HttpRoute(chart, `route${i}`, { hosts: s.hosts, gateways: [ig], name: r.name, destination: r.destination }));
        if (route) {
          emit(`shared/route${i}`, 'VirtualService', s.namespace, r.name ?? `route${i}`);
          declared.routes.push({ by: `shared/route${i}`, gateway: path, hosts: s.hosts });
          declared.backends.push({ by: `shared/route${i}`, service: serviceOf(r.destination.host, s.namespace) });
        }
      }
    });
  }
  return { app, declared };
}

/**
 * Why synthesis must refuse the platform, or undefined: two objects with one identity, one
 * workload claiming a host twice on a port, a route bound to a gateway that serves none of its
 * hosts over HTTP(S), or a backend that is another team's gateway Service (which does not expose
 * the backend's port: the analyzer checks Services the App defines as written).
 */
function conflictOf(d: Declared): string | undefined {
  for (const b of d.backends) {
    const gateway = d.gatewayServices.get(b.service);
    if (gateway !== undefined) return `${b.by} routes to ${b.service}, the Service of ${gateway}`;
  }
  const ids = new Map<string, string>();
  for (const o of d.objects) {
    const other = ids.get(o.id);
    if (other !== undefined && other !== o.by) return `${o.id} from ${other} and ${o.by}`;
    ids.set(o.id, o.by);
  }
  const claims = new Map<string, string>();
  for (const g of d.gateways.values()) {
    for (const s of g.servers) {
      for (const h of s.hosts) {
        const key = `${g.workload} ${s.port} ${h.toLowerCase()}`;
        const other = claims.get(key);
        if (other !== undefined && other !== g.ref) return `${key} by ${other} and ${g.ref}`;
        claims.set(key, g.ref);
      }
    }
  }
  for (const r of d.routes) {
    const g = d.gateways.get(r.gateway)!;
    const served = g.servers.filter((s) => s.protocol === 'HTTP' || s.protocol === 'HTTPS').some((s) => s.hosts.some((gh) => r.hosts.some((h) => intersects(h, gh))));
    if (!served) return `${r.by} is not served by ${g.ref}`;
  }
  return undefined;
}

/** A fresh App, warnings collected; no output folder is made (nothing is written). */
function freshApp(): App {
  const app = new App({ outdir: path.join(os.tmpdir(), 'properties-platform-unused') });
  configureSynthAnalysis(app, { warn: () => undefined });
  return app;
}

/** Every object of the App, with the App-wide checks and analysis run once (not once per chart). */
function synthAll(app: App): any[] {
  const [first, ...rest] = app.charts;
  const others = rest.flatMap((c) => c.node.findAll().filter((o): o is ApiObject => o instanceof ApiObject));
  return [...Testing.synth(first), ...others.map((o) => o.toJson())];
}

const tally = { runs: 0, accepted: 0, refused: 0, teams: 0, shared: 0 };

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

describe('random platforms', () => {
  test('teams with tenant gateways, TLS hosts, TCP ports and canaries, plus shared gateways: collisions refused with our error, the rest valid, analyzed, complete and isolated', () => {
    fc.assert(fc.property(platformSpec, (spec) => {
      tally.runs++;
      const { app, declared } = build(spec);
      const conflict = conflictOf(declared);
      let objects: any[];
      try {
        objects = synthAll(app);
      } catch (e) {
        tally.refused++;
        const err = expectRefusal(e, '/');
        for (const p of err.problems) expect(p.construct).toMatch(/(team\d|shared)\//);
        if (!conflict) throw new Error(`synthesis refused a platform without a collision:\n${(e as Error).message}`);
        return;
      }
      if (conflict) throw new Error(`synthesis accepted a collision: ${conflict}`);
      tally.accepted++;
      tally.teams += declared.gateways.size;
      tally.shared += spec.shared.length;
      expectValid(objects);
      expect(SynthCheck.of(app).lastDiagnostics.filter((d) => d.level === 'Error')).toEqual([]);
      expect(breadthFindings(SynthCheck.of(app).lastDiagnostics)).toEqual([]);

      // nothing declared is dropped: every object, every host on its port and protocol
      const ids = objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`);
      for (const o of declared.objects) if (!ids.includes(o.id)) throw new Error(`${o.id}, declared by ${o.by}, is missing`);
      expect(new Set(ids.map((id, k) => `${objects[k].apiVersion.split('/')[0]} ${id}`)).size).toBe(ids.length);
      for (const g of declared.gateways.values()) {
        if (g.servers.length === 0) continue;
        const [ns, name] = g.ref.split('/');
        const gateway = objects.find((o) => o.kind === 'Gateway' && o.metadata.namespace === ns && o.metadata.name === name);
        for (const s of g.servers) {
          for (const h of s.hosts) {
            // namespace part aside: a TenantGateway scopes its hosts to the namespaces it admits
            const served = gateway.spec.servers.some((x: any) => x.port.number === s.port && x.port.protocol === s.protocol && x.hosts.some((xh: string) => namesHost(xh, h)));
            if (!served) throw new Error(`Gateway ${g.ref} lost host ${h} on ${s.protocol} port ${s.port}: ${JSON.stringify(gateway.spec.servers)}`);
          }
        }
      }

      // isolation: a Gateway's selector matches the pods of its own TenantGateway and no other's
      const deployments = objects.filter((o) => o.kind === 'Deployment');
      for (const gateway of objects.filter((o) => o.kind === 'Gateway')) {
        for (const d of deployments) {
          const pods = d.spec.template.metadata.labels;
          const selects = Object.entries(gateway.spec.selector).every(([k, v]) => pods[k] === v);
          const own = d.metadata.namespace === gateway.metadata.namespace && d.metadata.name === gateway.metadata.name;
          if (selects !== own) {
            throw new Error(`Gateway ${gateway.metadata.namespace}/${gateway.metadata.name} ${selects ? 'selects' : 'does not select'} the pods of Deployment ${d.metadata.namespace}/${d.metadata.name}`);
          }
        }
      }
      // least privilege: each RoleBinding binds its gateway's own ServiceAccount only
      for (const rb of objects.filter((o) => o.kind === 'RoleBinding')) {
        expect(rb.subjects).toEqual([{ kind: 'ServiceAccount', name: rb.metadata.name, namespace: rb.metadata.namespace }]);
      }
      // deterministic: the same platform again gives the same objects, in the same order (checked on every 10th)
      if (tally.accepted % 10 === 0) expect(JSON.stringify(synthAll(build(spec).app))).toBe(JSON.stringify(objects));
      // every server port of a tenant gateway is on its Service
      for (const svc of objects.filter((o) => o.kind === 'Service')) {
        const gateway = objects.find((o) => o.kind === 'Gateway' && o.metadata.namespace === svc.metadata.namespace && o.metadata.name === svc.metadata.name);
        const exposed = new Set(svc.spec.ports.map((p: any) => p.port));
        for (const s of gateway?.spec.servers ?? []) if (!exposed.has(s.port.number)) throw new Error(`Service ${svc.metadata.namespace}/${svc.metadata.name} lacks server port ${s.port.number}`);
      }
    }), fcParams);
  });
});

// ---------------------------------------------------------------------------------------------
// Identity
// ---------------------------------------------------------------------------------------------

/** Everything that varies without changing identity; the teams and shared gateway themselves are fixed. */
const variant = fc.record({
  hosts: fc.tuple(fc.constantFrom('a', 'shop', 'www'), fc.constantFrom('b', 'pay', 'api'), fc.constantFrom('example.com', 'example.io')),
  tcpPorts: fc.tuple(fc.integer({ min: 1000, max: 14999 }), fc.integer({ min: 16000, max: 32000 })),
  serviceTypes: fc.tuple(fc.constantFrom('LoadBalancer' as const, 'NodePort' as const, 'ClusterIP' as const), fc.constantFrom('LoadBalancer' as const, 'NodePort' as const, 'ClusterIP' as const)),
  replicas: fc.tuple(opt(fc.integer({ min: 1, max: 9 })), opt(fc.integer({ min: 1, max: 9 }))),
  cpu: fc.constantFrom('100m', '250m', '1'),
  labels,
  annotations: fc.dictionary(fc.constantFrom('a.example.com/x', 'b.example.com/y', 'owner'), fc.string({ maxLength: 6 }), { maxKeys: 2 }),
  tlsMode: fc.constantFrom(TlsMode.SIMPLE, TlsMode.MUTUAL, TlsMode.ISTIO_MUTUAL),
  weight: fc.integer({ min: 0, max: 100 }),
  canaryMatch: fc.boolean(),
  httpRoute: fc.boolean(),
  sharedHosts: fc.constantFrom(['bookinfo.example.com'], ['bookinfo.example.com', 'reviews.example.com'], ['*.example.org']),
});

type Variant = typeof variant extends fc.Arbitrary<infer T> ? T : never;

function identityOf(v: Variant) {
  const app = freshApp();
  ['team-a', 'team-b'].forEach((ns, i) => {
    const chart = new Chart(app, ns);
    const gw = new TenantGateway(chart, 'gw', {
      namespace: ns, name: 'gateway', serviceType: v.serviceTypes[i], replicas: v.replicas[i],
      resources: { requests: { cpu: v.cpu } }, labels: v.labels, podAnnotations: v.annotations, serviceAnnotations: v.annotations,
    });
    const host = `${v.hosts[i]}.${ns}.${v.hosts[2]}`;
    new TlsHost(chart, 'tls', {
      gateway: gw, hosts: [host], mode: v.tlsMode, credentialName: v.tlsMode === TlsMode.ISTIO_MUTUAL ? undefined : 'cert',
      destination: { host: 'web', port: 8080 },
    });
    new TcpGateway(chart, 'tcp', { gateway: gw, port: v.tcpPorts[i], destination: { host: 'db', port: 5432 } });
    new CanaryRoute(chart, 'canary', {
      hosts: [host], gateways: [gw], destination: { host: 'web', port: 8080 },
      stable: { subset: 'v1', labels: { version: 'v1' } },
      canary: { subset: 'v2', labels: { version: 'v2' }, weight: v.weight, match: v.canaryMatch ? [{ headers: { 'end-user': { exact: 'jason' } } }] : undefined },
    });
  });
  const shared = new Chart(app, 'shared');
  const ig = new IngressGateway(shared, 'ingress', { namespace: 'edge', name: 'shared' });
  ig.addHttpHosts([...v.sharedHosts]);
  if (v.httpRoute) new HttpRoute(shared, 'route', { hosts: [...v.sharedHosts], gateways: [ig], destination: { host: 'storefront', port: 8080 } });

  const objects = synthAll(app);
  const of = (kind: string) => objects.filter((o) => o.kind === kind).sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
  const gatewayKinds = new Set(['Deployment', 'Service', 'ServiceAccount', 'Role', 'RoleBinding', 'PodDisruptionBudget', 'Gateway']);
  return {
    names: objects.filter((o) => gatewayKinds.has(o.kind)).map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`).sort(),
    deploymentSelectors: of('Deployment').map((o) => o.spec.selector),
    serviceSelectors: of('Service').map((o) => o.spec.selector),
    gatewaySelectors: of('Gateway').map((o) => o.spec.selector),
    roleBindingSubjects: of('RoleBinding').map((o) => o.subjects),
    roleRules: of('Role').map((o) => o.rules),
  };
}

describe('identity', () => {
  test('across a platform with routes, changing hosts, TCP ports, service type, replicas, resources, routes, labels or annotations never moves a selector, a gateway object name or a RoleBinding subject', () => {
    // every variant against one baseline: equal to it, all variants are equal to each other
    const baseline = identityOf(fc.sample(variant, { seed: fcParams.seed, numRuns: 1 })[0]);
    expect(baseline.deploymentSelectors).toHaveLength(2);
    expect(baseline.roleBindingSubjects).toEqual([
      [{ kind: 'ServiceAccount', name: 'gateway', namespace: 'team-a' }],
      [{ kind: 'ServiceAccount', name: 'gateway', namespace: 'team-b' }],
    ]);
    fc.assert(fc.property(variant, (v) => {
      expect(identityOf(v)).toEqual(baseline);
    }), fcParams);
  });
});

// ---------------------------------------------------------------------------------------------
// Anything at all in any prop
// ---------------------------------------------------------------------------------------------

/** Every construct with its props and a minimal valid set of them. */
const CONSTRUCTS: Record<string, { props: string[]; base: Record<string, unknown>; onGateway?: boolean }> = {
  TenantGateway: { props: ['namespace', 'name', 'serviceType', 'ports', 'replicas', 'autoscaling', 'disruptionBudget', 'resources', 'revision', 'labels', 'podAnnotations', 'serviceAnnotations', 'externalTrafficPolicy', 'loadBalancerSourceRanges', 'loadBalancerClass', 'nodeSelector', 'tolerations', 'topologySpread', 'priorityClassName', 'terminationGracePeriodSeconds', 'env', 'networkPolicy'], base: { namespace: 'team-a' } },
  IngressGateway: { props: ['namespace', 'name', 'installedBy', 'helmReleaseName', 'selector', 'workloadNamespace', 'servicePorts', 'serviceName', 'labels'], base: { namespace: 'edge' } },
  TlsHost: { props: ['gateway', 'hosts', 'credentialName', 'mode', 'port', 'httpsRedirect', 'redirectPort', 'destination', 'name', 'namespace', 'minProtocolVersion', 'subjectAltNames'], base: { hosts: ['shop.example.com'], credentialName: 'cert' }, onGateway: true },
  TcpGateway: { props: ['gateway', 'port', 'destination', 'hosts', 'name', 'namespace'], base: { port: 7000, destination: { host: 'db', port: 5432 } }, onGateway: true },
  TcpCanaryRoute: { props: ['gateway', 'port', 'destination', 'stable', 'canary', 'hosts', 'name', 'namespace', 'trafficPolicy'], base: { port: 7000, destination: { host: 'db', port: 5432 }, stable: { subset: 'v1', labels: { version: 'v1' } }, canary: { subset: 'v2', labels: { version: 'v2' }, weight: 20 } }, onGateway: true },
  HttpRoute: { props: ['hosts', 'gateways', 'includeMesh', 'namespace', 'name', 'match', 'timeout', 'retries', 'mirror', 'fault', 'rewrite', 'destination'], base: { hosts: ['web'], destination: { host: 'web', port: 80 } } },
  CanaryRoute: { props: ['hosts', 'gateways', 'includeMesh', 'namespace', 'name', 'match', 'timeout', 'retries', 'mirror', 'fault', 'rewrite', 'destination', 'stable', 'canary', 'trafficPolicy'], base: { hosts: ['web'], destination: { host: 'web', port: 80 }, stable: { subset: 'v1', labels: { version: 'v1' } }, canary: { subset: 'v2', labels: { version: 'v2' }, weight: 10 } } },
  StrictMtls: { props: ['namespace', 'name', 'selector', 'portLevel'], base: {} },
  AccessLogPolicy: { props: ['gateway', 'selector', 'namespace', 'name', 'providers', 'filter', 'disabled', 'mode'], base: {} },
  TrimmedGatewayConfig: { props: ['name', 'namespace', 'profile', 'revision', 'filterGatewayClusterConfig', 'dnsCapture', 'prometheusMerge', 'accessLogFile', 'accessLogEncoding', 'pilotEnv', 'proxyMetadata'], base: {} },
};
const CLASSES: Record<string, new (scope: Chart, id: string, props: any) => unknown> = {
  TenantGateway, IngressGateway, TlsHost, TcpGateway, TcpCanaryRoute, HttpRoute, CanaryRoute, StrictMtls, AccessLogPolicy, TrimmedGatewayConfig,
};

describe('anything at all', () => {
  test('any value (sparse arrays, boxed values, Maps, null prototypes, NaN, ...) in up to three props of any construct, or inside a nested prop: accepted and valid, or our own error', () => {
    const junk = fc.anything({ maxDepth: 2, withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withSparseArray: true, withBoxedValues: true });
    const input = fc.constantFrom(...Object.keys(CONSTRUCTS)).chain((kind) => fc.record({
      kind: fc.constant(kind),
      props: fc.uniqueArray(fc.constantFrom(...CONSTRUCTS[kind].props), { minLength: 1, maxLength: 3 }),
      values: fc.array(junk, { minLength: 3, maxLength: 3 }),
      nested: fc.boolean(),
    }));
    fc.assert(fc.property(input, ({ kind, props: keys, values, nested }) => {
      const app = freshApp();
      const chart = new Chart(app, 'test');
      const gw = new TenantGateway(chart, 'gw', { namespace: 'gw' });
      gw.addHttpHosts(['web', 'shop.example.com']);
      const c = CONSTRUCTS[kind];
      const props: Record<string, unknown> = { ...c.base, ...(c.onGateway ? { gateway: gw } : {}) };
      keys.forEach((k, i) => {
        const inner = props[k];
        // either replace the prop, or one field inside it
        if (nested && inner !== null && typeof inner === 'object' && !Array.isArray(inner) && !(inner instanceof TenantGateway)) {
          props[k] = { ...inner, [Object.keys(inner)[0]]: values[i] };
        } else {
          props[k] = values[i];
        }
      });
      try {
        new CLASSES[kind](chart, 'x', props);
      } catch (e) {
        expectRefusal(e, `${kind} 'test/x'`, props);
        return;
      }
      let objects: any[];
      try {
        objects = synthAll(app);
      } catch (e) {
        expectRefusal(e, 'test/');
        return;
      }
      expectValid(objects.filter((o) => o.kind !== 'IstioOperator'));
    }), fcParams);
  });
});

afterAll(() => {
  if (process.env.FC_REFUSALS) console.log(JSON.stringify(tally));
  // guard against vacuity: many random platforms are accepted with gateways on them, and collisions do come up
  if (tally.runs >= 200) {
    expect(tally.accepted / tally.runs).toBeGreaterThan(0.3);
    expect(tally.refused).toBeGreaterThan(0);
    expect(tally.teams / tally.accepted).toBeGreaterThan(1);
    expect(tally.shared).toBeGreaterThan(0);
  }
});

