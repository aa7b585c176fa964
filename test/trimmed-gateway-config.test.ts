import { parse } from 'yaml';
import { IstioGatewayError, TrimmedGatewayConfig, TrimmedGatewayConfigProps } from '../src';
import { errorOf, find, newChart, synth } from './support/synth';
import { validateAgainstIstio } from './support/validate-helper';

function refused(props: TrimmedGatewayConfigProps): IstioGatewayError {
  const { chart } = newChart();
  const e = errorOf(() => new TrimmedGatewayConfig(chart, 'cp', props));
  expect(e).toBeInstanceOf(IstioGatewayError);
  expect(e.message).toContain("TrimmedGatewayConfig 'test/cp'");
  return e as IstioGatewayError;
}

describe('TrimmedGatewayConfig', () => {
  test('defaults: istio-system/control-plane, minimal profile, the gateway filter and Prometheus merge on, DNS capture off (issue 11, item 9)', () => {
    const { chart } = newChart();
    const cp = new TrimmedGatewayConfig(chart, 'cp');
    const iop = find(synth(chart), 'IstioOperator', 'control-plane', 'istio-system');
    expect(iop.apiVersion).toBe('install.istio.io/v1alpha1');
    expect(JSON.stringify(iop)).not.toContain('ISTIO_META_DNS_CAPTURE');
    expect(cp.helmValuesYaml()).not.toContain('ISTIO_META_DNS_CAPTURE');
    expect(iop.spec).toEqual({
      profile: 'minimal',
      meshConfig: {
        enablePrometheusMerge: true,
      },
      components: { pilot: { k8s: { env: [{ name: 'PILOT_FILTER_GATEWAY_CLUSTER_CONFIG', value: 'true' }] } } },
    });
  });

  test('the same settings as istiod Helm values, and as YAML', () => {
    const { chart } = newChart();
    const cp = new TrimmedGatewayConfig(chart, 'cp', { revision: '1-30', accessLogFile: '/dev/stdout', accessLogEncoding: 'JSON', dnsCapture: true });
    const values = {
      revision: '1-30',
      pilot: { env: { PILOT_FILTER_GATEWAY_CLUSTER_CONFIG: 'true' } },
      meshConfig: {
        accessLogFile: '/dev/stdout',
        accessLogEncoding: 'JSON',
        defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true' } },
        enablePrometheusMerge: true,
      },
    };
    expect(cp.helmValues()).toEqual(values);
    expect(parse(cp.helmValuesYaml())).toEqual(values);
    expect(cp.helmValuesYaml()).toContain('PILOT_FILTER_GATEWAY_CLUSTER_CONFIG: "true"');
    const iop = find(synth(chart), 'IstioOperator', 'control-plane');
    expect(iop.spec.revision).toBe('1-30');
    expect(iop.spec.meshConfig.accessLogFile).toBe('/dev/stdout');
  });

  test('settings turned off; extra env and proxy metadata sorted after the typed ones', () => {
    const { chart } = newChart();
    const cp = new TrimmedGatewayConfig(chart, 'cp', {
      name: 'istiod', profile: 'ambient',
      filterGatewayClusterConfig: false, dnsCapture: false, prometheusMerge: false,
      pilotEnv: { PILOT_TRACE_SAMPLING: '1', PILOT_ENABLE_ALPHA_GATEWAY_API: 'false' },
      proxyMetadata: { ISTIO_META_DNS_AUTO_ALLOCATE: 'true' },
    });
    const iop = find(synth(chart), 'IstioOperator', 'istiod');
    expect(iop.spec.profile).toBe('ambient');
    expect(iop.spec.meshConfig).toEqual({ defaultConfig: { proxyMetadata: { ISTIO_META_DNS_AUTO_ALLOCATE: 'true' } }, enablePrometheusMerge: false });
    expect(iop.spec.components.pilot.k8s.env).toEqual([
      { name: 'PILOT_ENABLE_ALPHA_GATEWAY_API', value: 'false' },
      { name: 'PILOT_TRACE_SAMPLING', value: '1' },
    ]);
    expect(cp.helmValues().profile).toBe('ambient');
  });

  test('helmValues never names a profile the istiod chart lacks: OpenShift is global.platform, empty is refused (issue 11, item 4)', () => {
    const values = (profile: TrimmedGatewayConfigProps['profile']) => {
      const { chart } = newChart();
      return new TrimmedGatewayConfig(chart, 'cp', { profile }).helmValues();
    };
    expect(values('openshift')).toMatchObject({ global: { platform: 'openshift' } });
    expect(values('openshift').profile).toBeUndefined();
    expect(values('openshift-ambient')).toMatchObject({ profile: 'ambient', global: { platform: 'openshift' } });
    expect(values('minimal').profile).toBeUndefined();
    expect(values('default').profile).toBeUndefined();
    expect(values('demo').profile).toBe('demo');
    const { chart } = newChart();
    const empty = new TrimmedGatewayConfig(chart, 'cp', { profile: 'empty' });
    const e = errorOf(() => empty.helmValues());
    expect(e).toBeInstanceOf(IstioGatewayError);
    expect(e.message).toContain("[TrimmedGatewayConfig 'test/cp'] profile: invalid value \"empty\"; the istiod Helm chart has no \"empty\" profile");
    // the IstioOperator keeps istioctl's own profile names
    expect(find(synth(chart), 'IstioOperator', 'control-plane').spec.profile).toBe('empty');
  });

  test('with every setting off and no extras there is no components section', () => {
    const { chart } = newChart();
    new TrimmedGatewayConfig(chart, 'cp', { filterGatewayClusterConfig: false, dnsCapture: false });
    const iop = find(synth(chart), 'IstioOperator', 'control-plane');
    expect(iop.spec).toEqual({ profile: 'minimal', meshConfig: { enablePrometheusMerge: true } });
  });

  // Why this file does not call expectValid: the one object it emits has no schema to check against.
  test('the IstioOperator is istioctl input with no CRD in Istio 1.30, so the validator has no schema for it', () => {
    const { chart } = newChart();
    new TrimmedGatewayConfig(chart, 'cp');
    const result = validateAgainstIstio(synth(chart));
    expect(result.errors.map((e) => [e.origin, e.message.split(';')[0]])).toEqual([
      ['IstioOperator istio-system/control-plane', 'no schema for install.istio.io/v1alpha1 IstioOperator'],
    ]);
  });

  describe('refuses', () => {
    test('an unknown profile', () => {
      const e = refused({ profile: 'tiny' as any });
      expect(e.prop).toBe('profile');
      expect(e.message).toContain('"tiny"');
    });

    test('pilotEnv setting the flag a typed prop owns', () => {
      const e = refused({ pilotEnv: { PILOT_FILTER_GATEWAY_CLUSTER_CONFIG: 'false' } });
      expect(e.prop).toBe("pilotEnv['PILOT_FILTER_GATEWAY_CLUSTER_CONFIG']");
      expect(e.message).toContain('filterGatewayClusterConfig');
    });

    test('a non-string env value', () => {
      expect(refused({ pilotEnv: { X: true as any } }).prop).toBe("pilotEnv['X']");
    });

    test('an encoding without an access log file', () => {
      expect(refused({ accessLogEncoding: 'JSON' }).prop).toBe('accessLogEncoding');
    });

    test('a relative access log path', () => {
      const e = refused({ accessLogFile: 'stdout' });
      expect(e.message).toContain('"stdout"');
    });

    test('a misspelt prop', () => {
      expect(refused({ dnsCaputre: false } as any).prop).toBe('dnsCaputre');
    });
  });

  test('synthesis refuses two configurations of one revision', () => {
    const { chart } = newChart();
    new TrimmedGatewayConfig(chart, 'a');
    new TrimmedGatewayConfig(chart, 'b', { name: 'other' });
    const e = errorOf(() => synth(chart));
    expect(e).toBeInstanceOf(IstioGatewayError);
    expect(e.message).toContain("TrimmedGatewayConfig 'test/b'");
  });
});
