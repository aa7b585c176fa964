// Our objects' JSON is computed without cdk8s's resolver walk when that is provably the same
// (RenderedObject.plainJson): these tests hold it to cdk8s's own path, object by object, and
// check that everything cdk8s lets a user change still applies: custom resolvers, JSON patches,
// metadata.addLabel/addAnnotation, CDK8S_DISABLE_SORT, and values cdk8s resolves (Lazy, tokens).
import { ApiObject, App, Chart, JsonPatch, Lazy, ResolutionContext, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AccessLogPolicy, CanaryRoute, configureSynthAnalysis, HttpRoute, IngressGateway, StrictMtls, TcpGateway, TenantGateway,
  TlsHost, TlsMode, TrimmedGatewayConfig,
} from '../src';
import { RenderedObject } from '../src/cdk8s/rendered-object';
import { find } from './support/synth';

/** A bit of every construct, with maps, lists, numbers and booleans in the rendered objects. */
function platform(app: App): Chart {
  configureSynthAnalysis(app, { warnings: 'silent' });
  const mesh = new Chart(app, 'mesh');
  new StrictMtls(mesh, 'mesh-wide');
  new TrimmedGatewayConfig(mesh, 'control-plane');
  const chart = new Chart(app, 'teams');
  const team = new Construct(chart, 'team-a');
  const gateway = new TenantGateway(team, 'edge', { namespace: 'team-a', name: 'edge' });
  new TlsHost(team, 'web', { gateway, hosts: ['web.team-a.example.com'], credentialName: 'web-cert' });
  new TlsHost(team, 'legacy', { gateway, hosts: ['legacy.team-a.example.com'], mode: TlsMode.PASSTHROUGH, destination: { host: 'legacy', port: 8443 } });
  new TcpGateway(team, 'ledger', { gateway, port: 7000, destination: { host: 'ledger', port: 7000 } });
  new CanaryRoute(team, 'web-canary', {
    gateways: [gateway], name: 'web', hosts: ['web.team-a.example.com'], destination: { host: 'web', port: 8080 },
    stable: { subset: 'stable', labels: { version: 'v1' } },
    canary: { subset: 'canary', labels: { version: 'v2' }, weight: 10, match: [{ headers: { 'x-canary': { exact: 'true' } } }] },
  });
  new AccessLogPolicy(team, 'errors', { gateway, filter: 'response.code >= 400' });
  const shared = new IngressGateway(chart, 'shared', { namespace: 'edge' });
  shared.addHttpHosts(['api.example.com']);
  new HttpRoute(chart, 'api', { gateways: [shared], namespace: 'team-a', name: 'api', hosts: ['api.example.com'], destination: { host: 'api', port: 8080 } });
  return chart;
}

function rendered(app: App): RenderedObject[] {
  return app.node.findAll().filter((c): c is RenderedObject => RenderedObject.isRendered(c));
}

/** cdk8s's own toJson of an object (its resolver walk), without our shortcut. */
function viaCdk8s(o: ApiObject): any {
  return ApiObject.prototype.toJson.call(o);
}

describe('our JSON without the resolver walk is cdk8s\'s JSON', () => {
  test('every object of a platform, key order included', () => {
    const app = Testing.app();
    platform(app);
    const objects = rendered(app);
    expect(objects.length).toBeGreaterThan(15);
    for (const o of objects) {
      const ours = o.toJson();
      expect(JSON.stringify(ours)).toBe(JSON.stringify(viaCdk8s(o)));
    }
  });

  test('metadata changed through cdk8s (labels, annotations, finalizers, owner references) is cdk8s\'s too', () => {
    const app = Testing.app();
    platform(app);
    const objects = rendered(app);
    objects.forEach((o, i) => {
      if (i % 2 === 0) o.metadata.addLabel('z-label', `v${i}`);
      if (i % 3 === 0) o.metadata.addAnnotation('a.example.com/note', 'x');
      if (i % 4 === 0) o.metadata.addFinalizers('example.com/keep');
      if (i % 5 === 0) o.metadata.addOwnerReference({ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: '1234' });
    });
    for (const o of objects) expect(JSON.stringify(o.toJson())).toBe(JSON.stringify(viaCdk8s(o)));
    const labelled = objects[0].toJson();
    expect(labelled.metadata.labels['z-label']).toBe('v0');
    expect(labelled.metadata.finalizers).toEqual(['example.com/keep']);
    expect(labelled.metadata.ownerReferences[0].name).toBe('owner');
    // an object without additions has no empty annotations, finalizers or ownerReferences, as in cdk8s
    const plain = objects[1].toJson();
    expect(plain.metadata.finalizers).toBeUndefined();
    expect(plain.metadata.ownerReferences).toBeUndefined();
  });

  test('metadata attributes added with metadata.add are cdk8s\'s too: one beyond its fields is written, one of its fields is taken from the field', () => {
    const app = Testing.app();
    platform(app);
    const objects = rendered(app);
    objects.forEach((o, i) => {
      if (i % 2 === 0) o.metadata.add('generateName', `gen-${i}-`);
      if (i % 3 === 0) o.metadata.add('name', 'not-the-name');
    });
    for (const o of objects) expect(JSON.stringify(o.toJson())).toBe(JSON.stringify(viaCdk8s(o)));
    expect(objects[0].toJson().metadata.generateName).toBe('gen-0-');
    expect(objects[0].toJson().metadata.name).toBe(objects[0].name);
    expect(objects[1].toJson().metadata.generateName).toBeUndefined();
  });

  test('with CDK8S_DISABLE_SORT the keys keep their rendered order, as in cdk8s', () => {
    const app = Testing.app();
    platform(app);
    const before = process.env.CDK8S_DISABLE_SORT;
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      const o = rendered(app).find((x) => x.kind === 'VirtualService')!;
      const ours = o.toJson();
      expect(JSON.stringify(ours)).toBe(JSON.stringify(viaCdk8s(o)));
      // the rendered order is not sorted (hosts before gateways), so this can tell the two apart
      expect(Object.keys(ours.spec)).toEqual(Object.keys(o.renderPlain().spec as object).filter((k) => (o.renderPlain().spec as any)[k] != null));
    } finally {
      if (before === undefined) delete process.env.CDK8S_DISABLE_SORT;
      else process.env.CDK8S_DISABLE_SORT = before;
    }
  });
});

describe('the props each object hands to cdk8s', () => {
  test('with CDK8S_DISABLE_SORT every object lists apiVersion, kind, metadata, then its rendered fields in the renderer\'s order, in both paths', () => {
    const app = Testing.app();
    platform(app);
    const before = process.env.CDK8S_DISABLE_SORT;
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      const objects = rendered(app);
      const kinds = new Set<string>();
      for (const o of objects) {
        const plain = o.renderPlain() as Record<string, unknown>;
        const fields = Object.keys(plain).filter((k) => k !== 'apiVersion' && k !== 'kind' && k !== 'metadata' && plain[k] != null);
        expect(Object.keys(o.toJson())).toEqual(['apiVersion', 'kind', 'metadata', ...fields]);
        expect(Object.keys(viaCdk8s(o))).toEqual(['apiVersion', 'kind', 'metadata', ...fields]);
        expect(o._fieldKeys()).toEqual(Object.keys(plain).filter((k) => k !== 'apiVersion' && k !== 'kind' && k !== 'metadata'));
        kinds.add(o.kind);
      }
      // two fields whose rendered order is not sorted would tell a reordering apart
      expect(kinds).toContain('RoleBinding');
      const binding = objects.find((o) => o.kind === 'RoleBinding')!;
      expect(Object.keys(binding.toJson()).slice(3)).toEqual(Object.keys(binding.renderPlain()).filter((k) => !['apiVersion', 'kind', 'metadata'].includes(k)));
    } finally {
      if (before === undefined) delete process.env.CDK8S_DISABLE_SORT;
      else process.env.CDK8S_DISABLE_SORT = before;
    }
  });
});

describe('what a user changes through cdk8s still applies', () => {
  test('a custom resolver of the App sees and replaces our values', () => {
    const seen: string[] = [];
    const app = new App({
      outdir: require('os').tmpdir(),
      resolvers: [{
        resolve(ctx: ResolutionContext) {
          if (ctx.value === 'STRICT') { seen.push(ctx.key.join('.')); ctx.replaceValue('PERMISSIVE'); }
        },
      }],
    });
    configureSynthAnalysis(app, { enabled: false });
    const chart = new Chart(app, 'c');
    new StrictMtls(chart, 'mesh-wide');
    new TenantGateway(chart, 'edge', { namespace: 'team-a', name: 'edge' });
    const objects = app.charts.flatMap((c) => c.toJson());
    expect(seen.length).toBeGreaterThan(0);
    expect(JSON.stringify(objects)).not.toContain('STRICT');
    expect(JSON.stringify(objects)).toContain('"PERMISSIVE"');
  });

  test('a JSON patch on one of our objects is applied', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    configureSynthAnalysis(app, { warnings: 'silent' });
    const gateway = new TenantGateway(chart, 'edge', { namespace: 'team-a', name: 'edge' });
    const deployment = gateway.node.findAll().find((c): c is ApiObject => c instanceof ApiObject && c.kind === 'Deployment')!;
    deployment.addJsonPatch(JsonPatch.add('/spec/minReadySeconds', 17));
    const objects = chart.toJson();
    expect(find(objects, 'Deployment', deployment.name, 'team-a').spec.minReadySeconds).toBe(17);
  });

  test('metadata.addLabel and addAnnotation reach our objects', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    configureSynthAnalysis(app, { warnings: 'silent' });
    const gateway = new TenantGateway(chart, 'edge', { namespace: 'team-a', name: 'edge' });
    const service = gateway.node.findAll().find((c): c is ApiObject => c instanceof ApiObject && c.kind === 'Service')!;
    service.metadata.addLabel('cost-center', 'c-42');
    service.metadata.addAnnotation('example.com/owner', 'team-a');
    const out = find(chart.toJson(), 'Service', service.name, 'team-a');
    expect(out.metadata.labels['cost-center']).toBe('c-42');
    expect(out.metadata.annotations['example.com/owner']).toBe('team-a');
  });

  test('a Lazy or a token a user puts into metadata is resolved, as cdk8s does', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    configureSynthAnalysis(app, { warnings: 'silent' });
    const gateway = new TenantGateway(chart, 'edge', { namespace: 'team-a', name: 'edge' });
    const service = gateway.node.findAll().find((c): c is ApiObject => c instanceof ApiObject && c.kind === 'Service')!;
    service.metadata.addAnnotation('lazy', Lazy.any({ produce: () => 'produced' }) as any);
    service.metadata.addAnnotation('token', { resolve: () => 'resolved' } as any);
    const out = find(chart.toJson(), 'Service', service.name, 'team-a');
    expect(out.metadata.annotations.lazy).toBe('produced');
    expect(out.metadata.annotations.token).toBe('resolved');
  });
});
