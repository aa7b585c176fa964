// Wildcard hosts looked up by suffix instead of by a scan of every wildcard ServiceEntry (a missing
// destination) or of every visible host (a DestinationRule's wildcard host): the answers must be the
// scans' (first in host-map order, exportTo scopes, `*` alone, suffixes that are not at a dot).

import fc from 'fast-check';
import { analyze } from '../src/analysis';
import { hostMatches, HostSet, scopedFqdn } from '../src/analysis/hosts';
import { ResourceIndex } from '../src/analysis/resource-index';

type Obj = Record<string, unknown>;

const serviceEntry = (name: string, namespace: string, hosts: string[], exportTo?: string[]): Obj => ({
  apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name, namespace },
  spec: { hosts, ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], ...(exportTo ? { exportTo } : {}) },
});
const service = (name: string, namespace: string): Obj => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports: [{ name: 'http', port: 80 }] } });

/** The scan findDestinationHost did for the wildcard step (the exact scoped lookups come first in both). */
function referenceWildcard(index: ResourceIndex, sourceNs: string, host: string): unknown {
  const bare = host.startsWith('*') ? host.slice(1) : host;
  for (const { scope, host: seHost, entry } of index.wildcardEntries()) {
    if (scope !== '*' && scope !== sourceNs) continue;
    if (bare.endsWith(seHost.slice(1))) return entry;
  }
  return undefined;
}

/** The scan the DestinationRule analyzer did over visible hosts. */
function referenceCovers(index: ResourceIndex, sourceNs: string, host: string): boolean {
  for (const v of index.visibleHosts(sourceNs)) if (hostMatches(host, v.host)) return true;
  return false;
}

// Labels over a small alphabet so that suffixes meet, at dots and inside labels.
const label = fc.string({ unit: fc.constantFrom('a', 'b', 'ab', '.', '-'), minLength: 0, maxLength: 4 });
const wildcardHost = fc.oneof(label.map((l) => `*${l}`), label.map((l) => `*.${l}`), fc.constant('*'));
const host = fc.oneof(label, label.map((l) => `x${l}`), wildcardHost, label.map((l) => `${l}.svc`));
const namespace = fc.constantFrom('a', 'b', 'c');
const exportTo = fc.option(fc.array(fc.constantFrom('*', '.', 'a', 'b', 'c'), { maxLength: 2 }), { nil: undefined });
const entry = fc.record({ ns: namespace, hosts: fc.array(fc.oneof(wildcardHost, host), { minLength: 1, maxLength: 3 }), exportTo });

describe('wildcard hosts by suffix', () => {
  // The index scans its first 8 wildcard DestinationRule hosts; past them it uses its HostSets: the second case asks 8 times first.
  for (const [what, min, max, asked] of [['a few wildcard entries (scanned)', 0, 10, 0], ['many wildcard entries (by suffix)', 17, 40, 8]] as const) {
    test(`${what}: destinationHost and coversVisibleHost answer as the scans did`, () => {
      fc.assert(fc.property(fc.array(entry, { minLength: min, maxLength: max }), fc.array(fc.tuple(namespace, host), { minLength: 1, maxLength: 10 }), fc.array(namespace, { maxLength: 3 }),
        (entries, queries, services) => {
          const objs: Obj[] = entries.map((e, i) => serviceEntry(`se${i}`, e.ns, e.hosts, e.exportTo));
          services.forEach((ns, i) => objs.push(service(`svc${i}`, ns)));
          const index = new ResourceIndex(objs);
          for (let k = 0; k < asked; k++) index.coversVisibleHost('a', '*.zz');
          for (const [ns, h] of queries) {
            const exact = index.hosts().get(scopedFqdn('*', ns, h)) ?? index.hosts().get(scopedFqdn(ns, ns, h));
            expect(index.destinationHost(ns, [], h)).toBe(exact ?? referenceWildcard(index, ns, h));
            if (h.startsWith('*')) expect(index.coversVisibleHost(ns, h)).toBe(referenceCovers(index, ns, h));
          }
        }), { numRuns: 300 });
    });
  }

  test('4,000 namespaces, each with a wildcard egress ServiceEntry and four missing destinations: every one reported', () => {
    const objs: Obj[] = [];
    for (let i = 0; i < 4000; i++) {
      objs.push(serviceEntry(`se${i}`, `t${i}`, [`*.p${i}.example.net`]));
      objs.push({
        apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: `vs${i}`, namespace: `t${i}` },
        spec: { hosts: [`h${i}`], http: [0, 1, 2, 3].map((k) => ({ route: [{ destination: { host: k === 3 ? `api.p${(i + 1) % 4000}.example.net` : `missing-${k}` } }] })) },
      });
    }
    const ds = analyze(objs, { analyzers: ['virtualservice.DestinationHostAnalyzer'] });
    // Three missing per VirtualService; the fourth is another namespace's wildcard, exported to all.
    expect(ds.filter((d) => d.code === 'IST0101')).toHaveLength(12000);
  });

  test('a DestinationRule whose wildcard host covers a visible Service is not reported; one covering nothing is', () => {
    const dr = (name: string, ns: string, h: string): Obj => ({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name, namespace: ns }, spec: { host: h } });
    const ds = analyze([service('api', 'shop'), dr('all', 'shop', '*.local'), dr('shop', 'other', '*.shop.svc.cluster.local'), dr('none', 'shop', '*.corp.internal')],
      { analyzers: ['destinationrule.PodNotSelectedAnalyzer'] });
    expect(ds.map((d) => `${d.code} ${d.origin}`)).toEqual(['IST0174 DestinationRule shop/none']);
  });

  test('HostSet.anyMatches is hostMatches against every host of the set', () => {
    fc.assert(fc.property(fc.array(host, { maxLength: 12 }), fc.array(host, { minLength: 1, maxLength: 8 }), (hosts, queries) => {
      const set = new HostSet(hosts);
      for (const q of queries) expect(set.anyMatches(q)).toBe(hosts.some((h) => hostMatches(h, q)));
    }), { numRuns: 500 });
  });

  test('a VirtualService bound to a shared gateway: IST0132 exactly when no host visible from its namespace matches', () => {
    // Gateway hosts as written: plain, `./h`, `*/h`, `ns/h`; the rule (Istio's): sanitize, keep the hosts
    // visible from the VirtualService's namespace, match any of them against any VirtualService host.
    const gwHost = fc.oneof(host, host.map((h) => `./${h}`), host.map((h) => `*/${h}`), fc.tuple(namespace, host).map(([n, h]) => `${n}/${h}`));
    fc.assert(fc.property(fc.array(gwHost, { minLength: 1, maxLength: 40, size: 'max' }), fc.array(fc.tuple(namespace, fc.array(host, { minLength: 1, maxLength: 3 })), { minLength: 1, maxLength: 6 }),
      (gwHosts, vss) => {
        const objs: Obj[] = [{
          apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'public', namespace: 'gw' },
          spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: gwHosts }] },
        }];
        vss.forEach(([ns, hosts], i) => objs.push({
          apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: `vs${i}`, namespace: ns },
          spec: { hosts, gateways: ['gw/public'], http: [{ route: [{ destination: { host: 'x' } }] }] },
        }));
        const sanitized = gwHosts.includes('*/*') ? ['*'] : gwHosts.map((h) => (h.startsWith('./') ? `gw/${h.split('/')[1]}` : h.startsWith('*/') ? h.split('/')[1] : h));
        const visible = (ns: string) => sanitized.filter((h) => !h.includes('/') || [ns, '*'].includes(h.split('/')[0])).map((h) => (h.includes('/') ? h.split('/')[1] : h));
        const want = vss.map(([ns, hosts], i) => ({ ns, hosts, i })).filter(({ ns, hosts }) => !visible(ns).some((h) => hosts.some((vh) => hostMatches(h, vh))))
          .map(({ ns, i }) => `VirtualService ${ns}/vs${i}`).sort();
        const got = analyze(objs, { analyzers: ['virtualservice.GatewayAnalyzer'] }).filter((d) => d.code === 'IST0132').map((d) => d.origin).sort();
        expect(got).toEqual(want);
      }), { numRuns: 400 });
  });

  test('HostSet.matchingWildcard is the positions of a scan with hostMatches, in order', () => {
    fc.assert(fc.property(fc.array(host, { maxLength: 30 }), fc.array(wildcardHost, { minLength: 1, maxLength: 8 }), (hosts, queries) => {
      const ordered = new HostSet(hosts);
      for (const q of queries) {
        const want = hosts.flatMap((h, i) => (hostMatches(q, h) ? [i] : []));
        expect(ordered.matchingWildcard(q)).toEqual(want);
      }
    }), { numRuns: 500 });
  });

  test('IST0109 with more than 16 wildcard hosts exported to all (looked up by suffix) as with a few (scanned)', () => {
    // Hosts that are never `*` alone, so that padding wildcards that end with nothing of this alphabet
    // can match none of them; with and without the padding, the other findings must be the same.
    const nonEmpty = fc.string({ unit: fc.constantFrom('a', 'b', 'ab', '.', '-'), minLength: 1, maxLength: 4 });
    const meshHost = fc.oneof(nonEmpty, nonEmpty.map((l) => `${l}.x`), nonEmpty.map((l) => `*${l}`), nonEmpty.map((l) => `*${l}.x`),
      fc.constantFrom('*.local', '*.cluster.local', '*l', '*.x', '*a.x', '*b.x', '*.ab.x', 'a.x', 'b.a.x'));
    const vs = fc.record({ ns: namespace, hosts: fc.array(meshHost, { minLength: 1, maxLength: 2 }), exportTo: fc.option(fc.constantFrom(['.'], ['a'], ['*']), { nil: undefined }) });
    fc.assert(fc.property(fc.array(vs, { minLength: 1, maxLength: 12, size: 'max' }), (vss) => {
      const objs: Obj[] = vss.map((v, i) => ({
        apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: `vs${i}`, namespace: v.ns },
        spec: { hosts: v.hosts, ...(v.exportTo ? { exportTo: v.exportTo } : {}), http: [{ route: [{ destination: { host: 'x' } }] }] },
      }));
      const padding: Obj[] = Array.from({ length: 20 }, (_, k) => ({
        apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: `pad${k}`, namespace: 'pad' },
        spec: { hosts: [`*.zz${k}.invalid`], http: [{ route: [{ destination: { host: 'x' } }] }] },
      }));
      const A = ['virtualservice.ConflictingMeshGatewayHostsAnalyzer'];
      const plain = analyze(objs, { analyzers: A });
      const padded = analyze([...objs, ...padding], { analyzers: A }).filter((d) => !d.origin.includes('pad/'));
      expect(padded).toEqual(plain);
    }), { numRuns: 400 });
  });
});
