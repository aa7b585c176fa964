// What a Pulumi program may do after its synchronous part (inside an apply) and when it catches
// a refusal: the same App-wide checks as the rest of the program, and nothing half-registered.
import * as pulumi from '@pulumi/pulumi';
import { installMocks, kubeResources, registered, settle } from './support/pulumi-mocks';
import * as igc from '../src/pulumi';

/** Runs `declare` inside an apply, after the program's synchronous part; resolves with what it threw. */
function lateDeclaration(declare: () => void): Promise<unknown> {
  return new Promise((resolve) => {
    pulumi.output('later').apply((v) => {
      try { declare(); resolve(undefined); } catch (e) { resolve(e); }
      return v;
    });
  });
}

describe('declarations after the synchronous part of the program', () => {
  beforeEach(() => { installMocks(); registered.length = 0; });

  test('a TenantGateway with the namespace/name of an existing one, declared in an apply, is refused and registers nothing', async () => {
    const first = new igc.TenantGateway('payments', { namespace: 'payments', name: 'edge' });
    first.addHttpHosts(['pay.example.com']);
    await settle([first, ...igc.PulumiPlatform.current().resources()]);
    const before = registered.length;
    const error = await lateDeclaration(() => new igc.TenantGateway('payments-again', { namespace: 'payments', name: 'edge' }));
    expect(error).toBeInstanceOf(igc.IstioGatewayError);
    expect((error as Error).message).toMatch(/Deployment, .*payments\/edge are already emitted by TenantGateway 'pulumi\/TenantGateway\/payments'/);
    await new Promise((r) => setImmediate(r));
    expect(registered.slice(before).map((r) => r.name)).toEqual([]);
    expect(igc.PulumiPlatform.current().chart.node.tryFindChild('TenantGateway')!.node.tryFindChild('payments-again')).toBeUndefined();
    // the program goes on: a later, valid declaration is registered and sealed
    const other = await lateDeclaration(() => new igc.TenantGateway('refunds', { namespace: 'refunds', name: 'edge' }).addHttpHosts(['refunds.example.com']));
    expect(other).toBeUndefined();
    await expect(igc.PulumiPlatform.current().settled()).resolves.toBeUndefined();
    await settle(igc.PulumiPlatform.current().resources());
    expect(kubeResources().filter((r) => r.inputs.kind === 'Deployment').map((r) => r.name).sort()).toEqual(['payments/payments/edge', 'refunds/refunds/edge']);
  });

  test('the same construct name twice in one program is the library\'s own error', async () => {
    const once = new igc.TenantGateway('twice', { namespace: 'a' });
    expect(() => new igc.TenantGateway('twice', { namespace: 'b' })).toThrow(igc.IstioGatewayError);
    expect(() => new igc.TenantGateway('twice', { namespace: 'b' })).toThrow(/already has a TenantGateway named "twice"/);
    await settle([once, ...igc.PulumiPlatform.current().resources()]);
  });
});

describe('a refusal the program catches', () => {
  beforeEach(() => { installMocks(); registered.length = 0; });

  test('leaves no component, no construct and no objects behind', async () => {
    const good = new igc.TenantGateway('good', { namespace: 'shop' });
    good.addHttpHosts(['shop.example.com']);
    let caught: unknown;
    try {
      new igc.TenantGateway('bad', { namespace: 'Bad_NS' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(igc.IstioGatewayError);
    try {
      new igc.TlsHost('bad-tls', { gateway: good, hosts: ['tls.shop.example.com'] }); // SIMPLE without credentialName
    } catch (e) {
      expect(e).toBeInstanceOf(igc.IstioGatewayError);
    }
    await settle(igc.PulumiPlatform.current().resources());
    await igc.PulumiPlatform.current().settled();
    const names = registered.map((r) => r.name);
    expect(names).not.toContain('bad');
    expect(names).not.toContain('bad-tls');
    expect(registered.filter((r) => r.type.startsWith('istio-gateway-constructs:')).map((r) => r.name)).toEqual(['good']);
    expect(igc.PulumiPlatform.current().chart.node.findAll().map((c) => c.node.path)).not.toContain('pulumi/TenantGateway/bad');
  });

  test('the Inputs of a refused declaration are neither awaited nor checked', async () => {
    const good = new igc.TenantGateway('good', { namespace: 'shop' });
    good.addHttpHosts(['shop.example.com']);
    expect(() => new igc.TenantGateway('bad', { namespace: pulumi.output('Not_A_Namespace'), name: 'Bad Name' })).toThrow(igc.IstioGatewayError);
    await expect(igc.PulumiPlatform.current().settled()).resolves.toBeUndefined();
    await settle([good, ...igc.PulumiPlatform.current().resources()]);
  });
});
