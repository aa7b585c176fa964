// The analyzers of issue 15 (analyzer breadth): Istio 1.30.3's own test grid, then each analyzer's
// semantics and message texts on small inputs, the offline assumptions (mesh config, injector
// webhooks, system namespaces) and the CLI's --mesh-config flag.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiObject, App, Chart } from 'cdk8s';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { buildGatewayApiPlatform } from '../examples/gateway-api';
import { configureSynthAnalysis, SynthCheck } from '../src/cdk8s';
import { analyze, ANALYZER_NAMES, Diagnostic } from '../src/analysis';
import { CliIO } from '../src/cli/load';
import { main } from '../src/cli/main';
import { deployment, destinationRule, Obj, pod, service, telemetry, virtualService } from './fixtures/analysis/builders';
import { BREADTH_ANALYZERS, breadthFindings } from './support/breadth';

const GRID = path.resolve(__dirname, 'fixtures/analysis/conformance/istio-1.30');

const codes = (ds: Diagnostic[]): string[] => ds.map((d) => `${d.code} ${d.origin}`).sort();
const run = (analyzer: string, objects: Obj[], meshConfig?: object): Diagnostic[] => analyze(objects, { analyzers: [analyzer], meshConfig });
const ns = (name: string, labels: Record<string, string> = {}): Obj => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const obj = (apiVersion: string, kind: string, name: string, namespace: string | undefined, spec: Obj, meta: Obj = {}): Obj =>
  ({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}), ...meta }, spec });

describe("Istio 1.30.3's analyzer test grid", () => {
  test('the grid (run by analysis-conformance.test.ts) has cases for every new analyzer', () => {
    const cases = (JSON.parse(fs.readFileSync(path.join(GRID, 'cases.json'), 'utf8')) as { cases: Array<{ analyzer: string }> }).cases;
    expect(cases).toHaveLength(71);
    for (const a of BREADTH_ANALYZERS) expect(cases.filter((c) => c.analyzer === a).length).toBeGreaterThan(0);
  });

  test('every new analyzer is registered under Istio\'s type name, and under its Metadata name where that differs', () => {
    for (const a of BREADTH_ANALYZERS) expect(ANALYZER_NAMES).toContain(a);
    for (const alias of ['deployment.MultiServiceAnalyzer', 'auth.AuthorizationPoliciesAnalyzer', 'deprecation.DeprecationAnalyzer']) {
      expect(() => analyze([], { analyzers: [alias] })).not.toThrow();
    }
  });
});

describe('schema.ValidationAnalyzer.VirtualService: rule order', () => {
  const A = 'schema.ValidationAnalyzer.VirtualService';
  const vs = (spec: Obj) => virtualService('r', 'shop', { hosts: ['r'], ...spec });

  test('a rule after a match-less rule is unreachable (IST0130), a repeated match is ineffective (IST0131)', () => {
    const ds = run(A, [vs({ http: [
      { match: [{ uri: { exact: '/a' } }], route: [] },
      { name: 'dup', match: [{ name: 'again', uri: { exact: '/a' } }], route: [] },
      { route: [] },
      { route: [] },
    ] })]);
    expect(ds.map((d) => `${d.code} ${d.message.replace(/ Fix: .*$/s, '')}`).sort()).toEqual([
      'IST0130 VirtualService rule "dup" not used (all matches used by prior rules).',
      'IST0130 VirtualService rule #3 not used (only the last rule can have no matches).',
      'IST0131 VirtualService rule "dup" match "again" is not used (duplicate/overlapping match in rule #0).',
    ]);
    expect(ds.find((d) => d.code === 'IST0130')!.level).toBe('Warning');
    expect(ds.find((d) => d.code === 'IST0131')!.level).toBe('Info');
  });

  test('two matches are duplicates exactly when their canonical forms (keys sorted, empty and default values dropped) are equal', () => {
    // The canonical form as first written (a sorted copy, then its JSON), kept here as the reference.
    const canonical = (v: unknown): unknown => {
      if (Array.isArray(v)) {
        const items = v.map(canonical);
        return items.length === 0 ? undefined : items;
      }
      if (typeof v === 'object' && v !== null) {
        const out: Obj = Object.create(null);
        for (const k of Object.keys(v).sort()) {
          const c = canonical((v as Obj)[k]);
          if (c !== undefined) out[k] = c;
        }
        return Object.keys(out).length === 0 ? undefined : out;
      }
      return v === null || v === undefined || v === '' || v === false || v === 0 ? undefined : v;
    };
    const key = (m: Obj, dropName: boolean) => JSON.stringify(canonical(dropName ? { ...m, name: undefined } : m) ?? {});
    // Small values, so that equal forms come up often; no uri (a prefix would add the covering check).
    const leaf = fc.constantFrom<unknown>('', 'a', 'b', 0, 1, false, true, null, [], {});
    const value = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('v'), { maxLength: 2 }),
        fc.dictionary(fc.constantFrom('exact', 'prefix', 'a', '1', '10', '__proto__'), tie('v'), { maxKeys: 3 })),
    })).v;
    const match = fc.dictionary(fc.constantFrom('name', 'headers', 'port', 'method', 'queryParams', 'sourceLabels'), value, { maxKeys: 3 });
    fc.assert(fc.property(match, match, fc.constantFrom('http', 'tcp'), (a, b, kind) => {
      const ds = run(A, [vs({ [kind]: [{ match: [a], route: [] }, { match: [b], route: [] }] })]);
      expect(ds.some((d) => d.code === 'IST0131')).toBe(key(a, kind === 'http') === key(b, kind === 'http'));
    }), { numRuns: 400 });
  });

  test('a longer prefix after a shorter one with the same conditions is ineffective; a different port or header is not', () => {
    const covered = run(A, [vs({ http: [{ match: [{ uri: { prefix: '/api' } }] }, { match: [{ uri: { prefix: '/api/v2' } }] }] })]);
    expect(covered.map((d) => d.message.replace(/ Fix: .*$/s, ''))).toEqual([
      'VirtualService rule #1 match #0 of prefix /api/v2 is not used (duplicate/overlapping match in rule #0 of prefix /api on #0).',
    ]);
    expect(run(A, [vs({ http: [{ match: [{ uri: { prefix: '/api' }, port: 80 }] }, { match: [{ uri: { prefix: '/api/v2' }, port: 81 }] }] })])).toEqual([]);
    expect(run(A, [vs({ http: [{ match: [{ uri: { prefix: '/api' }, headers: { a: { exact: '1' } } }] }, { match: [{ uri: { prefix: '/api/v2' } }] }] })])).toEqual([]);
    // the more specific prefix first is the fix
    expect(run(A, [vs({ http: [{ match: [{ uri: { prefix: '/api/v2' } }] }, { match: [{ uri: { prefix: '/api' } }] }] })])).toEqual([]);
  });

  test('odd input does not make it throw: cyclic or very deep matches, non-array rule lists', () => {
    const cyclic: Obj = { uri: { exact: '/a' } };
    cyclic.self = cyclic;
    expect(() => run(A, [vs({ http: [{ match: [cyclic] }, { match: [cyclic] }] })])).not.toThrow();
    expect(run(A, [vs({ http: 'nope', tcp: { a: 1 }, tls: [null, 1, { match: 'x' }] })])).toEqual([]);
  });

  test('tcp and tls rules: unnamed, checked the same way', () => {
    const ds = run(A, [vs({ tcp: [{ match: [{ port: 7000 }] }, { match: [{ port: 7000 }] }], tls: [{ match: [{ sniHosts: ['a'] }] }, { route: [] }] })]);
    expect(ds.map((d) => d.message.replace(/ Fix: .*$/s, '')).sort()).toEqual([
      'VirtualService rule #1 match #0 is not used (duplicate/overlapping match in rule #0).',
      'VirtualService rule #1 not used (all matches used by prior rules).',
    ]);
  });
});

describe('destinationrule.CaCertificateAnalyzer', () => {
  const A = 'destinationrule.CaCertificateAnalyzer';
  test('SIMPLE/MUTUAL without caCertificates, at rule and port level; a credentialName counts only with a workloadSelector', () => {
    const dr = destinationRule('db', 'data', 'db.data.svc.cluster.local', [], { trafficPolicy: {
      tls: { mode: 'SIMPLE' },
      portLevelSettings: [{ port: { number: 5432 }, tls: { mode: 'MUTUAL', credentialName: 'c' } }, { port: { number: 1 }, tls: { mode: 'ISTIO_MUTUAL' } }],
    } });
    const ds = run(A, [dr]);
    expect(codes(ds)).toEqual(['IST0128 DestinationRule data/db', 'IST0129 DestinationRule data/db']);
    expect(ds.map((d) => d.message.replace(/ Fix: .*$/s, '')).sort()).toEqual([
      'DestinationRule data/db in namespace data has TLS mode set to MUTUAL but no caCertificates are set to validate server identity for host: db.data.svc.cluster.local at port number:5432.',
      'DestinationRule data/db in namespace data has TLS mode set to SIMPLE but no caCertificates are set to validate server identity for host: db.data.svc.cluster.local.',
    ]);
    const selected = { ...dr, spec: { ...dr.spec, workloadSelector: { matchLabels: { app: 'x' } } } };
    expect(codes(run(A, [selected]))).toEqual(['IST0128 DestinationRule data/db']);
    const withCa = destinationRule('db', 'data', 'db', [], { trafficPolicy: { tls: { mode: 'SIMPLE', caCertificates: '/etc/ca.pem' } } });
    expect(run(A, [withCa])).toEqual([]);
  });
});

describe('service.PortNameAnalyzer', () => {
  const A = 'service.PortNameAnalyzer';
  test('ports whose protocol Istio cannot tell are IST0118; well-known ports, UDP and appProtocol are fine', () => {
    const svc = service('web', 'shop', { app: 'web' }, [
      { port: 8080, name: 'web' }, { port: 80, name: 'http-web' }, { port: 3306 }, { port: 53, protocol: 'UDP', name: 'x' }, { port: 9000, targetPort: 'metrics' },
    ]);
    svc.spec.ports.push({ port: 9443, name: 'secure', appProtocol: 'https' });
    const ds = run(A, [svc]);
    expect(ds.map((d) => d.message.replace(/ Fix: .*$/s, ''))).toEqual([
      "Port name p4 (port: 9000, targetPort: metrics) doesn't follow the naming convention of Istio port.",
      "Port name web (port: 8080, targetPort: 0) doesn't follow the naming convention of Istio port.",
    ]);
    expect(ds.every((d) => d.level === 'Info')).toBe(true);
  });

  test('control-plane Services and Services in kube-system are skipped; ExternalName with a tcp port is IST0150', () => {
    expect(run(A, [{ ...service('gw', 'shop', { a: 'b' }, [{ port: 1, name: 'x' }]), metadata: { name: 'gw', namespace: 'shop', labels: { istio: 'gw' } } }])).toEqual([]);
    expect(run(A, [service('dns', 'kube-system', { a: 'b' }, [{ port: 1, name: 'x' }])])).toEqual([]);
    const ext = obj('v1', 'Service', 'ext', 'shop', { type: 'ExternalName', externalName: 'example.com', ports: [{ port: 443, name: 'tcp' }] });
    expect(codes(run(A, [ext]))).toEqual(['IST0150 Service shop/ext']);
  });

  test('a declared external Service is not read; an input Service of the same name is', () => {
    const bad = (name: string) => service(name, 'shop', { app: name }, [{ port: 8080, name: 'web' }]);
    const external = [bad('declared'), bad('both')];
    const ds = analyze([bad('input'), bad('both')], { analyzers: [A], external });
    expect(codes(ds)).toEqual(['IST0118 Service shop/both', 'IST0118 Service shop/input']);
    expect(analyze([], { analyzers: [A], external })).toEqual([]);
  });
});

describe('deployment.ServiceAssociationAnalyzer', () => {
  const A = 'deployment.ServiceAssociationAnalyzer';
  const d = { ...deployment('api', 'shop', { app: 'api' }) };
  d.spec.template.metadata.labels['sidecar.istio.io/inject'] = 'true';
  test('one port with two protocols (IST0116), one targetPort behind two ports (IST0137); only for workloads in the mesh', () => {
    const a = service('a', 'shop', { app: 'api' }, [{ port: 80, targetPort: 8080, protocol: 'TCP', name: 'http' }]);
    const b = service('b', 'shop', { app: 'api' }, [{ port: 80, targetPort: 8080, protocol: 'UDP', name: 'udp' }]);
    const c = service('c', 'shop', { app: 'api' }, [{ port: 81, targetPort: 8080, name: 'http' }]);
    const ds = run(A, [d, a, b, c]);
    expect(codes(ds)).toEqual(['IST0116 Deployment shop/api', 'IST0137 Deployment shop/api']);
    expect(ds.map((x) => x.message.replace(/ Fix: .*$/s, '')).sort()).toEqual([
      // Istio keeps one Service per (targetPort, port): the last one read
      'This deployment api is associated with multiple services [shop/b shop/c] using targetPort "8080" but different ports: [80 81].',
      'This deployment api is associated with multiple services using port 80 but different protocols: [shop/a shop/b].',
    ].sort());
    expect(run(A, [deployment('api', 'shop', { app: 'api' }), a, b, c])).toEqual([]);
  });

  test('many Services of one protocol on one port: every name listed once (the per-protocol lists are appended to)', () => {
    const tcp = Array.from({ length: 5 }, (_, i) => service(`t${i}`, 'shop', { app: 'api' }, [{ port: 80, targetPort: 8080, protocol: 'TCP', name: 'http' }]));
    const udp = Array.from({ length: 3 }, (_, i) => service(`u${i}`, 'shop', { app: 'api' }, [{ port: 80, targetPort: 8080, protocol: 'UDP', name: 'udp' }]));
    const ds = run(A, [d, tcp[0], udp[0], ...tcp.slice(1), ...udp.slice(1)]);
    const ist0116 = ds.filter((x) => x.code === 'IST0116').map((x) => x.message.replace(/ Fix: .*$/s, ''));
    expect(ist0116).toEqual(['This deployment api is associated with multiple services using port 80 but different protocols: '
      + '[shop/t0 shop/t1 shop/t2 shop/t3 shop/t4 shop/u0 shop/u1 shop/u2].']);
  });
});

describe('injection analyzers', () => {
  test('injection.Analyzer: unlabelled namespaces (IST0102), several injection labels (IST0123), pods without proxy (IST0103)', () => {
    const ds = run('injection.Analyzer', [
      ns('plain'), ns('on', { 'istio-injection': 'enabled' }), ns('both', { 'istio-injection': 'enabled', 'istio.io/rev': 'canary' }),
      ns('istio-system'), ns('mesh', { 'istio.io/dataplane-mode': 'ambient' }),
      pod('bare', 'on', { app: 'x' }), pod('skip', 'on', { 'sidecar.istio.io/inject': 'false' }),
    ]);
    expect(codes(ds)).toEqual(['IST0102 Namespace plain', 'IST0103 Pod on/bare', 'IST0123 Namespace both']);
    expect(ds.find((x) => x.code === 'IST0102')!.message).toContain("Run 'kubectl label namespace plain istio-injection=enabled'");
  });

  test('injection.ImageAnalyzer: proxies that differ from the injector image, with the mesh config\'s image variant', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio-sidecar-injector', namespace: 'istio-system' },
      data: { values: JSON.stringify({ global: { hub: 'docker.io/istio', tag: '1.30.3', proxy: { image: 'proxyv2' } } }) } };
    const proxied = (name: string, image: string) => pod(name, 'on', { app: name }, { containers: [{ name: 'istio-proxy', image }] });
    const objects = [cm, ns('on', { 'istio-injection': 'enabled' }), proxied('old', 'docker.io/istio/proxyv2:1.29.0'),
      proxied('cur', 'docker.io/istio/proxyv2:1.30.3'), proxied('slim', 'docker.io/istio/proxyv2:1.30.3-distroless')];
    const ds = run('injection.ImageAnalyzer', objects);
    expect(codes(ds)).toEqual(['IST0158 Namespace on']);
    expect(ds[0].message).toContain('(pod names: [old slim])');
    const distroless = run('injection.ImageAnalyzer', objects, { defaultConfig: { image: { imageType: 'distroless' } } });
    expect(distroless[0].message).toContain('(pod names: [old])');
    // the pod's own proxy config, then a ProxyConfig selecting it, override the mesh default
    const annotated = { ...objects[4], metadata: { ...objects[4].metadata, annotations: { 'proxy.istio.io/config': 'image:\n  imageType: distroless\n' } } };
    expect(run('injection.ImageAnalyzer', [...objects.slice(0, 4), annotated])[0].message).toContain('(pod names: [old])');
    const pc = obj('networking.istio.io/v1beta1', 'ProxyConfig', 'slim', 'on', { selector: { matchLabels: { app: 'slim' } }, image: { imageType: 'distroless' } });
    expect(run('injection.ImageAnalyzer', [...objects, pc])[0].message).toContain('(pod names: [old])');
  });

  describe('injection.ImageAutoAnalyzer', () => {
    const A = 'injection.ImageAutoAnalyzer';
    const gw = (namespace: string, labels: Record<string, string>): Obj => {
      const d = deployment('gw', namespace, labels);
      d.spec.template.spec = { containers: [{ name: 'istio-proxy', image: 'auto' }] };
      return d;
    };
    test('offline, the istiod chart\'s webhooks are assumed: a pod template asking for injection is fine, revisions included', () => {
      expect(run(A, [gw('edge', { 'sidecar.istio.io/inject': 'true' })])).toEqual([]);
      expect(run(A, [gw('edge', { 'istio.io/rev': 'canary' })])).toEqual([]);
      expect(run(A, [gw('edge', { app: 'gw' }), ns('edge', { 'istio-injection': 'enabled' })])).toEqual([]);
    });
    test('a template that no webhook injects is IST0146 (the TenantGateway failure mode); a Pod with image: auto is IST0147', () => {
      const ds = run(A, [gw('edge', { 'sidecar.istio.io/inject': 'true' }), ns('edge', { 'istio-injection': 'disabled' })]);
      expect(codes(ds)).toEqual(['IST0146 Deployment edge/gw']);
      expect(ds[0].message.replace(/ Fix: .*$/s, '')).toBe('Deployment gw contains `image: auto` but does not match any Istio injection webhook selectors.');
      expect(codes(run(A, [gw('edge', { app: 'gw' })]))).toEqual(['IST0146 Deployment edge/gw']);
      const p = pod('gw-1', 'edge', {}, { containers: [{ name: 'istio-proxy', image: 'auto' }] });
      expect(codes(run(A, [p]))).toEqual(['IST0147 Pod edge/gw-1']);
    });
    test('webhooks in the input replace the assumption', () => {
      const mwc = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'istio-sidecar-injector' },
        webhooks: [{ name: 'namespace.sidecar-injector.istio.io', namespaceSelector: { matchLabels: { 'istio-injection': 'enabled' } } }] };
      expect(codes(run(A, [mwc, gw('edge', { 'sidecar.istio.io/inject': 'true' })]))).toEqual(['IST0146 Deployment edge/gw']);
      expect(run(A, [mwc, gw('edge', {}), ns('edge', { 'istio-injection': 'enabled' })])).toEqual([]);
    });
  });
});

describe('virtualservice.JWTClaimRouteAnalyzer', () => {
  const A = 'virtualservice.JWTClaimRouteAnalyzer';
  const gw = obj('networking.istio.io/v1', 'Gateway', 'edge', 'apps', { selector: { istio: 'edge' }, servers: [] });
  const vs = virtualService('r', 'apps', { hosts: ['a.example.com'], gateways: ['edge'],
    http: [{ match: [{ headers: { '@request.auth.claims.group': { exact: 'admin' } } }], route: [] }] });
  const gwPods = deployment('edge', 'edge-ns', { istio: 'edge' });
  test('claim routing at a gateway whose pods no RequestAuthentication selects is IST0149', () => {
    const ds = run(A, [gw, vs, gwPods]);
    expect(codes(ds)).toEqual(['IST0149 VirtualService apps/r']);
    expect(ds[0].message).toContain('(key: @request.auth.claims.group) but found no request authentication for the gateway (apps/edge) pod (Deployment/edge)');
  });
  test('a RequestAuthentication in the pods\' namespace or in istio-system satisfies it', () => {
    const ra = (namespace: string) => obj('security.istio.io/v1', 'RequestAuthentication', 'jwt', namespace, { selector: { matchLabels: { istio: 'edge' } } });
    expect(run(A, [gw, vs, gwPods, ra('edge-ns')])).toEqual([]);
    expect(run(A, [gw, vs, gwPods, ra('istio-system')])).toEqual([]);
    expect(codes(run(A, [gw, vs, gwPods, ra('apps')]))).toEqual(['IST0149 VirtualService apps/r']);
  });
});

describe('telemetry.ProviderAnalyzer', () => {
  const A = 'telemetry.ProviderAnalyzer';
  const t = telemetry('logs', 'shop', { accessLogging: [{ filter: { expression: 'true' } }] });
  test('access logging without providers is IST0159-free but IST0157, unless the mesh config names a default provider', () => {
    const ds = run(A, [t]);
    expect(codes(ds)).toEqual(['IST0157 Telemetry shop/logs']);
    expect(ds[0].message.replace(/ Fix: .*$/s, '')).toBe('The Telemetry logs in namespace "shop" with empty providers will be ignored.');
    expect(run(A, [t], { defaultProviders: { accessLogging: ['envoy'] } })).toEqual([]);
    expect(run(A, [telemetry('off', 'shop', { accessLogging: [{ disabled: true }] })])).toEqual([]);
  });
});

describe('sidecar.SelectorAnalyzer', () => {
  const A = 'sidecar.SelectorAnalyzer';
  const sc = (name: string, namespace: string, labels?: Record<string, string>) =>
    obj('networking.istio.io/v1', 'Sidecar', name, namespace, labels ? { workloadSelector: { labels } } : {});
  test('no workload (IST0101), two Sidecars for one workload (IST0110), two without selector (IST0111), ambient (IST0167)', () => {
    expect(codes(run(A, [sc('a', 'shop', { app: 'none' })]))).toEqual(['IST0101 Sidecar shop/a']);
    expect(codes(run(A, [sc('a', 'shop', { app: 'x' }), sc('b', 'shop', { app: 'x' }), deployment('x', 'shop', { app: 'x' })])))
      .toEqual(['IST0110 Sidecar shop/a', 'IST0110 Sidecar shop/b']);
    // a Deployment and its own Pod are one workload: Pods count when present, templates stand in before deploy
    const both = run(A, [sc('a', 'shop', { app: 'x' }), sc('b', 'shop', { app: 'x' }), deployment('x', 'shop', { app: 'x' }), pod('x-1', 'shop', { app: 'x' })]);
    expect(codes(both)).toEqual(['IST0110 Sidecar shop/a', 'IST0110 Sidecar shop/b']);
    expect(both[0].message).toContain('The Sidecars [a b] in namespace "shop" select the same workload pod "x-1"');
    expect(codes(run(A, [sc('a', 'shop'), sc('b', 'shop')]))).toEqual(['IST0111 Sidecar shop/a', 'IST0111 Sidecar shop/b']);
    expect(codes(run(A, [sc('a', 'amb'), ns('amb', { 'istio.io/dataplane-mode': 'ambient' })]))).toEqual(['IST0167 Sidecar amb/a']);
  });
  // The lists are built in place (they were copied per Sidecar, quadratic in the Sidecars of one pod or
  // one namespace); asserted by output only: every Sidecar once per pod, each message naming all of them.
  test('many Sidecars on one pod and many without selector in one namespace: one finding each, every name listed', () => {
    const n = 400;
    const names = Array.from({ length: n }, (_, i) => `s${String(i).padStart(3, '0')}`);
    // given in reverse name order, so that the sorted names in the messages differ from input order
    const objects: Obj[] = [deployment('x', 'shop', { app: 'x' }), deployment('y', 'shop', { app: 'y', tier: 'web' })];
    for (const name of [...names].reverse()) objects.push(sc(name, 'shop', { app: 'x' }), sc(name, 'free'));
    objects.push(sc('solo', 'shop', { tier: 'web' }), sc('none', 'free', { app: 'missing' }));
    const ds = run(A, objects);
    const ist0110 = ds.filter((d) => d.code === 'IST0110');
    const ist0111 = ds.filter((d) => d.code === 'IST0111');
    expect(ist0110.map((d) => d.origin)).toEqual(names.map((s) => `Sidecar shop/${s}`));
    expect(ist0111.map((d) => d.origin)).toEqual(names.map((s) => `Sidecar free/${s}`));
    expect(codes(ds.filter((d) => d.code !== 'IST0110' && d.code !== 'IST0111'))).toEqual(['IST0101 Sidecar free/none']);
    for (const d of ist0110) {
      expect(d.message).toContain(`The Sidecars [${names.join(' ')}] in namespace "shop" select the same workload pod "Deployment/x"`);
      expect(d.message).toContain(`Fix: make the selectors of ${names.join(', ')} disjoint`);
    }
    for (const d of ist0111) expect(d.message).toContain(`(merge ${names.join(', ')})`);
  });
});

describe('authz.AuthorizationPoliciesAnalyzer', () => {
  const A = 'authz.AuthorizationPoliciesAnalyzer';
  const ap = (name: string, namespace: string, spec: Obj) => obj('security.istio.io/v1', 'AuthorizationPolicy', name, namespace, spec);
  const app = deployment('api', 'shop', { app: 'api', 'sidecar.istio.io/inject': 'true' });
  test('selectors that match no workload in the mesh (IST0127) and unknown source namespaces (IST0101)', () => {
    const ds = run(A, [app, ns('shop'), ns('front'),
      ap('ok', 'shop', { selector: { matchLabels: { app: 'api' } }, rules: [{ from: [{ source: { namespaces: ['front', 'fr*'] } }] }] }),
      ap('none', 'shop', { selector: { matchLabels: { app: 'nope' } } }),
      ap('bogus', 'shop', { rules: [{ from: [{ source: { notNamespaces: ['ghost'] } }] }] }),
      ap('empty', 'quiet', {}),
    ]);
    expect(codes(ds)).toEqual(['IST0101 AuthorizationPolicy shop/bogus', 'IST0127 AuthorizationPolicy quiet/empty', 'IST0127 AuthorizationPolicy shop/none']);
    expect(ds.find((d) => d.origin.endsWith('shop/none'))!.message.replace(/ Fix: .*$/s, ''))
      .toBe('No matching workloads for this resource with the following labels: app=nope.');
  });
  test('the mesh config\'s root namespace makes a policy mesh-wide', () => {
    const meshWide = ap('mw', 'config-root', { selector: { matchLabels: { app: 'api' } } });
    expect(codes(run(A, [app, meshWide]))).toEqual(['IST0127 AuthorizationPolicy config-root/mw']);
    expect(run(A, [app, meshWide], { rootNamespace: 'config-root' })).toEqual([]);
  });
});

describe('deprecation.FieldAnalyzer', () => {
  test('fault.delay.percent, Sidecar egressProxy and removed rbac.istio.io types are IST0002', () => {
    const ds = run('deprecation.FieldAnalyzer', [
      virtualService('r', 'shop', { hosts: ['r'], http: [{ fault: { delay: { percent: 5, fixedDelay: '1s' } }, route: [] }] }),
      virtualService('ok', 'shop', { hosts: ['r'], http: [{ fault: { delay: { percentage: { value: 5 }, fixedDelay: '1s' } }, route: [] }] }),
      obj('networking.istio.io/v1', 'Sidecar', 's', 'shop', { outboundTrafficPolicy: { egressProxy: { host: 'x' } } }),
      obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'rbacconfigs.rbac.istio.io', undefined, { group: 'rbac.istio.io', names: { kind: 'RbacConfig' } }),
    ]);
    expect(codes(ds)).toEqual(['IST0002 CustomResourceDefinition rbacconfigs.rbac.istio.io', 'IST0002 Sidecar shop/s', 'IST0002 VirtualService shop/r']);
    expect(ds.find((d) => d.origin === 'VirtualService shop/r')!.message.replace(/ Fix: .*$/s, ''))
      .toBe('Deprecated: HTTPRoute.fault.delay.percent is deprecated; use HTTPRoute.fault.delay.percentage.');
  });
});

describe('k8sgateway analyzers', () => {
  test('SelectorAnalyzer: a policy selecting a Gateway API gateway\'s pods by label instead of targetRef is IST0166', () => {
    const gwPod = pod('gw-1', 'web', { 'gateway.networking.k8s.io/gateway-name': 'web' });
    const sel = { selector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'web' } } };
    const ds = run('k8sgateway.SelectorAnalyzer', [gwPod,
      obj('security.istio.io/v1', 'AuthorizationPolicy', 'ap', 'web', sel),
      obj('telemetry.istio.io/v1', 'Telemetry', 'ok', 'web', { ...sel, targetRef: { kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'web' } }),
      obj('security.istio.io/v1', 'AuthorizationPolicy', 'elsewhere', 'other', sel)]);
    expect(codes(ds)).toEqual(['IST0166 AuthorizationPolicy web/ap']);
    expect(ds[0].message.replace(/ Fix: .*$/s, '')).toBe('Ineffective selector on Kubernetes Gateway web. Use the TargetRef field instead.');
  });
  test('CRDVersionAnalyzer: Gateway API CRDs older than Istio 1.30 processes are IST0176', () => {
    const crd = (name: string, bundle: string) => obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', name, undefined, {},
      { annotations: { 'gateway.networking.k8s.io/bundle-version': bundle } });
    const ds = run('k8sgateway.CRDVersionAnalyzer', [crd('tlsroutes.gateway.networking.k8s.io', 'v1.5.0-rc.1'),
      crd('grpcroutes.gateway.networking.k8s.io', 'v1.0.0'), crd('httproutes.gateway.networking.k8s.io', 'v0.1.0'),
      crd('backendtlspolicies.gateway.networking.k8s.io', 'v1.4.0')]);
    expect(codes(ds)).toEqual(['IST0176 CustomResourceDefinition grpcroutes.gateway.networking.k8s.io']);
    expect(ds[0].message.replace(/ Fix: .*$/s, '')).toBe('Gateway API CRD "grpcroutes.gateway.networking.k8s.io" is at version "1.0.0" but Istio requires at least "1.1.0"; '
      + 'resources of this kind will not be processed. Upgrade the Gateway API CRDs to satisfy the minimum version.');
  });
});

describe('istioctl reads nothing in the Kubernetes system namespaces', () => {
  test('objects in kube-system, kube-public, kube-node-lease and local-path-storage are not analyzed', () => {
    const t = telemetry('logs', 'kube-public', { accessLogging: [{}] });
    expect(run('telemetry.ProviderAnalyzer', [t])).toEqual([]);
    expect(run('injection.Analyzer', [ns('kube-node-lease'), ns('local-path-storage')])).toEqual([]);
  });
});

describe('istio-gateway analyze --mesh-config', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-mesh-')); });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });
  async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const io: CliIO = { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, readStdin: async () => '' };
    const code = await main(args, io);
    return { code, stdout, stderr };
  }
  const write = (name: string, text: string) => { const p = path.join(dir, name); fs.writeFileSync(p, text); return p; };

  test('a MeshConfig file, or the istio ConfigMap, changes what is reported', async () => {
    const input = write('t.yaml', stringify(telemetry('logs', 'shop', { accessLogging: [{}] })));
    const without = await cli(['analyze', input, '--analyzers', 'telemetry.ProviderAnalyzer']);
    expect(without.stdout).toMatch(/^Warning \[IST0157\] \(Telemetry shop\/logs \S+t\.yaml:1\) The Telemetry logs in namespace "shop" with empty providers will be ignored\./);
    const mesh = write('mesh.yaml', 'defaultProviders:\n  accessLogging: [envoy]\n');
    const withMesh = await cli(['analyze', input, '--analyzers', 'telemetry.ProviderAnalyzer', '--mesh-config', mesh]);
    expect(withMesh).toEqual({ code: 0, stdout: `\u2714 No validation issues found when analyzing ${input}.\n`, stderr: '' });
    const cm = write('cm.yaml', stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio', namespace: 'istio-system' },
      data: { mesh: 'defaultProviders:\n  accessLogging: [envoy]\n' } }));
    expect((await cli(['analyze', input, '--mesh-config', cm, '--analyzers', 'telemetry.ProviderAnalyzer'])).code).toBe(0);
    // the IstioOperator that TrimmedGatewayConfig writes, and istiod Helm values, carry it too
    const iop = write('iop.yaml', stringify({ apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', metadata: { name: 'cp' },
      spec: { meshConfig: { defaultProviders: { accessLogging: ['envoy'] } } } }));
    expect((await cli(['analyze', input, '--mesh-config', iop, '--analyzers', 'telemetry.ProviderAnalyzer'])).code).toBe(0);
    const helm = write('values.yaml', 'pilot: {env: {}}\nmeshConfig:\n  defaultProviders: {accessLogging: [envoy]}\n');
    expect((await cli(['analyze', input, '--mesh-config', helm, '--analyzers', 'telemetry.ProviderAnalyzer'])).code).toBe(0);
    const other = write('other.yaml', 'meshConfig: {rootNamespace: x}\n');
    expect((await cli(['analyze', input, '--mesh-config', other, '--analyzers', 'telemetry.ProviderAnalyzer', '--failure-threshold', 'Warning'])).code).toBe(1);
  });

  test('an unreadable or malformed mesh config exits 2 naming the file', async () => {
    const input = write('t.yaml', stringify(telemetry('logs', 'shop', {})));
    const missing = await cli(['analyze', input, '--mesh-config', path.join(dir, 'nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.yaml');
    const list = write('list.yaml', '- a\n- b\n');
    const bad = await cli(['analyze', input, '--mesh-config', list]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('list.yaml: the mesh config must be a MeshConfig YAML mapping');
    const noMesh = write('cm.yaml', stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other' }, data: { a: 'b' } }));
    const none = await cli(['analyze', input, '--mesh-config', noMesh]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('cm.yaml: no mesh config found: expected a MeshConfig YAML mapping, the istio ConfigMap (data.mesh)');
  });
});

describe('at synth', () => {
  test('the Gateway API flavour of the example platform triggers none of the new analyzers', () => {
    // (the Istio flavour is checked in examples.test.ts, random platforms in the property tests)
    const app = new App({ outdir: os.tmpdir() });
    configureSynthAnalysis(app, { warn: () => undefined });
    buildGatewayApiPlatform(app);
    app.synthYaml();
    expect(SynthCheck.of(app).lastDiagnostics.filter((d) => d.level === 'Error')).toEqual([]);
    expect(breadthFindings(SynthCheck.of(app).lastDiagnostics)).toEqual([]);
  });

  test('hand-written objects in the App are checked by the new analyzers, with the mesh config given to configureSynthAnalysis', () => {
    const build = (meshConfig?: object) => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'breadth-synth-'));
      const app = new App({ outdir });
      const warnings: string[] = [];
      configureSynthAnalysis(app, { warnings: 'print', warn: (l) => warnings.push(l), ...(meshConfig ? { meshConfig } : {}) });
      const chart = new Chart(app, 'obs');
      new ApiObject(chart, 'logs', { apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: { name: 'logs', namespace: 'shop' },
        spec: { accessLogging: [{}] } } as any);
      try {
        app.synth();
      } finally {
        fs.rmSync(outdir, { recursive: true, force: true });
      }
      return { warnings, diagnostics: SynthCheck.of(app).lastDiagnostics.map((d) => `${d.code} ${d.origin}`) };
    };
    const plain = build();
    expect(plain.diagnostics).toEqual(['IST0157 Telemetry shop/logs']);
    expect(plain.warnings[0]).toMatch(/^Warning \[IST0157\] \(Telemetry shop\/logs\) at 'obs\/logs' The Telemetry logs/);
    expect(build({ defaultProviders: { accessLogging: ['envoy'] } })).toEqual({ warnings: [], diagnostics: [] });
  });
});

describe('robustness', () => {
  test('no analyzer throws on objects of the kinds it reads with arbitrary specs, labels, data and mesh config', () => {
    const kinds: Array<[string, string]> = [
      ['networking.istio.io/v1', 'VirtualService'], ['networking.istio.io/v1', 'DestinationRule'], ['networking.istio.io/v1', 'Gateway'],
      ['networking.istio.io/v1', 'Sidecar'], ['networking.istio.io/v1beta1', 'ProxyConfig'], ['security.istio.io/v1', 'AuthorizationPolicy'],
      ['security.istio.io/v1', 'RequestAuthentication'], ['telemetry.istio.io/v1', 'Telemetry'], ['extensions.istio.io/v1alpha1', 'WasmPlugin'],
      ['v1', 'Service'], ['v1', 'Pod'], ['v1', 'Namespace'], ['v1', 'ConfigMap'], ['apps/v1', 'Deployment'],
      ['apiextensions.k8s.io/v1', 'CustomResourceDefinition'], ['admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration'],
    ];
    const anyObj = fc.tuple(fc.constantFrom(...kinds), fc.constantFrom('a', 'b'), fc.option(fc.constantFrom('x', 'istio-system')),
      fc.anything({ maxDepth: 4 }), fc.anything({ maxDepth: 2 }), fc.anything({ maxDepth: 2 }))
      .map(([[apiVersion, kind], name, namespace, spec, labels, extra]) =>
        ({ apiVersion, kind, metadata: { name, namespace, labels, annotations: labels }, spec, data: extra, webhooks: extra }));
    fc.assert(fc.property(fc.array(anyObj, { maxLength: 8 }), fc.anything({ maxDepth: 3 }), (objects, meshConfig) => {
      analyze(objects, { analyzers: [...BREADTH_ANALYZERS], meshConfig: meshConfig as object });
    }), { numRuns: 400, seed: 15 });
  });
});
