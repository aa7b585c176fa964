// A small synthesized platform for the graph and review tests, built with the constructs; each
// option changes one thing, so a test can synthesize "before" and "after" and compare.
import { Chart } from 'cdk8s';
import { CanaryRoute, TcpGateway, TenantGateway, TlsHost } from '../../src';
import { newChart, synth } from './synth';

export interface PlatformOptions {
  canaryWeight?: number;
  canarySubset?: string;
  /** The canary's header match (default on): matching requests go 100% to the canary. */
  canaryMatch?: boolean;
  extraHost?: boolean;
  gatewayName?: string;
  shopOn?: 'payments' | 'edge';
  extraServicePorts?: Array<{ name: string; port: number }>;
  replicas?: number;
  ledger?: boolean;
}

/** Services the routes send to: in a real repository they come from the teams' own charts. */
export function backingServices(): any[] {
  const svc = (name: string, ns: string, port: number): any => ({
    apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns },
    spec: { selector: { app: name }, ports: [{ name: 'http', port }] },
  });
  return [svc('storefront', 'payments', 8080), svc('checkout', 'payments', 8080), svc('ledger', 'payments', 7000), svc('blog', 'payments', 8080)];
}

export function buildPlatform(chart: Chart, o: PlatformOptions = {}): void {
  const gw = new TenantGateway(chart, 'payments', {
    namespace: 'payments', name: o.gatewayName ?? 'payments-gw',
    ...(o.extraServicePorts ? { ports: o.extraServicePorts } : {}),
    ...(o.replicas ? { replicas: o.replicas } : {}),
  });
  const edge = o.shopOn === 'edge' ? new TenantGateway(chart, 'edge', { namespace: 'payments', name: 'edge-gw' }) : undefined;
  new TlsHost(chart, 'shop', {
    gateway: edge ?? gw, hosts: ['shop.payments.example.com'], credentialName: 'shop-cert',
    destination: { host: 'storefront', port: 8080 },
  });
  new TlsHost(chart, 'api', { gateway: gw, hosts: ['api.payments.example.com'], credentialName: 'api-cert' });
  new CanaryRoute(chart, 'checkout', {
    namespace: 'payments', gateways: [gw], hosts: ['api.payments.example.com'],
    destination: { host: 'checkout', port: 8080 },
    stable: { subset: 'v1', labels: { version: 'v1' } },
    canary: { subset: o.canarySubset ?? 'v2', labels: { version: o.canarySubset ?? 'v2' }, weight: o.canaryWeight ?? 10,
      ...(o.canaryMatch === false ? {} : { match: [{ headers: { 'x-canary': { exact: 'yes' } } }] }) },
  });
  if (o.ledger !== false) new TcpGateway(chart, 'ledger', { gateway: gw, port: 7000, destination: { host: 'ledger', port: 7000 } });
  if (o.extraHost) {
    new TlsHost(chart, 'blog', {
      gateway: gw, hosts: ['blog.payments.example.com'], credentialName: 'blog-cert',
      destination: { host: 'blog', port: 8080 },
    });
  }
}

/** The synthesized objects of the platform (plus the backing Services). */
export function platform(o: PlatformOptions = {}): any[] {
  const { chart } = newChart();
  buildPlatform(chart, o);
  return [...synth(chart), ...backingServices()];
}

/** A deep copy, for hand edits of synthesized objects. */
export function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v));
}
