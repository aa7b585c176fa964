// The seed scenarios in the Gateway API flavour (examples/gateway-api.ts, dist/gateway-api/).
import { Testing } from 'cdk8s';
import { buildGatewayApiPlatform } from '../examples/gateway-api';
import { find } from './support/synth';
import { gatewayApiIssues } from './support/gateway-api-crds';

function synthExamples(): { yaml: string; objects: any[] } {
  const app = Testing.app();
  buildGatewayApiPlatform(app);
  return { yaml: app.synthYaml(), objects: app.charts.flatMap((c) => c.toJson()) };
}

describe('example platform, Gateway API flavour', () => {
  const first = synthExamples();

  test('is deterministic', () => {
    expect(synthExamples().yaml).toBe(first.yaml);
  });

  test('every object validates against the Gateway API v1.5.1 experimental CRDs (it has a TCPRoute) and Kubernetes schemas', () => {
    expect(gatewayApiIssues(first.objects).errors).toEqual([]);
  });

  test('has no networking.istio.io object', () => {
    expect(first.objects.filter((o) => o.apiVersion.startsWith('networking.istio.io/'))).toEqual([]);
  });

  test('each scenario has its Gateway API objects', () => {
    expect(find(first.objects, 'TCPRoute', 'tcp-echo', 'istioinaction').spec.rules[0].backendRefs.map((b: any) => [b.name, b.port, b.weight])).toEqual([['tcp-echo-v1', 9000, 80], ['tcp-echo-v2', 9000, 20]]);
    expect(find(first.objects, 'Service', 'tcp-echo-v2', 'istioinaction').spec.selector).toEqual({ app: 'tcp-echo', version: 'v2' });
    expect(find(first.objects, 'TLSRoute', 'simple-tls-service', 'istioinaction').spec.hostnames).toEqual(['simple-sni-1.istioinaction.io']);
    expect(find(first.objects, 'HTTPRoute', 'webapp-https-redirect', 'istioinaction').spec.rules[0].filters[0].type).toBe('RequestRedirect');
    expect(find(first.objects, 'Gateway', 'bookinfo-gateway', 'bookinfo').spec.addresses).toEqual([{ type: 'Hostname', value: 'istio-ingressgateway.istio-system.svc.cluster.local' }]);
    expect(find(first.objects, 'HTTPRoute', 'reviews', 'reviews-split').spec.rules[0].backendRefs.map((b: any) => [b.name, b.weight])).toEqual([['reviews-v1', 90], ['reviews-v2', 10]]);
    expect(find(first.objects, 'Service', 'reviews-v2', 'reviews-jason').spec.selector).toEqual({ app: 'reviews', version: 'v2' });
    expect(find(first.objects, 'Namespace', 'istioinaction').metadata.labels).toEqual({ 'istio-injection': 'enabled' });
  });
});
