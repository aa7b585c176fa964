// istio-gateway migrate: Istio's own bookinfo sample converts to what Istio's Gateway API sample says
// and routes like the input; what Gateway API cannot say is named, one line each, with exit code 1.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { main } from '../src/cli/main';
import { CliIO } from '../src/cli/load';
import { migrate } from '../src/migration';
import { find } from './support/synth';
import { gatewayApiIssues } from './support/gateway-api-crds';
import { routeGatewayApi, routeIstio, TestRequest } from './support/request-oracle';

const fixture = (name: string): any[] => parseAllDocuments(fs.readFileSync(path.join(__dirname, 'fixtures/migrate', name), 'utf8')).map((d) => d.toJS());

async function cli(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, readStdin: async () => stdin };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** Fills the defaults Gateway API gives omitted fields, so explicit and implicit forms compare equal. */
function normalize(o: any): any {
  const c = JSON.parse(JSON.stringify(o));
  for (const p of c.spec?.parentRefs ?? []) { p.group ??= 'gateway.networking.k8s.io'; p.kind ??= 'Gateway'; }
  for (const r of c.spec?.rules ?? []) for (const b of r.backendRefs ?? []) { b.group ??= ''; b.kind ??= 'Service'; }
  return { apiVersion: c.apiVersion, kind: c.kind, name: c.metadata.name, spec: c.spec };
}

const productpage = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'productpage', namespace: 'default' }, spec: { selector: { app: 'productpage' }, ports: [{ port: 9080 }] } };
const paths = ['/productpage', '/static/img.png', '/static', '/login', '/logout', '/api/v1/products', '/api/v1/products/1', '/', '/reviews', '/loginx'];

describe('migrate: bookinfo-gateway.yaml', () => {
  const input = fixture('bookinfo-gateway.yaml');
  const expected = fixture('bookinfo-gateway-api.yaml');
  const result = migrate(input);

  test('converts everything', () => {
    expect(result.problems).toEqual([]);
    expect(result.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Gateway/bookinfo-gateway', 'HTTPRoute/bookinfo']);
    // no namespace in, none out: applied where the input would have been
    expect(result.objects.map((o) => o.metadata.namespace)).toEqual([undefined, undefined]);
  });

  test('the output validates against the Gateway API CRDs', () => {
    expect(gatewayApiIssues(result.objects).errors).toEqual([]);
  });

  test('writes what Istio\'s Gateway API sample says', () => {
    expect(normalize(find(result.objects, 'Gateway', 'bookinfo-gateway'))).toEqual(normalize(find(expected, 'Gateway', 'bookinfo-gateway')));
    expect(normalize(find(result.objects, 'HTTPRoute', 'bookinfo'))).toEqual(normalize(find(expected, 'HTTPRoute', 'bookinfo')));
  });

  test.each(paths)('%s routes as the input and as Istio\'s sample', (p) => {
    const istio = routeIstio([...input, productpage], { gateway: 'default/bookinfo-gateway', port: 8080, host: 'any.example.com', path: p });
    const req: TestRequest = { gateway: 'default/bookinfo-gateway', port: 80, host: 'any.example.com', path: p };
    const converted = routeGatewayApi([...result.objects, productpage], req);
    expect(converted).toEqual(routeGatewayApi([...expected, productpage], req));
    // Istio's prefix is a string prefix, Gateway API's a path-segment prefix: /staticx differs, the grid's paths do not.
    expect(converted).toEqual(istio);
  });
});

describe('migrate: subsets, header routing, TLS and the redirect', () => {
  const input = fixture('reviews-canary.yaml');
  const result = migrate(input);
  const requests: [string, TestRequest][] = [
    ['jason over https', { gateway: 'bookinfo/edge', port: 443, host: 'reviews.example.com', path: '/', headers: { 'end-user': 'jason' } }],
    ['anyone over https', { gateway: 'bookinfo/edge', port: 443, host: 'reviews.example.com', path: '/reviews/1' }],
    ['http is redirected', { gateway: 'bookinfo/edge', port: 80, host: 'reviews.example.com', path: '/' }],
    ['another host', { gateway: 'bookinfo/edge', port: 443, host: 'other.example.com', path: '/' }],
  ];

  test('converts everything: one Service per subset, no DestinationRule', () => {
    expect(result.problems).toEqual([]);
    expect(result.objects.some((o) => o.apiVersion.startsWith('networking.istio.io'))).toBe(false);
    expect(find(result.objects, 'Service', 'reviews-v2', 'bookinfo').spec.selector).toEqual({ app: 'reviews', version: 'v2' });
    const gw = find(result.objects, 'Gateway', 'edge', 'bookinfo');
    expect(gw.spec.listeners.find((l: any) => l.protocol === 'HTTPS').tls).toEqual({ mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'reviews-cert' }] });
    // The route binds to the HTTPS listener only; the redirect listener has its own route.
    expect(find(result.objects, 'HTTPRoute', 'reviews', 'bookinfo').spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge', sectionName: 'https' }]);
  });

  test('the output validates against the Gateway API CRDs', () => {
    expect(gatewayApiIssues(result.objects).errors).toEqual([]);
  });

  test.each(requests)('%s routes as the input', (_n, req) => {
    expect(routeGatewayApi(result.objects, req)).toEqual(routeIstio(input, req));
  });

  test('the oracle tells the outcomes apart', () => {
    expect(routeIstio(input, requests[0][1])).toEqual({ kind: 'route', shares: [{ pods: 'bookinfo:app=reviews,version=v2', port: 9080, percent: 100 }] });
    expect(routeGatewayApi(result.objects, requests[1][1])).toEqual({ kind: 'route', shares: [
      { pods: 'bookinfo:app=reviews,version=v1', port: 9080, percent: 50 }, { pods: 'bookinfo:app=reviews,version=v3', port: 9080, percent: 50 }] });
    expect(routeGatewayApi(result.objects, requests[2][1])).toEqual({ kind: 'redirect', scheme: 'https' });
    expect(routeGatewayApi(result.objects, requests[3][1])).toEqual({ kind: 'none' });
  });
});

describe('migrate: a mesh route with subsets (virtual-service-reviews-90-10.yaml)', () => {
  const result = migrate(fixture('reviews-90-10.yaml'));
  const expected = find(fixture('route-reviews-90-10.yaml'), 'HTTPRoute', 'reviews');

  test('converts everything; subsets no route names need nothing', () => {
    expect(result.problems).toEqual([]);
    expect(result.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Service/reviews-v1', 'Service/reviews-v2', 'HTTPRoute/reviews']);
    expect(gatewayApiIssues(result.objects).errors).toEqual([]);
  });

  test('is Istio\'s GAMMA route, with the version Services Istio\'s bookinfo-versions.yaml names alike', () => {
    const route = normalize(find(result.objects, 'HTTPRoute', 'reviews'));
    // Istio's sample names the Service port on its parent; the VirtualService applied to every port of reviews, as this does.
    const want = normalize({ ...expected, apiVersion: 'gateway.networking.k8s.io/v1', spec: { ...expected.spec, parentRefs: [{ group: '', kind: 'Service', name: 'reviews' }] } });
    expect(route).toEqual(want);
    expect(find(result.objects, 'Service', 'reviews-v1').spec).toEqual({ selector: { app: 'reviews', version: 'v1' }, ports: [{ name: 'http', port: 9080 }] });
  });
});

describe('migrate: Istio\'s TCP traffic shifting (samples/tcp-echo, 80/20)', () => {
  const input = fixture('tcp-echo-20-v2.yaml');
  const result = migrate(input);

  test('converts everything: a TCP listener, version Services and a weighted TCPRoute', () => {
    expect(result.problems).toEqual([]);
    expect(result.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Gateway/tcp-echo-gateway', 'Service/tcp-echo-v1', 'Service/tcp-echo-v2', 'TCPRoute/tcp-echo']);
    expect(gatewayApiIssues(result.objects).errors).toEqual([]);
  });

  test('connections on 31400 are split as the input splits them', () => {
    const req: TestRequest = { gateway: 'default/tcp-echo-gateway', port: 31400, host: 'any' };
    const want = { kind: 'route', shares: [
      { pods: 'default:app=tcp-echo,version=v1', port: 9000, percent: 80 }, { pods: 'default:app=tcp-echo,version=v2', port: 9000, percent: 20 }] };
    expect(routeIstio(input, req)).toEqual(want);
    expect(routeGatewayApi([...input.filter((o) => o.kind === 'Service'), ...result.objects], req)).toEqual(want);
  });
});

describe('migrate: what Gateway API cannot say', () => {
  const vs = {
    apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'r', namespace: 'web' },
    spec: {
      hosts: ['web.example.com'], gateways: ['gw'],
      http: [{ fault: { abort: { httpStatus: 503, percentage: { value: 10 } } }, route: [{ destination: { host: 'web', port: { number: 80 } } }] }],
    },
  };
  const gw = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'web' }, spec: { selector: { istio: 'ingress' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['web.example.com'] }] } };

  test('one line per construct and field, with the reason', () => {
    const r = migrate([gw, vs]);
    expect(r.problems).toEqual([expect.stringMatching(/^VirtualService web\/r: spec\.http\[0\]\.fault: HTTPRoute has no fault injection/)]);
  });

  test('a rule order Gateway API would change is named', () => {
    const ordered = { ...vs, spec: { ...vs.spec, http: [
      { match: [{ uri: { prefix: '/' } }], route: [{ destination: { host: 'a', port: { number: 80 } } }] },
      { match: [{ uri: { prefix: '/api' } }], route: [{ destination: { host: 'b', port: { number: 80 } } }] },
    ] } };
    expect(migrate([gw, ordered]).problems).toEqual([expect.stringContaining('spec.http[1]: Gateway API tries more specific matches first')]);
  });

  test('a subset whose Service is not in the input is named', () => {
    const canary = { ...vs, spec: { ...vs.spec, http: [{ route: [{ destination: { host: 'web', subset: 'v1', port: { number: 80 } } }] }] } };
    const dr = { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'web', namespace: 'web' }, spec: { host: 'web', subsets: [{ name: 'v1', labels: { version: 'v1' } }] } };
    expect(migrate([gw, canary, dr]).problems).toEqual([expect.stringContaining('no Service web/web with a selector')]);
  });

  test('the CLI writes YAML to stdout, the lines to stderr, and exits 1', async () => {
    const r = await cli(['migrate', '-'], [gw, vs].map((o) => stringify(o)).join('---\n'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^not converted: VirtualService web\/r: spec\.http\[0\]\.fault: /);
    const out = parseAllDocuments(r.stdout).map((d) => d.toJS());
    expect(out.map((o) => o.kind)).toEqual(['Gateway', 'HTTPRoute']);
  });

  test('--exact-prefixes keeps Istio\'s string prefixes: /staticx routes as the input', async () => {
    const file = path.join(__dirname, 'fixtures/migrate/bookinfo-gateway.yaml');
    const r = await cli(['migrate', file, '--exact-prefixes']);
    expect(r.code).toBe(0);
    const out = parseAllDocuments(r.stdout).map((d) => d.toJS());
    const input = fixture('bookinfo-gateway.yaml');
    const staticx = (port: number): TestRequest => ({ gateway: 'default/bookinfo-gateway', port, host: 'x.example.com', path: '/staticx' });
    expect(routeGatewayApi([...out, productpage], staticx(80))).toEqual(routeIstio([...input, productpage], staticx(8080)));
    expect(routeGatewayApi([...migrate(input).objects, productpage], staticx(80))).toEqual({ kind: 'none' });
  });

  test('a VirtualService whose lists are not lists is named, field by field, instead of an internal error; the rest converts', async () => {
    const bad = { ...vs, metadata: { name: 'bad', namespace: 'web' }, spec: { hosts: ['web.example.com'], gateways: 'gw', http: [{ route: { destination: { host: 'web', port: { number: 80 } } } }] } };
    const r = await cli(['migrate', '-'], [gw, bad].map((o) => stringify(o)).join('---\n'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe([
      'not converted: VirtualService web/bad: spec.gateways: must be a list of gateway names, not a string\n',
      'not converted: VirtualService web/bad: spec.http[0].route: must be a list of destinations, not an object\n',
    ].join(''));
    expect(parseAllDocuments(r.stdout).map((d) => d.toJS().kind)).toEqual(['Gateway']);
  });

  test('the CLI exits 0 on bookinfo', async () => {
    const r = await cli(['migrate', path.join(__dirname, 'fixtures/migrate/bookinfo-gateway.yaml')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('migrate: listener conflicts', () => {
  test('a host served twice on one port of a Gateway is named', () => {
    const gw = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'web' }, spec: { selector: { istio: 'ingress' }, servers: [
      { port: { number: 443, name: 'https-a', protocol: 'HTTPS' }, hosts: ['a.example.com'], tls: { mode: 'SIMPLE', credentialName: 'a' } },
      { port: { number: 443, name: 'https-b', protocol: 'HTTPS' }, hosts: ['a.example.com'], tls: { mode: 'SIMPLE', credentialName: 'b' } },
    ] } };
    const r = migrate([gw]);
    expect(r.problems).toEqual([expect.stringContaining('spec.servers[1].hosts: listener "https-a" already serves "a.example.com" on port 443')]);
    expect(find(r.objects, 'Gateway', 'gw', 'web').spec.listeners.map((l: any) => l.name)).toEqual(['https-a']);
  });
});
