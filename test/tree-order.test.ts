// A route lists after the gateway it binds to: when the construct tree alone does not put the
// gateway's objects first, the route's objects get a cdk8s dependency on the gateway. Deciding
// that once listed the common parent's children per route, so a flat chart of N teams (the README's
// way: every construct directly in one chart) was quadratic to build. These tests count those
// listings and hold the decision, taken by creation stamps now, to the full listing's.
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import { CanaryRoute, HttpRoute, IngressGateway, StrictMtls, TenantGateway, TlsHost } from '../src';
import { orderingOf } from '../src/cdk8s/rendered-object';

/** Counts the reads of `scope.node.children` while `fn` runs. */
function childrenReads(scope: IConstruct, fn: () => void): number {
  const node = scope.node;
  let proto: object | null = Object.getPrototypeOf(node);
  let desc: PropertyDescriptor | undefined;
  while (proto && !(desc = Object.getOwnPropertyDescriptor(proto, 'children'))) proto = Object.getPrototypeOf(proto);
  if (!desc?.get) throw new Error('node.children is not a getter in this constructs version');
  const get = desc.get;
  let n = 0;
  Object.defineProperty(node, 'children', { configurable: true, get() { n++; return get.call(this); } });
  try {
    fn();
  } finally {
    delete (node as unknown as Record<string, unknown>).children;
  }
  return n;
}

type Team = (chart: Chart, i: number) => void;

/** The paths of `c`'s cdk8s dependencies (paths: a failing comparison of constructs prints the whole App). */
function deps(c: IConstruct): string[] {
  return c.node.dependencies.map((d) => d.node.path);
}

/** The README's payments team (examples/payments-canary.ts), every construct directly in the chart. */
const payments: Team = (chart, i) => {
  const ns = `payments-${i}`;
  const gw = new TenantGateway(chart, `gw-${i}`, { namespace: ns, name: 'payments-gw' });
  new TlsHost(chart, `shop-${i}`, { gateway: gw, hosts: [`shop.${ns}.example.com`], credentialName: 'shop-cert' });
  new CanaryRoute(chart, `checkout-${i}`, {
    namespace: ns, gateways: [gw], hosts: [`shop.${ns}.example.com`], destination: { host: 'checkout', port: 8080 },
    stable: { subset: 'v1', labels: { version: 'v1' } },
    canary: { subset: 'v2', labels: { version: 'v2' }, weight: 10, match: [{ headers: { 'x-canary': { exact: 'always' } } }] },
  });
};

/** A TlsHost with a destination (its own route), and an HttpRoute made inside that TlsHost. */
const routeInsideOurs: Team = (chart, i) => {
  const ns = `web-${i}`;
  const gw = new IngressGateway(chart, `gw-${i}`, { namespace: ns });
  const host = new TlsHost(chart, `web-${i}`, { gateway: gw, hosts: [`web.${ns}.example.com`], credentialName: 'web-cert', destination: { host: 'web', port: 8080 } });
  new HttpRoute(host, 'api', { gateways: [gw], hosts: [`web.${ns}.example.com`], destination: { host: 'api', port: 8080 } });
};

/** A CanaryRoute and an HttpRoute on a shared IngressGateway, directly in the chart. */
const canaryAndRoute: Team = (chart, i) => {
  const ns = `shop-${i}`;
  const gw = new IngressGateway(chart, `gw-${i}`, { namespace: ns });
  gw.addHttpHosts([`shop.${ns}.example.com`]);
  new CanaryRoute(chart, `canary-${i}`, {
    gateways: [gw], hosts: [`shop.${ns}.example.com`], destination: { host: 'shop', port: 8080 },
    stable: { subset: 'v1', labels: { version: 'v1' } }, canary: { subset: 'v2', labels: { version: 'v2' }, weight: 5 },
  });
  new HttpRoute(chart, `route-${i}`, { gateways: [gw], hosts: [`shop.${ns}.example.com`], destination: { host: 'shop', port: 8080 } });
};

/** The reads of the chart's children while `teams` teams are built directly in it. */
function readsFor(team: Team, teams: number): number {
  const app = Testing.app();
  const chart = new Chart(app, 'flat');
  return childrenReads(chart, () => { for (let i = 0; i < teams; i++) team(chart, i); });
}

describe('a flat chart of N teams lists its children O(1) times, not once per team', () => {
  test.each([['payments', payments], ['a route inside a TlsHost with a destination', routeInsideOurs], ['CanaryRoute and HttpRoute', canaryAndRoute]] as const)(
    '%s', (_name, team) => {
      const few = readsFor(team, 5);
      const many = readsFor(team, 40);
      // Before the stamps every team listed the chart at least once: 40 teams read it 40 times or more.
      expect(many).toBe(few);
      expect(many).toBeLessThan(5);
    });

  test('a route in a user scope of unknown age is decided at synthesis, and still orders the YAML', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'flat');
    const older = new Construct(chart, 'older'); // made before the gateway: only a listing tells
    const gw = new IngressGateway(chart, 'gw', { namespace: 'web' });
    gw.addHttpHosts(['web.example.com']);
    let route!: HttpRoute;
    const reads = childrenReads(chart, () => {
      route = new HttpRoute(older, 'route', { gateways: [gw], hosts: ['web.example.com'], destination: { host: 'web', port: 80 } });
    });
    expect(reads).toBe(0);
    const vs = route.node.findChild('VirtualService');
    expect(deps(vs)).toEqual([]); // not yet: decided at the next synthesis
    const kinds = chart.toJson().map((o: any) => `${o.kind}/${o.metadata.name}`);
    expect(deps(vs)).toContain('flat/gw'); // (cdk8s adds the gateway's objects at synthesis too)
    expect(kinds.indexOf('VirtualService/route')).toBeGreaterThan(kinds.indexOf('Gateway/gw'));
  });
});

/** A team whose route is in a new user scope of the chart: its gateway directly in the chart, or in another new user scope. */
function scopedTeam(gatewayScoped: boolean): Team {
  return (chart, i) => {
    const ns = `team-${i}`;
    const gwScope = gatewayScoped ? new Construct(chart, `${ns}-gateways`) : chart;
    const gw = new IngressGateway(gwScope, `gw-${i}`, { namespace: ns });
    gw.addHttpHosts([`web.${ns}.example.com`]);
    new HttpRoute(new Construct(chart, `${ns}-routes`), 'web', { gateways: [gw], hosts: [`web.${ns}.example.com`], destination: { host: 'web', port: 80 }, namespace: ns });
  };
}

describe('a route in a user scope per team: O(1) listings per team while building, one listing of the chart at synthesis', () => {
  test.each([['gateway directly in the chart', false], ['gateway in a user scope per team too', true]] as const)('%s', (_name, gatewayScoped) => {
    const counts = (teams: number) => {
      const app = Testing.app();
      const chart = new Chart(app, 'flat');
      const build = childrenReads(chart, () => { for (let i = 0; i < teams; i++) scopedTeam(gatewayScoped)(chart, i); });
      // cdk8s reads the chart's children during synthesis too, the same number of times in every
      // synthesis: the second synthesis (nothing left to decide) is what cdk8s alone reads
      const first = childrenReads(chart, () => app.synthYaml());
      const second = childrenReads(chart, () => app.synthYaml());
      const names = chart.toJson().map((o: any) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);
      return { build, atSynthesis: first - second, names };
    };
    const few = counts(5);
    const many = counts(40);
    // Before: each team listed the chart (40 teams read it 40 times or more while building).
    expect(many.build).toBe(few.build);
    expect(many.build).toBeLessThan(5);
    expect(few.atSynthesis).toBeLessThanOrEqual(1);
    expect(many.atSynthesis).toBeLessThanOrEqual(1);
    // and every route lists after its gateway
    for (let i = 0; i < 40; i++) {
      expect(many.names.indexOf(`Gateway/team-${i}/gw-${i}`)).toBeGreaterThan(-1);
      expect(many.names.indexOf(`VirtualService/team-${i}/web`)).toBeGreaterThan(many.names.indexOf(`Gateway/team-${i}/gw-${i}`));
    }
  });

  test('the YAML order in each team: the gateway first', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'flat');
    for (let i = 0; i < 3; i++) scopedTeam(true)(chart, i);
    const names = chart.toJson().map((o: any) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);
    for (let i = 0; i < 3; i++) expect(names.indexOf(`VirtualService/team-${i}/web`)).toBeGreaterThan(names.indexOf(`Gateway/team-${i}/gw-${i}`));
  });
});

describe('pairs decided at synthesis', () => {
  test('a route removed after it was made leaves nothing behind', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'flat');
    const routes = new Construct(chart, 'routes');
    const gw = new IngressGateway(chart, 'gw', { namespace: 'web' });
    gw.addHttpHosts(['web.example.com']);
    const route = new HttpRoute(routes, 'web', { gateways: [gw], hosts: ['web.example.com'], destination: { host: 'web', port: 80 } });
    const vs = route.node.findChild('VirtualService');
    expect(chart.node.tryRemoveChild('routes')).toBe(true);
    const names = chart.toJson().map((o: any) => `${o.kind}/${o.metadata.name}`);
    expect(names).toEqual(['Gateway/gw']);
    expect(deps(vs)).toEqual([]);
  });

  test('a route refused after its order was asked leaves nothing behind', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'flat');
    const routes = new Construct(chart, 'routes');
    const gw = new IngressGateway(chart, 'gw', { namespace: 'web' });
    gw.addHttpHosts(['web.example.com']);
    // refused at the end of its constructor, after completed() asked for its order: it removes itself
    class Refused extends HttpRoute {
      constructor(scope: Construct, id: string) {
        super(scope, id, { gateways: [gw], hosts: ['web.example.com'], destination: { host: 'web', port: 80 } });
        scope.node.tryRemoveChild(id);
        throw new Error('refused');
      }
    }
    let vs: IConstruct | undefined;
    const spy = jest.spyOn(HttpRoute.prototype as any, 'completed').mockImplementation(function (this: HttpRoute) {
      spy.mockRestore();
      (HttpRoute.prototype as any).completed.call(this);
      vs = this.node.findChild('VirtualService');
    });
    expect(() => new Refused(routes, 'web')).toThrow('refused');
    expect((vs as ApiObject).kind).toBe('VirtualService'); // completed() ran, and asked for the order
    expect(chart.toJson().map((o: any) => `${o.kind}/${o.metadata.name}`)).toEqual(['Gateway/gw']);
    expect(deps(vs!)).toEqual([]);
  });

  // The kinds in the order the first synthesis wrote them: the pairs must be decided before cdk8s orders the chart.
  const kindsOf = (yaml: string) => [...yaml.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]);
  test.each([
    ['app.synth()', (app: App) => { app.synth(); return kindsOf(fs.readFileSync(path.join(app.outdir, fs.readdirSync(app.outdir)[0]), 'utf8')); }],
    ['app.synthYaml()', (app: App) => kindsOf(app.synthYaml() as string)],
    ['chart.toJson()', (_app: App, chart: Chart) => chart.toJson().map((o: any) => o.kind as string)],
    ['Testing.synth(chart)', (_app: App, chart: Chart) => Testing.synth(chart).map((o: any) => o.kind as string)],
  ] as const)('%s decides the waiting pairs before cdk8s orders the chart', (_name, synthesize) => {
    const app = Testing.app();
    const chart = new Chart(app, 'flat');
    const routes = new Construct(chart, 'routes'); // older than the gateway: the route needs the dependency
    const gw = new IngressGateway(chart, 'gw', { namespace: 'web' });
    gw.addHttpHosts(['web.example.com']);
    const route = new HttpRoute(routes, 'web', { gateways: [gw], hosts: ['web.example.com'], destination: { host: 'web', port: 80 } });
    const vs = route.node.findChild('VirtualService');
    expect(deps(vs)).toEqual([]);
    expect(synthesize(app, chart)).toEqual(['Gateway', 'VirtualService']);
    expect(deps(vs)).toContain('flat/gw');
  });

  test('what Pulumi orders by (orderingOf) is the same before and after the pair is decided', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'flat');
    const routes = new Construct(chart, 'routes');
    const gw = new IngressGateway(chart, 'gw', { namespace: 'web' });
    gw.addHttpHosts(['web.example.com']);
    const route = new HttpRoute(routes, 'web', { gateways: [gw], hosts: ['web.example.com'], destination: { host: 'web', port: 80 } });
    const vs = route.node.findChild('VirtualService') as ApiObject;
    const paths = () => orderingOf(vs).map((o) => o.node.path);
    const before = paths();
    expect(before).toEqual(['flat/gw/Gateway']); // the gateway's Gateway, from orderAfter
    Testing.synth(chart);
    expect(deps(vs)).toContain('flat/gw');
    expect(paths()).toEqual(before); // the YAML-only dependency is skipped
  });

  test('two syntheses in a row, routes added between them', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'flat');
    const teamRoutes = (i: number) => new Construct(chart, `routes-${i}`);
    const gw = new IngressGateway(chart, 'gw', { namespace: 'web' });
    gw.addHttpHosts(['web.example.com']);
    const early = new Construct(chart, 'early'); // made before the second gateway: it lists before it
    const gw2 = new IngressGateway(chart, 'gw2', { namespace: 'web2' });
    gw2.addHttpHosts(['web2.example.com']);
    const r1 = new HttpRoute(teamRoutes(1), 'a', { gateways: [gw], hosts: ['web.example.com'], destination: { host: 'web', port: 80 } });
    const names1 = chart.toJson().map((o: any) => `${o.kind}/${o.metadata.name}`);
    expect(names1).toEqual(['Gateway/gw', 'Gateway/gw2', 'VirtualService/a']);
    expect(deps(r1.node.findChild('VirtualService'))).toEqual([]);
    const r2 = new HttpRoute(early, 'b', { gateways: [gw2], hosts: ['web2.example.com'], destination: { host: 'web', port: 80 } });
    const r3 = new HttpRoute(teamRoutes(3), 'c', { gateways: [gw2], hosts: ['web2.example.com'], destination: { host: 'web', port: 81 } });
    // a gateway made after that listing, a route in a listed scope: the listing tells at once (the gateway came after)
    const gw3 = new IngressGateway(chart, 'gw3', { namespace: 'web3' });
    gw3.addHttpHosts(['web3.example.com']);
    const r4 = new HttpRoute(early, 'd', { gateways: [gw3], hosts: ['web3.example.com'], destination: { host: 'web', port: 80 } });
    expect(deps(r4.node.findChild('VirtualService'))).toEqual(['flat/gw3']);
    // the first synthesis listed the chart: 'early' is in that listing, so b is decided at once; c waits
    expect(deps(r2.node.findChild('VirtualService'))).toEqual(['flat/gw2']);
    expect(deps(r3.node.findChild('VirtualService'))).toEqual([]);
    const names2 = chart.toJson().map((o: any) => `${o.kind}/${o.metadata.name}`);
    expect(names2).toEqual(['Gateway/gw', 'Gateway/gw2', 'VirtualService/b', 'Gateway/gw3', 'VirtualService/d', 'VirtualService/a', 'VirtualService/c']);
    expect(deps(r2.node.findChild('VirtualService'))).toContain('flat/gw2');
    expect(deps(r3.node.findChild('VirtualService'))).toEqual([]);
    // a third synthesis adds nothing more
    expect(chart.toJson().map((o: any) => `${o.kind}/${o.metadata.name}`)).toEqual(names2);
    expect(deps(r2.node.findChild('VirtualService'))).toContain('flat/gw2');
    expect(deps(r3.node.findChild('VirtualService'))).toEqual([]);
  });
});

describe('the YAML order is the full listing\'s', () => {
  test('array-index ids: a route under "0" made after its gateway lists after it', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'flat');
    const gw = new IngressGateway(chart, 'gw', { namespace: 'web' });
    gw.addHttpHosts(['web.example.com']);
    // '0' is listed before 'gw' by JavaScript although made after it: stamps must not decide this
    new HttpRoute(chart, '0', { gateways: [gw], hosts: ['web.example.com'], destination: { host: 'web', port: 80 } });
    new HttpRoute(chart, '42', { gateways: [gw], hosts: ['web.example.com'], destination: { host: 'web', port: 81 }, name: 'web-42' });
    const names = chart.toJson().map((o: any) => `${o.kind}/${o.metadata.name}`);
    expect(names).toEqual(['Gateway/gw', 'VirtualService/0', 'VirtualService/web-42']);
  });

  test('a gateway under an array-index id, a route directly in the chart', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'flat');
    const route0 = new Construct(chart, 'routes');
    const team = new Construct(chart, '7');
    const gw = new IngressGateway(team, 'gw', { namespace: 'web' });
    gw.addHttpHosts(['web.example.com']);
    new HttpRoute(route0, 'web', { gateways: [gw], hosts: ['web.example.com'], destination: { host: 'web', port: 80 } });
    new HttpRoute(chart, 'direct', { gateways: [gw], hosts: ['web.example.com'], destination: { host: 'web', port: 80 } });
    const names = chart.toJson().map((o: any) => `${o.kind}/${o.metadata.name}`);
    expect(names).toEqual(['Gateway/gw', 'VirtualService/web', 'VirtualService/direct']);
  });

  test('a route inside one of our constructs made before its gateway\'s user scope lists after the gateway', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'flat');
    const mtls = new StrictMtls(chart, 'mtls', { namespace: 'web' }); // ours, older than the gateway
    const team = new Construct(chart, 'team'); // a user scope, younger than mtls
    const gw = new IngressGateway(team, 'gw', { namespace: 'web' });
    gw.addHttpHosts(['web.example.com']);
    new HttpRoute(mtls, 'route', { gateways: [gw], hosts: ['web.example.com'], destination: { host: 'web', port: 80 } });
    const names = chart.toJson().map((o: any) => `${o.kind}/${o.metadata.name}`);
    expect(names.indexOf('VirtualService/route')).toBeGreaterThan(names.indexOf('Gateway/gw'));
  });

  test('a gateway in another chart adds no dependency', () => {
    const app = Testing.app();
    const gws = new Chart(app, 'gateways');
    const routes = new Chart(app, 'routes');
    const gw = new IngressGateway(gws, 'gw', { namespace: 'web' });
    gw.addHttpHosts(['web.example.com']);
    const route = new HttpRoute(routes, 'web', { gateways: [gw], hosts: ['web.example.com'], destination: { host: 'web', port: 80 } });
    const vs = route.node.findAll().find((c): c is ApiObject => c instanceof ApiObject)!;
    expect(deps(vs)).toEqual([]);
  });

  // Random trees: user scopes (some made before the gateways, some with array-index ids), our own
  // constructs as scopes, gateways and routes anywhere, in several charts, in random creation order.
  // After each route, whether its objects depend on the gateway must be exactly what the full
  // listing at that moment says: same chart, and the gateway's subtree not wholly before them.
  interface Step { readonly kind: 'scope' | 'ours' | 'gateway' | 'route' | 'synth'; readonly parent: number; readonly id: number; readonly indexId: boolean; readonly gateway: number }
  const step: fc.Arbitrary<Step> = fc.record({
    kind: fc.constantFrom('scope' as const, 'ours' as const, 'gateway' as const, 'route' as const, 'route' as const, 'synth' as const),
    parent: fc.nat(), id: fc.nat(60), indexId: fc.boolean(), gateway: fc.nat(),
  });

  test('property: the decision, taken at construction or at synthesis, equals the full listing\'s at construction', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 3 }), fc.array(step, { minLength: 1, maxLength: 40 }), (charts, steps) => {
      const app = new App();
      const scopes: Construct[] = [];
      for (let c = 0; c < charts; c++) scopes.push(new Chart(app, `c${c}`));
      const gateways: IngressGateway[] = [];
      // each route object, its gateway, and whether the full listing said it needs the dependency
      const expected: [ApiObject, IngressGateway, boolean][] = [];
      // A route made inside a gateway depends on that gateway, whose objects then include the
      // route's own: cdk8s refuses the cycle (as it always did). The pairs were decided at the
      // start of the synthesis all the same.
      const synthesize = (): string | undefined => {
        try {
          return app.synthYaml() as string;
        } catch (e) {
          if (!/Dependency cycle/.test(String(e))) throw e;
          return undefined;
        }
      };
      let n = 0;
      for (const s of steps) {
        if (s.kind === 'synth') { synthesize(); continue; } // decides what waits; leaves a listing behind
        const parent = scopes[s.parent % scopes.length];
        const id = s.indexId ? String(s.id) : `n${s.id}`;
        if (parent.node.tryFindChild(id)) continue;
        n++;
        if (s.kind === 'scope') scopes.push(new Construct(parent, id));
        else if (s.kind === 'ours') scopes.push(new StrictMtls(parent, id, { namespace: `mtls-${n}` }));
        else if (s.kind === 'gateway') {
          const gw = new IngressGateway(parent, id, { namespace: `gw-${n}` });
          gw.addHttpHosts([`*.gw${gateways.length}.example.com`]);
          gateways.push(gw);
          scopes.push(gw);
        } else {
          if (gateways.length === 0) continue;
          const g = s.gateway % gateways.length;
          const gw = gateways[g];
          const route = new HttpRoute(parent, id, { gateways: [gw], hosts: [`h${n}.gw${g}.example.com`], destination: { host: 'web', port: 80 }, name: `r${n}`, namespace: 'routes' });
          scopes.push(route);
          const order = app.node.findAll();
          for (const o of route.node.findAll()) {
            if (!(o instanceof ApiObject)) continue;
            const sameChart = Chart.of(o) === Chart.of(gw);
            const before = order.indexOf(gw) < order.indexOf(o) && !o.node.scopes.includes(gw);
            const needed = sameChart && !before;
            // decided now or left to the synthesis, never wrong now
            if (!needed) expect(o.node.dependencies.includes(gw)).toBe(false);
            expected.push([o, gw, needed]);
          }
        }
      }
      const yaml = synthesize();
      for (const [o, gw, needed] of expected) {
        expect(o.node.dependencies.includes(gw)).toBe(needed);
        // the YAML lists the route after its gateway's Gateway when both are in one chart
        // Checked where the dependency decides it (a route made inside its own gateway is one of
        // the gateway's objects: no order to check). Where tree order alone decides, another
        // route's dependency can pull this one earlier (a route inside gateway A bound to B, made
        // after B, and a route before A bound to A): known, as before this change, not checked here.
        if (yaml === undefined || !needed || o.node.scopes.includes(gw)) continue;
        const docs = Chart.of(o).toJson().map((x: any) => `${x.kind}/${x.metadata.namespace}/${x.metadata.name}`);
        const gwObj = gw.node.findAll().find((x): x is ApiObject => x instanceof ApiObject && x.kind === 'Gateway');
        if (!gwObj) continue;
        expect(docs.indexOf(`VirtualService/routes/${o.name}`)).toBeGreaterThan(docs.indexOf(`Gateway/${gwObj.metadata.namespace}/${gwObj.name}`));
      }
      return true;
    }), { numRuns: 1000 });
  });
});
