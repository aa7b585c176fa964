import { ApiObject } from 'cdk8s';
import { configureSynthAnalysis, IngressGateway, IstioGatewayError, prerequisitesOf, SynthCheck, TlsHost } from '../src';
import { all, errorOf, find, newChart, synth } from './support/synth';
import { expectValid } from './support/validate-helper';

describe('IngressGateway', () => {
  test('defaults: shared istio-ingressgateway selector, Gateway named after the id', () => {
    const { chart } = newChart();
    const gw = new IngressGateway(chart, 'bookinfo-gateway', { namespace: 'bookinfo' });
    gw.addHttpHosts(['bookinfo.example.com', '*.bookinfo.example.com']);
    const objects = synth(chart);
    expect(objects).toHaveLength(1);
    const g = find(objects, 'Gateway', 'bookinfo-gateway', 'bookinfo');
    expect(g.apiVersion).toBe('networking.istio.io/v1');
    expect(g.spec).toEqual({
      selector: { istio: 'ingressgateway' },
      servers: [{ port: { number: 80, name: 'http-80', protocol: 'HTTP' }, hosts: ['bookinfo.example.com', '*.bookinfo.example.com'] }],
    });
    expect(gw.ref).toBe('bookinfo/bookinfo-gateway');
    expect(gw.workloadNamespace).toBe('istio-system');
    expectValid(objects);
  });

  test('HTTP hosts added in several calls on one port become one server', () => {
    const { chart } = newChart();
    const gw = new IngressGateway(chart, 'gw', { namespace: 'web' });
    gw.addHttpHosts(['a.example.com']);
    gw.addHttpHosts(['b.example.com']);
    const objects = synth(chart);
    const g = find(objects, 'Gateway', 'gw');
    expect(g.spec.servers).toHaveLength(1);
    expect(g.spec.servers[0].hosts).toEqual(['a.example.com', 'b.example.com']);
    expectValid(objects);
  });

  test('custom selector, workload namespace and service ports', () => {
    const { chart } = newChart();
    const gw = new IngressGateway(chart, 'edge', {
      namespace: 'web', name: 'edge-gateway', selector: { istio: 'edge' }, workloadNamespace: 'edge-system',
      servicePorts: [{ name: 'http', port: 8080 }, { name: 'https', port: 443, targetPort: 8443 }],
      labels: { team: 'web' },
    });
    gw.addHttpHosts(['a.example.com'], { port: 8080 });
    new TlsHost(chart, 'tls', { gateway: gw, hosts: ['a.example.com'], credentialName: 'a-cert', port: 8443, httpsRedirect: false });
    const objects = synth(chart);
    const g = find(objects, 'Gateway', 'edge-gateway', 'web');
    expect(g.metadata.labels.team).toBe('web');
    expect(g.spec.selector).toEqual({ istio: 'edge' });
    expect(g.spec.servers.map((s: any) => s.port.number)).toEqual([8080, 8443]);
    expect(all(objects, 'Deployment')).toHaveLength(0);
    expectValid(objects);
  });

  test('a server on a port the existing Service does not expose is refused', () => {
    const { chart } = newChart();
    const gw = new IngressGateway(chart, 'gw', { namespace: 'web' });
    const err = errorOf(() => gw.addHttpHosts(['a.example.com'], { port: 8000 }));
    expect(err).toBeInstanceOf(IstioGatewayError);
    expect(err.message).toMatch(/port: invalid value 8000.*istio-ingressgateway in istio-system, installed by istioctl.*15021, 80 \(targetPort 8080\), 443 \(targetPort 8443\).*IST0162/);
    const err2 = errorOf(() => new TlsHost(chart, 'x', { gateway: gw, hosts: ['a.example.com'], credentialName: 'c', port: 9443 }));
    expect(err2.message).toContain("TlsHost 'test/x'");
    expect(err2.message).toContain('9443');
  });

  test('istioctl defaults are a real default-profile install: 8080 (targetPort of 80) accepted, 31400 and 15443 refused (issue 11, item 2)', () => {
    const { chart } = newChart();
    const gw = new IngressGateway(chart, 'bookinfo-gateway', { namespace: 'bookinfo' });
    expect(gw.installedBy).toBe('istioctl');
    // Istio 1.30's samples/bookinfo/networking/bookinfo-gateway.yaml uses port 8080
    gw.addHttpHosts(['bookinfo.example.com'], { port: 8080 });
    for (const port of [31400, 15443]) {
      const e = errorOf(() => gw.addHttpHosts(['x.example.com'], { port }));
      expect(e).toBeInstanceOf(IstioGatewayError);
      expect(e.message).toContain(`[IngressGateway 'test/bookinfo-gateway'] port: invalid value ${port}`);
    }
    const objects = synth(chart);
    const g = find(objects, 'Gateway', 'bookinfo-gateway', 'bookinfo');
    expect(g.spec.selector).toEqual({ istio: 'ingressgateway' });
    expect(g.spec.servers.map((s: any) => s.port.number)).toEqual([8080]);
    expect(gw.servicePorts).toEqual([
      { name: 'status-port', port: 15021, targetPort: 15021 },
      { name: 'http2', port: 80, targetPort: 8080 },
      { name: 'https', port: 443, targetPort: 8443 },
    ]);
    expectValid(objects);
  });

  test("installedBy: 'helm' is the gateway chart installed as documented: istio: ingress in istio-ingress, ports 15021/80/443", () => {
    const { chart } = newChart();
    const gw = new IngressGateway(chart, 'gw', { namespace: 'web', installedBy: 'helm' });
    expect(gw.workloadNamespace).toBe('istio-ingress');
    expect(gw.selector).toEqual({ istio: 'ingress' });
    gw.addHttpHosts(['a.example.com']);
    new TlsHost(chart, 'tls', { gateway: gw, hosts: ['a.example.com'], credentialName: 'a-cert', httpsRedirect: false });
    const e = errorOf(() => gw.addHttpHosts(['b.example.com'], { port: 8080 }));
    expect(e.message).toContain('istio-ingress in istio-ingress, installed by helm');
    const objects = synth(chart);
    expect(find(objects, 'Gateway', 'gw', 'web').spec.selector).toEqual({ istio: 'ingress' });
    expectValid(objects);
    // the release name and namespace are overridable; the chart labels pods after the release
    const { chart: c2 } = newChart();
    const edge = new IngressGateway(c2, 'edge', { namespace: 'web', installedBy: 'helm', helmReleaseName: 'istio-edge', workloadNamespace: 'edge-system' });
    expect(edge.selector).toEqual({ istio: 'edge' });
    expect(edge.workloadNamespace).toBe('edge-system');
    const plain = new IngressGateway(c2, 'plain', { namespace: 'web', installedBy: 'helm', helmReleaseName: 'public-gw' });
    expect(plain.selector).toEqual({ istio: 'public-gw' });
    // servicePorts still overrides the preset
    const custom = new IngressGateway(c2, 'custom', { namespace: 'web', installedBy: 'helm', servicePorts: [{ port: 31400 }] });
    custom.addHttpHosts(['c.example.com'], { port: 31400 });
    expect(errorOf(() => new IngressGateway(c2, 'bad', { namespace: 'web', installedBy: 'kubectl' as any })).message)
      .toContain("installedBy: invalid value \"kubectl\"; expected one of 'istioctl', 'helm'");
    expect(errorOf(() => new IngressGateway(c2, 'bad2', { namespace: 'web', helmReleaseName: 'x' })).message)
      .toContain("helmReleaseName: invalid value \"x\"; the release name applies to a gateway installed with Helm");
  });

  test('two Gateways on the shared workload may not claim the same host and port', () => {
    const { chart } = newChart();
    const a = new IngressGateway(chart, 'a', { namespace: 'team-a' });
    const b = new IngressGateway(chart, 'b', { namespace: 'team-b' });
    a.addHttpHosts(['shop.example.com']);
    b.addHttpHosts(['shop.example.com']);
    const err = errorOf(() => synth(chart));
    expect(err).toBeInstanceOf(IstioGatewayError);
    expect(err.message).toMatch(/shop\.example\.com.*port 80.*team-a\/a.*IST0145/);
  });

  test('two shared gateways selecting different existing workloads each declare their own pods to the analyzer (regression)', () => {
    // found by test/properties-platform.test.ts: both declared a pod "istio-ingressgateway-existing", so one
    // selector matched no pod and synthesis was refused (IST0101 "istio=ingressgateway")
    const { app, chart } = newChart();
    configureSynthAnalysis(app, { warn: () => undefined });
    const internal = new IngressGateway(chart, 'internal', { namespace: 'edge', name: 'shared', selector: { istio: 'internal-gateway' } });
    const shared = new IngressGateway(chart, 'public', { namespace: 'team-a', name: 'shared' });
    internal.addHttpHosts(['shop.example.com']);
    shared.addHttpHosts(['shop.example.com']);
    const objects = synth(chart);
    expect(all(objects, 'Gateway')).toHaveLength(2);
    expectValid(objects);
    expect(SynthCheck.of(chart).lastDiagnostics.filter((d) => d.level === 'Error')).toEqual([]);
  });

  test('gateways on one existing workload declare it once: one Pod and one Service in the prerequisites, and findings on its pods name one pod', () => {
    const { app, chart } = newChart();
    const teams = ['a', 'b', 'c'].map((t) => {
      const gw = new IngressGateway(chart, t, { namespace: `team-${t}`, name: 'edge' });
      gw.addHttpHosts([`${t}.example.com`]);
      return gw;
    });
    // Another workload (its own selector) still declares its own pod.
    new IngressGateway(chart, 'internal', { namespace: 'edge', name: 'internal', selector: { istio: 'internal-gateway' } }).addHttpHosts(['in.example.com']);
    // Two Telemetries written by hand in istio-system, both selecting the ingress pods: IST0159 names the pod.
    for (const name of ['log-1', 'log-2']) {
      new ApiObject(chart, name, {
        apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: { name, namespace: 'istio-system' },
        spec: { selector: { matchLabels: { istio: 'ingressgateway' } }, accessLogging: [{ providers: [{ name: 'envoy' }] }] },
      });
    }
    expect((prerequisitesOf(app) as any[]).map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'Pod istio-system/istio-ingressgateway-existing-edge-internal',
      'Pod istio-system/istio-ingressgateway-existing-team-a-edge',
      'Service istio-system/istio-ingressgateway',
    ]);
    const err = errorOf(() => synth(chart));
    const ist0159 = SynthCheck.of(chart).lastDiagnostics.filter((d) => d.code === 'IST0159');
    // One finding per Telemetry (three per Telemetry before, one for each team's declared pod).
    expect(ist0159.map((d) => d.origin)).toEqual(['Telemetry istio-system/log-1', 'Telemetry istio-system/log-2']);
    for (const d of ist0159) expect(d.message).toContain('select the same workload pod "istio-ingressgateway-existing-team-a-edge"');
    expect(err.message.match(/IST0159/g)).toHaveLength(2);
    // The Gateways themselves are unchanged, one per team.
    expect(teams.map((gw) => gw.gatewayResource?.node.id)).toEqual(['Gateway', 'Gateway', 'Gateway']);
  });

  test('the workload is declared by the next gateway on it when the first leaves the tree (a refused Pulumi declaration)', () => {
    const { app, chart } = newChart();
    for (const t of ['a', 'b']) new IngressGateway(chart, t, { namespace: `team-${t}`, name: 'edge' }).addHttpHosts([`${t}.example.com`]);
    SynthCheck.of(chart).forget(chart.node.findChild('a'));
    chart.node.tryRemoveChild('a');
    expect((prerequisitesOf(app) as any[]).map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'Pod istio-system/istio-ingressgateway-existing-team-b-edge',
      'Service istio-system/istio-ingressgateway',
    ]);
    const objects = synth(chart);
    expect(all(objects, 'Gateway').map((g) => g.metadata.namespace)).toEqual(['team-b']);
    expect(SynthCheck.of(chart).lastDiagnostics.filter((d) => d.level === 'Error')).toEqual([]);
  });

  test('gateways on one workload that declare different Service ports each declare theirs, merged into one Service', () => {
    const { app, chart } = newChart();
    new IngressGateway(chart, 'a', { namespace: 'team-a', name: 'edge' }).addHttpHosts(['a.example.com']);
    new IngressGateway(chart, 'b', { namespace: 'team-b', name: 'edge', servicePorts: [{ name: 'http2', port: 80, targetPort: 8080 }, { name: 'tcp', port: 31400 }] })
      .addHttpHosts(['b.example.com']);
    new IngressGateway(chart, 'c', { namespace: 'team-c', name: 'edge' }).addHttpHosts(['c.example.com']);
    const pre = prerequisitesOf(app) as any[];
    expect(pre.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'Pod istio-system/istio-ingressgateway-existing-team-a-edge',
      'Pod istio-system/istio-ingressgateway-existing-team-b-edge',
      'Service istio-system/istio-ingressgateway',
    ]);
    expect(pre[2].spec.ports.map((p: { port: number }) => p.port)).toEqual([15021, 80, 443, 31400]);
  });

  test('refused props', () => {
    const { chart } = newChart();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ namespace: 'bad_ns' }, /namespace.*"bad_ns"/],
      [{ namespace: 'web', selector: {} }, /selector/],
      [{ namespace: 'web', selector: { 'bad key!': 'x' } }, /selector\['bad key!'\]/],
      [{ namespace: 'web', workloadNamespace: 'Istio-System' }, /workloadNamespace.*"Istio-System"/],
      [{ namespace: 'web', servicePorts: [{ port: 0 }] }, /servicePorts\[0\]\.port.*0/],
      [{ namespace: 'web', name: '-x' }, /name.*"-x"/],
    ];
    cases.forEach(([props, msg], i) => {
      const err = errorOf(() => new IngressGateway(chart, `g${i}`, props as any));
      expect(err).toBeInstanceOf(IstioGatewayError);
      expect(err.message).toMatch(msg);
    });
  });
});
