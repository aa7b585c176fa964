import { AccessLogPolicy, AccessLogPolicyProps, IngressGateway, IstioGatewayError, TenantGateway, TlsHost } from '../src';
import { celParseError } from '../src/model/policy';
import { errorOf, find, newChart, synth } from './support/synth';
import { expectValid } from './support/validate-helper';

function refused(props: AccessLogPolicyProps, setup?: (chart: any) => Partial<AccessLogPolicyProps>): IstioGatewayError {
  const { chart } = newChart();
  const extra = setup ? setup(chart) : {};
  const e = errorOf(() => new AccessLogPolicy(chart, 'logs', { ...props, ...extra }));
  expect(e).toBeInstanceOf(IstioGatewayError);
  expect(e.message).toContain("AccessLogPolicy 'test/logs'");
  return e as IstioGatewayError;
}

describe('AccessLogPolicy', () => {
  test('selects exactly the tenant gateway\'s pods, in its namespace, with the filter', () => {
    const { chart } = newChart();
    const gw = new TenantGateway(chart, 'payments-gw', { namespace: 'payments' });
    new TlsHost(chart, 'pay', { gateway: gw, hosts: ['pay.example.com'], credentialName: 'pay-cert' });
    new AccessLogPolicy(chart, 'edge-errors', { gateway: gw, filter: 'response.code >= 400' });
    const objects = synth(chart);
    const t = find(objects, 'Telemetry', 'edge-errors', 'payments');
    expect(t.apiVersion).toBe('telemetry.istio.io/v1');
    const podLabels = find(objects, 'Deployment', 'payments-gw').spec.template.metadata.labels;
    expect(t.spec.selector.matchLabels).toEqual(gw.selector);
    for (const [k, v] of Object.entries(t.spec.selector.matchLabels)) expect(podLabels[k]).toBe(v);
    expect(t.spec.accessLogging).toEqual([{ providers: [{ name: 'envoy' }], filter: { expression: 'response.code >= 400' } }]);
    expectValid(objects);
  });

  test('a filter ending in a // comment is kept as written (valid CEL, though @bufbuild/cel 0.6 alone refuses it)', () => {
    const { chart } = newChart();
    const gw = new TenantGateway(chart, 'payments-gw', { namespace: 'payments' });
    new AccessLogPolicy(chart, 'edge-errors', { gateway: gw, filter: 'response.code >= 400 // errors only' });
    const t = find(synth(chart), 'Telemetry', 'edge-errors', 'payments');
    expect(t.spec.accessLogging[0].filter).toEqual({ expression: 'response.code >= 400 // errors only' });
  });

  test('filters with each team\'s own values: each Telemetry keeps its own text, and a bad one is still refused with its own error', () => {
    const { chart } = newChart();
    for (const team of ['payments', 'billing']) {
      new AccessLogPolicy(chart, team, { namespace: team, filter: `request.headers["x-team"] == "${team}" && response.code >= 400` });
    }
    const objects = synth(chart);
    expect(find(objects, 'Telemetry', 'payments', 'payments').spec.accessLogging[0].filter).toEqual({ expression: 'request.headers["x-team"] == "payments" && response.code >= 400' });
    expect(find(objects, 'Telemetry', 'billing', 'billing').spec.accessLogging[0].filter).toEqual({ expression: 'request.headers["x-team"] == "billing" && response.code >= 400' });
    // The same shape, but an escaped quote leaves the literal open; and three literals side by side.
    for (const filter of ['request.headers["x-team"] == "a\\" && response.code >= 400', 'request.headers["x-team"] == "a""b""c" && response.code >= 400']) {
      const e = errorOf(() => new AccessLogPolicy(chart, 'bad', { namespace: 'bad', filter }));
      expect(e).toBeInstanceOf(IstioGatewayError);
      expect(e.message).toContain(`filter: invalid value ${JSON.stringify(filter)}`);
      expect(e.message).toContain(`it does not parse: ${celParseError(filter)}`);
    }
  });

  test('a shared IngressGateway: its pod labels in its workload namespace (istio-system)', () => {
    const { chart } = newChart();
    const gw = new IngressGateway(chart, 'shared', { namespace: 'bookinfo' });
    new AccessLogPolicy(chart, 'ingress-logs', { gateway: gw });
    const objects = synth(chart);
    const t = find(objects, 'Telemetry', 'ingress-logs', 'istio-system');
    expect(t.spec.selector).toEqual({ matchLabels: { istio: 'ingressgateway' } });
    expectValid(objects);
  });

  test('mesh-wide by default (istio-system, no selector); providers, mode and disabled', () => {
    const { chart } = newChart();
    new AccessLogPolicy(chart, 'mesh', { providers: ['envoy', 'otel'], mode: 'SERVER' });
    new AccessLogPolicy(chart, 'quiet', { namespace: 'batch', selector: { app: 'cron' }, disabled: true });
    const objects = synth(chart);
    const mesh = find(objects, 'Telemetry', 'mesh', 'istio-system');
    expect(mesh.spec).toEqual({ accessLogging: [{ providers: [{ name: 'envoy' }, { name: 'otel' }], match: { mode: 'SERVER' } }] });
    const quiet = find(objects, 'Telemetry', 'quiet', 'batch');
    expect(quiet.spec).toEqual({ selector: { matchLabels: { app: 'cron' } }, accessLogging: [{ providers: [{ name: 'envoy' }], disabled: true }] });
    expectValid(objects);
  });

  describe('refuses', () => {
    test('both gateway and selector', () => {
      const e = refused({ selector: { app: 'x' } }, (chart) => ({ gateway: new IngressGateway(chart, 'gw', { namespace: 'x' }) }));
      expect(e.prop).toBe('selector');
      expect(e.message).toContain('{"app":"x"}');
      expect(e.message).toContain('not both');
    });

    test('an empty filter', () => {
      const e = refused({ filter: '  ' });
      expect(e.prop).toBe('filter');
      expect(e.message).toContain('"  "');
    });

    test('a filter that is not CEL', () => {
      const e = refused({ filter: 'response.code >=' });
      expect(e.prop).toBe('filter');
      expect(e.message).toContain('"response.code >="');
    });

    test('a namespace other than the gateway\'s workload namespace', () => {
      const e = refused({ namespace: 'other' }, (chart) => ({ gateway: new TenantGateway(chart, 'gw', { namespace: 'team' }) }));
      expect(e.prop).toBe('namespace');
      expect(e.message).toContain('"team"');
    });

    test('a filter on disabled logging', () => {
      expect(refused({ disabled: true, filter: 'response.code >= 500' }).prop).toBe('filter');
    });

    test('an empty providers list, or a duplicate provider', () => {
      expect(refused({ providers: [] }).prop).toBe('providers');
      expect(refused({ providers: ['envoy', 'envoy'] }).prop).toBe('providers[1]');
    });

    test('something that is not a gateway', () => {
      expect(refused({ gateway: { selector: { istio: 'x' } } as any }).prop).toBe('gateway');
    });
  });

  describe('synthesis refuses', () => {
    test('two selector-less policies in one namespace (IST0160)', () => {
      const { chart } = newChart();
      new AccessLogPolicy(chart, 'a', { namespace: 'shop' });
      new AccessLogPolicy(chart, 'b', { namespace: 'shop', filter: 'response.code >= 500' });
      const e = errorOf(() => synth(chart));
      expect(e).toBeInstanceOf(IstioGatewayError);
      expect(e.message).toContain("AccessLogPolicy 'test/b'");
      expect(e.message).toContain('"shop"');
      expect(e.message).toContain('IST0160');
    });

    test('two policies for the same gateway (IST0159)', () => {
      const { chart } = newChart();
      const gw = new TenantGateway(chart, 'gw', { namespace: 'team' });
      new AccessLogPolicy(chart, 'a', { gateway: gw });
      new AccessLogPolicy(chart, 'b', { gateway: gw, filter: 'response.code >= 500' });
      const e = errorOf(() => synth(chart));
      expect(e).toBeInstanceOf(IstioGatewayError);
      expect(e.message).toContain('IST0159');
    });

    test('but selector-less policies in different namespaces are fine', () => {
      const { chart } = newChart();
      new AccessLogPolicy(chart, 'a', { namespace: 'shop' });
      new AccessLogPolicy(chart, 'b', { namespace: 'billing' });
      new AccessLogPolicy(chart, 'c', { namespace: 'shop', selector: { app: 'web' } });
      const objects = synth(chart);
      expect(objects.filter((o) => o.kind === 'Telemetry')).toHaveLength(3);
      expectValid(objects);
    });
  });
});

test('a selected workload is declared to the analyzer as existing; a gateway declares its own pods', () => {
  const { chart } = newChart();
  const sel = new AccessLogPolicy(chart, 'quiet', { namespace: 'batch', selector: { app: 'cron' } });
  const gw = new AccessLogPolicy(chart, 'gw', { gateway: new TenantGateway(chart, 'edge', { namespace: 'edge' }) });
  expect(sel.externalObjects()).toEqual([expect.objectContaining({ kind: 'Pod', metadata: expect.objectContaining({ namespace: 'batch', labels: { app: 'cron' } }) })]);
  expect(gw.externalObjects()).toEqual([]);
});
