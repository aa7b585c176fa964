import * as pulumi from '@pulumi/pulumi';
import { App, Chart } from 'cdk8s';
import { expectSameObjects, installMocks, kubeResources, registered, settle, valueOf } from './support/pulumi-mocks';
import * as cdk from '../src';
import * as igc from '../src/pulumi';
import { RenderedObject } from '../src/cdk8s/rendered-object';

installMocks();

/** The same declarations through either front end. */
function declare(api: any, scope: ((id: string) => [any, string]) | undefined) {
  const at = (id: string) => (scope ? scope(id) : [id]);
  const gw = new api.TenantGateway(...at('payments'), { namespace: 'payments', name: 'payments-gw', networkPolicy: true });
  const shared = new api.IngressGateway(...at('shared'), { namespace: 'storefront' });
  shared.addHttpHosts(['store.example.com']);
  new api.TlsHost(...at('shop'), { gateway: gw, hosts: ['shop.payments.example.com'], credentialName: 'shop-cert' });
  new api.TlsHost(...at('legacy'), { gateway: gw, hosts: ['legacy.payments.example.com'], mode: api.TlsMode.PASSTHROUGH, destination: { host: 'legacy', port: 8443 } });
  new api.TcpGateway(...at('ledger'), { gateway: gw, port: 7000, destination: { host: 'ledger', port: 7000 } });
  gw.addHttpHosts(['status.payments.example.com'], { port: 8080 });
  return gw;
}

describe('Pulumi front end', () => {
  let gw: igc.TenantGateway;
  beforeAll(async () => {
    installMocks();
    gw = declare(igc, undefined);
    await settle(igc.PulumiPlatform.current().resources());
  });

  test('registers exactly the objects cdk8s synthesizes, with equal content', () => {
    const app = new App({ outdir: require('os').tmpdir() });
    const chart = new Chart(app, 'parity');
    declare(cdk, (id) => [chart, id] as any);
    const expected = chart.toJson();
    const actual = kubeResources().map((r) => r.inputs);
    const byKey = expectSameObjects(actual, expected);
    // what a later construct adds to an earlier gateway reaches the registered Service
    const svc = byKey.get('v1 Service payments/payments-gw');
    expect(svc.spec.ports.map((p: any) => p.port)).toEqual([15021, 443, 80, 7000, 8080]);
  });

  test('each object is registered with the top-level fields its rendering has (read without rendering it)', () => {
    const apis = igc.PulumiPlatform.current().chart.node.findAll().filter((c): c is RenderedObject => RenderedObject.isRendered(c));
    expect(apis.length).toBeGreaterThan(10);
    for (const api of apis) {
      const rendered = Object.keys(api.renderPlain()).filter((k) => k !== 'apiVersion' && k !== 'kind' && k !== 'metadata');
      expect({ path: api.node.path, keys: api._fieldKeys() }).toEqual({ path: api.node.path, keys: rendered });
    }
    const roleBinding = apis.find((a) => a.kind === 'RoleBinding')!;
    expect(roleBinding._fieldKeys().sort()).toEqual(['roleRef', 'subjects']);
  });

  test('typed resources for core kinds, Istio kinds as their own custom resource types', () => {
    const types = new Map(kubeResources().map((r) => [`${r.inputs.kind} ${r.inputs.metadata.name}`, r.type]));
    expect(types.get('Deployment payments-gw')).toBe('kubernetes:apps/v1:Deployment');
    expect(types.get('Service payments-gw')).toBe('kubernetes:core/v1:Service');
    expect(types.get('ServiceAccount payments-gw')).toBe('kubernetes:core/v1:ServiceAccount');
    expect(types.get('Role payments-gw')).toBe('kubernetes:rbac.authorization.k8s.io/v1:Role');
    expect(types.get('RoleBinding payments-gw')).toBe('kubernetes:rbac.authorization.k8s.io/v1:RoleBinding');
    expect(types.get('HorizontalPodAutoscaler payments-gw')).toBe('kubernetes:autoscaling/v2:HorizontalPodAutoscaler');
    expect(types.get('PodDisruptionBudget payments-gw')).toBe('kubernetes:policy/v1:PodDisruptionBudget');
    expect(types.get('NetworkPolicy payments-gw')).toBe('kubernetes:networking.k8s.io/v1:NetworkPolicy');
    expect(types.get('Gateway payments-gw')).toBe('kubernetes:networking.istio.io/v1:Gateway');
    expect(types.get('VirtualService legacy')).toBe('kubernetes:networking.istio.io/v1:VirtualService');
  });

  test('names and type tokens are pinned: a change here would replace live resources', () => {
    const names = registered.map((r) => `${r.type} ${r.name}`).sort();
    expect(names).toEqual([
      'istio-gateway-constructs:index:IngressGateway shared',
      'istio-gateway-constructs:index:TcpGateway ledger',
      'istio-gateway-constructs:index:TenantGateway payments',
      'istio-gateway-constructs:index:TlsHost legacy',
      'istio-gateway-constructs:index:TlsHost shop',
      'kubernetes:apps/v1:Deployment payments/payments/payments-gw',
      'kubernetes:autoscaling/v2:HorizontalPodAutoscaler payments/payments/payments-gw',
      'kubernetes:core/v1:Service payments/payments/payments-gw',
      'kubernetes:core/v1:ServiceAccount payments/payments/payments-gw',
      'kubernetes:networking.istio.io/v1:Gateway payments/payments/payments-gw',
      'kubernetes:networking.istio.io/v1:Gateway shared/storefront/shared',
      'kubernetes:networking.istio.io/v1:VirtualService ledger/payments/ledger',
      'kubernetes:networking.istio.io/v1:VirtualService legacy/payments/legacy',
      'kubernetes:networking.k8s.io/v1:NetworkPolicy payments/payments/payments-gw',
      'kubernetes:policy/v1:PodDisruptionBudget payments/payments/payments-gw',
      'kubernetes:rbac.authorization.k8s.io/v1:Role payments/payments/payments-gw',
      'kubernetes:rbac.authorization.k8s.io/v1:RoleBinding payments/payments/payments-gw',
    ]);
  });

  test('every child is parented to its component', async () => {
    const urns = await Promise.all(igc.PulumiPlatform.current().resources().map((r) => valueOf(r.urn)));
    for (const urn of urns) expect(urn).toMatch(/::istio-gateway-constructs:index:(TenantGateway|IngressGateway|TlsHost|TcpGateway)\$kubernetes:/);
    expect(await valueOf(gw.deployment!.urn)).toContain('istio-gateway-constructs:index:TenantGateway$kubernetes:apps/v1:Deployment::payments/payments/payments-gw');
  });

  test('address is an Output; the Service and Deployment are exposed', async () => {
    expect(pulumi.Output.isInstance(gw.address)).toBe(true);
    expect(gw.service).toBeInstanceOf(pulumi.CustomResource);
    expect(await valueOf(gw.deployment!.metadata)).toMatchObject({ name: 'payments-gw', namespace: 'payments' });
  });

  test('ordering: ServiceAccount and Role before the Deployment; DestinationRule before its VirtualService', () => {
    const platform = igc.PulumiPlatform.current();
    const deps = platform.optionsOf(gw.deployment!)!.dependsOn as pulumi.Resource[];
    expect(deps).toContain(gw.serviceAccount);
    const byName = (type: string, name: string) => platform.resources().find((r) => (r as any).__pulumiType === type && (r as any).__name === name);
    expect(deps).toContain(byName('kubernetes:rbac.authorization.k8s.io/v1:Role', 'payments/payments/payments-gw'));
    expect(deps).toContain(byName('kubernetes:rbac.authorization.k8s.io/v1:RoleBinding', 'payments/payments/payments-gw'));
  });

  test('construction errors are the library\'s own errors', () => {
    expect(() => new igc.TenantGateway('bad', { namespace: 'Bad_NS' })).toThrow(igc.IstioGatewayError);
    expect(() => new igc.TenantGateway('bad2', { namespace: 'Bad_NS' })).toThrow(/namespace: invalid value "Bad_NS"/);
  });
});

describe('Pulumi component options reach the children', () => {
  test('provider, protect and dependsOn; DestinationRule before VirtualService', async () => {
    installMocks();
    registered.length = 0;
    const k8s = require('@pulumi/kubernetes');
    const provider = new k8s.Provider('cluster-a', {});
    const ns = new k8s.core.v1.Namespace('checkout-ns', { metadata: { name: 'checkout' } });
    const gw = new igc.TenantGateway('checkout-edge', { namespace: 'checkout' }, { provider, protect: true, dependsOn: [ns] });
    gw.addHttpHosts(['checkout.example.com']);
    const canary = new igc.CanaryRoute('checkout', {
      hosts: ['checkout.example.com'], gateways: [gw], destination: { host: 'checkout', port: 8080 },
      stable: { subset: 'v1', labels: { version: 'v1' } }, canary: { subset: 'v2', labels: { version: 'v2' }, weight: 20 },
    }, { provider });
    await settle(igc.PulumiPlatform.current().resources());
    const platform = igc.PulumiPlatform.current();
    const opts = platform.optionsOf(gw.deployment!)!;
    expect(opts.provider).toBe(provider);
    expect(opts.protect).toBe(true);
    expect(opts.dependsOn).toContain(ns);
    expect(opts.parent).toBe(gw);
    expect(platform.optionsOf(canary.virtualService)!.dependsOn).toContain(canary.destinationRule);
    const child = registered.find((r) => r.type === 'kubernetes:apps/v1:Deployment' && r.name === 'checkout-edge/checkout/checkout-edge');
    expect(child?.provider).toMatch(/cluster-a/);
    const vs = registered.find((r) => r.type === 'kubernetes:networking.istio.io/v1:VirtualService')!;
    expect(vs.inputs.spec.http.at(-1).route.map((r: any) => r.weight)).toEqual([80, 20]);
  });

  test('a route declared before its gateway has a server is still created after the Gateway', async () => {
    installMocks();
    registered.length = 0;
    const gw = new igc.TenantGateway('early-edge', { namespace: 'early' });
    const route = new igc.HttpRoute('early', { hosts: ['early.example.com'], gateways: [gw], destination: { host: 'web', port: 80 } });
    gw.addHttpHosts(['early.example.com']); // the Gateway object appears only now
    await igc.PulumiPlatform.current().settled();
    await settle(igc.PulumiPlatform.current().resources());
    const deps = await Promise.all(igc.PulumiPlatform.current().optionsOf(route.virtualService)!.dependsOn as pulumi.Input<pulumi.Resource>[]);
    expect(gw.gateway).toBeInstanceOf(pulumi.CustomResource);
    expect(deps).toContain(gw.gateway);
  });

  test('fromChart registers any cdk8s chart as typed resources', async () => {
    installMocks();
    registered.length = 0;
    const app = new App({ outdir: require('os').tmpdir() });
    const chart = new Chart(app, 'legacy');
    const gw = new cdk.TenantGateway(chart, 'legacy-gw', { namespace: 'legacy' });
    gw.addHttpHosts(['legacy.example.com']);
    const component = igc.fromChart('legacy', chart);
    await settle(Object.values(component.resources));
    expect(Object.keys(component.resources)).toContain('Deployment legacy/legacy-gw');
    const types = registered.filter((r) => r.type.startsWith('kubernetes:')).map((r) => `${r.type} ${r.name}`).sort();
    expect(types).toContain('kubernetes:apps/v1:Deployment legacy/legacy/legacy-gw');
    expect(types).toContain('kubernetes:networking.istio.io/v1:Gateway legacy/legacy/legacy-gw');
    expect(registered.find((r) => r.name === 'legacy')?.type).toBe('istio-gateway-constructs:index:Chart');
  });
});

describe('several programs in one process (as unit tests do)', () => {
  test('each program (each resource monitor) has its own platform: the same declarations twice do not clash', async () => {
    installMocks();
    const first = new igc.TenantGateway('team', { namespace: 'team', name: 'team-gw' });
    first.addHttpHosts(['team.example.com']);
    await igc.PulumiPlatform.current().settled();
    installMocks(); // a second program, as a second test file or an inline Automation API program
    const second = new igc.TenantGateway('team', { namespace: 'team', name: 'team-gw' });
    second.addHttpHosts(['team.example.com']);
    await expect(igc.PulumiPlatform.current().settled()).resolves.toBeUndefined();
    expect(second.construct.node.root).not.toBe(first.construct.node.root);
    expect(second.platform).not.toBe(first.platform);
  });

  test('labels and annotations added through the construct after its component, in the synchronous part, are registered', async () => {
    // Why no field but apiVersion and kind is handed to Pulumi at construction, not even metadata,
    // which our renderers fix at construction: cdk8s's addLabel and friends (and JSON patches)
    // change it until the seal, as they change `cdk8s synth`'s YAML.
    installMocks();
    const gw = new igc.TenantGateway('labelled', { namespace: 'labelled', name: 'labelled-gw' });
    gw.addHttpHosts(['labelled.example.com']);
    gw.construct.deployment!.metadata.addLabel('example.com/cost-center', 'payments');
    gw.construct.service!.metadata.addAnnotation('example.com/owner', 'payments');
    await settle(igc.PulumiPlatform.current().resources());
    const find = (kind: string) => kubeResources().find((r) => r.inputs.kind === kind && r.inputs.metadata.name === 'labelled-gw')!.inputs;
    expect(find('Deployment').metadata.labels).toEqual({
      'app': 'labelled-gw', 'app.kubernetes.io/managed-by': 'istio-gateway-constructs', 'example.com/cost-center': 'payments',
      'gateway.istio-constructs.io/namespace': 'labelled', 'istio': 'labelled-gw',
    });
    expect(find('Service').metadata.annotations).toEqual({ 'example.com/owner': 'payments' });
  });

  test('a late declaration that changes an object already registered is refused at once', async () => {
    installMocks();
    const gw = new igc.TenantGateway('team', { namespace: 'team', name: 'team-gw' });
    gw.addHttpHosts(['team.example.com']);
    await igc.PulumiPlatform.current().settled();
    expect(() => new igc.TlsHost('late', { gateway: gw, hosts: ['late.example.com'], credentialName: 'late-cert' }))
      .toThrow(/already registered with Pulumi when a later declaration changed it/);
  });

  test('a late addHttpHosts on a registered gateway is refused at once too', async () => {
    installMocks();
    const gw = new igc.TenantGateway('team', { namespace: 'team', name: 'team-gw' });
    gw.addHttpHosts(['team.example.com']);
    await igc.PulumiPlatform.current().settled();
    expect(() => gw.addHttpHosts(['late.example.com'], { port: 8080 })).toThrow(/already registered with Pulumi when a later declaration changed it/);
  });
});
