// Work that must not grow with the size of the App: the Gateway API flavour once walked the whole
// construct tree for each route and each canary version Service (at construction and again at
// synthesis), and recomputed a gateway's listeners for each route bound to it. These tests count
// that work and check the answers it gives when the App changes between the lookups.
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { CanaryRoute, HttpRoute, IngressGateway, TenantGateway, TenantGatewayProps, TlsHost } from '../src';
import { tenantGatewayModel } from '../src/model/tenant-gateway';
import { PropChecker } from '../src/model/checks';
import { renderTenantOptions, tenantOptionsData, tenantOptionsIdentity } from '../src/render/gateway-api/tenant';
import * as listeners from '../src/render/gateway-api/listeners';
import * as translate from '../src/render/gateway-api/translate';
import { find, synthApp } from './support/synth';

/** `teams` Gateway API teams, each a gateway, a TLS host, a canary over a Service of the App and a route. */
function platform(teams: number): App {
  const app = Testing.app();
  const chart = new Chart(app, 'teams');
  for (let i = 0; i < teams; i++) {
    const ns = `team-${i}`;
    const scope = new Construct(chart, ns);
    const gateway = new TenantGateway(scope, 'edge', { namespace: ns, name: 'edge', api: 'gateway-api' });
    new TlsHost(scope, 'web', { gateway, hosts: [`web.${ns}.example.com`], credentialName: 'web-cert' });
    new ApiObject(scope, 'web-svc', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: ns },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 8080, targetPort: 9090 }] },
    });
    new CanaryRoute(scope, 'canary', {
      gateways: [gateway], name: 'web', hosts: [`web.${ns}.example.com`], destination: { host: 'web', port: 8080 },
      stable: { subset: 'stable', labels: { version: 'v1' } }, canary: { subset: 'canary', labels: { version: 'v2' }, weight: 10 },
    });
  }
  return app;
}

/** Counts the walks of the whole tree (`findAll` on the App) while `fn` runs. */
function rootWalks(app: App, fn: () => void): number {
  const node = app.node as IConstruct['node'] & { findAll: (...a: unknown[]) => IConstruct[] };
  const real = node.findAll;
  let n = 0;
  node.findAll = function counted(this: unknown, ...a: unknown[]) { n++; return real.apply(this, a); };
  try {
    fn();
  } finally {
    node.findAll = real;
  }
  return n;
}

describe('the Gateway API flavour does not walk the App per route', () => {
  test('the walks of the whole tree in one synthesis do not grow with the number of canaries and routes', () => {
    const small = platform(2);
    const large = platform(12);
    const walksSmall = rootWalks(small, () => small.synthYaml());
    const walksLarge = rootWalks(large, () => large.synthYaml());
    expect(walksLarge).toBe(walksSmall);
  });

  test('building does not walk the whole tree per canary either', () => {
    const app = Testing.app();
    let walks = 0;
    const node = app.node as IConstruct['node'] & { findAll: (...a: unknown[]) => IConstruct[] };
    const real = node.findAll;
    node.findAll = function counted(this: unknown, ...a: unknown[]) { walks++; return real.apply(this, a); };
    const chart = new Chart(app, 'teams');
    const gateway = new TenantGateway(chart, 'edge', { namespace: 'team', name: 'edge', api: 'gateway-api' });
    new TlsHost(chart, 'web', { gateway, hosts: ['web.example.com'], credentialName: 'web-cert' });
    const before = walks;
    for (let i = 0; i < 5; i++) {
      new CanaryRoute(chart, `canary-${i}`, {
        gateways: [gateway], name: `web-${i}`, hosts: ['web.example.com'], destination: { host: `web-${i}`, port: 8080 }, destinationSelector: { app: `web-${i}` },
        stable: { subset: 'stable', labels: { version: 'v1' } }, canary: { subset: 'canary', labels: { version: 'v2' }, weight: 10 },
      });
    }
    node.findAll = real;
    expect(walks - before).toBe(0);
  });

  test('each version Service takes the selector and target port of the Service the App declares, not its own', () => {
    const objects = synthApp(platform(3));
    for (const ns of ['team-0', 'team-1', 'team-2']) {
      const stable = find(objects, 'Service', 'web-stable', ns);
      expect(stable.spec.selector).toEqual({ app: 'web', version: 'v1' });
      expect(stable.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 9090 }]);
      expect(find(objects, 'Service', 'web-canary', ns).spec.selector).toEqual({ app: 'web', version: 'v2' });
    }
  });

  test('a route\'s parentRefs follow servers and route namespaces added after an earlier route was rendered', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const gateway = new TenantGateway(chart, 'edge', { namespace: 'team', name: 'edge', api: 'gateway-api' });
    new TlsHost(chart, 'web', { gateway, hosts: ['web.example.com'], credentialName: 'web-cert' });
    new HttpRoute(chart, 'web-route', { gateways: [gateway], hosts: ['web.example.com'], destination: { host: 'web', port: 8080 } });
    // A second server after the first route was rendered (and its parentRefs computed) ...
    new TlsHost(chart, 'api', { gateway, hosts: ['api.example.com'], credentialName: 'api-cert' });
    // ... and a route from another namespace, which the TenantGateway admits to its hosts.
    new HttpRoute(chart, 'api-route', { gateways: [gateway], hosts: ['api.example.com'], namespace: 'other', destination: { host: 'api', port: 8080 } });
    const objects = synthApp(app);
    const listeners: { name: string; hostname?: string; allowedRoutes?: unknown }[] = find(objects, 'Gateway', 'edge', 'team').spec.listeners;
    const apiListeners = listeners.filter((l) => l.hostname === 'api.example.com' && l.name.startsWith('https'));
    expect(apiListeners.map((l) => l.name)).toEqual([expect.stringMatching(/^https-443/)]);
    const api = apiListeners[0];
    expect(find(objects, 'HTTPRoute', 'api-route', 'other').spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge', namespace: 'team', sectionName: api.name }]);
    expect(JSON.stringify(api.allowedRoutes)).toContain('other');
  });
});

/** How many times the Gateway API function `name` (of the module that defines it) is called while `fn` runs. */
function callsOf(name: 'listenersOf' | 'translateVirtualService', fn: () => void): number {
  const spy = name === 'listenersOf' ? jest.spyOn(listeners, name) : jest.spyOn(translate, name);
  try {
    fn();
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
  }
}

describe('a Gateway API gateway lists its listeners once per synthesis, not per construct bound to it', () => {
  /** Calls of listenersOf (what a gateway's listeners are made by) while `fn` runs. */
  const listings = (fn: () => void): number => callsOf('listenersOf', fn);

  test('building lists none (routes are checked without their parentRefs); synthesis lists each gateway\'s once', () => {
    let app: App | undefined;
    // Each team: a TLS host (with its redirect route) and a canary over a Service of the App, on its gateway.
    expect(listings(() => { app = platform(4); })).toBe(0);
    const objects: any[] = [];
    expect(listings(() => objects.push(...synthApp(app!)))).toBe(4);
    // ... and what it lists is what the routes and the Gateway show.
    const gateway = find(objects, 'Gateway', 'edge', 'team-0');
    const https = gateway.spec.listeners.find((l: { hostname?: string; protocol: string }) => l.hostname === 'web.team-0.example.com' && l.protocol === 'HTTPS');
    expect(find(objects, 'HTTPRoute', 'web', 'team-0').spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge', sectionName: https.name }]);
    const redirect = gateway.spec.listeners.find((l: { hostname?: string; protocol: string }) => l.hostname === 'web.team-0.example.com' && l.protocol === 'HTTP');
    expect(find(objects, 'HTTPRoute', 'web-https-redirect', 'team-0').spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge', sectionName: redirect.name }]);
  });

  test('a server\'s listener problems, found alone, are those the listeners of a Gateway with only that server report', () => {
    const tls = [undefined, {}, { mode: 'SIMPLE' }, { mode: 'SIMPLE', credentialName: 'c' }, { mode: 'PASSTHROUGH' }, { mode: 'MUTUAL', credentialName: 'c' },
      { mode: 'ISTIO_MUTUAL' }, { mode: 'OPTIONAL_MUTUAL', credentialName: 'c', subjectAltNames: ['a'] }, { credentialName: 'c', minProtocolVersion: 'TLSV1_3', cipherSuites: [] },
      { httpsRedirect: true }, { credentialName: 'c', caCertificates: '/x', verifyCertificateSpki: ['y'], maxProtocolVersion: 'TLSV1_3' }];
    let cases = 0;
    for (const protocol of ['HTTP', 'HTTPS', 'TLS', 'TCP', 'GRPC', 'https', undefined]) {
      for (const t of tls) {
        for (const hosts of [['a.example.com'], ['a.example.com', 'ns/b.example.com', '*'], []]) {
          const server = { port: { number: 443, name: 'p', ...(protocol ? { protocol } : {}) }, hosts, ...(t ? { tls: t } : {}) };
          expect(listeners.serverListenerProblems(server)).toEqual(listeners.listenersOf([server], '').problems);
          cases++;
        }
      }
    }
    expect(cases).toBe(7 * 11 * 3);
  });
});

describe('a Gateway API route is translated once, when it is declared', () => {
  /** Calls of translateVirtualService (a VirtualService made an HTTPRoute, TLSRoute or TCPRoute) while `fn` runs. */
  const translations = (fn: () => void): number => callsOf('translateVirtualService', fn);

  test('building translates each route once; synthesizing, twice, translates none', () => {
    let app: App | undefined;
    // Each team's CanaryRoute is translated (its TLS host has no route of its own, its redirect route is rendered directly).
    expect(translations(() => { app = platform(4); })).toBe(4);
    const objects: any[] = [];
    expect(translations(() => objects.push(...synthApp(app!)))).toBe(0);
    expect(translations(() => synthApp(app!))).toBe(0);
    expect(find(objects, 'HTTPRoute', 'web', 'team-3').spec.rules).toHaveLength(1);
  });

  test('its parentRefs follow servers its gateway gets after it, as a route declared after them has them', () => {
    /** A gateway serving `hosts` (one TlsHost each) and a route to a.example.com, declared before the TlsHosts from `late` on. */
    const build = (late: number) => {
      const app = Testing.app();
      const chart = new Chart(app, 'c');
      const gateway = new TenantGateway(chart, 'edge', { namespace: 'team', name: 'edge', api: 'gateway-api' });
      const hosts = ['a.example.com', 'b.example.com', 'c.example.com'];
      const tls = (i: number) => new TlsHost(chart, `tls-${i}`, { gateway, hosts: [hosts[i]], credentialName: `cert-${i}` });
      for (let i = 0; i < late; i++) tls(i);
      new HttpRoute(chart, 'route', { gateways: [gateway], hosts: ['a.example.com', 'b.example.com'], destination: { host: 'web', port: 8080 } });
      return { app, more: () => { for (let i = late; i < hosts.length; i++) tls(i); } };
    };
    const early = build(1);
    const before = find(synthApp(early.app), 'HTTPRoute', 'route', 'team').spec.parentRefs;
    expect(before).toHaveLength(1);
    early.more();
    const after = find(synthApp(early.app), 'HTTPRoute', 'route', 'team').spec.parentRefs;
    const declaredLast = build(3).app;
    expect(after).toEqual(find(synthApp(declaredLast), 'HTTPRoute', 'route', 'team').spec.parentRefs);
    expect(after).toHaveLength(2);
  });
});

describe('a route comes after its gateway in the YAML, without listing a chart\'s children per route', () => {
  /** Index in the synthesized objects of the Gateway and of each VirtualService, by name. */
  function positions(app: App): Record<string, number> {
    const out: Record<string, number> = {};
    synthApp(app).forEach((o, i) => { out[`${o.kind}/${o.metadata.name}`] = i; });
    return out;
  }

  test('routes in scopes made before and after the gateway\'s, also with array-index ids (listed first by JavaScript)', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const early = new Construct(chart, 'early');
    const gwScope = new Construct(chart, '5');
    const gw = new IngressGateway(gwScope, 'shared', { namespace: 'edge' });
    gw.addHttpHosts(['a.example.com']);
    const route = (scope: Construct, name: string) => new HttpRoute(scope, name, { gateways: [gw], name, hosts: ['a.example.com'], destination: { host: name, port: 80 } });
    route(early, 'early');                         // its scope comes before the gateway's: needs ordering
    route(new Construct(chart, 'late'), 'late');   // after it in the tree
    route(new Construct(chart, '3'), 'index');     // made after, but '3' is listed before '5'
    route(new Construct(chart, '7'), 'index-after');
    const at = positions(app);
    for (const name of ['early', 'late', 'index', 'index-after']) expect(at[`VirtualService/${name}`]).toBeGreaterThan(at['Gateway/shared']);
  });

  test('a chart shared by many teams is listed a bounded number of times', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'edge');
    const gw = new IngressGateway(chart, 'shared', { namespace: 'edge' });
    const node = chart.node as IConstruct['node'];
    const children = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(node), 'children')!;
    let listings = 0;
    Object.defineProperty(node, 'children', { configurable: true, get() { listings++; return children.get!.call(this); } });
    for (let i = 0; i < 30; i++) {
      const scope = new Construct(chart, `team-${i}`);
      gw.addHttpHosts([`t${i}.example.com`]);
      new HttpRoute(scope, 'r', { gateways: [gw], name: `r-${i}`, hosts: [`t${i}.example.com`], destination: { host: 'web', port: 80 } });
    }
    delete (node as unknown as Record<string, unknown>).children;
    expect(listings).toBeLessThanOrEqual(2);
  });
});

describe('the options ConfigMaps of many gateways', () => {
  test('each holds exactly the YAML of its own patches, shared text or not', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const variants: TenantGatewayProps[] = [
      { namespace: 'a', name: 'gw' },
      { namespace: 'b', name: 'gw' },                                            // the same patches as a
      { namespace: 'c', name: 'gw', replicas: 3, autoscaling: false },
      { namespace: 'd', name: 'gw', resources: { requests: { cpu: '1' } } },
      { namespace: 'e', name: 'gw', resources: { requests: { cpu: '2' } } },
      { namespace: 'f', name: 'gw', topologySpread: [{ topologyKey: 'zone', maxSkew: 1 }, { topologyKey: 'host', maxSkew: 2 }] },
      { namespace: 'g', name: 'other', topologySpread: [{ topologyKey: 'zone', maxSkew: 1 }, { topologyKey: 'host', maxSkew: 2 }] },
    ];
    const gateways = variants.map((p, i) => new TenantGateway(chart, `gw-${i}`, { ...p, api: 'gateway-api' }));
    const objects = synthApp(app);
    gateways.forEach((g, i) => {
      const m = tenantGatewayModel(new PropChecker('t'), `gw-${i}`, { ...variants[i], api: 'gateway-api' }).workload;
      const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.namespace === g.namespace);
      expect(cm.data).toEqual({ ...tenantOptionsData(m) }); // written afresh, without any sharing
    });
    const data = (ns: string) => objects.find((o) => o.kind === 'ConfigMap' && o.metadata.namespace === ns).data;
    expect(data('a')).toEqual(data('b'));
    expect(data('d').deployment).not.toEqual(data('e').deployment);
    expect(data('f').deployment).toContain('*a1'); // an object met twice in one patch is an alias, as yaml writes it
    expect(data('f').deployment).not.toEqual(data('g').deployment); // the selector names the gateway
  });
});

describe('RenderedObject identity without a rendering', () => {
  test('the options ConfigMap\'s YAML is made once per gateway; each synthesis still gets its own object', () => {
    const app = platform(1);
    const configMap = () => synthApp(app).find((o) => o.kind === 'ConfigMap');
    const first = configMap();
    expect(first.data.deployment).toContain('istio-proxy');
    first.data.deployment = 'changed by the caller';
    first.data.extra = 'added by the caller';
    const second = configMap();
    expect(second).not.toBe(first);
    expect(second.data.deployment).toContain('istio-proxy');
    expect(second.data.extra).toBeUndefined();
  });

  test('the options ConfigMap\'s identity is its rendering\'s: apiVersion, kind, metadata and field names', () => {
    const m = tenantGatewayModel(new PropChecker('TenantGateway \'t\''), 't', {
      namespace: 'payments', name: 'payments-gw', api: 'gateway-api', labels: { team: 'payments' }, autoscaling: { minReplicas: 2, maxReplicas: 4 },
    }).workload;
    const identity = tenantOptionsIdentity(m);
    const rendered = renderTenantOptions(m);
    expect(Object.keys(identity)).toEqual(Object.keys(rendered));
    expect({ apiVersion: identity.apiVersion, kind: identity.kind, metadata: identity.metadata })
      .toEqual({ apiVersion: rendered.apiVersion, kind: rendered.kind, metadata: rendered.metadata });
  });
});
