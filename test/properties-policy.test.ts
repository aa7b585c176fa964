// Property-based tests over random mesh-policy declarations (StrictMtls, AccessLogPolicy,
// TrimmedGatewayConfig), one to three of a kind in one App, valid and invalid: an accepted set
// synthesizes schema-valid objects that carry every prop given, and the analyzer passes them; a
// refused prop throws IstioGatewayError naming the construct path, the prop and the value; two
// policies that Istio could not tell apart (same workloads, same name, same revision) are refused
// at synthesis, and nothing else is. Seeded: FC_SEED=... FC_RUNS=... reproduce a run.
import * as fc from 'fast-check';
import { parse } from 'yaml';
import {
  AccessLogPolicy, configureSynthAnalysis, GatewayBase, IngressGateway, IstioGatewayError, StrictMtls, SynthCheck, TenantGateway, TrimmedGatewayConfig,
} from '../src';
import { fcParams, namespaceName, opt, orBad } from './support/arbitraries';
import { expectRefusal, refusalSummary } from './support/refusals';
import { newChart, synth } from './support/synth';
import { expectValid } from './support/validate-helper';
import { breadthFindings } from './support/breadth';

/** Selector keys and values that never select a gateway's pods, so overlaps come only from the policies themselves. */
const selector = (bad: number) => orBad(
  fc.dictionary(fc.constantFrom('app', 'tier', 'version'), fc.constantFrom('web', 'api', 'db'), { minKeys: 1, maxKeys: 2 }),
  [{}, null, 'app=web', { app: 'web-*' }, { 'Bad Key': 'x' }, { app: 7 }], bad);
const policyName = (bad: number) => orBad(fc.constantFrom('default', 'strict', 'web', 'logs'), ['Default', '', 'a_b', 7], bad);
const ns = (bad: number) => orBad(namespaceName, ['Team', '', 'a.b'], bad);

/** Runs split between well-formed input (mostly accepted) and input with invalid values mixed in. */
function bothWays<T>(make: (bad: number) => fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof(make(0), make(1));
}

function selectorKey(s: Record<string, string> | undefined): string {
  return s ? Object.keys(s).sort().map((k) => `${k}=${s[k]}`).join(',') : '';
}

/** True when some two entries collide on the key (null keys never collide). */
function collide<T>(list: T[], key: (x: T) => string | undefined): boolean {
  const seen = new Set<string>();
  for (const x of list) {
    const k = key(x);
    if (k === undefined) continue;
    if (seen.has(k)) return true;
    seen.add(k);
  }
  return false;
}

const tally = {
  mtls: { runs: 0, accepted: 0, synthRefused: 0 },
  log: { runs: 0, accepted: 0, synthRefused: 0, gateway: 0 },
  control: { runs: 0, accepted: 0, synthRefused: 0 },
};

/**
 * Declares each of `inputs` (refusals checked as they come), then synthesizes. Returns the accepted
 * declarations with the objects, or undefined when synthesis refused (which `conflict` must predict).
 */
function declareAll<P, C>(
  kind: keyof typeof tally, className: string, inputs: P[],
  declare: (chart: ReturnType<typeof newChart>['chart'], id: string, props: P) => C,
  conflict: (accepted: { props: P; construct: C }[]) => boolean,
) {
  const { app, chart } = newChart();
  configureSynthAnalysis(app, { warn: () => undefined });
  const accepted: { props: P; construct: C }[] = [];
  inputs.forEach((props, i) => {
    try {
      accepted.push({ props, construct: declare(chart, `p${i}`, props) });
    } catch (e) {
      expectRefusal(e, `${className} 'test/p${i}'`, props);
    }
  });
  tally[kind].runs++;
  const expectRefused = conflict(accepted);
  let objects: any[];
  try {
    objects = synth(chart);
  } catch (e) {
    tally[kind].synthRefused++;
    const err = expectRefusal(e, 'test/p');
    for (const p of err.problems) expect(p.construct).toMatch(/^(\w+ ')?test\/p\d/);
    if (!expectRefused) throw new Error(`synthesis refused policies that do not conflict:\n${(e as Error).message}`);
    return undefined;
  }
  if (expectRefused) throw new Error(`synthesis accepted conflicting policies: ${JSON.stringify(accepted.map((a) => a.props))}`);
  if (accepted.length > 0) tally[kind].accepted++;
  expect(SynthCheck.of(app).lastDiagnostics.filter((d) => d.level === 'Error')).toEqual([]);
  expect(breadthFindings(SynthCheck.of(app).lastDiagnostics)).toEqual([]);
  return { accepted, objects };
}

describe('random mesh policy', () => {
  test('StrictMtls: valid PeerAuthentications carrying every prop, or our own error; two for the same workloads refused', () => {
    const mtls = (bad: number) => fc.record({
      namespace: opt(ns(bad)),
      name: opt(policyName(bad)),
      selector: opt(selector(bad)),
      portLevel: opt(orBad(
        fc.dictionary(fc.constantFrom('80', '443', '8080', '15021', '65535', '1'), orBad(fc.constantFrom('STRICT', 'PERMISSIVE', 'DISABLE'), ['strict', 'MUTUAL', 7, undefined], bad), { minKeys: 1, maxKeys: 3 }),
        [{}, { 0: 'DISABLE' }, { 70000: 'DISABLE' }, { http: 'DISABLE' }, { '080': 'DISABLE' }, [80]], bad)),
    }, { requiredKeys: [] })
      // port exceptions need a selector (Istio's CEL rule): without one only in runs with invalid values
      .map((p) => (bad === 0 && p.portLevel !== undefined && p.selector === undefined ? { ...p, selector: { app: 'web' } } : p));
    fc.assert(fc.property(fc.array(bothWays(mtls), { minLength: 1, maxLength: 3 }), (inputs) => {
      const out = declareAll('mtls', 'StrictMtls', inputs as any[], (chart, id, props) => new StrictMtls(chart, id, props),
        (acc) => collide(acc, (a) => `${a.construct.namespace}|${a.construct.policyName}`) || collide(acc, (a) => `${a.construct.namespace}|${selectorKey(a.construct.selector)}`));
      if (!out) return;
      expectValid(out.objects);
      const pas = out.objects.filter((o) => o.kind === 'PeerAuthentication');
      expect(pas).toHaveLength(out.accepted.length);
      for (const { props } of out.accepted as { props: any }[]) {
        const pa = pas.find((o) => o.metadata.name === (props.name ?? 'default') && o.metadata.namespace === (props.namespace ?? 'istio-system'));
        expect(pa.apiVersion).toBe('security.istio.io/v1');
        expect(pa.spec.mtls).toEqual({ mode: 'STRICT' });
        expect(pa.spec.selector?.matchLabels).toEqual(props.selector);
        expect(pa.spec.portLevelMtls).toEqual(props.portLevel === undefined ? undefined
          : Object.fromEntries(Object.entries(props.portLevel).map(([p, mode]) => [p, { mode }])));
      }
    }), fcParams);
  });

  test('AccessLogPolicy: valid Telemetries carrying every prop, or our own error; two for the same workloads refused', () => {
    const filters = ['response.code >= 400', 'response.code >= 500 && request.url_path.startsWith("/api")', 'true', 'connection.mtls', 'request.headers["x-debug"] == "1"'];
    const log = (bad: number) => fc.record({
      gateway: fc.constantFrom(undefined, undefined, 'tenant', 'ingress'),
      selector: opt(selector(bad)),
      namespace: opt(ns(bad)),
      name: opt(policyName(bad)),
      providers: opt(orBad(fc.uniqueArray(fc.constantFrom('envoy', 'otel', 'stackdriver'), { minLength: 1, maxLength: 2 }), [[], ['envoy', 'envoy'], [''], 'envoy', [7]], bad)),
      // with invalid values: known non-CEL, and random strings for the CEL parser
      filter: opt(bad === 0 ? fc.constantFrom(...filters) : fc.oneof(
        { arbitrary: orBad(fc.constantFrom(...filters), ['', '  ', 'response.code >=', '(unclosed', 'a ==== b', 42], 2), weight: 9 },
        { arbitrary: fc.string({ maxLength: 16 }), weight: 1 },
      )),
      disabled: opt(orBad(fc.boolean(), ['yes'], bad)),
      mode: opt(orBad(fc.constantFrom('CLIENT_AND_SERVER', 'CLIENT', 'SERVER'), ['BOTH', 'client'], bad)),
    }, { requiredKeys: [] })
      // refused combinations (a filter on disabled logging; a gateway with a selector or another
      // namespace) are kept to the runs with invalid values
      .map((p) => (bad === 0 && p.disabled && p.filter !== undefined ? { ...p, filter: undefined } : p))
      .map((p) => (bad === 0 && p.gateway !== undefined ? { ...p, selector: undefined, namespace: undefined } : p));
    fc.assert(fc.property(fc.array(bothWays(log), { minLength: 1, maxLength: 3 }), (inputs) => {
      let gateways: Record<string, GatewayBase> = {};
      const out = declareAll('log', 'AccessLogPolicy', inputs as any[], (chart, id, props) => {
        if (Object.keys(gateways).length === 0 || gateways.tenant.node.scope !== chart) {
          gateways = {
            tenant: new TenantGateway(chart, 'edge', { namespace: 'edge', name: 'edge-gw' }),
            ingress: new IngressGateway(chart, 'shared', { namespace: 'edge' }),
          };
          gateways.tenant.addHttpHosts(['edge.example.com']);
          gateways.ingress.addHttpHosts(['shared.example.com']);
        }
        return new AccessLogPolicy(chart, id, { ...props, gateway: props.gateway === undefined ? undefined : gateways[props.gateway] });
      }, (acc) => {
        const c = acc.map((a) => a.construct);
        if (collide(c, (p) => `${p.namespace}|${p.policyName}`) || collide(c, (p) => `${p.namespace}|${selectorKey(p.selector)}`)) return true;
        // IST0159: a workload chosen by one policy's selector also selected by another's (a subset of its labels)
        return c.some((b) => !b.gateway && Object.keys(b.selector).length > 0 &&
          c.filter((a) => !a.gateway && a.namespace === b.namespace && Object.keys(a.selector).length > 0 &&
            Object.entries(a.selector).every(([k, v]) => b.selector[k] === v)).length > 1);
      });
      if (!out) return;
      expectValid(out.objects);
      const telemetries = out.objects.filter((o) => o.kind === 'Telemetry');
      expect(telemetries).toHaveLength(out.accepted.length);
      for (const { props, construct } of out.accepted as { props: any; construct: AccessLogPolicy }[]) {
        if (props.gateway) tally.log.gateway++;
        const t = telemetries.find((o) => o.metadata.name === construct.policyName && o.metadata.namespace === construct.namespace);
        expect(t.apiVersion).toBe('telemetry.istio.io/v1');
        expect(construct.namespace).toBe(props.namespace ?? construct.gateway?.workloadNamespace ?? 'istio-system');
        expect(t.spec.selector?.matchLabels).toEqual(props.gateway ? construct.gateway!.selector : props.selector);
        expect(t.spec.accessLogging).toEqual([{
          providers: (props.providers ?? ['envoy']).map((name: string) => ({ name })),
          ...(props.mode ? { match: { mode: props.mode } } : {}),
          ...(props.filter !== undefined ? { filter: { expression: props.filter } } : {}),
          ...(props.disabled ? { disabled: true } : {}),
        }]);
        // a gateway's Telemetry selects exactly that gateway's pods
        if (props.gateway === 'tenant') {
          const pods = out.objects.find((o) => o.kind === 'Deployment').spec.template.metadata.labels;
          for (const [k, v] of Object.entries(t.spec.selector.matchLabels)) expect(pods[k]).toBe(v);
        }
      }
    }), fcParams);
  });

  test('TrimmedGatewayConfig: the IstioOperator and Helm values carry every setting, or our own error; two for one revision refused', () => {
    const env = (bad: number) => opt(orBad(
      fc.dictionary(fc.constantFrom('PILOT_TRACE_SAMPLING', 'PILOT_ENABLE_ALPHA_GATEWAY_API', 'ISTIO_META_DNS_AUTO_ALLOCATE', 'X_1'), fc.constantFrom('1', 'true', 'false', ''), { minKeys: 1, maxKeys: 2 }),
      [{ '1BAD': 'x' }, { 'has space': 'x' }, { X: true }, { X: 1 }, { PILOT_FILTER_GATEWAY_CLUSTER_CONFIG: 'false' }, { ISTIO_META_DNS_CAPTURE: 'false' }, null, ['X=1']], bad));
    const control = (bad: number) => fc.record({
      name: opt(policyName(bad)),
      namespace: opt(ns(bad)),
      profile: opt(orBad(fc.constantFrom('minimal', 'default', 'demo', 'empty', 'ambient', 'preview', 'remote', 'stable'), ['tiny', 'Minimal', ''], bad)),
      revision: opt(orBad(fc.constantFrom('1-30', 'canary', 'stable-1-30-3'), ['1.30', 'Canary', ''], bad)),
      filterGatewayClusterConfig: opt(orBad(fc.boolean(), ['true'], bad)),
      dnsCapture: opt(orBad(fc.boolean(), [1], bad)),
      prometheusMerge: opt(orBad(fc.boolean(), [null], bad)),
      accessLogFile: opt(orBad(fc.constantFrom('/dev/stdout', '/var/log/access.log'), ['stdout', '', 5], bad)),
      accessLogEncoding: opt(orBad(fc.constantFrom('TEXT', 'JSON'), ['json', 'XML'], bad)),
      pilotEnv: env(bad),
      proxyMetadata: env(bad),
    }, { requiredKeys: [] })
      .map((p) => (bad === 0 && p.accessLogEncoding !== undefined && p.accessLogFile === undefined ? { ...p, accessLogFile: '/dev/stdout' } : p))
      // the typed props own these two names: well-formed input never sets them by hand
      .map((p) => (bad === 0 ? { ...p, pilotEnv: strip(p.pilotEnv, 'PILOT_FILTER_GATEWAY_CLUSTER_CONFIG'), proxyMetadata: strip(p.proxyMetadata, 'ISTIO_META_DNS_CAPTURE') } : p));
    fc.assert(fc.property(fc.array(bothWays(control), { minLength: 1, maxLength: 2 }), (inputs) => {
      const out = declareAll('control', 'TrimmedGatewayConfig', inputs as any[], (chart, id, props) => new TrimmedGatewayConfig(chart, id, props),
        (acc) => collide(acc, (a) => a.construct.revision ?? '(default)') ||
          collide(acc, (a) => `${a.props.namespace ?? 'istio-system'}|${a.props.name ?? 'control-plane'}`));
      if (!out) return;
      // the IstioOperator is istioctl input with no CRD in Istio 1.30: only the other objects are schema-checked
      expectValid(out.objects.filter((o) => o.kind !== 'IstioOperator'));
      for (const { props, construct } of out.accepted as { props: any; construct: TrimmedGatewayConfig }[]) {
        const iop = out.objects.find((o) => o.kind === 'IstioOperator' && o.metadata.name === (props.name ?? 'control-plane') && o.metadata.namespace === (props.namespace ?? 'istio-system'));
        expect(iop.apiVersion).toBe('install.istio.io/v1alpha1');
        expect(iop.spec.profile).toBe(props.profile ?? 'minimal');
        expect(iop.spec.revision).toBe(props.revision);
        const env = [
          ...(props.filterGatewayClusterConfig === false ? [] : [{ name: 'PILOT_FILTER_GATEWAY_CLUSTER_CONFIG', value: 'true' }]),
          ...sortedVars(props.pilotEnv),
        ];
        expect(iop.spec.components?.pilot.k8s.env ?? []).toEqual(env);
        const metadata = Object.fromEntries([
          ...(props.dnsCapture === true ? [['ISTIO_META_DNS_CAPTURE', 'true']] : []),
          ...sortedVars(props.proxyMetadata).map((v) => [v.name, v.value]),
        ]);
        const mesh = iop.spec.meshConfig;
        expect(mesh.defaultConfig?.proxyMetadata ?? {}).toEqual(metadata);
        expect(mesh.enablePrometheusMerge).toBe(props.prometheusMerge ?? true);
        expect(mesh.accessLogFile).toBe(props.accessLogFile);
        expect(mesh.accessLogEncoding).toBe(props.accessLogEncoding);
        // the Helm values say the same, and their YAML parses back to them; the istiod chart has no 'empty' profile
        if (props.profile === 'empty') {
          expect(() => construct.helmValues()).toThrow(IstioGatewayError);
          continue;
        }
        const values = construct.helmValues();
        expect(['demo', 'ambient', 'preview', 'remote', 'stable', undefined]).toContain(values.profile);
        expect(values.meshConfig).toEqual(mesh);
        expect((values.pilot as any)?.env ?? {}).toEqual(Object.fromEntries(env.map((e) => [e.name, e.value])));
        expect(values.revision).toBe(props.revision);
        expect(parse(construct.helmValuesYaml())).toEqual(values);
      }
    }), fcParams);
  });
});

function strip(vars: unknown, key: string): unknown {
  if (vars === null || typeof vars !== 'object') return vars;
  const { [key]: _dropped, ...rest } = vars as Record<string, unknown>;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

function sortedVars(vars: Record<string, string> | undefined): { name: string; value: string }[] {
  return Object.keys(vars ?? {}).sort().map((name) => ({ name, value: vars![name] }));
}

afterAll(() => {
  if (process.env.FC_REFUSALS) console.log(`${JSON.stringify(tally)}\n${refusalSummary()}`);
  // guard against vacuity: a fair share of random policy sets is accepted, and conflicts do come up
  for (const [kind, t] of Object.entries(tally)) {
    if (t.runs < 200) continue;
    expect([kind, t.accepted / t.runs > 0.25]).toEqual([kind, true]);
    expect([kind, t.synthRefused > 0]).toEqual([kind, true]);
  }
  if (tally.log.runs >= 200) expect(tally.log.gateway).toBeGreaterThan(0);
});
