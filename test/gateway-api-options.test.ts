// The Gateway API TenantGateway's options patches as YAML (render/gateway-api/tenant.ts,
// optionsYamlWriter): text reused for equal patches, and made from a template for patches that
// differ only in names, always equal to what the YAML writer writes for the patch itself.
import * as fc from 'fast-check';
import { optionsYaml, optionsYamlWriter } from '../src/render/gateway-api/tenant';
import { TenantGateway } from '../src';
import { find, newChart, synth } from './support/synth';

/** A deployment patch as tenantOptionsData makes it: the selector object shared by two constraints (an alias in YAML). */
function deploymentPatch(name: string, cpu = '100m'): unknown {
  const matchLabels = { 'gateway.networking.k8s.io/gateway-name': name };
  return {
    spec: {
      template: {
        spec: {
          terminationGracePeriodSeconds: 30,
          containers: [{ name: 'istio-proxy', resources: { requests: { cpu } } }],
          topologySpreadConstraints: ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'].map((topologyKey) => ({ maxSkew: 1, topologyKey, labelSelector: { matchLabels } })),
        },
      },
    },
  };
}

describe('optionsYamlWriter', () => {
  test('patches that differ only in names: written whole once per shape (twice: template and check), then filled in', () => {
    const written: unknown[] = [];
    const writer = optionsYamlWriter((p) => { written.push(p); return optionsYaml(p); });
    for (const name of ['payments-gw', 'billing-gw', 'b-1', 'payments-gw', 'a-very-long-name-of-a-gateway-that-goes-on-and-on-0123456789-0123456789-0123456789']) {
      const text = writer(deploymentPatch(name));
      expect(text).toBe(optionsYaml(deploymentPatch(name)));
      expect(text).toContain(`gateway.networking.k8s.io/gateway-name: ${name}\n`);
      expect(text).toContain('matchLabels: *a1');
    }
    expect(written).toHaveLength(2);
    // Quantities are filled in too; a value that is neither (a number) is part of the shape: a new shape, written again.
    expect(writer(deploymentPatch('payments-gw', '250m'))).toBe(optionsYaml(deploymentPatch('payments-gw', '250m')));
    expect(writer(deploymentPatch('payments-gw', '2Gi'))).toBe(optionsYaml(deploymentPatch('payments-gw', '2Gi')));
    expect(written).toHaveLength(2);
    expect(writer(deploymentPatch('payments-gw', 2 as unknown as string))).toBe(optionsYaml(deploymentPatch('payments-gw', 2 as unknown as string)));
    expect(written).toHaveLength(4);
  });

  test('strings YAML would write otherwise, or that are not names, are never filled in', () => {
    const written: unknown[] = [];
    const writer = optionsYamlWriter((p) => { written.push(p); return optionsYaml(p); });
    for (const value of ['gw', 'true', 'null', '1e3', '0x1f', '100', '1.5', '1E3', '1m5', 'Gw-1', '-gw', 'gw-', 'gw--1', 'gw-1: x', 'gw-1 #x', 'gw-\u00e9']) {
      expect(writer({ a: 'x-y', b: value })).toBe(optionsYaml({ a: 'x-y', b: value }));
    }
    expect(written.length).toBeGreaterThanOrEqual(16);
  });

  test('a shape whose marker text also stands elsewhere is written whole, every time', () => {
    const written: unknown[] = [];
    const writer = optionsYamlWriter((p) => { written.push(p); return optionsYaml(p); });
    const patch = (name: string) => ({ 'zq-0-slot-qz': name });
    expect(writer(patch('a-1'))).toBe(optionsYaml(patch('a-1')));
    expect(writer(patch('b-2'))).toBe(optionsYaml(patch('b-2')));
    expect(writer(patch('b-2'))).toBe(optionsYaml(patch('b-2')));
    expect(written.filter((p) => JSON.stringify(p).includes('b-2'))).toHaveLength(1);
  });

  test('anything but plain data is keyed as before and written whole', () => {
    const writer = optionsYamlWriter();
    class Named { constructor(public readonly name: string) {} }
    const withJson = { toJSON: () => ({ name: 'x-1' }) };
    expect(writer({ a: new Named('n-1') })).toBe(optionsYaml({ a: new Named('n-1') }));
    expect(writer({ a: new Named('n-2') })).toBe(optionsYaml({ a: new Named('n-2') }));
    expect(writer({ a: withJson, b: 'n-3' })).toBe(optionsYaml({ a: withJson, b: 'n-3' }));
  });

  test('property: whatever the patches, each text is what the YAML writer writes for that patch', () => {
    const name = fc.oneof(fc.constantFrom('gw-a', 'a-1', 'x-y-z', 'true', 'gw', '1-a', 'a-b: c', 'zq-0-slot-qz', 'n-0', '100m', '128Mi', '1e3', '100', '2E', '0x1f'), fc.stringMatching(/^[a-z][a-z0-9]{0,3}(-[a-z0-9]{1,3}){1,2}$/), fc.stringMatching(/^[0-9]{1,4}([a-zA-Z]{1,2})?$/));
    const value = fc.oneof(name, fc.integer(), fc.boolean(), fc.constant(undefined), fc.constant(null), fc.constant(-0));
    const shared = fc.dictionary(fc.constantFrom('k', 'gw-l', 'm'), value, { maxKeys: 2 });
    const patch = fc.tuple(fc.dictionary(fc.constantFrom('a', 'b', 'c-d'), fc.oneof(value, fc.array(value, { maxLength: 3 })), { maxKeys: 3 }), shared, fc.boolean())
      .map(([base, s, twice]) => ({ ...base, s, ...(twice ? { t: [s] } : {}) }));
    fc.assert(fc.property(fc.array(patch, { minLength: 1, maxLength: 8 }), (patches) => {
      const writer = optionsYamlWriter();
      for (const p of patches) expect(writer(p)).toBe(optionsYaml(p));
    }), { numRuns: 500 });
  });

  test('TenantGateways named per team: each options ConfigMap selects its own gateway\'s pods', () => {
    const { chart } = newChart();
    for (const team of ['payments', 'billing']) {
      new TenantGateway(chart, team, { namespace: team, name: `${team}-gw`, api: 'gateway-api' }).addHttpHosts([`${team}.example.com`]);
    }
    const objects = synth(chart);
    for (const team of ['payments', 'billing']) {
      const text = find(objects, 'ConfigMap', `${team}-gw-options`, team).data.deployment as string;
      expect(text).toContain(`gateway.networking.k8s.io/gateway-name: ${team}-gw\n`);
      expect(text).not.toContain(team === 'payments' ? 'billing' : 'payments');
    }
  });
});
