// The routing picture: nodes and edges of platforms synthesized with the constructs and of
// hand-written configuration, dangling references, and the three renderings.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdk8s';
import { stringify } from 'yaml';
import { buildExamplePlatform } from '../examples/platform';
import { routingGraph, toDot, toHtml, toMermaid } from '../src';
import { GraphEdge, GraphNode, RoutingGraph, selectGraph } from '../src/graph';
import { main } from '../src/cli/main';
import { CliIO } from '../src/cli/load';
import { backingServices, platform } from './support/routing-platform';
import { CanaryRoute, HttpRoute, TenantGateway, TlsHost } from '../src';
import { newChart, synth } from './support/synth';

const node = (g: RoutingGraph, id: string): GraphNode => {
  const n = g.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`no node ${id} among ${g.nodes.map((x) => x.id).join(', ')}`);
  return n;
};
const edge = (g: RoutingGraph, from: string, to: string): GraphEdge => {
  const e = g.edges.find((x) => x.from === from && x.to === to);
  if (!e) throw new Error(`no edge ${from} -> ${to}`);
  return e;
};
const ofKind = (g: RoutingGraph, kind: string): string[] => g.nodes.filter((n) => n.kind === kind).map((n) => n.id);

const GW = 'payments/payments-gw';

describe('routingGraph on a synthesized platform', () => {
  const g = routingGraph(platform());

  test('workload -> gateway -> listeners with port, protocol, TLS mode and certificate', () => {
    expect(edge(g, 'workload:Deployment/payments/payments-gw', `gateway:${GW}`).kind).toBe('runs');
    const listeners = ofKind(g, 'listener').map((id) => node(g, id).attrs);
    expect(listeners).toEqual(expect.arrayContaining([
      expect.objectContaining({ port: '443', protocol: 'HTTPS', tlsMode: 'SIMPLE', credentialName: 'shop-cert' }),
      expect.objectContaining({ port: '443', protocol: 'HTTPS', tlsMode: 'SIMPLE', credentialName: 'api-cert' }),
      expect.objectContaining({ port: '80', protocol: 'HTTP', httpsRedirect: 'true' }),
      expect.objectContaining({ port: '7000', protocol: 'TCP' }),
    ]));
    expect(listeners).toHaveLength(5);
    expect(ofKind(g, 'gateway')).toEqual([`gateway:${GW}`]);
  });

  test('hosts -> routes with their match conditions -> destinations with weights', () => {
    expect(ofKind(g, 'host').map((id) => node(g, id).label).sort()).toEqual(['*', 'api.payments.example.com', 'shop.payments.example.com']);
    const canary = node(g, 'route:payments/checkout:http:canary');
    expect(canary.attrs.match).toBe('header x-canary = yes');
    const split = node(g, 'route:payments/checkout:http:split');
    expect(split.attrs.match).toBe('any');
    expect(edge(g, `host:${GW}:api.payments.example.com`, split.id).kind).toBe('routes');
    const v1 = 'destination:checkout.payments.svc.cluster.local:8080:v1';
    const v2 = 'destination:checkout.payments.svc.cluster.local:8080:v2';
    expect(edge(g, split.id, v1)).toEqual({ from: split.id, to: v1, kind: 'sends', weight: 90 });
    expect(edge(g, split.id, v2)).toEqual({ from: split.id, to: v2, kind: 'sends', weight: 10 });
    expect(edge(g, canary.id, v2).weight).toBe(100);
    expect(node(g, v2).label).toBe('checkout.payments.svc.cluster.local:8080 subset v2');
    expect(edge(g, 'route:payments/ledger:tcp:#0', 'destination:ledger.payments.svc.cluster.local:7000:').weight).toBe(100);
    expect(edge(g, `host:${GW}:*`, 'route:payments/ledger:tcp:#0').kind).toBe('routes');
  });

  test('a TCP server on host * carries TCP routes only, not the HTTP routes of other hosts', () => {
    const fromStar = g.edges.filter((e) => e.from === `host:${GW}:*`).map((e) => e.to);
    expect(fromStar).toEqual(['route:payments/ledger:tcp:#0']);
  });

  test('nothing dangles when every reference resolves', () => {
    expect(g.edges.filter((e) => e.dangling)).toEqual([]);
    expect(g.nodes.filter((n) => n.missing)).toEqual([]);
  });

  test('deterministic: input order does not change the graph', () => {
    const objs = platform();
    expect(routingGraph([...objs].reverse())).toEqual(routingGraph(objs));
  });

  test('a mesh route (no gateways) hangs off the mesh pseudo-gateway', () => {
    const vs = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'r', namespace: 'payments' },
      spec: { hosts: ['checkout'], http: [{ route: [{ destination: { host: 'checkout', port: { number: 8080 } } }] }] } };
    const m = routingGraph([...backingServices(), vs]);
    expect(edge(m, 'gateway:mesh', 'host:mesh:checkout.payments.svc.cluster.local').kind).toBe('serves');
    expect(edge(m, 'host:mesh:checkout.payments.svc.cluster.local', 'route:payments/r:http:#0').dangling).toBeUndefined();
  });
});

test('a delegating rule: the delegate\'s rules are drawn entered from the root\'s hosts; a missing delegate dangles', () => {
  const gw = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'edge', namespace: 'edge' },
    spec: { selector: { istio: 'edge' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com'] }] } };
  const root = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'root', namespace: 'edge' },
    spec: { hosts: ['shop.example.com'], gateways: ['edge'], http: [
      { match: [{ uri: { prefix: '/cart' } }], delegate: { name: 'cart', namespace: 'team-a' } },
      { match: [{ uri: { prefix: '/gone' } }], delegate: { name: 'gone', namespace: 'team-b' } }] } };
  const cart = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'cart', namespace: 'team-a' },
    spec: { http: [{ match: [{ uri: { prefix: '/cart/v2' } }], route: [{ destination: { host: 'cart' }, weight: 100 }] }] } };
  const g = routingGraph([gw, root, cart]);
  const host = 'host:edge/edge:shop.example.com';
  expect(node(g, 'route:edge/root:http:#0').attrs.action).toBe('delegate to team-a/cart');
  const delegated = node(g, 'route:team-a/cart:http:#0');
  expect(delegated.attrs.delegatedFrom).toBe('edge/root http[0]');
  expect(edge(g, host, delegated.id).dangling).toBeUndefined();
  expect(edge(g, delegated.id, 'destination:cart.team-a.svc.cluster.local::').weight).toBe(100);
  expect(edge(g, host, 'route:team-b/gone:http:(missing delegate)').dangling).toBe('delegate VirtualService team-b/gone is not in the input');
  // The delegate is not drawn a second time as a mesh route of its own.
  expect(g.nodes.some((n) => n.id === 'gateway:mesh')).toBe(false);
});

test('redirects, direct responses, delegation and mirrors are named on the route', () => {
  const vs = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'r', namespace: 'n' },
    spec: { hosts: ['a'], http: [
      { redirect: { authority: 'b.example.com', uri: '/new' } }, { directResponse: { status: 418 } },
      { delegate: { name: 'team', namespace: 'other' } }, { mirror: { host: 'shadow', subset: 'v9' }, route: [{ destination: { host: 'a' } }] }] } };
  const g = routingGraph([vs]);
  expect([0, 1, 2, 3].map((i) => node(g, `route:n/r:http:#${i}`).attrs.action)).toEqual([
    'redirect to b.example.com /new', 'direct response 418', 'delegate to other/team', 'mirror to shadow subset v9']);
});

describe('selectGraph', () => {
  const meshVs = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'bookinfo' },
    spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', port: { number: 9080 } } }] }] } };
  const g = routingGraph([...platform(), meshVs]);

  test('by namespace: that namespace\'s gateways and everything they reach, nothing else', () => {
    const s = selectGraph(g, { namespaces: ['payments'] });
    expect(s.nodes.filter((n) => n.kind === 'gateway').map((n) => n.id)).toEqual([`gateway:${GW}`]);
    expect(s.nodes.map((n) => n.id)).toContain('workload:Deployment/payments/payments-gw');
    expect(s.nodes.map((n) => n.id)).toContain('destination:checkout.payments.svc.cluster.local:8080:v2');
    expect(s.nodes.some((n) => n.id.includes('reviews'))).toBe(false);
    for (const e of s.edges) expect(s.nodes.some((n) => n.id === e.from) && s.nodes.some((n) => n.id === e.to)).toBe(true);
  });

  test('mesh routes by their namespace, or the mesh as a whole', () => {
    const s = selectGraph(g, { namespaces: ['bookinfo'] });
    expect(s.nodes.map((n) => n.id)).toEqual(['gateway:mesh', 'host:mesh:reviews.bookinfo.svc.cluster.local', 'route:bookinfo/reviews:http:#0',
      'destination:reviews.bookinfo.svc.cluster.local:9080:']);
    expect(selectGraph(g, { gateways: ['mesh'] }).nodes).toEqual(s.nodes);
  });
});

describe('the example platform', () => {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'graph-example-')) });
  buildExamplePlatform(app);
  const g = routingGraph(app.charts.flatMap((c) => c.toJson()));

  test('its gateways, listeners and the routes of every chart', () => {
    expect(ofKind(g, 'gateway')).toEqual(['gateway:bookinfo/bookinfo-gateway', 'gateway:istioinaction/my-user-gateway', 'gateway:istioinaction/web-gateway', 'gateway:mesh']);
    expect(ofKind(g, 'route')).toHaveLength(18);
    expect(node(g, 'listener:istioinaction/web-gateway:443:https-443-partner-api').attrs).toEqual(expect.objectContaining({ tlsMode: 'MUTUAL', credentialName: 'partner-credential' }));
    expect(edge(g, 'host:istioinaction/web-gateway:simple-sni-1.istioinaction.io', 'route:istioinaction/simple-tls-service:tls:#0').dangling).toBeUndefined();
    expect(edge(g, 'route:reviews-split/reviews:http:split', 'destination:reviews.reviews-split.svc.cluster.local:9080:v2').weight).toBe(10);
    // The shared ingress gateway's pods are not part of the example: drawn as missing.
    expect(node(g, 'workload:selector:istio=ingressgateway').missing).toEqual(expect.any(String));
  });
});

test('a route host under a wildcard server host gets a host node of its own, served by the same listeners', () => {
  const gw = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'edge', namespace: 'edge' },
    spec: { selector: { istio: 'edge' }, servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['*.example.com'], tls: { mode: 'SIMPLE', credentialName: 'wild' } }] } };
  const vs = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'shop', namespace: 'edge' },
    spec: { hosts: ['shop.example.com'], gateways: ['edge'], http: [{ route: [{ destination: { host: 'shop' } }] }] } };
  const httpRoute = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'blog', namespace: 'edge' },
    spec: { parentRefs: [{ name: 'k8s' }], hostnames: ['blog.example.com'], rules: [{ backendRefs: [{ name: 'blog', port: 80 }] }] } };
  const k8sGw = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'k8s', namespace: 'edge' },
    spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', hostname: '*.example.com' }] } };
  const g = routingGraph([gw, vs, k8sGw, httpRoute]);
  const shop = node(g, 'host:edge/edge:shop.example.com');
  expect(shop.attrs.via).toBe('*.example.com');
  expect(edge(g, 'listener:edge/edge:443:https', shop.id).kind).toBe('serves');
  expect(edge(g, shop.id, 'route:edge/shop:http:#0').dangling).toBeUndefined();
  expect(g.edges.filter((e) => e.from === 'host:edge/edge:*.example.com')).toEqual([]);
  const blog = node(g, 'host:gateway-api:edge/k8s:blog.example.com');
  expect(edge(g, 'listener:gateway-api:edge/k8s:80:http', blog.id).kind).toBe('serves');
  expect(edge(g, blog.id, 'route:HTTPRoute/edge/blog:#0').dangling).toBeUndefined();
  expect(toMermaid(g)).toContain('["shop.example.com"]');
  expect(toMermaid(g)).toContain('["blog.example.com"]');
});

describe('dangling references are drawn as such', () => {
  const gateway = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'edge' },
    spec: { selector: { istio: 'edge' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['a.example.com'] }] } };
  const pods = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'edge', namespace: 'edge' },
    spec: { selector: { matchLabels: { istio: 'edge' } }, template: { metadata: { labels: { istio: 'edge' } }, spec: {} } } };
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'edge' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } };
  const dr = { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'web', namespace: 'edge' },
    spec: { host: 'web', subsets: [{ name: 'v1', labels: { version: 'v1' } }] } };
  const vs = (hosts: string[], dests: object[], gateways = ['gw']): object => ({
    apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'web', namespace: 'edge' },
    spec: { hosts, gateways, http: [{ route: dests }] },
  });

  test('a route to a subset no DestinationRule defines', () => {
    const g = routingGraph([gateway, pods, svc, dr, vs(['a.example.com'], [
      { destination: { host: 'web', port: { number: 80 }, subset: 'v1' }, weight: 50 },
      { destination: { host: 'web', port: { number: 80 }, subset: 'v9' }, weight: 50 },
    ])]);
    const bad = edge(g, 'route:edge/web:http:#0', 'destination:web.edge.svc.cluster.local:80:v9');
    expect(bad.dangling).toBe('no DestinationRule defines subset v9 for web.edge');
    expect(node(g, bad.to).missing).toBe(bad.dangling);
    expect(edge(g, 'route:edge/web:http:#0', 'destination:web.edge.svc.cluster.local:80:v1').dangling).toBeUndefined();
  });

  test('a host no gateway serves', () => {
    const g = routingGraph([gateway, pods, svc, vs(['b.example.com'], [{ destination: { host: 'web' } }])]);
    const h = node(g, 'host:edge/gw:b.example.com');
    expect(h.missing).toBe('no HTTP/HTTPS server of Gateway edge/gw serves b.example.com');
    expect(edge(g, h.id, 'route:edge/web:http:#0').dangling).toBe(h.missing);
    // Drawn under the gateway that does not serve it.
    expect(edge(g, 'gateway:edge/gw', h.id)).toEqual({ from: 'gateway:edge/gw', to: h.id, kind: 'serves', dangling: h.missing });
    expect(toHtml(g)).not.toContain('not attached to any gateway');
  });

  test('a missing destination service, a missing gateway and a selector without pods', () => {
    const g = routingGraph([gateway, vs(['a.example.com'], [{ destination: { host: 'nowhere', port: { number: 80 } } }], ['gw', 'other'])]);
    expect(edge(g, 'route:edge/web:http:#0', 'destination:nowhere.edge.svc.cluster.local:80:').dangling).toBe('no Service or ServiceEntry nowhere.edge in the input');
    expect(node(g, 'gateway:edge/other').missing).toBe('Gateway edge/other is not in the input');
    expect(edge(g, 'host:edge/other:a.example.com', 'route:edge/web:http:#0').dangling).toBe('Gateway edge/other is not in the input');
    expect(node(g, 'workload:selector:istio=edge').missing).toBe('no workload in the input has the labels istio=edge');
  });

  test('an empty selector is drawn as every proxy, not as every workload of the input', () => {
    const g = routingGraph([{ ...gateway, spec: { ...gateway.spec, selector: {} } }, pods, svc]);
    expect(g.nodes.filter((n) => n.kind === 'workload').map((n) => [n.id, n.label, n.missing])).toEqual([['workload:selector:(all)', 'every proxy (empty selector)', undefined]]);
  });

  test('external objects satisfy references', () => {
    const g = routingGraph([gateway, vs(['a.example.com'], [{ destination: { host: 'web', port: { number: 80 } } }])], { external: [pods, svc] });
    expect(g.edges.filter((e) => e.dangling)).toEqual([]);
  });
});

// Labels that would break Mermaid or dot syntax if not escaped.
const NASTY = ['a"quote.example.com', 'x<script>y.example.com', 'hash#1.example.com', 'pipe|and`tick.example.com', 'end'];
const nastyObjects = (): object[] => [
  { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'end', namespace: 'graph' },
    spec: { selector: { istio: 'x"y' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: NASTY }] } },
  { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'subgraph', namespace: 'graph' },
    spec: { hosts: NASTY, gateways: ['end'], http: [{ match: [{ uri: { regex: '^/a"b|c<d>#e' } }], route: [
      { destination: { host: 'svc', subset: 'a"b' }, weight: 70 }, { destination: { host: 'svc2' }, weight: 30 }] }] } },
];

describe('Mermaid', () => {
  test('ids are generated identifiers; every label is quoted and escaped', () => {
    const g = routingGraph(nastyObjects());
    const text = toMermaid(g);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('flowchart LR');
    const nodeLines = lines.filter((l) => /^\s+n\d+\[/.test(l));
    expect(nodeLines).toHaveLength(g.nodes.length);
    for (const l of nodeLines) expect(l).toMatch(/^\s+n\d+\["[^"<>`|]*"\]:::[a-z]+$/);
    const edgeLines = lines.filter((l) => /^\s+n\d+ -/.test(l));
    expect(edgeLines).toHaveLength(g.edges.length);
    for (const l of edgeLines) expect(l).toMatch(/^\s+n\d+ (-->|-\.->)(\|"[^"<>`|]*"\|)? n\d+$/);
    // Subgraph titles are quoted too, and the keyword-like name "end" never appears as an id.
    for (const l of lines.filter((x) => x.trim().startsWith('subgraph'))) expect(l).toMatch(/^\s+subgraph g\d+\["[^"<>`|]*"\]$/);
    expect(text).toContain('a#quot;quote.example.com');
    expect(text).toContain('x#lt;script#gt;y.example.com');
    expect(text).toContain('hash#35;1.example.com');
    expect(text).toContain('pipe#124;and#96;tick.example.com');
  });

  test('names every host, route and destination with its weight', () => {
    const g = routingGraph(platform());
    const text = toMermaid(g);
    for (const n of g.nodes) expect(text).toContain(n.label.replace(/#/g, '#35;').replace(/"/g, '#quot;'));
    expect(text).toContain('|"90%"|');
    expect(text).toContain('|"10%"|');
  });

  test('dangling edges are dotted and red', () => {
    const text = toMermaid(routingGraph(nastyObjects()));
    expect(text).toMatch(/-\.->\|"70% missing: no Service or ServiceEntry svc.graph in the input; no DestinationRule defines subset a#quot;b for svc.graph"\|/);
    expect(text).toMatch(/linkStyle [\d,]+ stroke:#c00/);
  });
});

describe('dot', () => {
  test('clusters per gateway, escaped labels, weights and dashed dangling edges', () => {
    const g = routingGraph(nastyObjects());
    const text = toDot(g);
    expect(text.startsWith('digraph routing {')).toBe(true);
    expect(text).toContain('label="a\\"quote.example.com"');
    expect(text).toContain('subgraph cluster_');
    expect(text).toMatch(/-> n\d+ \[label="30% missing: no Service or ServiceEntry svc2.graph in the input", style=dashed/);
    // Every double quote inside a label is escaped: strip escaped ones, then quotes pair up per line.
    for (const l of text.split('\n')) expect((l.replace(/\\\\/g, '').replace(/\\"/g, '').match(/"/g) ?? []).length % 2).toBe(0);
  });

  test('names every host, route and destination with weights', () => {
    const g = routingGraph(platform());
    const text = toDot(g);
    for (const n of g.nodes) expect(text).toContain(n.label.replace(/"/g, '\\"'));
    expect(text).toContain('label="90%"');
  });
});

describe('html', () => {
  test('one self-contained page: nothing outside it is referenced', () => {
    const html = toHtml(routingGraph(platform()));
    expect(html).not.toMatch(/\s(src|href)\s*=/i);
    expect(html).not.toMatch(/url\(|@import/i);
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(/https?:\/\//);
  });

  test('one drawn node per gateway section member, with kinds for counting', () => {
    const g = routingGraph(platform());
    const html = toHtml(g);
    expect(html.match(/data-kind="gateway"/g)).toHaveLength(1);
    expect(html.match(/data-kind="route"/g)).toHaveLength(g.nodes.filter((n) => n.kind === 'route').length);
    expect(html).toContain('data-gateway="payments/payments-gw"');
  });

  test('labels are HTML-escaped', () => {
    const html = toHtml(routingGraph(nastyObjects()));
    expect(html).not.toContain('x<script>y');
    expect(html).toContain('x&lt;script&gt;y.example.com');
    expect(html.match(/<script>/g)).toHaveLength(1);
  });
});

describe('istio-gateway graph', () => {
  async function cli(args: string[], stdin: string): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const io: CliIO = { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, readStdin: async () => stdin };
    const code = await main(args, io);
    return { code, stdout, stderr };
  }
  const yaml = platform().map((o) => stringify(o)).join('---\n');

  test.each([['mermaid', 'flowchart LR'], ['dot', 'digraph routing {'], ['html', '<!DOCTYPE html>']])('-o %s', async (format, start) => {
    const r = await cli(['graph', '-', '-o', format], yaml);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith(start)).toBe(true);
    expect(r.stdout).toContain('api.payments.example.com');
  });

  test('-o json is the graph model', async () => {
    const r = await cli(['graph', '-', '-o', 'json'], yaml);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(routingGraph(platform()))));
  });

  test('--namespace narrows the picture', async () => {
    const r = await cli(['graph', '-', '--namespace', 'nowhere'], yaml);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('payments');
  });

  test('a Mermaid text over Mermaid\'s 50,000-character limit gets a note on stderr', async () => {
    const many = Array.from({ length: 300 }, (_, i) => ({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService',
      metadata: { name: `r${i}`, namespace: 'big' }, spec: { hosts: [`h${i}`], http: [{ route: [{ destination: { host: `s${i}` } }] }] } }));
    const r = await cli(['graph', '-'], many.map((o) => stringify(o)).join('---\n'));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^note: the Mermaid text is \d+ characters with 900 edges; Mermaid renders at most 50000 characters and 500 edges/);
    expect((await cli(['graph', '-'], yaml)).stderr).toBe('');
  });

  test('--out-file writes the file; an unwritable one is an input error (exit 2)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-out-'));
    try {
      const ok = await cli(['graph', '-', '-o', 'html', '--out-file', path.join(dir, 'g.html')], yaml);
      expect(ok).toEqual({ code: 0, stdout: '', stderr: '' });
      expect(fs.readFileSync(path.join(dir, 'g.html'), 'utf8')).toContain('<!DOCTYPE html>');
      const bad = await cli(['graph', '-', '--out-file', path.join(dir, 'missing', 'g.mmd')], yaml);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('cannot write: no such directory');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('<dir>/prerequisites/ is read as external (as analyze does); sub-folders otherwise only with -R', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-pre-'));
    try {
      const objs = platform().filter((o) => !(o.kind === 'Service' && o.metadata.name === 'storefront'));
      fs.writeFileSync(path.join(dir, 'platform.k8s.yaml'), objs.map((o) => stringify(o)).join('---\n'));
      fs.mkdirSync(path.join(dir, 'prerequisites'));
      fs.writeFileSync(path.join(dir, 'prerequisites', 'services.yaml'), stringify(backingServices().find((o) => o.metadata.name === 'storefront')));
      const withPre = await cli(['graph', dir, '-o', 'json'], '');
      expect((JSON.parse(withPre.stdout) as RoutingGraph).edges.filter((e) => e.dangling)).toEqual([]);
      const without = await cli(['graph', dir, '-o', 'json', '--no-prerequisites'], '');
      expect((JSON.parse(without.stdout) as RoutingGraph).edges.filter((e) => e.dangling).map((e) => e.dangling)).toEqual(['no Service or ServiceEntry storefront.payments in the input']);
      fs.mkdirSync(path.join(dir, 'sub'));
      fs.writeFileSync(path.join(dir, 'sub', 'extra.yaml'), stringify({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'extra', namespace: 'x' }, spec: { hosts: ['e'], http: [{ route: [{ destination: { host: 'e' } }] }] } }));
      expect((await cli(['graph', dir], '')).stdout).not.toContain('x/extra');
      expect((await cli(['graph', dir, '-R'], '')).stdout).toContain('x/extra');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a bad format is a usage error (exit 2)', async () => {
    const r = await cli(['graph', '-', '-o', 'png'], yaml);
    expect(r.code).toBe(2);
  });
});

describe('Kubernetes Gateway API', () => {
  const gw = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'edge', namespace: 'web' },
    spec: { gatewayClassName: 'istio', listeners: [
      { name: 'https', port: 443, protocol: 'HTTPS', hostname: 'shop.example.com', tls: { mode: 'Terminate', certificateRefs: [{ name: 'shop-cert' }] } },
      { name: 'http', port: 80, protocol: 'HTTP', hostname: 'shop.example.com' },
      { name: 'tls', port: 8443, protocol: 'TLS', hostname: 'legacy.example.com', tls: { mode: 'Passthrough' } },
      { name: 'tcp', port: 7000, protocol: 'TCP' },
    ] } };
  const svc = (name: string, port: number): object => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'web' }, spec: { selector: { app: name }, ports: [{ port }] } });
  const http = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'shop', namespace: 'web' },
    spec: { parentRefs: [{ name: 'edge', sectionName: 'https' }], hostnames: ['shop.example.com'], rules: [
      { matches: [{ path: { type: 'PathPrefix', value: '/cart' }, headers: [{ name: 'X-Canary', value: 'yes' }] }], backendRefs: [{ name: 'shop-v2', port: 8080 }] },
      { backendRefs: [{ name: 'shop-v1', port: 8080, weight: 90 }, { name: 'shop-v2', port: 8080, weight: 10 }] },
    ] } };
  const tls = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'TLSRoute', metadata: { name: 'legacy', namespace: 'web' },
    spec: { parentRefs: [{ name: 'edge' }], hostnames: ['legacy.example.com'], rules: [{ backendRefs: [{ name: 'legacy', port: 8443 }] }] } };
  const tcp = { apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TCPRoute', metadata: { name: 'ledger', namespace: 'web' },
    spec: { parentRefs: [{ name: 'edge', sectionName: 'tcp' }], rules: [{ backendRefs: [{ name: 'ledger', port: 7000 }] }] } };
  const foreign = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'blog', namespace: 'other' },
    spec: { parentRefs: [{ name: 'edge', namespace: 'web' }], hostnames: ['shop.example.com'], rules: [{ backendRefs: [{ name: 'blog', port: 80 }] }] } };
  const g = routingGraph([gw, http, tls, tcp, foreign, svc('shop-v1', 8080), svc('shop-v2', 8080), svc('legacy', 8443), svc('ledger', 7000)]);
  const K = 'gateway-api:web/edge';

  test('listeners, hosts, routes with matches, weighted backends', () => {
    expect(node(g, `gateway:${K}`).label).toBe('Gateway web/edge (Gateway API, class istio)');
    expect(node(g, `listener:${K}:443:https`).attrs).toEqual(expect.objectContaining({ protocol: 'HTTPS', tlsMode: 'Terminate', credentialName: 'shop-cert' }));
    const r0 = 'route:HTTPRoute/web/shop:#0';
    const r1 = 'route:HTTPRoute/web/shop:#1';
    expect(node(g, r0).attrs.match).toBe('path prefix /cart and header x-canary = yes');
    // sectionName https: attached to the HTTPS listener's host only.
    expect(g.edges.filter((e) => e.to === r1).map((e) => e.from)).toEqual([`host:${K}:shop.example.com`]);
    expect(edge(g, r1, 'destination:shop-v1.web.svc.cluster.local:8080:').weight).toBe(90);
    expect(edge(g, r1, 'destination:shop-v2.web.svc.cluster.local:8080:').weight).toBe(10);
    expect(edge(g, `host:${K}:legacy.example.com`, 'route:TLSRoute/web/legacy:#0').dangling).toBeUndefined();
    expect(edge(g, `host:${K}:*`, 'route:TCPRoute/web/ledger:#0').dangling).toBeUndefined();
    expect(edge(g, 'route:TCPRoute/web/ledger:#0', 'destination:ledger.web.svc.cluster.local:7000:').weight).toBe(100);
  });

  test('a route from a namespace the listener does not allow dangles; so does a missing backend', () => {
    const e = g.edges.find((x) => x.to === 'route:HTTPRoute/other/blog:#0')!;
    expect(e.dangling).toMatch(/^no listener of Gateway web\/edge accepts this HTTPRoute for shop.example.com/);
    expect(edge(g, 'route:HTTPRoute/other/blog:#0', 'destination:blog.other.svc.cluster.local:80:').dangling).toBe('no Service blog.other in the input');
  });

  test('constructs in the Gateway API flavour: listeners, redirect filter, weighted per-version Services, GAMMA mesh route', () => {
    const { chart } = newChart();
    const tgw = new TenantGateway(chart, 'payments', { namespace: 'payments', name: 'payments-gw', api: 'gateway-api' });
    new TlsHost(chart, 'shop', { gateway: tgw, hosts: ['shop.payments.example.com'], credentialName: 'shop-cert', destination: { host: 'storefront', port: 8080 } });
    new CanaryRoute(chart, 'checkout', { namespace: 'payments', gateways: [tgw], hosts: ['shop.payments.example.com'], destination: { host: 'checkout', port: 8080 },
      destinationSelector: { app: 'checkout' }, stable: { subset: 'v1', labels: { version: 'v1' } }, canary: { subset: 'v2', labels: { version: 'v2' }, weight: 10 } });
    new HttpRoute(chart, 'ledger', { namespace: 'payments', api: 'gateway-api', hosts: ['ledger'], destination: { host: 'ledger', port: 7000 } });
    const ga = routingGraph(synth(chart), { external: backingServices() });
    const key = 'gateway-api:payments/payments-gw';
    expect(node(ga, `workload:${key}:provisioned`).label).toBe('payments-gw-istio (deployed by the controller)');
    expect(node(ga, `listener:${key}:443:https-443-shop`).attrs).toEqual(expect.objectContaining({ tlsMode: 'Terminate', credentialName: 'shop-cert' }));
    expect(node(ga, 'route:HTTPRoute/payments/shop-https-redirect:#0').attrs.action).toBe('redirect to scheme https (301)');
    expect(edge(ga, 'route:HTTPRoute/payments/checkout:#0', 'destination:checkout-v1.payments.svc.cluster.local:8080:').weight).toBe(90);
    expect(edge(ga, 'route:HTTPRoute/payments/checkout:#0', 'destination:checkout-v2.payments.svc.cluster.local:8080:').weight).toBe(10);
    expect(edge(ga, 'host:mesh:ledger.payments.svc.cluster.local', 'route:HTTPRoute/payments/ledger:#0').kind).toBe('routes');
    expect(ga.edges.filter((e) => e.dangling)).toEqual([]);
  });

  test('allowedRoutes Selector on namespace names admits exactly those namespaces', () => {
    const sel = { ...gw, spec: { ...gw.spec, listeners: [{ name: 'http', port: 80, protocol: 'HTTP', hostname: 'shop.example.com',
      allowedRoutes: { namespaces: { from: 'Selector', selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['web', 'blogs'] }] } } } }] } };
    const route = (ns: string): object => ({ ...foreign, metadata: { name: 'r', namespace: ns } });
    expect(routingGraph([sel, route('blogs')]).edges.find((e) => e.to === 'route:HTTPRoute/blogs/r:#0')!.dangling).toBeUndefined();
    expect(routingGraph([sel, route('other')]).edges.find((e) => e.to === 'route:HTTPRoute/other/r:#0')!.dangling).toMatch(/^no listener of Gateway web\/edge accepts/);
  });

  test('Mermaid names the Gateway API gateway as such', () => {
    expect(toMermaid(g)).toContain('subgraph g0["Gateway web/edge (Gateway API)"]');
  });
});
