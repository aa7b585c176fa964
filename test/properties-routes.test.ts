// Property-based tests over random HttpRoute and CanaryRoute declarations, valid and invalid, bound
// to 0..2 gateways that do or do not serve the route's hosts: an accepted route synthesizes
// schema-valid objects that the analyzer passes, with every declared host, gateway, rule, subset
// and option present (weights summing to 100, the canary rule before the split, the
// DestinationRule before the VirtualService); a refused one throws IstioGatewayError naming the
// construct path, the prop and the value given. Seeded: FC_SEED=... FC_RUNS=... reproduce a run.
import { App, Chart } from 'cdk8s';
import * as fc from 'fast-check';
import {
  CanaryRoute, configureSynthAnalysis, GatewayBase, HttpRoute, IngressGateway, SynthCheck, TenantGateway, TlsHost, TlsMode,
} from '../src';
import { fcParams, namespaceName, opt, orBad, routeArbitraries, routeArbs, validRouteArbs } from './support/arbitraries';
import { expectRefusal, refusalSummary } from './support/refusals';
import { newChart, synth } from './support/synth';
import { expectValid } from './support/validate-helper';
import { intersects, visibleHost } from './support/host-oracle';
import { breadthFindings } from './support/breadth';

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

/** How a gateway serves (or does not serve) the route's hosts. */
type Serve = 'http' | 'tls' | 'wildcard' | 'other' | 'passthrough' | 'none';
interface GatewaySpec { kind: 'tenant' | 'ingress'; namespace: string; serve: Serve }

const gatewaySpec: fc.Arbitrary<GatewaySpec> = fc.record({
  kind: fc.constantFrom('tenant' as const, 'ingress' as const),
  namespace: namespaceName,
  serve: fc.oneof(
    { arbitrary: fc.constantFrom<Serve>('http', 'tls', 'wildcard'), weight: 8 },
    { arbitrary: fc.constantFrom<Serve>('other', 'passthrough', 'none'), weight: 1 },
  ),
});

/** Props of either route at one badness (see routeArbitraries). */
function routeInputs(a: ReturnType<typeof routeArbitraries>, bad: number) {
  const binding = {
    hosts: a.routeHosts,
    gateways: orBad(fc.array(gatewaySpec, { maxLength: 2 }), ['junk', 'not-a-list', 'duplicate'], bad),
    includeMesh: fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: orBad(fc.boolean(), ['true', 1], bad), weight: 1 }),
    namespace: opt(orBad(namespaceName, ['Bad', '', 'a'.repeat(64)], bad)),
    name: opt(orBad(fc.constantFrom('catalog', 'reviews', 'web-route'), ['Bad_Name', '', 'x.y'], bad)),
    match: a.matchList,
    timeout: opt(a.duration),
    retries: opt(a.retries),
    mirror: opt(a.mirror),
    fault: opt(a.fault),
    rewrite: opt(a.rewrite),
  };
  // a third of the mirrors copy to the destination's own host (another port, or a subset)
  const sameHostMirror = <T extends { mirror?: unknown; destination?: unknown }>(r: fc.Arbitrary<T>) => fc.tuple(r, fc.nat(2)).map(([x, n]) => {
    const d = x.destination as { host?: unknown } | undefined;
    return n === 0 && x.mirror && d && typeof d === 'object' ? { ...x, mirror: { ...(x.mirror as object), host: d.host } } : x;
  });
  return {
    http: sameHostMirror(fc.record({ ...binding, destination: a.destination })),
    canary: sameHostMirror(fc.record({
      ...binding,
      destination: a.destination,
      stable: orBad(a.stableSubset, [undefined, null, 'v1'], bad),
      canary: orBad(fc.tuple(a.canarySubset, a.weight, a.matchList).map(([s, weight, match]) => ({ ...s, weight, match })), [undefined, null], bad),
      trafficPolicy: opt(a.trafficPolicy),
    })),
  };
}

/** Half of the runs well-formed (mostly accepted), half with invalid values mixed in (mostly refused). */
const valid = routeInputs(validRouteArbs, 0);
const mixed = routeInputs(routeArbs, 1);
const httpRouteInput = fc.oneof(valid.http, mixed.http);
const canaryInput = fc.oneof(valid.canary, mixed.canary);

// ---------------------------------------------------------------------------------------------
// Building
// ---------------------------------------------------------------------------------------------

const HOST = /^(\*|(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$/i;


interface Built {
  app: App;
  chart: Chart;
  gateways: GatewayBase[] | unknown;
  /** Hosts each gateway serves over HTTP or HTTPS (where HTTP rules apply). */
  httpHosts: string[][];
  /** `namespace/name` of the TenantGateways' own Services. */
  services?: Set<string>;
}

/** The gateways of one run, serving the route's (valid) hosts as the spec says. */
function buildGateways(specs: GatewaySpec[] | string, routeHostsGiven: unknown): Built {
  const { app, chart } = newChart();
  configureSynthAnalysis(app, { warn: () => undefined });
  if (typeof specs === 'string') {
    // not gateways at all, or one gateway listed twice
    if (specs !== 'duplicate') return { app, chart, gateways: specs === 'junk' ? [{ ref: 'x/y' }] : 'gw', httpHosts: [] };
    const gw = new IngressGateway(chart, 'gw0', { namespace: 'edge' });
    gw.addHttpHosts(['*']);
    return { app, chart, gateways: [gw, gw], httpHosts: [['*'], ['*']] };
  }
  const valid = Array.isArray(routeHostsGiven) ? routeHostsGiven.filter((h): h is string => typeof h === 'string' && HOST.test(h)) : [];
  const hosts = [...new Map(valid.map((h) => [h.toLowerCase(), h])).values()];
  const gateways: GatewayBase[] = [];
  const httpHosts: string[][] = [];
  const services = new Set<string>();
  specs.forEach((s, i) => {
    if (s.kind === 'tenant') services.add(`${s.namespace}/gw${i}`);
    const gw = s.kind === 'tenant'
      ? new TenantGateway(chart, `gw${i}`, { namespace: s.namespace })
      // a second shared gateway selects another existing workload, so the two never claim one host
      : new IngressGateway(chart, `gw${i}`, i === 0 ? { namespace: s.namespace } : { namespace: s.namespace, selector: { istio: `ingress-${i}` } });
    gateways.push(gw);
    const served: string[] = [];
    if (hosts.length > 0) {
      if (s.serve === 'http') {
        gw.addHttpHosts(hosts);
        served.push(...hosts);
      } else if (s.serve === 'tls') {
        new TlsHost(chart, `tls${i}`, { gateway: gw, hosts, credentialName: `cert-${i}` });
        served.push(...hosts);
      } else if (s.serve === 'wildcard') {
        const parents = [...new Set(hosts.filter((h) => h.includes('.')).map((h) => `*${h.slice(h.indexOf('.'))}`))];
        const wild = parents.length > 0 ? parents : ['*'];
        gw.addHttpHosts(wild);
        served.push(...wild);
      } else if (s.serve === 'other') {
        gw.addHttpHosts([`other-${i}.example.net`]);
        served.push(`other-${i}.example.net`);
      } else if (s.serve === 'passthrough') {
        new TlsHost(chart, `pt${i}`, { gateway: gw, hosts, mode: TlsMode.PASSTHROUGH });
      }
    }
    httpHosts.push(served);
  });
  return { app, chart, gateways, httpHosts, services };
}

/** The props as given to the construct: no gateways is sometimes `[]`, mostly the prop left out. */
function routeProps(input: any, b: Built): any {
  const props = { ...input, gateways: b.gateways };
  if (Array.isArray(b.gateways) && b.gateways.length === 0 && input.timeout === undefined) delete props.gateways;
  return props;
}

/** Synthesis must refuse exactly when a bound gateway serves none of the route's hosts over HTTP(S) (IST0132). */
function unserved(b: Built, hosts: string[]): boolean {
  return b.httpHosts.some((served) => !served.some((s) => hosts.some((h) => intersects(h, s))));
}

/**
 * A mirror to a subset that no DestinationRule of the App defines (any HttpRoute mirror subset; a
 * CanaryRoute's only when mirroring another host): the analyzer refuses it (IST0101), since the
 * subset would have no endpoints unless YAML beside the App defines it.
 */
function mirrorSubsetUndefined(input: any, kind: 'http' | 'canary'): boolean {
  return input.mirror?.subset !== undefined && (kind === 'http' || input.mirror.host !== input.destination.host);
}

// ---------------------------------------------------------------------------------------------
// Checks of an accepted route
// ---------------------------------------------------------------------------------------------

const tally = {
  http: { runs: 0, accepted: 0, synthRefused: 0, bound: 0, faultMatch: 0 },
  canary: { runs: 0, accepted: 0, synthRefused: 0, bound: 0, canaryMatch: 0, faultMatch: 0, edgeWeight: 0 },
};

function len(x: unknown): number {
  return Array.isArray(x) ? x.length : 1;
}

/** What every route's VirtualService must show: hosts, gateways, options on every rule. */
function checkVirtualService(objects: any[], route: HttpRoute | CanaryRoute, input: any, gateways: GatewayBase[]): any {
  const vss = objects.filter((o) => o.kind === 'VirtualService');
  expect(vss).toHaveLength(1);
  const vs = vss[0];
  expect(vs.metadata).toMatchObject({ name: input.name ?? 'route', namespace: route.namespace });
  expect(vs.spec.hosts).toEqual(input.hosts);
  if (gateways.length === 0) {
    expect(vs.spec.gateways).toBeUndefined();
  } else {
    expect(vs.spec.gateways).toEqual([...gateways.map((g) => `${g.namespace}/${g.gatewayName}`), ...(input.includeMesh ? ['mesh'] : [])]);
    // every bound Gateway object comes before the route that binds to it
    for (const g of gateways) {
      const gi = objects.findIndex((o) => o.kind === 'Gateway' && o.metadata.name === g.gatewayName && o.metadata.namespace === g.namespace);
      expect(gi).toBeGreaterThanOrEqual(0);
      expect(gi).toBeLessThan(objects.indexOf(vs));
    }
  }
  for (const rule of vs.spec.http) {
    expect(rule.route.length).toBeGreaterThan(0);
    if (rule.route.length > 1 || rule.route[0].weight !== undefined) {
      expect(rule.route.reduce((sum: number, r: any) => sum + r.weight, 0)).toBe(100);
    }
    if (input.timeout !== undefined) expect(rule.timeout).toBe(input.timeout);
    if (input.retries !== undefined) expect(rule.retries.attempts).toBe(input.retries.attempts);
    if (input.mirror !== undefined) {
      expect(rule.mirror.host).toBe(input.mirror.host);
      expect(rule.mirrorPercentage).toEqual({ value: input.mirror.percentage ?? 100 });
    }
    if (input.rewrite !== undefined) expect(rule.rewrite).toBeDefined();
    if (input.fault !== undefined && input.fault.match === undefined) expect(rule.fault).toBeDefined();
  }
  return vs;
}

function checkSynth(b: Built, build: () => HttpRoute | CanaryRoute, input: any, kind: 'http' | 'canary'): { objects?: any[]; route?: HttpRoute | CanaryRoute } {
  const t = tally[kind];
  const construct = `${kind === 'http' ? 'HttpRoute' : 'CanaryRoute'} 'test/route'`;
  let route: HttpRoute | CanaryRoute;
  try {
    route = build();
  } catch (e) {
    const err = expectRefusal(e, construct, input);
    // an upper-case header name (Envoy lower-cases them): the refusal suggests the lower-case spelling
    for (const p of err.problems) {
      const header = /[hH]eaders\['([^']*[A-Z][^']*)'\]$/.exec(p.prop)?.[1];
      if (header !== undefined && /^[!#$%&'*+\-.^_`|~0-9a-zA-Z]+$/.test(header)) expect(p.expected).toContain(`"${header.toLowerCase()}"`);
    }
    return {};
  }
  const gateways = b.gateways as GatewayBase[];
  // a backend that is a tenant gateway's own Service (not one this route binds to: that loop is refused at
  // construction) is checked as the App defines it, and it does not expose the backend's port
  const serviceOf = (host: unknown) => {
    const fqdn = typeof host === 'string' ? /^([^.]+)\.([^.]+)\.svc\.cluster\.local$/.exec(host) : null;
    return fqdn ? `${fqdn[2]}/${fqdn[1]}` : `${route.namespace}/${String(host)}`;
  };
  const backendIsGateway = [input.destination?.host, input.mirror?.host].some((h) => h !== undefined && b.services?.has(serviceOf(h)));
  const expectRefused = unserved(b, input.hosts) || mirrorSubsetUndefined(input, kind);
  let objects: any[];
  try {
    objects = synth(b.chart);
  } catch (e) {
    t.synthRefused++;
    expectRefusal(e, construct);
    if (!expectRefused && !backendIsGateway) throw new Error(`synthesis refused a route whose gateways all serve one of its hosts (and whose mirror subset, if any, is defined):\n${(e as Error).message}`);
    return {};
  }
  if (expectRefused) throw new Error(`synthesis accepted a route bound to a gateway that serves none of its hosts ${JSON.stringify(input.hosts)} (${JSON.stringify(b.httpHosts)}), or mirroring to an undefined subset`);
  t.accepted++;
  if (gateways.length > 0) t.bound++;
  if (input.fault?.match) t.faultMatch++;
  expectValid(objects);
  expect(SynthCheck.of(b.app).lastDiagnostics.filter((d) => d.level === 'Error')).toEqual([]);
  // The one breadth finding a route may carry is the user's own choice: a DestinationRule originating TLS
  // (SIMPLE or MUTUAL) without caCertificates does not verify the server (IST0128), as istioctl warns.
  const tlsMode = input.trafficPolicy?.tls?.mode;
  const unverified = kind === 'canary' && (tlsMode === 'SIMPLE' || tlsMode === 'MUTUAL') && !input.trafficPolicy.tls.caCertificates;
  const dr = objects.find((o) => o.kind === 'DestinationRule');
  expect(breadthFindings(SynthCheck.of(b.app).lastDiagnostics))
    .toEqual(unverified ? [`IST0128 DestinationRule ${dr.metadata.namespace}/${dr.metadata.name}`] : []);
  // every declared host is served by every bound gateway's Gateway object
  for (const g of gateways) {
    const obj = objects.find((o) => o.kind === 'Gateway' && o.metadata.name === g.gatewayName && o.metadata.namespace === g.namespace);
    // as seen from the route's namespace: a TenantGateway scopes its hosts to the namespaces it admits
    expect(obj.spec.servers.some((s: any) => s.hosts.some((h: string) => {
      const seen = visibleHost(h, route.namespace, g.namespace);
      return seen !== undefined && input.hosts.some((rh: string) => intersects(rh, seen));
    }))).toBe(true);
  }
  return { objects, route };
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

describe('random routes', () => {
  test('HttpRoute: valid, analyzed and complete output, or our own error naming path, prop and value', () => {
    fc.assert(fc.property(httpRouteInput, (input) => {
      tally.http.runs++;
      const b = buildGateways(input.gateways as any, input.hosts);
      const props = routeProps(input, b);
      const { objects, route } = checkSynth(b, () => new HttpRoute(b.chart, 'route', props), props, 'http');
      if (!objects) return;
      const vs = checkVirtualService(objects, route!, props, b.gateways as GatewayBase[]);
      // the one declared route, behind fault rules for matching requests when the fault has a match
      const names = vs.spec.http.map((r: any) => r.name);
      expect(names).toEqual(props.fault?.match ? ['forward-fault', 'forward'] : ['forward']);
      const forward = vs.spec.http[names.length - 1];
      expect(forward.route).toEqual([{ destination: { host: props.destination.host, ...(props.destination.port !== undefined ? { port: { number: props.destination.port } } : {}) } }]);
      expect(forward.match?.length).toBe(props.match?.length);
      if (props.fault?.match) expect(vs.spec.http[0].match).toHaveLength(len(props.match) * props.fault.match.length);
    }), fcParams);
  });

  test('CanaryRoute: valid, analyzed and complete output (subsets, split, order), or our own error naming path, prop and value', () => {
    fc.assert(fc.property(canaryInput, (input) => {
      tally.canary.runs++;
      const b = buildGateways(input.gateways as any, input.hosts);
      const props = routeProps(input, b);
      const { objects, route } = checkSynth(b, () => new CanaryRoute(b.chart, 'route', props), props, 'canary');
      if (!objects) return;
      const canary = route as CanaryRoute;
      const w = props.canary.weight as number;
      if (w === 0 || w === 100) tally.canary.edgeWeight++;
      if (props.canary.match) tally.canary.canaryMatch++;
      const vs = checkVirtualService(objects, canary, props, b.gateways as GatewayBase[]);

      // the DestinationRule: both subsets with their labels, stable first, before the VirtualService
      const drs = objects.filter((o) => o.kind === 'DestinationRule');
      expect(drs).toHaveLength(1);
      const dr = drs[0];
      expect(dr.metadata).toMatchObject({ name: props.name ?? 'route', namespace: canary.destinationRuleNamespace });
      expect(dr.spec.host).toBe(props.destination.host);
      expect(dr.spec.subsets).toEqual([
        { name: props.stable.subset, labels: props.stable.labels },
        { name: props.canary.subset, labels: props.canary.labels },
      ]);
      expect(objects.indexOf(dr)).toBeLessThan(objects.indexOf(vs));

      // rules: [fault rules,] canary (when canary.match), split; canary before split
      const branches = props.canary.match ? ['canary', 'split'] : ['split'];
      const names = vs.spec.http.map((r: any) => r.name);
      expect(names).toEqual(props.fault?.match ? [...branches.map((n) => `${n}-fault`), ...branches] : branches);
      const to = (subset: string, weight: number) => ({
        destination: { host: props.destination.host, subset, ...(props.destination.port !== undefined ? { port: { number: props.destination.port } } : {}) },
        weight,
      });
      for (const rule of vs.spec.http) {
        if (rule.name.startsWith('canary')) {
          expect(rule.route).toEqual([to(props.canary.subset, 100)]);
          const faultMatches = rule.name.endsWith('-fault') ? len(props.fault.match) : 1;
          expect(rule.match).toHaveLength(len(props.match) * props.canary.match.length * faultMatches);
        } else {
          // both destinations stay in the split at every weight, 0 and 100 included
          expect(rule.route).toEqual([to(props.stable.subset, 100 - w), to(props.canary.subset, w)]);
          const faultMatches = rule.name.endsWith('-fault') ? props.fault.match.length : undefined;
          expect(rule.match?.length).toBe(faultMatches === undefined ? props.match?.length : len(props.match) * faultMatches);
        }
      }
      expect(canary.weight).toBe(w);
      expect(canary.subsets).toEqual([props.stable.subset, props.canary.subset]);
    }), fcParams);
  });
});

afterAll(() => {
  if (process.env.FC_REFUSALS) console.log(`${JSON.stringify(tally)}\n${refusalSummary()}`);
  // guard against vacuity: enough random routes are accepted, bound to gateways, and use the rarer shapes
  const { http, canary } = tally;
  if (http.runs >= 200) {
    expect(http.accepted / http.runs).toBeGreaterThan(0.2);
    expect(http.bound / http.runs).toBeGreaterThan(0.05);
    expect(http.synthRefused).toBeGreaterThan(0);
    expect(http.faultMatch).toBeGreaterThan(0);
  }
  if (canary.runs >= 200) {
    expect(canary.accepted / canary.runs).toBeGreaterThan(0.1);
    expect(canary.bound / canary.runs).toBeGreaterThan(0.02);
    expect(canary.canaryMatch).toBeGreaterThan(0);
    expect(canary.edgeWeight).toBeGreaterThan(0);
    expect(canary.faultMatch).toBeGreaterThan(0);
  }
});
