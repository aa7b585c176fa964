// Issue 11 through the Pulumi front end: namespace-scoped hosts admit a route from another
// namespace declared after the gateway, and a created Namespace is registered before the rest.
import { installMocks, kubeResources, settle } from './support/pulumi-mocks';
import * as igc from '../src/pulumi';

installMocks();

describe('TenantGateway under Pulumi (issue 11)', () => {
  beforeAll(async () => {
    const gw = new igc.TenantGateway('payments', { namespace: 'payments', name: 'payments-gw', createNamespace: true });
    gw.addHttpHosts(['shop.example.com']);
    new igc.HttpRoute('web-route', { namespace: 'web', hosts: ['shop.example.com'], gateways: [gw], destination: { host: 'storefront', port: 8080 } });
    await settle(igc.PulumiPlatform.current().resources());
  });

  test('the Gateway admits the namespace of a route declared after it, and no other', () => {
    const g = kubeResources().find((r) => r.inputs.kind === 'Gateway')!;
    expect(g.inputs.spec.servers[0].hosts).toEqual(['payments/shop.example.com', 'web/shop.example.com']);
  });

  test('the Namespace is registered, labelled for injection, as a typed core resource', () => {
    const ns = kubeResources().find((r) => r.inputs.kind === 'Namespace')!;
    expect(ns.type).toBe('kubernetes:core/v1:Namespace');
    expect(ns.inputs.metadata.labels['istio-injection']).toBe('enabled');
    // registered before any object that lives in it
    const order = kubeResources().map((r) => r.inputs.kind);
    expect(order.indexOf('Namespace')).toBe(0);
  });
});
