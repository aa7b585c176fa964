// A RenderedObject reads its identity (apiVersion, kind, metadata, top-level field names) when it
// is declared, from the renderer's identity function when it has one (render/objects.ts `identity`)
// rather than a whole first rendering: these tests hold every object of every construct and
// layout to what its renderer then writes, so an identity that drifts from its renderer fails here.
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AccessLogPolicy, CanaryRoute, HttpRoute, IngressGateway, TcpCanaryRoute, TcpGateway, TenantGateway, TlsHost, TlsMode,
} from '../src';
import { RenderedObject } from '../src/cdk8s/rendered-object';
import { buildCdk8sPlatform, LAYOUTS } from '../bench/platform';

function rendered(app: App): RenderedObject[] {
  return app.node.findAll().filter((c): c is RenderedObject => RenderedObject.isRendered(c));
}

/** What cdk8s keeps from the declaration, against a rendering now: equal identity and field names. */
function declaredAgainstRendering(o: RenderedObject): { declared: object; rendering: object } {
  const r = o.renderPlain();
  const fields = (x: object) => Object.keys(x).filter((k) => k !== 'apiVersion' && k !== 'kind' && k !== 'metadata').sort();
  return {
    declared: { path: o.node.path, apiVersion: o.apiVersion, kind: o.kind, metadata: o.metadata.toJson(), fields: fields((o as any).ownProps) },
    rendering: { path: o.node.path, apiVersion: r.apiVersion, kind: r.kind, metadata: JSON.parse(JSON.stringify(r.metadata)), fields: fields(r) },
  };
}

function expectIdentitiesAgree(app: App): number {
  const objects = rendered(app);
  for (const o of objects) {
    const { declared, rendering } = declaredAgainstRendering(o);
    expect(declared).toEqual(rendering);
  }
  return objects.length;
}

test.each(LAYOUTS)('every object of the %s platform is declared as its renderer writes it', (layout) => {
  const app = new App();
  buildCdk8sPlatform(app, 3, layout);
  const n = expectIdentitiesAgree(app);
  expect(n).toBeGreaterThan(5);
  // and the platform synthesizes (the synth check passes), with every declared object in the YAML
  const docs = app.synthYaml().split(/^---$/m).filter((d) => d.trim() !== '');
  expect(docs.length).toBeGreaterThanOrEqual(n);
});

test('every object kind, with the metadata options that reach it (annotations, labels, routes of each kind)', () => {
  const app = new App();
  const chart = new Chart(app, 'c');
  const team = new Construct(chart, 'team');
  const gw = new TenantGateway(team, 'edge', {
    namespace: 'team', name: 'edge', labels: { tier: 'edge' }, serviceAnnotations: { 'lb.example.com/kind': 'internal' },
    serviceAccountAnnotations: { 'iam.example.com/role': 'edge' }, autoscaling: { minReplicas: 2, maxReplicas: 4 }, networkPolicy: true,
  });
  new TlsHost(team, 'web', { gateway: gw, hosts: ['web.team.example.com'], credentialName: 'web-cert', destination: { host: 'web', port: 8080 } });
  new TlsHost(team, 'legacy', { gateway: gw, hosts: ['legacy.team.example.com'], mode: TlsMode.PASSTHROUGH, destination: { host: 'legacy', port: 8443 } });
  new TcpGateway(team, 'ledger', { gateway: gw, port: 7000, destination: { host: 'ledger', port: 7000 } });
  new TcpCanaryRoute(team, 'db', {
    gateway: gw, port: 5432, destination: { host: 'db', port: 5432 },
    stable: { subset: 'v1', labels: { version: 'v1' } }, canary: { subset: 'v2', labels: { version: 'v2' }, weight: 5 },
  });
  new CanaryRoute(team, 'web-canary', {
    gateways: [gw], name: 'web', hosts: ['web.team.example.com'], destination: { host: 'web', port: 8080 },
    stable: { subset: 'stable', labels: { version: 'v1' } },
    canary: { subset: 'canary', labels: { version: 'v2' }, weight: 10, match: [{ headers: { 'x-canary': { exact: 'true' } } }] },
    trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
  });
  new AccessLogPolicy(team, 'errors', { gateway: gw, filter: 'response.code >= 400' });
  new AccessLogPolicy(chart, 'ns-wide', { namespace: 'other', selector: { app: 'x' } });
  const shared = new IngressGateway(chart, 'shared', { namespace: 'edge' });
  shared.addHttpHosts(['api.example.com']);
  new HttpRoute(chart, 'api', { gateways: [shared], namespace: 'team', name: 'api', hosts: ['api.example.com'], destination: { host: 'api', port: 8080 } });
  new HttpRoute(chart, 'mesh', { namespace: 'team', name: 'mesh-api', hosts: ['api.team.svc.cluster.local'], destination: { host: 'api', port: 8080 } });
  const kinds = new Set(rendered(app).map((o) => o.kind));
  for (const k of ['ServiceAccount', 'Role', 'RoleBinding', 'Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy',
    'Gateway', 'VirtualService', 'DestinationRule', 'Telemetry']) expect(kinds).toContain(k);
  expectIdentitiesAgree(app);
  // the annotations came from the identity, as the renderer writes them
  const service = rendered(app).find((o) => o.kind === 'Service')!;
  expect(service.metadata.toJson().annotations).toEqual({ 'lb.example.com/kind': 'internal' });
  const sa = rendered(app).find((o) => o.kind === 'ServiceAccount')!;
  expect(sa.metadata.toJson().annotations).toEqual({ 'iam.example.com/role': 'edge' });
});
