// The change review: changes a reviewer reads, and each disruptive-change rule with a case that
// fires and one that does not, on platforms synthesized with the constructs (hand-edited where
// the constructs would refuse to produce the change).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { formatReviewMarkdown, formatReviewText, reviewChange } from '../src';
import { ChangeReview, DisruptionRule } from '../src/review';
import { main } from '../src/cli/main';
import { CliIO } from '../src/cli/load';
import { clone, platform } from './support/routing-platform';
import { find, newChart, synth } from './support/synth';
import { CanaryRoute, TenantGateway, TlsHost } from '../src';

const rules = (r: ChangeReview): DisruptionRule[] => r.disruptions.map((d) => d.rule);
const edit = (objs: any[], kind: string, name: string, fn: (o: any) => void): any[] => {
  const copy = clone(objs);
  fn(find(copy, kind, name));
  return copy;
};

describe('changes a reviewer reads', () => {
  test('a canary weight change 10 -> 30 is a traffic shift, nothing disruptive', () => {
    const r = reviewChange(platform({ canaryWeight: 10 }), platform({ canaryWeight: 30 }));
    expect(r.disruptions).toEqual([]);
    expect(r.changes).toEqual([{
      kind: 'traffic-shift', gateway: 'payments/payments-gw', host: 'api.payments.example.com',
      route: 'payments/checkout http[1] split',
      shifts: [
        { destination: 'checkout.payments.svc.cluster.local:8080 subset v1', before: 90, after: 70 },
        { destination: 'checkout.payments.svc.cluster.local:8080 subset v2', before: 10, after: 30 },
      ],
      summary: 'traffic of route payments/checkout http[1] split: checkout.payments.svc.cluster.local:8080 subset v1 90% -> 70%, checkout.payments.svc.cluster.local:8080 subset v2 10% -> 30%',
    }]);
  });

  test('the Gateway API flavour: a canary 10 -> 30 is a traffic shift between the per-version Services', () => {
    const build = (weight: number): any[] => {
      const { chart } = newChart();
      const gw = new TenantGateway(chart, 'payments', { namespace: 'payments', name: 'payments-gw', api: 'gateway-api' });
      new TlsHost(chart, 'shop', { gateway: gw, hosts: ['shop.payments.example.com'], credentialName: 'shop-cert' });
      new CanaryRoute(chart, 'checkout', { namespace: 'payments', gateways: [gw], hosts: ['shop.payments.example.com'], destination: { host: 'checkout', port: 8080 },
        destinationSelector: { app: 'checkout' }, stable: { subset: 'v1', labels: { version: 'v1' } }, canary: { subset: 'v2', labels: { version: 'v2' }, weight } });
      return synth(chart);
    };
    const r = reviewChange(build(10), build(30));
    expect(r.disruptions).toEqual([]);
    expect(r.changes).toEqual([expect.objectContaining({
      kind: 'traffic-shift', gateway: 'gateway-api:payments/payments-gw', host: 'shop.payments.example.com',
      shifts: [
        { destination: 'checkout-v1.payments.svc.cluster.local:8080', before: 90, after: 70 },
        { destination: 'checkout-v2.payments.svc.cluster.local:8080', before: 10, after: 30 },
      ],
    })]);
    expect(formatReviewText(r)).toContain('Gateway payments/payments-gw (Gateway API)');
  });

  test('adding a host reports the host, its listener and route, and nothing disruptive', () => {
    const r = reviewChange(platform(), platform({ extraHost: true }));
    expect(r.disruptions).toEqual([]);
    expect(r.changes.map((c) => [c.kind, c.host])).toEqual([
      ['host-added', 'blog.payments.example.com'],
      ['route-added', 'blog.payments.example.com'],
    ]);
  });

  test('a route for a new host under a wildcard server host: the host is reported added, nothing disruptive', () => {
    const gw = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'edge', namespace: 'edge' },
      spec: { selector: { istio: 'edge' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*.example.com'] }] } };
    const vs = (host: string): object => ({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: host.split('.')[0], namespace: 'edge' },
      spec: { hosts: [host], gateways: ['edge'], http: [{ route: [{ destination: { host: 'web' } }] }] } });
    const r = reviewChange([gw, vs('a.example.com')], [gw, vs('a.example.com'), vs('b.example.com')]);
    expect(r.disruptions).toEqual([]);
    expect(r.changes.map((c) => [c.kind, c.host])).toEqual([['host-added', 'b.example.com'], ['route-added', 'b.example.com']]);
  });

  test('no change, no report', () => {
    expect(reviewChange(platform(), platform())).toEqual({ changes: [], disruptions: [] });
  });

  test('listeners opened and closed, certificates changed, match rules changed', () => {
    const before = platform();
    let after = edit(before, 'Gateway', 'payments-gw', (g) => {
      g.spec.servers.find((s: any) => s.tls?.credentialName === 'shop-cert').tls.credentialName = 'shop-cert-2025';
      g.spec.servers.push({ port: { number: 8443, name: 'https-8443', protocol: 'HTTPS' }, hosts: ['api.payments.example.com'], tls: { mode: 'SIMPLE', credentialName: 'api-cert' } });
    });
    after = edit(after, 'VirtualService', 'checkout', (vs) => { vs.spec.http[0].match[0].headers['x-canary'] = { exact: 'always' }; });
    const r = reviewChange(before, after);
    const kinds = r.changes.map((c) => `${c.kind} ${c.host ?? ''} ${c.before ?? ''}->${c.after ?? ''}`);
    expect(kinds).toEqual(expect.arrayContaining([
      'listener-opened  ->',
      'certificate-changed shop.payments.example.com shop-cert->shop-cert-2025',
      'match-changed api.payments.example.com header x-canary = yes->header x-canary = always',
    ]));
    expect(r.changes.find((c) => c.kind === 'listener-opened')!.summary).toBe('listener :8443 HTTPS opened');
    const closed = reviewChange(platform(), platform({ ledger: false }));
    expect(closed.changes.map((c) => c.summary)).toEqual(expect.arrayContaining(['listener :7000 TCP closed']));
  });
});

describe('disruptive-change rules', () => {
  const base = platform();

  test('immutable-field: a Deployment selector change, not a pod template annotation change', () => {
    const bad = edit(base, 'Deployment', 'payments-gw', (d) => { d.spec.selector.matchLabels.tier = 'edge'; d.spec.template.metadata.labels.tier = 'edge'; });
    const r = reviewChange(base, bad);
    expect(r.disruptions.filter((d) => d.rule === 'immutable-field')).toEqual([expect.objectContaining({
      object: 'Deployment payments/payments-gw', gateway: 'payments/payments-gw', reason: expect.stringContaining('spec.selector'), safeSequence: expect.stringContaining('new name'),
    })]);
    const ok = edit(base, 'Deployment', 'payments-gw', (d) => { d.spec.template.metadata.annotations['example.com/x'] = 'y'; });
    expect(rules(reviewChange(base, ok))).toEqual([]);
  });

  test('immutable-field: a Service clusterIP change, not setting it where it was unset', () => {
    const withIp = edit(base, 'Service', 'payments-gw', (s) => { s.spec.clusterIP = '10.0.0.10'; });
    const otherIp = edit(base, 'Service', 'payments-gw', (s) => { s.spec.clusterIP = '10.0.0.11'; });
    expect(rules(reviewChange(withIp, otherIp))).toEqual(['immutable-field']);
    expect(rules(reviewChange(base, withIp))).toEqual([]);
  });

  test('immutable-field: a RoleBinding roleRef change', () => {
    const bad = edit(base, 'RoleBinding', 'payments-gw', (rb) => { rb.roleRef.name = 'other'; });
    expect(rules(reviewChange(base, bad))).toContain('immutable-field');
  });

  test('service-type: LoadBalancer -> ClusterIP drops the address and node ports; ClusterIP -> LoadBalancer does not', () => {
    const cluster = edit(base, 'Service', 'payments-gw', (s) => { s.spec.type = 'ClusterIP'; });
    const r = reviewChange(base, cluster);
    expect(rules(r)).toEqual(['service-type']);
    expect(r.disruptions[0].reason).toContain('LoadBalancer -> ClusterIP');
    // Attributed to the gateway whose pods the Service fronts, for grouping.
    expect(r.disruptions[0].gateway).toBe('payments/payments-gw');
    expect(rules(reviewChange(cluster, base))).toEqual([]);
  });

  test('service-type: a changed nodePort', () => {
    const a = edit(base, 'Service', 'payments-gw', (s) => { s.spec.ports[1].nodePort = 30443; });
    const b = edit(base, 'Service', 'payments-gw', (s) => { s.spec.ports[1].nodePort = 31443; });
    expect(rules(reviewChange(a, b))).toEqual(['service-type']);
    expect(rules(reviewChange(a, a))).toEqual([]);
  });

  test('service-port-removed: a port dropped while a server listens on it; not a port added', () => {
    const dropped = edit(base, 'Service', 'payments-gw', (s) => { s.spec.ports = s.spec.ports.filter((p: any) => p.port !== 443); });
    const r = reviewChange(base, dropped);
    expect(rules(r)).toEqual(['service-port-removed']);
    expect(r.disruptions[0].reason).toContain('port 443 is removed from Service payments/payments-gw');
    expect(r.disruptions[0].reason).toContain('Gateway payments/payments-gw still has a server on it');
    // Adding a port is not flagged.
    expect(rules(reviewChange(dropped, base))).toEqual([]);
  });

  test('service-port-removed: a port dropped with its servers and routes still cuts its clients off', () => {
    // Removing the TcpGateway removes its server, route and Service port together.
    const r = reviewChange(base, platform({ ledger: false }));
    expect(rules(r)).toEqual(['service-port-removed']);
    expect(r.disruptions[0].reason).toBe('port 7000 is removed from Service payments/payments-gw together with its servers and routes: it serves * now, and clients still connecting to it are cut off');
    // Removing one host of several on 443 keeps the port: nothing flagged.
    expect(rules(reviewChange(platform({ extraHost: true }), base))).toEqual([]);
  });

  test('service-port-removed: an extra port (used by nothing in the input) dropped from a TenantGateway', () => {
    const withExtra = platform({ extraServicePorts: [{ name: 'tls-east-west', port: 15443 }] });
    const r = reviewChange(withExtra, base);
    expect(rules(r)).toEqual(['service-port-removed']);
    expect(r.disruptions[0].reason).toContain('port 15443');
    expect(rules(reviewChange(base, withExtra))).toEqual([]);
  });

  test('subset-removed: a subset removed while still routed; the last make-before-break step is not flagged', () => {
    const noV2 = edit(base, 'DestinationRule', 'checkout', (dr) => { dr.spec.subsets = dr.spec.subsets.filter((s: any) => s.name !== 'v2'); });
    const r = reviewChange(base, noV2);
    expect(rules(r)).toEqual(['subset-removed']);
    expect(r.disruptions[0]).toEqual(expect.objectContaining({
      object: 'DestinationRule payments/checkout',
      reason: expect.stringContaining('subset v2 of checkout.payments.svc.cluster.local is removed while VirtualService payments/checkout still routes to it'),
      safeSequence: expect.stringContaining('make-before-break'),
    }));
    // Step 2 done (the route no longer uses v2, weight was 0): removing the subset is safe.
    const routeOnlyV1 = (objs: any[]): any[] => edit(objs, 'VirtualService', 'checkout', (vs) => {
      vs.spec.http = [{ name: 'split', route: [{ destination: { host: 'checkout', port: { number: 8080 }, subset: 'v1' }, weight: 100 }] }];
    });
    expect(rules(reviewChange(routeOnlyV1(base), routeOnlyV1(noV2)))).toEqual([]);
    // Route and subset removed in one change while v2 still had 10%: flagged.
    const both = reviewChange(base, routeOnlyV1(noV2));
    expect(rules(both)).toEqual(['subset-removed']);
    expect(both.disruptions[0].reason).toContain('in the same change');
  });

  test('subset-removed: a CanaryRoute whose canary subset is renamed while it takes traffic; not once drained', () => {
    const r = reviewChange(base, platform({ canarySubset: 'v3' }));
    expect(rules(r)).toEqual(['subset-removed']);
    expect(r.disruptions[0].reason).toContain('subset v2 of checkout.payments.svc.cluster.local is removed in the same change');
    expect(r.changes.find((c) => c.kind === 'traffic-shift' && c.route === 'payments/checkout http[1] split')!.shifts).toEqual([
      { destination: 'checkout.payments.svc.cluster.local:8080 subset v2', before: 10, after: 0 },
      { destination: 'checkout.payments.svc.cluster.local:8080 subset v3', before: 0, after: 10 },
    ]);
    // At weight 0 the header match still sends x-canary requests to v2: still flagged.
    expect(rules(reviewChange(platform({ canaryWeight: 0 }), platform({ canaryWeight: 0, canarySubset: 'v3' })))).toEqual(['subset-removed']);
    // Drained first (weight 0, no match: the make-before-break first step): the rename is safe.
    const drained = { canaryWeight: 0, canaryMatch: false };
    expect(rules(reviewChange(platform(drained), platform({ ...drained, canarySubset: 'v3' })))).toEqual([]);
  });

  test('gateway-selector: a Gateway selector that no longer matches its pods; not when it still does', () => {
    const moved = edit(base, 'Gateway', 'payments-gw', (g) => { g.spec.selector = { istio: 'payments-gw-v2' }; });
    const r = reviewChange(base, moved);
    expect(rules(r)).toEqual(['gateway-selector']);
    expect(r.disruptions[0].reason).toContain('no longer matches the pods it served (Deployment payments/payments-gw)');
    expect(r.disruptions[0].reason).toContain('stop serving');
    const narrower = edit(base, 'Gateway', 'payments-gw', (g) => { delete g.spec.selector.app; });
    expect(rules(reviewChange(base, narrower))).toEqual([]);
    // Changing an unrelated prop of the TenantGateway keeps its selector.
    expect(rules(reviewChange(base, platform({ replicas: 3 })))).toEqual([]);
  });

  test('gateway-selector: pod labels changed under an unchanged selector', () => {
    const relabelled = edit(base, 'Deployment', 'payments-gw', (d) => { d.spec.template.metadata.labels.istio = 'other'; });
    expect(rules(reviewChange(base, relabelled))).toEqual(['gateway-selector']);
  });

  test('a renamed TenantGateway: its hosts move to a gateway on other pods', () => {
    const r = reviewChange(base, platform({ gatewayName: 'payments-edge' }));
    // The old RoleBinding goes with the old pods: not an SDS access loss.
    expect([...new Set(rules(r))]).toEqual(['host-moved']);
    expect(r.changes.filter((c) => c.kind === 'host-moved').map((c) => c.host)).toEqual(['*', 'api.payments.example.com', 'shop.payments.example.com']);
  });

  test('host-moved: between gateways on different pods; not between two Gateways on the same pods', () => {
    const r = reviewChange(base, platform({ shopOn: 'edge' }));
    expect(r.disruptions.filter((d) => d.rule === 'host-moved').map((d) => d.host)).toEqual(['shop.payments.example.com']);
    const sameSel = (objs: any[]): any => ({ ...clone(find(objs, 'Gateway', 'payments-gw')), metadata: { name: 'second', namespace: 'payments' }, spec: { ...find(objs, 'Gateway', 'payments-gw').spec, servers: [] } });
    const before = [...clone(base), sameSel(base)];
    const after = clone(before);
    const first = find(after, 'Gateway', 'payments-gw');
    const second = find(after, 'Gateway', 'second');
    const shopServers = first.spec.servers.filter((s: any) => s.hosts.some((h: string) => h.endsWith('shop.payments.example.com')));
    first.spec.servers = first.spec.servers.filter((s: any) => !s.hosts.some((h: string) => h.endsWith('shop.payments.example.com')));
    second.spec.servers = shopServers;
    find(after, 'VirtualService', 'shop').spec.gateways = ['payments/second'];
    const same = reviewChange(before, after);
    expect(same.changes.map((c) => c.kind)).toContain('host-moved');
    expect(rules(same)).toEqual([]);
    // The same between two Gateways on the shared ingress pods, which are not in the input.
    const onShared = (objs: any[]): any[] => objs.filter((o) => o.kind !== 'Deployment').map((o) => (o.kind === 'Gateway' ? { ...o, spec: { ...o.spec, selector: { istio: 'ingressgateway' } } } : o));
    expect(rules(reviewChange(onShared(before), onShared(after)))).toEqual([]);
  });

  test('host-removed-while-routed: a host removed from the Gateway while a route still uses it; not when the route goes too', () => {
    const hostGone = edit(base, 'Gateway', 'payments-gw', (g) => { g.spec.servers = g.spec.servers.filter((s: any) => !s.hosts.some((h: string) => h.endsWith('shop.payments.example.com'))); });
    const r = reviewChange(base, hostGone);
    expect(rules(r)).toEqual(['host-removed-while-routed']);
    expect(r.disruptions[0]).toEqual(expect.objectContaining({ host: 'shop.payments.example.com', reason: expect.stringContaining('VirtualService payments/shop still routes it') }));
    const bothGone = clone(hostGone).filter((o: any) => !(o.kind === 'VirtualService' && o.metadata.name === 'shop'));
    const r2 = reviewChange(base, bothGone);
    expect(rules(r2)).toEqual([]);
    expect(r2.changes.map((c) => c.kind)).toEqual(expect.arrayContaining(['host-removed', 'route-removed']));
  });

  test('certificate-secret: a credentialName switched to a Secret the input does not hold, though it held the old one', () => {
    const secret = (name: string): object => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'payments' }, type: 'kubernetes.io/tls', data: {} });
    const renamed = (objs: any[]): any[] => edit(objs, 'Gateway', 'payments-gw', (g) => { g.spec.servers.find((x: any) => x.tls?.credentialName === 'shop-cert').tls.credentialName = 'shop-cert-2026'; });
    const before = [...base, secret('shop-cert')];
    const r = reviewChange(before, renamed(before));
    expect(rules(r)).toEqual(['certificate-secret']);
    expect(r.disruptions[0]).toEqual(expect.objectContaining({ host: 'shop.payments.example.com', gateway: 'payments/payments-gw' }));
    // The new Secret is in the change: fine. Secrets not managed in the input at all: reported, not flagged.
    expect(rules(reviewChange(before, [...renamed(before), secret('shop-cert-2026')]))).toEqual([]);
    const notManaged = reviewChange(base, renamed(base));
    expect(rules(notManaged)).toEqual([]);
    expect(notManaged.changes.map((c) => c.kind)).toEqual(['certificate-changed']);
  });

  test('host-removed-while-routed (Gateway API): a listener removed while an HTTPRoute still attaches to it', () => {
    const gw = (listeners: object[]): object => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'k8s', namespace: 'edge' },
      spec: { gatewayClassName: 'istio', listeners } });
    const route = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'shop', namespace: 'edge' },
      spec: { parentRefs: [{ name: 'k8s' }], hostnames: ['shop.example.com'], rules: [{ backendRefs: [{ name: 'shop', port: 80 }] }] } };
    const http = { name: 'http', port: 80, protocol: 'HTTP', hostname: 'shop.example.com' };
    const other = { name: 'other', port: 80, protocol: 'HTTP', hostname: 'other.example.com' };
    const r = reviewChange([gw([http, other]), route], [gw([other]), route]);
    expect(rules(r)).toEqual(['host-removed-while-routed']);
    expect(r.disruptions[0]).toEqual(expect.objectContaining({ gateway: 'gateway-api:edge/k8s', host: 'shop.example.com' }));
    expect(rules(reviewChange([gw([http, other]), route], [gw([other])]))).toEqual([]);
  });

  test('sds-rolebinding: the gateway ServiceAccount removed from its Secret-reading RoleBinding; adding a subject is fine', () => {
    const replaced = edit(base, 'RoleBinding', 'payments-gw', (rb) => { rb.subjects = [{ kind: 'ServiceAccount', name: 'someone-else', namespace: 'payments' }]; });
    const r = reviewChange(base, replaced);
    expect(rules(r)).toEqual(['sds-rolebinding']);
    expect(r.disruptions[0].reason).toContain('ServiceAccount payments/payments-gw');
    const added = edit(base, 'RoleBinding', 'payments-gw', (rb) => { rb.subjects.push({ kind: 'ServiceAccount', name: 'someone-else', namespace: 'payments' }); });
    expect(rules(reviewChange(base, added))).toEqual([]);
    // A RoleBinding to a Role that does not read Secrets is not the gateway's SDS binding.
    // The RoleBinding removed while the gateway pods stay.
    const removed = clone(base).filter((o: any) => o.kind !== 'RoleBinding');
    expect(rules(reviewChange(base, removed))).toEqual(['sds-rolebinding']);
    const notSds = edit(base, 'Role', 'payments-gw', (role) => { role.rules = [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]; });
    expect(rules(reviewChange(notSds, edit(notSds, 'RoleBinding', 'payments-gw', (rb) => { rb.subjects = []; })))).toEqual([]);
  });
});

describe('purity', () => {
  test('input order does not change the review, and the inputs are not modified', () => {
    const before = platform();
    const after = edit(platform({ canaryWeight: 30, extraHost: true }), 'Service', 'payments-gw', (x) => { x.spec.type = 'NodePort'; });
    const snapshot = JSON.stringify([before, after]);
    const r = reviewChange(before, after);
    expect(reviewChange([...before].reverse(), [...after].reverse())).toEqual(r);
    expect(JSON.stringify([before, after])).toBe(snapshot);
    expect(rules(r)).toEqual(['service-type']);
  });

  test('odd input is read defensively, never thrown on', () => {
    const odd = [null, 42, 'x', { kind: 'Gateway' }, { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'v' }, spec: { http: 'nope', hosts: [1, 'a'] } }];
    expect(() => reviewChange(odd as any, platform())).not.toThrow();
    expect(reviewChange(odd as any, odd as any)).toEqual({ changes: [], disruptions: [] });
  });
});

describe('formats', () => {
  const r = reviewChange(platform({ canaryWeight: 10 }), platform({ canaryWeight: 30 }));

  test('text: grouped by gateway and host', () => {
    expect(formatReviewText(r)).toBe([
      'Gateway payments/payments-gw',
      '  host api.payments.example.com',
      '    ~ traffic of route payments/checkout http[1] split: checkout.payments.svc.cluster.local:8080 subset v1 90% -> 70%, checkout.payments.svc.cluster.local:8080 subset v2 10% -> 30%',
      '',
      '1 change, 0 disruptive',
      '',
    ].join('\n'));
  });

  test('markdown: a weights table per shifted route, disruptions first', () => {
    const text = formatReviewMarkdown(r);
    expect(text).toContain('### Gateway payments/payments-gw');
    expect(text).toContain('| `checkout.payments.svc.cluster.local:8080 subset v2` | 10% | 30% |');
    const bad = formatReviewMarkdown(reviewChange(platform(), edit(platform({ canaryWeight: 30 }), 'Service', 'payments-gw', (s) => { s.spec.type = 'ClusterIP'; })));
    expect(bad.indexOf(':warning: Disruptive changes')).toBeLessThan(bad.indexOf('### Gateway'));
    expect(bad).toContain('*Safe sequence:*');
    expect(bad).toContain('**1 change, 1 disruptive**');
  });
});

describe('istio-gateway diff', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diff-')); });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });
  const write = (name: string, objs: any[]): string => {
    const d = path.join(dir, name);
    fs.mkdirSync(d);
    fs.writeFileSync(path.join(d, 'platform.k8s.yaml'), objs.map((o) => stringify(o)).join('---\n'));
    return d;
  };
  async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const io: CliIO = { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, readStdin: async () => '' };
    return { code: await main(args, io), stdout, stderr };
  }

  test('--fail-on disruptive exits 1 when something is flagged, 0 otherwise', async () => {
    const oldDir = write('old', platform());
    const bad = write('bad', edit(platform(), 'Gateway', 'payments-gw', (g) => { g.spec.selector = { istio: 'nothing' }; }));
    const good = write('good', platform({ canaryWeight: 30 }));
    const r1 = await cli(['diff', oldDir, bad, '--fail-on', 'disruptive']);
    expect(r1.code).toBe(1);
    expect(r1.stdout).toContain('! [gateway-selector] Gateway payments/payments-gw');
    const r2 = await cli(['diff', oldDir, good, '--fail-on', 'disruptive']);
    expect(r2.code).toBe(0);
    expect(r2.stdout).toContain('10% -> 30%');
    expect((await cli(['diff', oldDir, bad])).code).toBe(0);
  });

  test('-o json is the review object; a bad --fail-on is a usage error', async () => {
    const oldDir = write('old', platform());
    const newDir = write('new', platform({ canaryWeight: 30 }));
    const r = await cli(['diff', oldDir, newDir, '-o', 'json']);
    expect(JSON.parse(r.stdout)).toEqual(reviewChange(platform(), platform({ canaryWeight: 30 })));
    const u = await cli(['diff', oldDir, newDir, '--fail-on', 'warnings']);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain('--fail-on must be "disruptive" or "none"');
    const missing = await cli(['diff', path.join(dir, 'nope'), newDir]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or directory');
  });
});
