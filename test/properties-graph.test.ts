// Property tests of the routing picture over arbitrary strings where hand-written YAML may put
// anything (hosts, names, match values, subsets): the graph never throws, and every rendering
// stays well-formed: Mermaid node and edge lines keep their quoted-label shape, dot labels keep
// balanced quotes, html labels are escaped. Seeded: FC_SEED=... FC_RUNS=... reproduce a run.
import * as fc from 'fast-check';
import { reviewChange, routingGraph, toDot, toHtml, toMermaid } from '../src';
import { FC_RUNS, FC_SEED, junk } from './support/arbitraries';

// Each run renders three formats: fewer runs than the construct properties.
const params = { seed: FC_SEED, numRuns: Math.min(FC_RUNS, 300) };

const text = fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('end', 'graph', 'subgraph', '"', '<script>', '#35;', '|', '`', '\\', '-->', '&amp;', '*', 'a/b'));

const config = fc.record({
  gwName: text, ns: text, hosts: fc.array(text, { minLength: 1, maxLength: 3 }), port: fc.oneof(fc.integer({ min: 1, max: 65535 }), junk),
  protocol: fc.oneof(fc.constantFrom('HTTP', 'HTTPS', 'TLS', 'TCP'), text), credential: text, uri: text, header: text,
  dests: fc.array(fc.record({ host: text, subset: fc.option(text), weight: fc.oneof(fc.integer({ min: 0, max: 100 }), junk) }), { maxLength: 3 }),
  junkSpec: junk,
});

type Config = typeof config extends fc.Arbitrary<infer T> ? T : never;

function objectsOf(c: Config): object[] {
  return [
    { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: c.gwName, namespace: c.ns },
      spec: { selector: { istio: c.gwName }, servers: [{ port: { number: c.port, name: c.gwName, protocol: c.protocol }, hosts: c.hosts, tls: { mode: 'SIMPLE', credentialName: c.credential } }] } },
    { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: c.gwName, namespace: c.ns },
      spec: { hosts: c.hosts, gateways: [c.gwName, `${c.ns}/${c.gwName}`], http: [{ name: c.header, match: [{ uri: { prefix: c.uri }, headers: { [c.header]: { exact: c.uri } } }],
        route: c.dests.map((d) => ({ destination: { host: d.host, ...(d.subset !== null ? { subset: d.subset } : {}) }, weight: d.weight })) }] } },
    { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'junk', namespace: c.ns }, spec: c.junkSpec },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: c.gwName, namespace: c.ns },
      spec: { parentRefs: [{ name: c.gwName }], hostnames: c.hosts, rules: [{ backendRefs: c.dests.map((d) => ({ name: d.host, weight: d.weight })) }] } },
  ];
}

test('any strings: the graph is built and every rendering stays well-formed', () => {
  fc.assert(fc.property(config, (c) => {
    const g = routingGraph(objectsOf(c));
    const mermaid = toMermaid(g).trimEnd().split('\n');
    const nodeLines = mermaid.filter((l) => /^\s+n\d+\[/.test(l));
    expect(nodeLines).toHaveLength(g.nodes.length);
    for (const l of nodeLines) expect(l).toMatch(/^\s+n\d+\["[^"<>`|\n]*"\]:::[a-z]+$/);
    for (const l of mermaid.filter((x) => /^\s+n\d+ -/.test(x))) expect(l).toMatch(/^\s+n\d+ (-->|-\.->)(\|"[^"<>`|\n]*"\|)? n\d+$/);
    for (const l of toDot(g).split('\n')) expect((l.replace(/\\\\/g, '').replace(/\\"/g, '').match(/"/g) ?? []).length % 2).toBe(0);
    const html = toHtml(g);
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html.match(/data-kind="route"/g)?.length ?? 0).toBeGreaterThanOrEqual(g.nodes.filter((n) => n.kind === 'route').length > 0 ? 1 : 0);
  }), params);
});

test('any strings: the review of adding or removing it all is built without throwing', () => {
  fc.assert(fc.property(config, config, (a, b) => {
    const r = reviewChange(objectsOf(a), objectsOf(b));
    expect(Array.isArray(r.changes) && Array.isArray(r.disruptions)).toBe(true);
    expect(reviewChange(objectsOf(a), objectsOf(a))).toEqual({ changes: [], disruptions: [] });
  }), params);
});
