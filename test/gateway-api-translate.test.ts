// The VirtualService → Gateway API translation as a pure function (render/gateway-api/translate.ts):
// the exact objects, key order and problems it gives for the shapes its parts meet, which its
// construct and `migrate` callers rely on (the YAML and the refusals are compared byte for byte).
import { allowedRoutes, listenersOf, parentRef, parentRefsFor, renderSubsetService } from '../src/render/gateway-api/listeners';
import { RouteContext, translateVirtualService, withParentRefs } from '../src/render/gateway-api/translate';
import { KubeObject } from '../src/render/objects';

/** A translated object's spec, to read in assertions. */
const specOf = (o: KubeObject): any => (o as Record<string, unknown>).spec;

const vs = (spec: Record<string, unknown>, namespace = 'shop'): Record<string, unknown> => ({
  apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'web', namespace }, spec,
});

/** A context whose gateways each have one listener per kind, recording what it is asked. */
function context(asked: string[] = []): RouteContext {
  return {
    parentRefs: (g, kind, hosts, port) => {
      asked.push(`${g} ${kind} ${hosts.join(',')}${port === undefined ? '' : ` ${port}`}`);
      const [namespace, name] = g.split('/');
      return [parentRef({ name, namespace }, 'shop', `${kind}-listener`)];
    },
    subsetService: (host, namespace, subset) => ({ name: `${host}-${subset}`, namespace }),
  };
}

describe('translateVirtualService', () => {
  test('gateways: short names qualified by the route namespace, mesh kept apart (GAMMA parentRef after the gateways)', () => {
    const asked: string[] = [];
    const t = translateVirtualService(vs({ hosts: ['web'], gateways: ['edge', 'mesh', 'infra/shared'], http: [{ route: [{ destination: { host: 'web', port: { number: 80 } } }] }] }), context(asked));
    expect(asked).toEqual(['shop/edge http web', 'infra/shared http web']);
    expect(t.problems).toEqual([]);
    expect(specOf(t.objects[0]).parentRefs).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge', sectionName: 'http-listener' },
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'shared', namespace: 'infra', sectionName: 'http-listener' },
      { group: '', kind: 'Service', name: 'web' },
    ]);
    // mesh traffic: no hostnames
    expect(Object.keys(specOf(t.objects[0]))).toEqual(['parentRefs', 'rules']);
    expect(t.parents).toEqual([expect.objectContaining({ gateways: ['shop/edge', 'infra/shared'], mesh: true, kind: 'http', field: 'spec.gateways' })]);
  });

  test('an HTTP rule: matches, then filters, backendRefs with weights (a single one only when not 100) and timeouts, in that key order', () => {
    const t = translateVirtualService(vs({
      hosts: ['web.example.com'], gateways: ['shop/edge'],
      http: [
        { match: [{ headers: { 'x-b': { exact: '1' }, 'x-a': { prefix: 'p.' } } }], route: [{ destination: { host: 'web', subset: 'v2', port: { number: 80 } }, weight: 100 }], timeout: '5s' },
        { route: [{ destination: { host: 'web', subset: 'v1', port: { number: 80 } }, weight: 90 }, { destination: { host: 'api.other.svc.cluster.local', port: { number: 81 } } }] },
        { match: [{ uri: { prefix: '/a' } }], route: [{ destination: { host: 'web', port: { number: 80 } }, weight: 30 }] },
      ],
    }), { ...context(), prefix: 'string' });
    const rules = specOf(t.objects[0]).rules;
    expect(rules[0]).toEqual({
      matches: [{ headers: [{ name: 'x-a', type: 'RegularExpression', value: '^p\\..*' }, { name: 'x-b', type: 'Exact', value: '1' }] }],
      backendRefs: [{ group: '', kind: 'Service', name: 'web-v2', port: 80 }],
      timeouts: { request: '5s' },
    });
    expect(Object.keys(rules[0])).toEqual(['matches', 'backendRefs', 'timeouts']);
    expect(rules[1].backendRefs).toEqual([
      { group: '', kind: 'Service', name: 'web-v1', port: 80, weight: 90 },
      { group: '', kind: 'Service', name: 'api', namespace: 'other', port: 81, weight: 0 },
    ]);
    expect(Object.keys(rules[1].backendRefs[1])).toEqual(['group', 'kind', 'name', 'namespace', 'port', 'weight']);
    expect(rules[2].matches).toEqual([{ path: { type: 'PathPrefix', value: '/a' } }, { path: { type: 'RegularExpression', value: '/a[^/].*' } }]);
    expect(rules[2].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'web', port: 80, weight: 30 }]);
    expect(t.backends).toEqual([
      { name: 'web-v2', namespace: 'shop', port: 80, weight: undefined },
      { name: 'web-v1', namespace: 'shop', port: 80, weight: 90 },
      { name: 'api', namespace: 'other', port: 81, weight: 0 },
      { name: 'web', namespace: 'shop', port: 80, weight: 30 },
    ].map((b) => (b.weight === undefined ? { name: b.name, namespace: b.namespace, port: b.port } : b)));
    expect(specOf(t.objects[0]).hostnames).toEqual(['web.example.com']);
  });

  test('problems come in rule order, each rule\'s in field order, then precedence', () => {
    const t = translateVirtualService(vs({
      hosts: ['web.example.com'], gateways: ['edge'], exportTo: ['.'],
      http: [
        { match: [{ uri: { prefix: '/' }, ignoreUriCase: true, port: 80 }], route: [{ destination: { host: 'web.example.com', port: { number: 80 } } }], timeout: '1.5s', retries: { attempts: 2 }, fault: { abort: {} } },
        { match: [{ uri: { exact: '/x' } }], route: [{ destination: { host: 'web' } }] },
      ],
    }), context());
    expect(t.problems.map((p) => p.field)).toEqual([
      'spec.exportTo',
      'spec.http[0].match[0].ignoreUriCase', 'spec.http[0].match[0].port',
      'spec.http[0].route[0].destination', 'spec.http[0].timeout', 'spec.http[0].fault', 'spec.http[0].retries',
      'spec.http[1].route[0].destination.port',
      'spec.http[1]',
    ]);
    expect(new Set(t.problems.map((p) => p.object))).toEqual(new Set(['VirtualService shop/web']));
  });

  test('TLS and TCP routes: one TLSRoute by SNI, one TCPRoute per tcp rule (named by index when several), no weight on a single backend', () => {
    const asked: string[] = [];
    const t = translateVirtualService(vs({
      hosts: ['legacy.example.com'], gateways: ['edge'],
      tls: [{ match: [{ port: 443, sniHosts: ['legacy.example.com'] }], route: [{ destination: { host: 'legacy', port: { number: 8443 } } }] }],
      tcp: [{ match: [{ port: 7000 }], route: [{ destination: { host: 'ledger', port: { number: 7000 } } }] },
        { match: [{ port: 7001 }], route: [{ destination: { host: 'ledger', port: { number: 7001 } }, weight: 20 }, { destination: { host: 'ledger2', port: { number: 7001 } }, weight: 80 }] }],
    }), context(asked));
    expect(t.objects.map((o) => `${o.kind} ${o.metadata.name}`)).toEqual(['TLSRoute web', 'TCPRoute web-0', 'TCPRoute web-1']);
    expect(specOf(t.objects[0])).toEqual({ parentRefs: [expect.objectContaining({ sectionName: 'tls-listener' })], hostnames: ['legacy.example.com'], rules: [{ backendRefs: [{ group: '', kind: 'Service', name: 'legacy', port: 8443 }] }] });
    expect(specOf(t.objects[2]).rules[0].backendRefs.map((b: any) => b.weight)).toEqual([20, 80]);
    expect(asked).toEqual(['shop/edge tls legacy.example.com', 'shop/edge tcp legacy.example.com 7000', 'shop/edge tcp legacy.example.com 7001']);
    expect(t.parents.map((p) => p.field)).toEqual(['spec.gateways', 'spec.tcp[0]', 'spec.tcp[1]']);
  });

  test('lists that are not lists are named (object, field, what is valid, the kind of value but not the value), and nothing is translated', () => {
    const origin = 'VirtualService shop/web';
    const refused = (spec: Record<string, unknown>) => {
      const t = translateVirtualService(vs(spec), context());
      expect(t.objects).toEqual([]);
      expect(t.parents).toEqual([]);
      expect(t.backends).toEqual([]);
      return t.problems;
    };
    expect(refused({ hosts: 'web', http: [] })).toEqual([{ object: origin, field: 'spec.hosts', reason: 'must be a list of host names, not a string' }]);
    expect(refused({ hosts: ['web'], gateways: 'edge', http: [] })).toEqual([{ object: origin, field: 'spec.gateways', reason: 'must be a list of gateway names, not a string' }]);
    expect(refused({ hosts: ['web'], gateways: [7] })).toEqual([{ object: origin, field: 'spec.gateways[0]', reason: 'must be a gateway name (`namespace/name`, `name` or `mesh`), not a number' }]);
    expect(refused({ hosts: ['web'], http: { route: [] } })).toEqual([{ object: origin, field: 'spec.http', reason: 'must be a list of http routes, not an object' }]);
    expect(refused({ hosts: ['web'], tcp: ['x'] })).toEqual([{ object: origin, field: 'spec.tcp[0]', reason: 'must be a tcp route (an object with route and match), not a string' }]);
    // a route that is one destination instead of a list of them (the backend was dropped without a word before)
    expect(refused({ hosts: ['web'], gateways: ['edge'], http: [{ route: { destination: { host: 'web', port: { number: 80 } } } }] }))
      .toEqual([{ object: origin, field: 'spec.http[0].route', reason: 'must be a list of destinations, not an object' }]);
    expect(refused({ hosts: ['web'], tls: [{ route: { destination: { host: 'web' } } }] })).toEqual([{ object: origin, field: 'spec.tls[0].route', reason: 'must be a list of destinations, not an object' }]);
    // a match that is not a list (an internal error before)
    expect(refused({ hosts: ['web'], gateways: ['edge'], http: [{ match: { uri: { exact: '/' } }, route: [] }] }))
      .toEqual([{ object: origin, field: 'spec.http[0].match', reason: 'must be a list of match conditions, not an object' }]);
    expect(refused({ hosts: ['web'], tls: [{ match: [null, { sniHosts: 'web' }], route: [] }] })).toEqual([
      { object: origin, field: 'spec.tls[0].match[0]', reason: 'must be a match condition (an object), not null' },
      { object: origin, field: 'spec.tls[0].match[1].sniHosts', reason: 'must be a list of host names, not a string' },
    ]);
    // absent lists are empty
    const t = translateVirtualService(vs({ http: [{ route: [{ destination: { host: 'web', port: { number: 80 } } }] }] }), context());
    expect(specOf(t.objects[0]).parentRefs).toEqual([]);
    expect(t.parents[0]).toEqual(expect.objectContaining({ hosts: [], gateways: [], mesh: true }));
  });

  test('withParentRefs remakes only spec.parentRefs, first, and keeps the rest of the route as it was', () => {
    const t = translateVirtualService(vs({ hosts: ['web.example.com'], gateways: ['edge'], http: [{ route: [{ destination: { host: 'web', port: { number: 80 } } }] }] }), { ...context(), parentRefs: () => [] });
    const route = withParentRefs(t.objects[0], t.parents[0], context().parentRefs);
    expect(Object.keys(specOf(route))).toEqual(['parentRefs', 'hostnames', 'rules']);
    expect(specOf(route).parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge', sectionName: 'http-listener' }]);
    expect(specOf(route).rules).toBe(specOf(t.objects[0]).rules);
    expect(specOf(t.objects[0]).parentRefs).toEqual([]);
  });
});

describe('parentRefsFor', () => {
  const gw = { name: 'edge', namespace: 'infra' };
  const listeners = [
    { name: 'http', port: 80, protocol: 'HTTP' as const, redirect: true },
    { name: 'web', port: 443, protocol: 'HTTPS' as const, hostname: 'web.example.com' },
    { name: 'any', port: 443, protocol: 'HTTPS' as const, hostname: '*.example.com' },
    { name: 'tls', port: 8443, protocol: 'TLS' as const, hostname: 'legacy.example.com' },
    { name: 'tcp', port: 7000, protocol: 'TCP' as const },
  ];

  test('one parentRef per serving listener (never a redirect listener), with the namespace only across namespaces, in key order', () => {
    expect(parentRefsFor(listeners, gw, 'shop', 'http', ['shop/web.example.com'])).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge', namespace: 'infra', sectionName: 'web' },
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge', namespace: 'infra', sectionName: 'any' },
    ]);
    expect(Object.keys((parentRefsFor(listeners, gw, 'shop', 'http', ['api.example.com']) as any[])[0])).toEqual(['group', 'kind', 'name', 'namespace', 'sectionName']);
    expect(parentRefsFor(listeners, gw, 'infra', 'tcp', ['x'], 7000)).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge', sectionName: 'tcp' }]);
    expect(parentRefsFor(listeners, gw, 'shop', 'tcp', ['x'], 7001)).toBe('Gateway infra/edge has no TCP listener on port 7001 serving ["x"]');
    expect(parentRefsFor(listeners, gw, 'shop', 'tls', ['other.example.org'])).toBe('Gateway infra/edge has no TLS listener serving ["other.example.org"]');
  });

  test('the whole Gateway when every listener serves the route', () => {
    const two = [listeners[1], listeners[2]];
    expect(parentRefsFor(two, gw, 'infra', 'http', ['web.example.com'])).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge' }]);
  });
});

describe('listeners and version Services at synthesis (tenth round fast paths)', () => {
  const server = (name: string, hosts: string[], protocol = 'HTTP', extra: object = {}) => ({ port: { number: 80, name, protocol }, hosts, ...extra });

  test('a one-host server admits its own namespace part: named, `.` (the gateway\'s), `*` (all) or none', () => {
    const { listeners, problems } = listenersOf([
      server('http-a', ['team-b/a.example.com']),
      server('http-b', ['./b.example.com']),
      server('http-c', ['*/c.example.com']),
      server('http-d', ['d.example.com']),
      server('http-e', ['team-z/e.example.com', 'team-a/e.example.com', 'team-z/e.example.com']),
    ], 'Gateway ns/gw', { gatewayNamespace: 'edge' });
    expect(problems).toEqual([]);
    expect(listeners.map((l) => [l.name, l.hostname, l.namespaces])).toEqual([
      ['http-a', 'a.example.com', ['team-b']],
      ['http-b', 'b.example.com', ['edge']],
      ['http-c', 'c.example.com', 'All'],
      ['http-d', 'd.example.com', undefined],
      ['http-e', 'e.example.com', ['team-a', 'team-z']],
    ]);
  });

  test('listener bases keep only the fields they set, and a second listener on a served host is refused', () => {
    const { listeners, problems } = listenersOf([
      server('http', ['a.example.com'], 'HTTP', { tls: { httpsRedirect: true } }),
      server('https', ['a.example.com'], 'HTTPS', { port: { number: 443, name: 'https', protocol: 'HTTPS' }, tls: { mode: 'SIMPLE', credentialName: 'cert' } }),
      server('tcp', ['ns/*'], 'TCP'),
      server('again', ['a.example.com']),
    ], 'Gateway ns/gw', { secretNamespace: 'istio-system' });
    expect(listeners).toEqual([
      { port: 80, protocol: 'HTTP', redirect: true, name: 'http', source: 'http', hostname: 'a.example.com' },
      { port: 443, protocol: 'HTTPS', tls: { mode: 'Terminate', certificateRefs: [{ name: 'cert', namespace: 'istio-system' }] }, name: 'https', source: 'https', hostname: 'a.example.com' },
      { port: 80, protocol: 'TCP', name: 'tcp', source: 'tcp', namespaces: ['ns'] },
    ]);
    expect(Object.keys(listeners[0])).toEqual(['port', 'protocol', 'redirect', 'name', 'source', 'hostname']);
    expect(problems.map((p) => p.field)).toEqual(['spec.servers[3].hosts']);
  });

  test('allowedRoutes of one namespace: Same for the gateway\'s own, else that namespace', () => {
    expect(allowedRoutes('edge', ['edge'])).toEqual({ namespaces: { from: 'Same' } });
    expect(allowedRoutes('edge', ['team-a']).namespaces.selector.matchExpressions[0].values).toEqual(['team-a']);
    expect(allowedRoutes('edge', ['b', 'a', 'b']).namespaces.selector.matchExpressions[0].values).toEqual(['a', 'b']);
  });

  test('a version Service\'s selector is written in key order, sorted or not as given', () => {
    const keysOf = (selector: Record<string, string>) => Object.keys((renderSubsetService('s-v1', 'ns', selector, []).spec as { selector: object }).selector);
    expect(keysOf({ app: 'shop', version: 'v1' })).toEqual(['app', 'version']);
    expect(keysOf({ version: 'v1', app: 'shop', 'a.io/x': 'y' })).toEqual(['a.io/x', 'app', 'version']);
    const odd = JSON.parse('{"__proto__": "x", "app": "shop"}') as Record<string, string>;
    const sel = (renderSubsetService('s-v1', 'ns', odd, []).spec as { selector: Record<string, string> }).selector;
    expect(Object.keys(sel)).toEqual(['__proto__', 'app']);
    expect(Object.getPrototypeOf(sel)).toBe(Object.prototype);
  });
});
