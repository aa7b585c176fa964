import * as fc from 'fast-check';
import { analyze, ANALYZER_NAMES, Diagnostic, formatDiagnostic, renderTemplate } from '../src/analysis';
import {
  destinationRule, gateway, generatePlatform, Obj, pod, route, server, service, sharedIngress, virtualService,
} from './fixtures/analysis/builders';

const codes = (ds: Diagnostic[]): string[] => ds.map((d) => `${d.code} ${d.origin}`).sort();

describe('analyze()', () => {
  test('lists the analyzers under Istio names, then our own gatewayapi.* ones', () => {
    expect(ANALYZER_NAMES).toEqual([
      'gateway.IngressGatewayPortAnalyzer', 'gateway.SecretAnalyzer', 'gateway.ConflictingGatewayAnalyzer', 'gateway.CertificateAnalyzer',
      'virtualservice.GatewayAnalyzer', 'virtualservice.DestinationRuleAnalyzer', 'virtualservice.DestinationHostAnalyzer',
      'virtualservice.ConflictingMeshGatewayHostsAnalyzer', 'destinationrule.PodNotSelectedAnalyzer',
      'telemetry.SelectorAnalyzer', 'telemetry.DefaultSelectorAnalyzer',
      'schema.ValidationAnalyzer.VirtualService', 'destinationrule.CaCertificateAnalyzer', 'service.PortNameAnalyzer',
      'deployment.ServiceAssociationAnalyzer', 'injection.Analyzer', 'injection.ImageAnalyzer', 'injection.ImageAutoAnalyzer',
      'virtualservice.JWTClaimRouteAnalyzer', 'telemetry.ProviderAnalyzer', 'sidecar.SelectorAnalyzer',
      'authz.AuthorizationPoliciesAnalyzer', 'deprecation.FieldAnalyzer', 'k8sgateway.SelectorAnalyzer', 'k8sgateway.CRDVersionAnalyzer',
      'gatewayapi.RouteParentAnalyzer', 'gatewayapi.RouteBackendAnalyzer',
    ]);
  });

  test('an unknown analyzer name is refused with the valid names', () => {
    expect(() => analyze([], { analyzers: ['gateway.Nope'] })).toThrow(/Unknown analyzer\(s\): gateway\.Nope\. Valid names: gateway\.IngressGatewayPortAnalyzer, /);
    // Istio's Metadata().Name of PodNotSelectedAnalyzer is accepted too.
    expect(analyze([], { analyzers: ['destinationrule.SubsetSelectPodAnalyzer'] })).toEqual([]);
  });

  test('kind: List (also nested, and *List kinds) is flattened', () => {
    const list: Obj = {
      apiVersion: 'v1', kind: 'List', items: [
        gateway('gw', 'apps', { istio: 'nothing' }, [server(80, ['x'])]),
        { apiVersion: 'v1', kind: 'PodList', items: [pod('p', 'apps', { app: 'x' })] },
        { apiVersion: 'v1', kind: 'List', items: [gateway('gw2', 'apps', { app: 'x' }, [server(80, ['y'])])] },
      ],
    };
    expect(codes(analyze([list], { analyzers: ['gateway.IngressGatewayPortAnalyzer'] })))
      .toEqual(['IST0101 Gateway apps/gw', 'IST0162 Gateway apps/gw2']);
  });

  test('a finding reported by several analyzers is listed once (as istioctl does)', () => {
    const ds = analyze([gateway('gw', 'apps', { istio: 'nothing' }, [])]);
    expect(ds.map((d) => `${d.analyzer} ${d.code}`)).toEqual(['gateway.IngressGatewayPortAnalyzer IST0101']);
  });

  test('pathOf is copied to the diagnostic (and a throwing pathOf is ignored)', () => {
    const gw = gateway('gw', 'apps', { istio: 'nothing' }, []);
    const paths = new Map<object, string>([[gw, 'Chart/Tenant/Gateway']]);
    expect(analyze([gw], { pathOf: (o) => paths.get(o) })[0].path).toBe('Chart/Tenant/Gateway');
    expect(analyze([gw])[0]).not.toHaveProperty('path');
    expect(analyze([gw], { pathOf: () => { throw new Error('boom'); } })[0]).not.toHaveProperty('path');
  });

  test('external objects satisfy references but are never reported on', () => {
    const vs = virtualService('vs', 'apps', { hosts: ['a.example.com'], http: [{ route: [route('backend', { subset: 'v1' })] }] });
    const dr = destinationRule('backend', 'apps', 'backend', [{ name: 'v1', labels: { version: 'v1' } }]);
    expect(codes(analyze([vs]))).toEqual(['IST0101 VirtualService apps/vs', 'IST0101 VirtualService apps/vs']);
    const ext = [dr, service('backend', 'apps', undefined, [{ port: 80 }])];
    expect(codes(analyze([vs], { external: ext }))).toEqual([]);
    // Broken external objects are not reported.
    expect(codes(analyze([], { external: [virtualService('bad', 'x', { gateways: ['nope'] })] }))).toEqual([]);
  });

  test('an input object replaces an external one with the same identity', () => {
    const external = sharedIngress();
    const input = service('istio-ingressgateway', 'istio-system', { istio: 'ingressgateway' }, [{ port: 80, protocol: 'TCP' }]);
    const gw = gateway('gw', 'apps', { istio: 'ingressgateway' }, [server(443, ['x'])]);
    expect(codes(analyze([gw], { external, analyzers: ['gateway.IngressGatewayPortAnalyzer'] }))).toEqual([]);
    expect(codes(analyze([gw, input], { external, analyzers: ['gateway.IngressGatewayPortAnalyzer'] }))).toEqual(['IST0162 Gateway apps/gw']);
  });

  test('output is sorted by analyzer, origin, code and message, and does not depend on input order', () => {
    const { objects } = generatePlatform(400);
    const a = analyze(objects);
    const shuffled = [...objects];
    let seed = 42;
    for (let i = shuffled.length - 1; i > 0; i--) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const j = seed % (i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    expect(analyze(shuffled)).toEqual(a);
    const order = new Map(ANALYZER_NAMES.map((n, i) => [n, i]));
    for (let i = 1; i < a.length; i++) {
      const p = a[i - 1];
      const q = a[i];
      const key = (d: Diagnostic): [number, string, string, string] => [order.get(d.analyzer)!, d.origin, d.code, d.message];
      const [pa, po, pc, pm] = key(p);
      const [qa, qo, qc, qm] = key(q);
      expect(pa < qa || (pa === qa && (po < qo || (po === qo && (pc < qc || (pc === qc && pm <= qm)))))).toBe(true);
    }
    expect(a.length).toBeGreaterThan(5);
  });

  test('never throws on odd objects', () => {
    const kinds = ['Gateway', 'VirtualService', 'DestinationRule', 'ServiceEntry', 'Telemetry', 'Service', 'Pod', 'Secret', 'Node',
      'Deployment', 'StatefulSet', 'List', 'Other'];
    const apiVersions = ['networking.istio.io/v1', 'v1', 'apps/v1', 'telemetry.istio.io/v1', 'gateway.networking.k8s.io/v1', 'x', undefined];
    const value = fc.anything({ maxDepth: 3, withNullPrototype: true });
    const selectorish = fc.oneof(value, fc.dictionary(fc.constantFrom('app', 'istio', 'version'), fc.oneof(fc.constantFrom('a', 'b', ''), value)));
    const spec = fc.oneof(value, fc.record({
      selector: selectorish, servers: fc.oneof(value, fc.array(fc.record({ port: value, hosts: value, tls: value, bind: value }, { requiredKeys: [] }))),
      hosts: value, gateways: value, http: value, tcp: value, tls: value, host: value, subsets: value, ports: value, template: value,
      exportTo: value, workloadSelector: value, listeners: value,
    }, { requiredKeys: [] }));
    const obj = fc.record({
      apiVersion: fc.constantFrom(...apiVersions), kind: fc.constantFrom(...kinds),
      metadata: fc.oneof(value, fc.record({ name: fc.oneof(fc.constantFrom('a', 'b'), value), namespace: fc.oneof(fc.constantFrom('ns', ''), value), labels: selectorish, annotations: value }, { requiredKeys: [] })),
      spec, data: value, stringData: value, items: value,
    }, { requiredKeys: ['kind'] });
    fc.assert(fc.property(fc.array(fc.oneof(obj, value), { maxLength: 12 }), fc.array(obj, { maxLength: 4 }), (objects, external) => {
      const ds = analyze(objects as object[], { external: external as object[] });
      for (const d of ds) {
        expect(typeof d.code).toBe('string');
        expect(typeof d.message).toBe('string');
        expect(typeof d.origin).toBe('string');
      }
    }), { numRuns: 300 });
  });
});

describe('formatting', () => {
  test('formatDiagnostic is istioctl\'s line format', () => {
    const d = analyze([gateway('gw', 'apps', { istio: 'nothing' }, [])])[0];
    expect(formatDiagnostic(d)).toBe(`Error [IST0101] (Gateway apps/gw) ${d.message}`);
    expect(d.message).toMatch(/^Referenced selector not found: "istio=nothing"\. Fix: /);
  });

  test('renderTemplate fills Go verbs', () => {
    expect(renderTemplate('a %s b %q c %v d %d e %v %%', ['x', 'y"z', ['p', 'q'], 42, 7])).toBe('a x b "y\\"z" c [p q] d 42 e 7 %');
  });
});
