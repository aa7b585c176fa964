// The benchmark's generated platform: N teams, each with a TenantGateway, three TlsHosts (one
// PASSTHROUGH), a TcpGateway, two CanaryRoutes with header matches and an AccessLogPolicy, plus
// mesh-wide StrictMtls and a TrimmedGatewayConfig. Built once per front end from one team spec,
// so the cdk8s and the Pulumi platforms declare exactly the same things.
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AccessLogPolicy, CanaryRoute, configureSynthAnalysis, HttpRoute, IngressGateway, StrictMtls, TcpGateway, TenantGateway,
  TlsHost, TlsMode, TrimmedGatewayConfig,
} from '../src';

/**
 * How the teams are laid out: the platform in one chart or in a chart per team, or
 * `shared-ingress`, a second platform where every team's hosts are served by one shared
 * IngressGateway (a TlsHost with its route, and a plain-HTTP host with an HttpRoute per team).
 */
export type Layout = 'chart-per-team' | 'one-chart' | 'shared-ingress';

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
  if (layout === 'shared-ingress') {
    buildSharedIngress(app, teams);
    return;
  }
  const mesh = new Chart(app, 'mesh');
  new StrictMtls(mesh, 'mesh-wide');
  new TrimmedGatewayConfig(mesh, 'control-plane');
  const shared = layout === 'one-chart' ? new Chart(app, 'teams') : undefined;
  for (let i = 0; i < teams; i++) {
    const t = teamSpec(i);
    const chart = shared ?? new Chart(app, t.ns);
    const scope = shared ? new Construct(chart, t.ns) : chart;
    const gateway = new TenantGateway(scope, 'edge', t.gateway);
    for (const h of t.tls) new TlsHost(scope, h.id, { gateway, hosts: h.hosts, credentialName: h.credentialName });
    new TlsHost(scope, t.passthrough.id, { gateway, hosts: t.passthrough.hosts, mode: t.passthrough.mode, destination: t.passthrough.destination });
    new TcpGateway(scope, t.tcp.id, { gateway, port: t.tcp.port, destination: t.tcp.destination });
    for (const c of t.canaries) {
      new CanaryRoute(scope, c.id, { gateways: [gateway], name: c.name, hosts: c.hosts, destination: c.destination, stable: c.stable, canary: c.canary });
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
