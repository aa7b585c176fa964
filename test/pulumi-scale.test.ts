// The Pulumi bridge stays linear in the size of the platform: declaring a component registers
// the objects its constructs just created, without walking the whole construct tree, and the
// App-wide check runs once per batch of declarations. Objects added to a component's construct
// by hand are still registered.
import * as pulumi from '@pulumi/pulumi';
import { ApiObject, App, Chart } from 'cdk8s';
import { Node } from 'constructs';
import { installMocks, kubeResources, registered, settle, valueOf } from './support/pulumi-mocks';
import * as analysis from '../src/analysis';
import * as igc from '../src/pulumi';

installMocks();

describe('Pulumi bridge at scale', () => {
  test('declaring components walks no construct tree; the seal walks it once and analyzes once', async () => {
    installMocks();
    registered.length = 0;
    const findAll = jest.spyOn(Node.prototype, 'findAll');
    const analyze = jest.spyOn(analysis, 'analyze');
    try {
      for (let i = 0; i < 20; i++) {
        const gateway = new igc.TenantGateway(`team-${i}-edge`, { namespace: `team-${i}` });
        new igc.TlsHost(`team-${i}-web`, { gateway, hosts: [`web.team-${i}.example.com`], credentialName: 'web-cert', destination: { host: 'web', port: 8080 } });
        new igc.TcpGateway(`team-${i}-ledger`, { gateway, port: 7000, destination: { host: 'ledger', port: 7000 } });
      }
      const platformWalks = () => findAll.mock.contexts.filter((n) => n === igc.PulumiPlatform.current().chart.node).length;
      expect(platformWalks()).toBe(0);
      await settle(igc.PulumiPlatform.current().resources());
      expect(platformWalks()).toBe(1);
      expect(analyze).toHaveBeenCalledTimes(1);
    } finally {
      findAll.mockRestore();
      analyze.mockRestore();
    }
    // 8 per gateway (Deployment, Service, ServiceAccount, Role, RoleBinding, HPA, PDB, Gateway) and 2 VirtualServices
    expect(kubeResources()).toHaveLength(20 * 10);
  });

  test('a plain ApiObject added to a component\'s construct is registered under that component', async () => {
    installMocks();
    registered.length = 0;
    const gateway = new igc.TenantGateway('shop-edge', { namespace: 'shop' });
    gateway.addHttpHosts(['shop.example.com']);
    new ApiObject(gateway.construct, 'Extra', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shop-edge-extra', namespace: 'shop' }, data: { a: 'b' } });
    await settle(igc.PulumiPlatform.current().resources());
    const extra = kubeResources().find((r) => r.inputs.kind === 'ConfigMap');
    expect(extra?.name).toBe('shop-edge/shop/shop-edge-extra');
    expect(extra?.inputs.data).toEqual({ a: 'b' });
  });

  test('a component and its child resources are constructed one frame below the program (the component\'s constructor): Pulumi captures and sends the whole stack per resource', () => {
    installMocks();
    // Pulumi reads the call stack (with no depth limit) in every Resource constructor, and parses
    // and sends every frame with the registration: each frame of ours in between is paid per resource.
    const stacks: string[] = [];
    // (Resource.callsites is Pulumi's, left out of its type declarations.)
    const callsites = jest.spyOn(pulumi.Resource as unknown as { callsites(): unknown[] }, 'callsites').mockImplementation(() => {
      stacks.push(new Error().stack ?? '');
      return [];
    });
    try {
      function program() { return new igc.TenantGateway('gw', { namespace: 'team' }); }
      program();
    } finally {
      callsites.mockRestore();
    }
    const frames = stacks.map((s) => s.split('\n').slice(1).map((l) => l.trim().replace(/^at /, '').replace(/ \(.*$/, '')));
    const deployment = frames.find((f) => f.includes('new Deployment')) ?? [];
    expect(deployment).toContain('new Deployment');
    const between = deployment.slice(deployment.indexOf('new Deployment') + 1, deployment.indexOf('program'));
    expect(between).toEqual(['new TenantGateway']);
    // The component itself likewise: no constructor of ours between Pulumi's and the program's.
    const component = frames.find((f) => f.includes('new ComponentResource')) ?? [];
    expect(component.slice(component.indexOf('new ComponentResource') + 1, component.indexOf('program'))).toEqual(['new TenantGateway']);
  });

  test('each component (and fromChart\'s) registers its outputs once, with none, after the program\'s synchronous part (Pulumi\'s own call, not one per constructor)', async () => {
    installMocks();
    registered.length = 0;
    // Every RegisterResourceOutputs request the engine gets, and which components asked while the program ran.
    const monitor = pulumi.runtime.getMonitor() as any;
    const original = monitor.registerResourceOutputs.bind(monitor);
    const requests: { urn: string; outputs: unknown }[] = [];
    let programRunning = true;
    const duringProgram: string[] = [];
    const real = pulumi.ComponentResource.prototype as any;
    const registerOutputs = real.registerOutputs;
    real.registerOutputs = function (this: any, ...args: unknown[]) {
      if (programRunning) duringProgram.push(this.__name);
      return registerOutputs.apply(this, args);
    };
    monitor.registerResourceOutputs = (req: any, callback: (err: unknown, resp: unknown) => void) => {
      requests.push({ urn: req.getUrn(), outputs: req.getOutputs()?.toJavaScript() });
      return original(req, callback);
    };
    try {
      const gateway = new igc.TenantGateway('shop-edge', { namespace: 'shop' });
      const host = new igc.TlsHost('shop-web', { gateway, hosts: ['web.shop.example.com'], credentialName: 'web-cert', destination: { host: 'web', port: 8080 } });
      const chart = new Chart(new App(), 'legacy');
      new ApiObject(chart, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' } });
      const legacy = igc.fromChart('legacy', chart);
      programRunning = false;
      await settle([gateway, host, legacy, ...Object.values(legacy.resources), ...igc.PulumiPlatform.current().resources()]);
      await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
      expect(duringProgram).toEqual([]);
      const urns = await Promise.all([gateway, host, legacy].map((c) => valueOf(c.urn)));
      expect(requests.map((r) => r.urn).sort()).toEqual([...urns].sort());
      for (const r of requests) expect(r.outputs).toEqual({});
    } finally {
      real.registerOutputs = registerOutputs;
      monitor.registerResourceOutputs = original;
    }
  });
});
