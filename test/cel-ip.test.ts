// Kubernetes' CEL isIP(), as the Gateway API CRDs use it (TLSRoute/HTTPRoute hostnames must not be IPs).
import { isKubernetesIp } from '../src/validation/cel-ip';
import { validateObjects } from '../src/validation';

describe('isIP', () => {
  test.each(['1.2.3.4', '255.255.255.255', '::1', '2001:db8::68', 'fe80::1'])('%s is an IP', (s) => {
    expect(isKubernetesIp(s)).toBe(true);
  });
  test.each(['01.2.3.4', '1.2.3', '::ffff:1.2.3.4', 'fe80::1%eth0', 'shop.example.com', '', '1.2.3.4.5'])('%s is not', (s) => {
    expect(isKubernetesIp(s)).toBe(false);
  });

  const tlsRoute = (hostnames: string[]) => ({
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'TLSRoute', metadata: { name: 'r', namespace: 'ns' },
    spec: { parentRefs: [{ name: 'gw' }], hostnames, rules: [{ backendRefs: [{ name: 'svc', port: 443 }] }] },
  });

  test('the TLSRoute hostname rule is evaluated, not skipped', () => {
    const ok = validateObjects([tlsRoute(['shop.example.com'])]);
    expect(ok.skipped).toEqual([]);
    expect(ok.errors).toEqual([]);
    expect(ok.valid).toBe(true);
    const bad = validateObjects([tlsRoute(['10.0.0.1'])]);
    expect(bad.valid).toBe(false);
    expect(bad.errors.map((e) => e.rule ?? '').join('\n')).toContain('isIP');
  });
});
