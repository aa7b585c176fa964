// Property: for random canary and forward routes on a tenant gateway, the Istio and the Gateway API
// flavours send every request of a grid to the same pods with the same weights, or the Gateway API
// flavour refuses the input (never a silent difference).
import * as fc from 'fast-check';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { CanaryRoute, GatewayApi, HttpMatch, HttpRoute, IstioGatewayError, TenantGateway } from '../src';
import { routeGatewayApi, routeIstio, TestRequest } from './support/request-oracle';
import { FC_SEED } from './support/arbitraries';

const PATHS = ['/', '/api', '/api/v1', '/static', '/static/x.js', '/apix'];
const uriMatch = fc.oneof(
  fc.record({ exact: fc.constantFrom(...PATHS) }).map((uri) => ({ uri })),
  fc.record({ prefix: fc.constantFrom('/api', '/static', '/api/v1', '/') }).map((uri) => ({ uri })),
);
const headerMatch = fc.constantFrom('jason', 'mike').map((v) => ({ headers: { 'end-user': { exact: v } } }));

const scenario = fc.record({
  canaryHosts: fc.uniqueArray(fc.constantFrom('a.example.com', 'b.example.com'), { minLength: 1, maxLength: 2 }),
  match: fc.option(fc.array(uriMatch, { minLength: 1, maxLength: 2 }), { nil: undefined }),
  canaryMatch: fc.option(fc.array(headerMatch, { minLength: 1, maxLength: 2 }), { nil: undefined }),
  weight: fc.integer({ min: 0, max: 100 }),
  forwardHost: fc.option(fc.constantFrom('b.example.com', 'c.example.com'), { nil: undefined }),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function build(api: GatewayApi, s: Scenario): any[] {
  const app = Testing.app();
  const chart = new Chart(app, 'p');
  for (const [name, app_] of [['svc', 'svc'], ['other', 'other']]) {
    new ApiObject(chart, `svc-${name}`, { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'web' }, spec: { selector: { app: app_ }, ports: [{ name: 'http', port: 80 }] } } as any);
  }
  for (const v of ['v1', 'v2']) {
    new ApiObject(chart, `deploy-${v}`, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `svc-${v}`, namespace: 'web' },
      spec: { selector: { matchLabels: { app: 'svc', version: v } }, template: { metadata: { labels: { app: 'svc', version: v } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } } as any);
  }
  const gw = new TenantGateway(chart, 'gw', { namespace: 'web', api });
  gw.addHttpHosts(['a.example.com', 'b.example.com', 'c.example.com']);
  new CanaryRoute(chart, 'canary', {
    gateways: [gw], hosts: s.canaryHosts, destination: { host: 'svc', port: 80 }, match: s.match as HttpMatch[] | undefined,
    stable: { subset: 'v1', labels: { version: 'v1' } },
    canary: { subset: 'v2', labels: { version: 'v2' }, weight: s.weight, match: s.canaryMatch as HttpMatch[] | undefined },
  });
  if (s.forwardHost && !(s.canaryHosts as string[]).includes(s.forwardHost)) {
    new HttpRoute(chart, 'forward', { gateways: [gw], hosts: [s.forwardHost], destination: { host: 'other', port: 80 } });
  }
  return app.charts.flatMap((c) => c.toJson());
}

const requests: TestRequest[] = [];
for (const host of ['a.example.com', 'b.example.com', 'c.example.com', 'd.example.com']) {
  for (const path of PATHS) {
    for (const headers of [undefined, { 'end-user': 'jason' }, { 'end-user': 'mike' }]) requests.push({ gateway: 'web/gw', port: 80, host, path, headers });
  }
}

test('both flavours route a grid of requests alike, or the Gateway API flavour refuses', () => {
  let compared = 0;
  fc.assert(fc.property(scenario, (s) => {
    const istio = build('istio', s);
    let gapi: any[];
    try {
      gapi = build('gateway-api', s);
    } catch (e) {
      // the only accepted difference: a refusal naming why (here, a rule order Gateway API would change)
      expect(e).toBeInstanceOf(IstioGatewayError);
      expect((e as Error).message).toMatch(/Gateway API/);
      return;
    }
    compared++;
    for (const r of requests) expect([r, routeGatewayApi(gapi, r)]).toEqual([r, routeIstio(istio, r)]);
  }), { seed: FC_SEED, numRuns: 60 });
  expect(compared).toBeGreaterThan(20);
});
