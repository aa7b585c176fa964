import { IstioGatewayError, StrictMtls, StrictMtlsProps } from '../src';
import { all, errorOf, find, newChart, synth } from './support/synth';
import { expectValid, validateAgainstIstio } from './support/validate-helper';

function refused(props: StrictMtlsProps): IstioGatewayError {
  const { chart } = newChart();
  const e = errorOf(() => new StrictMtls(chart, 'mtls', props));
  expect(e).toBeInstanceOf(IstioGatewayError);
  expect(e.message).toContain("StrictMtls 'test/mtls'");
  return e as IstioGatewayError;
}

describe('StrictMtls', () => {
  test('mesh-wide by default: istio-system/default with mode STRICT and no selector', () => {
    const { chart } = newChart();
    new StrictMtls(chart, 'mesh');
    const objects = synth(chart);
    const pa = find(objects, 'PeerAuthentication', 'default', 'istio-system');
    expect(pa.apiVersion).toBe('security.istio.io/v1');
    expect(pa.spec).toEqual({ mtls: { mode: 'STRICT' } });
    expectValid(objects);
  });

  test('namespace-wide', () => {
    const { chart } = newChart();
    new StrictMtls(chart, 'payments', { namespace: 'payments' });
    const objects = synth(chart);
    const pa = find(objects, 'PeerAuthentication', 'default', 'payments');
    expect(pa.spec.selector).toBeUndefined();
    expectValid(objects);
  });

  test('a workload with port exceptions', () => {
    const { chart } = newChart();
    new StrictMtls(chart, 'nginx', { namespace: 'web', name: 'nginx-app', selector: { app: 'nginx-app' }, portLevel: { 8080: 'PERMISSIVE', 80: 'DISABLE' } });
    const objects = synth(chart);
    const pa = find(objects, 'PeerAuthentication', 'nginx-app', 'web');
    expect(pa.spec).toEqual({
      selector: { matchLabels: { app: 'nginx-app' } },
      mtls: { mode: 'STRICT' },
      portLevelMtls: { 80: { mode: 'DISABLE' }, 8080: { mode: 'PERMISSIVE' } },
    });
    expectValid(objects);
  });

  test('the CEL rule the port-exception refusal mirrors is real: Istio\'s schema rejects portLevelMtls without selector', () => {
    const result = validateAgainstIstio([{
      apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'x', namespace: 'web' },
      spec: { mtls: { mode: 'STRICT' }, portLevelMtls: { 80: { mode: 'DISABLE' } } },
    }]);
    expect(result.valid).toBe(false);
  });

  describe('refuses', () => {
    test('port exceptions without a selector (Istio\'s CEL rule)', () => {
      const e = refused({ portLevel: { 80: 'DISABLE' } });
      expect(e.prop).toBe('portLevel');
      expect(e.message).toContain('{"80":"DISABLE"}');
      expect(e.message).toContain('selector');
    });

    test('a port outside 1..65535', () => {
      const e = refused({ selector: { app: 'a' }, portLevel: { 70000: 'DISABLE' } });
      expect(e.prop).toBe("portLevel['70000']");
      expect(e.message).toContain('"70000"');
    });

    test('an unknown mode', () => {
      const e = refused({ selector: { app: 'a' }, portLevel: { 80: 'OFF' as any } });
      expect(e.prop).toBe('portLevel[80]');
      expect(e.message).toContain('"OFF"');
    });

    test('an empty selector', () => {
      expect(refused({ selector: {} }).prop).toBe('selector');
    });

    test('a wildcard in a selector value', () => {
      const e = refused({ selector: { app: 'web-*' } });
      expect(e.message).toContain('"web-*"');
    });

    test('a misspelt prop', () => {
      expect(refused({ portlevel: { 80: 'DISABLE' } } as any).prop).toBe('portlevel');
    });
  });

  test('synthesis refuses two namespace-wide policies with different names in one namespace', () => {
    const { chart } = newChart();
    new StrictMtls(chart, 'a', { namespace: 'web' });
    new StrictMtls(chart, 'b', { namespace: 'web', name: 'strict' });
    const e = errorOf(() => synth(chart));
    expect(e).toBeInstanceOf(IstioGatewayError);
    expect(e.message).toContain("StrictMtls 'test/b'");
    expect(e.message).toContain('"web"');
  });

  test('policies for different workloads of one namespace are fine', () => {
    const { chart } = newChart();
    new StrictMtls(chart, 'a', { namespace: 'web', name: 'a', selector: { app: 'a' } });
    new StrictMtls(chart, 'b', { namespace: 'web', name: 'b', selector: { app: 'b' } });
    new StrictMtls(chart, 'ns', { namespace: 'web' });
    const objects = synth(chart);
    expect(all(objects, 'PeerAuthentication')).toHaveLength(3);
    expectValid(objects);
  });
});
