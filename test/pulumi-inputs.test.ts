// Components take pulumi.Inputs for what users get from other resources: a namespace, a Secret's
// name, a Service's name. The objects are rendered with the resolved values, under names that do
// not depend on them, and the App-wide checks run on the resolved values.
import { spawnSync } from 'child_process';
import * as path from 'path';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { installMocks, kubeResources, registered, settle, valueOf } from './support/pulumi-mocks';
import * as igc from '../src/pulumi';

/** Runs test/fixtures/pulumi/refused-input-program.ts in a child process (refused registrations fail the program). */
function refusedProgram(variant: 'clash' | 'invalid' | 'mtls-clash' | 'telemetry-clash' | 'telemetry-namespace' | 'preview-distinct' | 'preview-same') {
  const program = path.join(__dirname, 'fixtures/pulumi/refused-input-program.ts');
  return spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', program, variant], {
    cwd: path.join(__dirname, '..'), encoding: 'utf8', timeout: 60000,
  });
}

function find(kind: string, name: string) {
  return kubeResources().find((r) => r.inputs.kind === kind && r.name === name);
}

describe('Inputs', () => {
  beforeEach(() => { installMocks(); registered.length = 0; });

  test('namespace: ns.metadata.name puts the Deployment in that namespace under a stable name', async () => {
    const ns = new k8s.core.v1.Namespace('payments-ns', { metadata: { name: 'payments' } });
    const gw = new igc.TenantGateway('gw', { namespace: ns.metadata.name, name: 'payments-gw' });
    gw.addHttpHosts(['pay.example.com']);
    await igc.PulumiPlatform.current().settled();
    await settle([gw, ...igc.PulumiPlatform.current().resources()]);
    const deployment = find('Deployment', 'gw/payments-gw');
    expect(deployment?.inputs.metadata).toMatchObject({ name: 'payments-gw', namespace: 'payments' });
    // the selector carries the resolved namespace: what a plain 'payments' would give
    expect(deployment?.inputs.spec.selector.matchLabels['gateway.istio-constructs.io/namespace']).toBe('payments');
    expect(find('RoleBinding', 'gw/payments-gw')?.inputs.subjects[0].namespace).toBe('payments');
    expect(find('Gateway', 'gw/payments-gw')?.inputs.metadata.namespace).toBe('payments');
    expect(JSON.stringify(kubeResources().map((r) => r.inputs))).not.toMatch(/pulumi-input/);
    expect(await valueOf(gw.ids.deployment)).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'payments', name: 'payments-gw' });
    expect(await valueOf(gw.ref)).toBe('payments/payments-gw');
  });

  test('the same program with a plain namespace keeps today\'s names (no replacement for existing stacks)', async () => {
    const gw = new igc.TenantGateway('gw', { namespace: 'payments', name: 'payments-gw' });
    gw.addHttpHosts(['pay.example.com']);
    await settle([gw, ...igc.PulumiPlatform.current().resources()]);
    expect(find('Deployment', 'gw/payments/payments-gw')?.inputs.metadata).toEqual(expect.objectContaining({ name: 'payments-gw', namespace: 'payments' }));
    expect(await valueOf(gw.ref)).toBe('payments/payments-gw');
  });

  test('credentialName and destination host from other resources reach the Gateway and the VirtualService', async () => {
    const secret = new k8s.core.v1.Secret('shop-cert', { metadata: { name: 'shop-cert', namespace: 'shop' }, type: 'kubernetes.io/tls' });
    const svc = new k8s.core.v1.Service('storefront', { metadata: { name: 'storefront', namespace: 'shop' }, spec: { ports: [{ port: 8080 }] } });
    const gw = new igc.TenantGateway('edge', { namespace: 'shop' });
    const tls = new igc.TlsHost('shop', {
      gateway: gw, hosts: ['shop.example.com'], credentialName: secret.metadata.name,
      destination: { host: svc.metadata.name, port: 8080 },
    });
    await igc.PulumiPlatform.current().settled();
    await settle([gw, tls, ...igc.PulumiPlatform.current().resources()]);
    const gateway = find('Gateway', 'edge/shop/edge');
    expect(gateway?.inputs.spec.servers.find((s: any) => s.port.number === 443).tls.credentialName).toBe('shop-cert');
    const vs = find('VirtualService', 'shop/shop/shop');
    expect(vs?.inputs.spec.http[0].route[0].destination.host).toBe('storefront');
    expect(await valueOf(tls.ids.virtualService)).toEqual({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', namespace: 'shop', name: 'shop' });
  });

  test('a route bound to a gateway whose namespace is an Input names the resolved namespace/name', async () => {
    const gw = new igc.TenantGateway('edge', { namespace: pulumi.output('team-a') });
    gw.addHttpHosts(['a.example.com']);
    const route = new igc.HttpRoute('a', { namespace: 'team-a', hosts: ['a.example.com'], gateways: [gw], destination: { host: 'web', port: 80 } });
    await igc.PulumiPlatform.current().settled();
    await settle([gw, route, ...igc.PulumiPlatform.current().resources()]);
    expect(find('VirtualService', 'a/team-a/a')?.inputs.spec.gateways).toEqual(['team-a/edge']);
  });

  test('an object that would be named after an Input (a created Namespace) is refused at construction', () => {
    expect(() => new igc.TenantGateway('created', { namespace: pulumi.output('team'), createNamespace: true }))
      .toThrow(/\[TenantGateway 'created'\] Namespace name: invalid value "\[Output\]"/);
    expect(registered.map((r) => r.name)).not.toContain('created');
  });

  test('an Input where a plain value is needed (names, hosts, ports) is refused at construction', () => {
    expect(() => new igc.TenantGateway('named', { namespace: 'a', name: pulumi.output('edge') as any }))
      .toThrow(/\[TenantGateway 'named'\] name: invalid value "\[Output\]"; a plain value/);
    expect(registered.map((r) => r.name)).not.toContain('named');
  });
});

describe('Inputs unknown at preview', () => {
  test('objects are registered under their stable names with the unknown fields unknown', async () => {
    pulumi.runtime.setMocks({
      newResource(args) {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        // a Namespace named by the engine: its name is not known at preview
        return { id: `${args.name}-id`, state: args.type === 'kubernetes:core/v1:Namespace' ? {} : args.inputs };
      },
      call(args) { return args.inputs; },
    }, 'project', 'stack', true);
    registered.length = 0;
    const ns = new k8s.core.v1.Namespace('auto-named', {});
    const gw = new igc.TenantGateway('gw', { namespace: ns.metadata.name, name: 'edge' });
    gw.addHttpHosts(['x.example.com']);
    await igc.PulumiPlatform.current().settled();
    await settle([gw, ...igc.PulumiPlatform.current().resources()]);
    const names = kubeResources().filter((r) => r.inputs.kind !== 'Namespace').map((r) => `${r.type.split(':')[2]} ${r.name}`).sort();
    expect(names).toEqual([
      'Deployment gw/edge', 'Gateway gw/edge', 'HorizontalPodAutoscaler gw/edge', 'PodDisruptionBudget gw/edge',
      'Role gw/edge', 'RoleBinding gw/edge', 'Service gw/edge', 'ServiceAccount gw/edge',
    ]);
    // the fields that hold the namespace are unknown, as Pulumi shows them in a preview
    expect(find('Deployment', 'gw/edge')?.inputs.metadata).toEqual({ __pulumiUnknown: true });
    expect(JSON.stringify(find('Deployment', 'gw/edge')?.inputs ?? {})).not.toMatch(/pulumi-input/);
  });
});

describe('Inputs the platform refuses once resolved (each a program of its own)', () => {
  test('App-wide checks see the resolved values: two gateways whose Input namespaces resolve alike clash', () => {
    const r = refusedProgram('clash');
    expect(r.stdout).toMatch(/REFUSED IstioGatewayError: [\s\S]*Deployment, .*same\/edge are already emitted by TenantGateway 'pulumi\/TenantGateway\/one'/);
    expect(r.status).not.toBe(0);
  });

  test('an Input that resolves to an invalid value is refused naming the component and the prop', () => {
    const r = refusedProgram('invalid');
    expect(r.stdout).toMatch(/REFUSED IstioGatewayError: \[TenantGateway 'bad-ns'\] namespace: invalid value "Not_A_Namespace"/);
    expect(r.status).not.toBe(0);
  });
});

describe('Inputs in the App-wide checks: unknown values refuse nothing false, resolved values hide nothing real', () => {
  test('two namespace-wide StrictMtls whose namespaces are different Inputs resolving alike are refused, naming the namespace', () => {
    const r = refusedProgram('mtls-clash');
    expect(r.stdout).toMatch(/REFUSED IstioGatewayError: \[StrictMtls 'pulumi\/StrictMtls\/b'\] namespace: invalid value "team"; StrictMtls 'pulumi\/StrictMtls\/a' \(PeerAuthentication team\/strict-a\) is already the policy without a selector in namespace "team"/);
    expect(r.stdout).not.toMatch(/pulumi-input/);
    expect(r.status).not.toBe(0);
  });

  test('two selector-less AccessLogPolicies whose namespaces are different Inputs resolving alike are refused (IST0160)', () => {
    const r = refusedProgram('telemetry-clash');
    expect(r.stdout).toMatch(/REFUSED IstioGatewayError: \[AccessLogPolicy 'pulumi\/AccessLogPolicy\/b'\] namespace: invalid value "team"; AccessLogPolicy 'pulumi\/AccessLogPolicy\/a' \(Telemetry team\/logs-a\) already has no selector in namespace "team"/);
    expect(r.stdout).not.toMatch(/pulumi-input/);
    expect(r.status).not.toBe(0);
  });

  test('preview: gateways named alike in namespaces of two different resources, both unknown, are not the same gateway', () => {
    const r = refusedProgram('preview-distinct');
    expect(r.stdout).toMatch(/^ACCEPTED$/m);
    expect(r.status).toBe(0);
  });

  test('preview: gateways named alike in the namespace of the same unknown Output object are the same gateway, refused already', () => {
    const r = refusedProgram('preview-same');
    expect(r.stdout).toMatch(/REFUSED IstioGatewayError: .*Deployment, .*edge are already emitted by TenantGateway 'pulumi\/TenantGateway\/one'/);
    // the namespace is named for what it is, not by its placeholder
    expect(r.stdout).toMatch(/Gateway \[the Input given as namespace of TenantGateway 'one'\]\/edge are already emitted/);
    expect(r.stdout).not.toMatch(/pulumi-input/);
    expect(r.status).not.toBe(0);
  });

  test('one Output as the namespace of a gateway and of a route bound to it is one namespace: the Gateway admits it once', async () => {
    installMocks(); registered.length = 0;
    const ns = pulumi.output('team');
    const gw = new igc.TenantGateway('edge', { namespace: ns });
    gw.addHttpHosts(['a.example.com']);
    const route = new igc.HttpRoute('a', { namespace: ns, hosts: ['a.example.com'], gateways: [gw], destination: { host: 'web', port: 80 } });
    await igc.PulumiPlatform.current().settled();
    await settle([gw, route, ...igc.PulumiPlatform.current().resources()]);
    expect(find('Gateway', 'edge/edge')?.inputs.spec.servers).toEqual([expect.objectContaining({ hosts: ['team/a.example.com'] })]);
    expect(find('VirtualService', 'a/a')?.inputs.spec.gateways).toEqual(['team/edge']);
  });

  test('two different Inputs resolving to one namespace (a gateway\'s and its route\'s) admit that namespace once', async () => {
    installMocks(); registered.length = 0;
    const gw = new igc.TenantGateway('edge', { namespace: pulumi.output('team') });
    gw.addHttpHosts(['a.example.com']);
    const route = new igc.HttpRoute('a', { namespace: Promise.resolve('team'), hosts: ['a.example.com'], gateways: [gw], destination: { host: 'web', port: 80 } });
    await igc.PulumiPlatform.current().settled();
    await settle([gw, route, ...igc.PulumiPlatform.current().resources()]);
    expect(find('Gateway', 'edge/edge')?.inputs.spec.servers).toEqual([expect.objectContaining({ hosts: ['team/a.example.com'] })]);
  });

  test('an AccessLogPolicy namespace and its gateway\'s from two Outputs of one value: compared once resolved, accepted', async () => {
    installMocks(); registered.length = 0;
    const ns = new k8s.core.v1.Namespace('team', { metadata: { name: 'team' } });
    const gw = new igc.TenantGateway('gw', { namespace: ns.metadata.name });
    gw.addHttpHosts(['a.example.com']);
    // two reads of ns.metadata.name are two Output objects, which cannot be compared when the policy is declared
    const policy = new igc.AccessLogPolicy('logs', { gateway: gw, namespace: ns.metadata.name });
    await igc.PulumiPlatform.current().settled();
    await settle([gw, policy, ...igc.PulumiPlatform.current().resources()]);
    expect(find('Telemetry', 'logs/logs')?.inputs.metadata.namespace).toBe('team');
  });

  test('an AccessLogPolicy namespace that resolves to another namespace than its gateway\'s is refused once resolved', () => {
    const r = refusedProgram('telemetry-namespace');
    expect(r.stdout).toMatch(/REFUSED IstioGatewayError: \[AccessLogPolicy 'logs'\] namespace: invalid value "other"; a Telemetry selector matches pods of its own namespace only, and the pods of gateway 'pulumi\/TenantGateway\/gw' run in "team"/);
    expect(r.status).not.toBe(0);
  });

  test('a check at construction that compares an Input with a plain value says so, naming the Input, never a placeholder', () => {
    installMocks(); registered.length = 0;
    const gw = new igc.TenantGateway('gw', { namespace: 'edge' });
    let refusal: unknown;
    try {
      new igc.TlsHost('t', { gateway: gw, hosts: ['team/c.example.com'], credentialName: 'c', namespace: pulumi.output('team'), destination: { host: 'web', port: 80 } });
    } catch (e) { refusal = e; }
    expect(refusal).toBeInstanceOf(igc.IstioGatewayError);
    const message = (refusal as Error).message;
    expect(message).toMatch(/\[TlsHost 'pulumi\/TlsHost\/t'\] hosts\[0\]: invalid value "team\/c.example.com"; .* is in namespace "\[the Input given as namespace of TlsHost 't'\]"/);
    expect(message).toMatch(/this compares an Input before its value is known/);
    expect(message).not.toMatch(/pulumi-input/);
  });

  test('preview: identities whose namespace is unknown are unknown; the others are known', async () => {
    pulumi.runtime.setMocks({
      newResource: (args) => ({ id: `${args.name}-id`, state: args.type === 'kubernetes:core/v1:Namespace' ? {} : args.inputs }),
      call: (args) => args.inputs,
    }, 'project', 'stack', true);
    const ns = new k8s.core.v1.Namespace('auto-named', {});
    const unknown = new igc.TenantGateway('gw', { namespace: ns.metadata.name, name: 'edge' });
    unknown.addHttpHosts(['x.example.com']);
    const known = new igc.TenantGateway('plain', { namespace: 'plain', name: 'edge' });
    known.addHttpHosts(['y.example.com']);
    await igc.PulumiPlatform.current().settled();
    const isKnown = (o: pulumi.Output<unknown>) => (o as any).isKnown as Promise<boolean>;
    expect(await isKnown(unknown.ids.deployment)).toBe(false);
    expect(await isKnown(known.ids.deployment)).toBe(true);
    expect(await (known.ids.deployment as any).promise()).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'plain', name: 'edge' });
    await settle([unknown, known, ...igc.PulumiPlatform.current().resources()]);
  });
});

describe('gateways another program owns', () => {
  beforeEach(() => { installMocks(); registered.length = 0; });

  test('TenantGateway.fromAttributes with a namespace from another stack: routes bind to namespace/name, nothing of the gateway is registered', async () => {
    const payments = igc.TenantGateway.fromAttributes('payments', { namespace: pulumi.output('payments'), name: 'payments-gw', hosts: ['shop.example.com'] });
    const route = new igc.HttpRoute('shop', { namespace: 'checkout', hosts: ['shop.example.com'], gateways: [payments], destination: { host: 'shop', port: 8080 } });
    const policy = new igc.AccessLogPolicy('edge', { gateway: payments }); // in the gateway's workload namespace, an Input here
    await igc.PulumiPlatform.current().settled();
    await settle([route, policy, ...igc.PulumiPlatform.current().resources()]);
    await Promise.all([route, policy].flatMap((c) => Object.values(c.ids).map(valueOf)));
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r)); // registerOutputs
    expect(find('VirtualService', 'shop/checkout/shop')?.inputs.spec.gateways).toEqual(['payments/payments-gw']);
    expect(kubeResources().map((r) => r.inputs.kind).sort()).toEqual(['Telemetry', 'VirtualService']);
    expect(await valueOf(payments.ref)).toBe('payments/payments-gw');
    expect(registered.map((r) => r.name)).not.toContain('payments');
  });

  test('a Gateway API reference (api: \'gateway-api\') with a namespace from another stack: the route is an HTTPRoute whose parentRef names it', async () => {
    const payments = igc.TenantGateway.fromAttributes('payments', { namespace: pulumi.output('payments'), name: 'payments-gw', hosts: ['shop.example.com'], api: 'gateway-api' });
    const route = new igc.HttpRoute('shop', { namespace: 'checkout', hosts: ['shop.example.com'], gateways: [payments], destination: { host: 'shop', port: 8080 } });
    await igc.PulumiPlatform.current().settled();
    await settle([route, ...igc.PulumiPlatform.current().resources()]);
    await Promise.all(Object.values(route.ids).map(valueOf));
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r)); // registerOutputs
    expect(find('HTTPRoute', 'shop/checkout/shop')?.inputs.spec.parentRefs)
      .toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'payments-gw', namespace: 'payments' }]);
    expect(kubeResources().map((r) => r.inputs.kind).sort()).toEqual(['HTTPRoute']);
  });

  test('servers cannot be added to a reference; with hosts given, a route to another host is refused', async () => {
    const shared = igc.IngressGateway.fromAttributes('shared', { namespace: 'bookinfo', name: 'bookinfo-gateway', hosts: ['bookinfo.example.com'] });
    expect(() => new igc.TlsHost('tls', { gateway: shared as any, hosts: ['x.example.com'], credentialName: 'x' })).toThrow(/this gateway is imported/);
    await igc.PulumiPlatform.current().settled();
    expect(() => new igc.HttpRoute('other', { namespace: 'bookinfo', hosts: ['other.example.com'], gateways: [shared], destination: { host: 'web', port: 80 } }))
      .toThrow(/Gateway bookinfo\/bookinfo-gateway serves none of them/);
  });
});
