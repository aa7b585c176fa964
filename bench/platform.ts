// The benchmark's generated platform: N teams, each with a TenantGateway, three TlsHosts (one
// PASSTHROUGH), a TcpGateway, two CanaryRoutes with header matches and an AccessLogPolicy, plus
// mesh-wide StrictMtls and a TrimmedGatewayConfig. Built once per front end from one team spec,
// so the cdk8s and the Pulumi platforms declare exactly the same things. Other layouts (cdk8s
// only) mix the public constructs as other platform teams would: see Layout.
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AccessLogPolicy, CanaryRoute, configureSynthAnalysis, HttpRoute, IngressGateway, StrictMtls, TcpGateway, TenantGateway,
  TlsHost, TlsMode, TrimmedGatewayConfig,
} from '../src';

/**
 * How the teams are laid out: the platform in one chart or in a chart per team, or one of
 * these other platforms, each in one chart, with no finding at synthesis:
 * - `shared-ingress`: every team's hosts served by one shared IngressGateway (a TlsHost with its
 *   route, and a plain-HTTP host with an HttpRoute per team);
 * - `shared-tls`: one shared IngressGateway, and per team a SIMPLE and a MUTUAL TlsHost (each
 *   with its HTTP-to-HTTPS redirect server) whose traffic a CanaryRoute per host splits;
 * - `tenant-mix`: per team a TenantGateway (autoscaling, a disruption budget and a NetworkPolicy)
 *   with four TlsHosts (SIMPLE, MUTUAL, OPTIONAL_MUTUAL with routes, PASSTHROUGH), two
 *   TcpGateways, an HttpRoute for a plain-HTTP host and a namespace-wide StrictMtls;
 * - `gateway-api`: the platform with every TenantGateway written in the Gateway API
 *   (`api: 'gateway-api'`, experimental channel for TCP and TLS passthrough);
 * - `ingress-per-team`: no gateway workload of their own: each team's own IngressGateway (a Gateway
 *   in its namespace on the shared istioctl ingress workload), with a TlsHost and its route, a
 *   plain-HTTP host with a CanaryRoute (header match) and a namespace-wide StrictMtls;
 * - `flat`: the README's payments team (examples/payments-canary.ts: a TenantGateway, a TlsHost, a
 *   CanaryRoute bound to the gateway) per team, every construct a direct child of one chart, as the
 *   README writes them (the other layouts give each team a scope of its own): found by
 *   bench/synth-checker.js, where a route bound to a gateway listed the chart's children once per team.
 */
export type Layout = 'chart-per-team' | 'one-chart' | 'shared-ingress' | 'shared-tls' | 'tenant-mix' | 'gateway-api' | 'ingress-per-team' | 'flat';

/** Every layout, as the benchmark scripts accept them. */
export const LAYOUTS: readonly Layout[] = ['one-chart', 'chart-per-team', 'shared-ingress', 'shared-tls', 'tenant-mix', 'gateway-api', 'ingress-per-team', 'flat'];

/** Props of one team's constructs, shared by the cdk8s and Pulumi builders. */
export function teamSpec(i: number) {
  const ns = `team-${String(i).padStart(4, '0')}`;
  const domain = `${ns}.example.com`;
  return {
    ns,
    gateway: { namespace: ns, name: 'edge' },
    tls: [
      { id: 'web', hosts: [`web.${domain}`], credentialName: 'web-cert' },
      { id: 'api', hosts: [`api.${domain}`], credentialName: 'api-cert' },
    ],
    passthrough: { id: 'legacy', hosts: [`legacy.${domain}`], mode: TlsMode.PASSTHROUGH, destination: { host: 'legacy', port: 8443 } },
    tcp: { id: 'ledger', port: 7000, destination: { host: 'ledger', port: 7000 } },
    canaries: ['web', 'api'].map((svc) => ({
      id: `${svc}-canary`,
      name: svc,
      hosts: [`${svc}.${domain}`],
      destination: { host: svc, port: 8080 },
      stable: { subset: 'stable', labels: { version: 'v1' } },
      canary: { subset: 'canary', labels: { version: 'v2' }, weight: 10, match: [{ headers: { 'x-canary': { exact: 'true' } } }] },
    })),
    accessLog: { id: 'edge-errors', filter: 'response.code >= 400' },
  };
}

/** Builds the platform of `teams` teams into `app` with the public cdk8s constructs. */
export function buildCdk8sPlatform(app: App, teams: number, layout: Layout = 'chart-per-team'): void {
  // Warnings are collected, not printed: the benchmark reports them once.
  configureSynthAnalysis(app, { warn: (line) => WARNINGS.push(line) });
  if (!LAYOUTS.includes(layout)) throw new Error(`unknown layout '${layout}': one of ${LAYOUTS.join(', ')}`);
  if (layout === 'shared-ingress') {
    buildSharedIngress(app, teams);
    return;
  }
  if (layout === 'shared-tls') {
    buildSharedTls(app, teams);
    return;
  }
  if (layout === 'tenant-mix') {
    buildTenantMix(app, teams);
    return;
  }
  if (layout === 'ingress-per-team') {
    buildIngressPerTeam(app, teams);
    return;
  }
  if (layout === 'flat') {
    buildFlat(app, teams);
    return;
  }
  const mesh = new Chart(app, 'mesh');
  new StrictMtls(mesh, 'mesh-wide');
  new TrimmedGatewayConfig(mesh, 'control-plane');
  const shared = layout === 'chart-per-team' ? undefined : new Chart(app, 'teams');
  const api = layout === 'gateway-api' ? { api: 'gateway-api' as const, gatewayApiChannel: 'experimental' as const } : {};
  for (let i = 0; i < teams; i++) {
    const t = teamSpec(i);
    const chart = shared ?? new Chart(app, t.ns);
    const scope = shared ? new Construct(chart, t.ns) : chart;
    const gateway = new TenantGateway(scope, 'edge', { ...t.gateway, ...api });
    for (const h of t.tls) new TlsHost(scope, h.id, { gateway, hosts: h.hosts, credentialName: h.credentialName });
    new TlsHost(scope, t.passthrough.id, { gateway, hosts: t.passthrough.hosts, mode: t.passthrough.mode, destination: t.passthrough.destination });
    new TcpGateway(scope, t.tcp.id, { gateway, port: t.tcp.port, destination: t.tcp.destination });
    for (const c of t.canaries) {
      // In the Gateway API each version is a Service of its own, selecting the destination's pods and the subset's labels.
      const versions = layout === 'gateway-api' ? { destinationSelector: { app: c.name } } : {};
      new CanaryRoute(scope, c.id, { gateways: [gateway], name: c.name, hosts: c.hosts, destination: c.destination, stable: c.stable, canary: c.canary, ...versions });
    }
    new AccessLogPolicy(scope, t.accessLog.id, { gateway, filter: t.accessLog.filter });
  }
}

function buildSharedIngress(app: App, teams: number): void {
  const chart = new Chart(app, 'edge');
  const shared = new IngressGateway(chart, 'shared', { namespace: 'edge' });
  for (let i = 0; i < teams; i++) {
    const t = teamSpec(i);
    const scope = new Construct(chart, t.ns);
    new TlsHost(scope, 'web', { gateway: shared, namespace: t.ns, name: `${t.ns}-web`, hosts: t.tls[0].hosts, credentialName: `${t.ns}-web-cert`, destination: { host: 'web', port: 8080 } });
    shared.addHttpHosts(t.tls[1].hosts);
    new HttpRoute(scope, 'api', { gateways: [shared], namespace: t.ns, name: 'api', hosts: t.tls[1].hosts, destination: { host: 'api', port: 8080 } });
  }
}

function buildSharedTls(app: App, teams: number): void {
  const chart = new Chart(app, 'edge');
  const shared = new IngressGateway(chart, 'shared', { namespace: 'edge' });
  for (let i = 0; i < teams; i++) {
    const t = teamSpec(i);
    const scope = new Construct(chart, t.ns);
    // SIMPLE for the web host, MUTUAL (client certificates checked against the Secret's ca.crt) for the API.
    new TlsHost(scope, 'web', { gateway: shared, name: `${t.ns}-web`, hosts: t.tls[0].hosts, credentialName: `${t.ns}-web-cert` });
    new TlsHost(scope, 'api', { gateway: shared, name: `${t.ns}-api`, hosts: t.tls[1].hosts, credentialName: `${t.ns}-api-cert`, mode: TlsMode.MUTUAL, subjectAltNames: [`client.${t.ns}.example.com`] });
    for (const c of t.canaries) {
      new CanaryRoute(scope, c.id, { gateways: [shared], namespace: t.ns, name: c.name, hosts: c.hosts, destination: c.destination, stable: c.stable, canary: c.canary });
    }
  }
}

function buildTenantMix(app: App, teams: number): void {
  const mesh = new Chart(app, 'mesh');
  new TrimmedGatewayConfig(mesh, 'control-plane');
  const chart = new Chart(app, 'teams');
  for (let i = 0; i < teams; i++) {
    const t = teamSpec(i);
    const domain = `${t.ns}.example.com`;
    const scope = new Construct(chart, t.ns);
    const gateway = new TenantGateway(scope, 'edge', {
      ...t.gateway,
      autoscaling: { minReplicas: 2, maxReplicas: 6 },
      disruptionBudget: { minAvailable: 1 },
      networkPolicy: true,
    });
    new TlsHost(scope, 'web', { gateway, hosts: [`web.${domain}`], credentialName: 'web-cert', destination: { host: 'web', port: 8080 } });
    new TlsHost(scope, 'api', { gateway, hosts: [`api.${domain}`], credentialName: 'api-cert', mode: TlsMode.MUTUAL, minProtocolVersion: 'TLSV1_3', destination: { host: 'api', port: 8080 } });
    new TlsHost(scope, 'portal', { gateway, hosts: [`portal.${domain}`], credentialName: 'portal-cert', mode: TlsMode.OPTIONAL_MUTUAL, destination: { host: 'portal', port: 8080 } });
    new TlsHost(scope, 'legacy', { gateway, hosts: [`legacy.${domain}`], mode: TlsMode.PASSTHROUGH, destination: { host: 'legacy', port: 8443 } });
    new TcpGateway(scope, 'ledger', { gateway, port: 7000, destination: { host: 'ledger', port: 7000 } });
    new TcpGateway(scope, 'cache', { gateway, port: 6379, destination: { host: 'cache', port: 6379 } });
    gateway.addHttpHosts([`status.${domain}`]);
    new HttpRoute(scope, 'status', { gateways: [gateway], name: 'status', hosts: [`status.${domain}`], destination: { host: 'status', port: 8080 }, timeout: '5s' });
    new StrictMtls(scope, 'mtls', { namespace: t.ns });
  }
}

function buildIngressPerTeam(app: App, teams: number): void {
  const chart = new Chart(app, 'teams');
  for (let i = 0; i < teams; i++) {
    const t = teamSpec(i);
    const scope = new Construct(chart, t.ns);
    // The team's own Gateway, programming the shared istio-ingressgateway pods: hosts must not
    // repeat across the App's gateways on that workload, and certificates live in istio-system.
    const gateway = new IngressGateway(scope, 'edge', { namespace: t.ns, name: 'edge' });
    new TlsHost(scope, 'web', { gateway, hosts: t.tls[0].hosts, credentialName: `${t.ns}-web-cert`, destination: { host: 'web', port: 8080 } });
    gateway.addHttpHosts(t.tls[1].hosts);
    const c = t.canaries[1];
    new CanaryRoute(scope, c.id, { gateways: [gateway], name: c.name, hosts: c.hosts, destination: c.destination, stable: c.stable, canary: c.canary });
    new StrictMtls(scope, 'mtls', { namespace: t.ns });
  }
}

function buildFlat(app: App, teams: number): void {
  const chart = new Chart(app, 'teams');
  for (let i = 0; i < teams; i++) {
    const t = teamSpec(i);
    const c = t.canaries[0];
    const gateway = new TenantGateway(chart, `${t.ns}-payments`, t.gateway);
    new TlsHost(chart, `${t.ns}-${t.tls[0].id}`, { gateway, hosts: t.tls[0].hosts, credentialName: t.tls[0].credentialName });
    new CanaryRoute(chart, `${t.ns}-${c.id}`, { namespace: t.ns, gateways: [gateway], name: c.name, hosts: c.hosts, destination: c.destination, stable: c.stable, canary: c.canary });
  }
}

export const WARNINGS: string[] = [];

/** Builds the same platform with the Pulumi components; returns every component created. */
export function buildPulumiPlatform(igc: typeof import('../src/pulumi'), teams: number): { urn: import('@pulumi/pulumi').Output<string> }[] {
  const out: { urn: import('@pulumi/pulumi').Output<string> }[] = [];
  out.push(new igc.StrictMtls('mesh-wide'));
  out.push(new igc.TrimmedGatewayConfig('control-plane'));
  for (let i = 0; i < teams; i++) {
    const t = teamSpec(i);
    // Pulumi names are unique per type in a stack, so each carries the team's namespace.
    const gateway = new igc.TenantGateway(`${t.ns}-edge`, t.gateway);
    out.push(gateway);
    for (const h of t.tls) out.push(new igc.TlsHost(`${t.ns}-${h.id}`, { gateway, hosts: h.hosts, credentialName: h.credentialName }));
    out.push(new igc.TlsHost(`${t.ns}-${t.passthrough.id}`, { gateway, hosts: t.passthrough.hosts, mode: t.passthrough.mode, destination: t.passthrough.destination }));
    out.push(new igc.TcpGateway(`${t.ns}-${t.tcp.id}`, { gateway, port: t.tcp.port, destination: t.tcp.destination }));
    for (const c of t.canaries) {
      out.push(new igc.CanaryRoute(`${t.ns}-${c.id}`, { gateways: [gateway], name: c.name, hosts: c.hosts, destination: c.destination, stable: c.stable, canary: c.canary }));
    }
    out.push(new igc.AccessLogPolicy(`${t.ns}-${t.accessLog.id}`, { gateway, filter: t.accessLog.filter }));
  }
  return out;
}
