// The README's payments team (a TenantGateway, a TlsHost and a CanaryRoute) at a given canary
// weight: the platform behind the generated canary review in docs/routing/.
import { App, Chart } from 'cdk8s';
import { CanaryRoute, TenantGateway, TlsHost } from '../src';

export function buildPayments(app: App, canaryWeight: number): void {
  const chart = new Chart(app, 'payments');
  const gw = new TenantGateway(chart, 'payments', { namespace: 'payments', name: 'payments-gw' });
  new TlsHost(chart, 'shop', { gateway: gw, hosts: ['shop.payments.example.com'], credentialName: 'shop-cert' });
  new CanaryRoute(chart, 'checkout', {
    namespace: 'payments', gateways: [gw], hosts: ['shop.payments.example.com'],
    destination: { host: 'checkout', port: 8080 },
    stable: { subset: 'v1', labels: { version: 'v1' } },
    canary: { subset: 'v2', labels: { version: 'v2' }, weight: canaryWeight, match: [{ headers: { 'x-canary': { exact: 'always' } } }] },
  });
}

/**
 * The checkout Service comes from the team's application chart, not from these constructs:
 * declared as external, it satisfies the routes' references (as `--external` does on the CLI).
 */
export const PAYMENTS_EXTERNAL: object[] = [{
  apiVersion: 'v1', kind: 'Service', metadata: { name: 'checkout', namespace: 'payments' },
  spec: { selector: { app: 'checkout' }, ports: [{ name: 'http', port: 8080 }] },
}];
