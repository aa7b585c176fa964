import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { CanaryRoute, HttpRoute, IstioGatewayError, TcpGateway, TenantGateway } from '../src';
import { all, errorOf, find, synth } from './support/synth';

function shopChart(): Chart {
  return new Chart(Testing.app(), 'test', { namespace: 'shop' });
}

function reviews(chart: Chart, ports: number[] = [9080]): kplus.Service {
  return new kplus.Service(chart, 'reviews-svc', {
    metadata: { name: 'reviews' },
    selector: kplus.Pods.select(chart, 'reviews-pods', { labels: { app: 'reviews' } }),
    ports: ports.map((port) => ({ port, name: `p${port}` })),
  });
}

describe('cdk8s-plus interop: destination.service', () => {
  test('a kplus.Service as destination yields its host (fully qualified in its namespace) and its only port', () => {
    const chart = shopChart();
    const svc = reviews(chart);
    const route = new HttpRoute(chart, 'reviews', { hosts: ['reviews'], destination: { service: svc } });
    expect(route.destination).toEqual({ host: 'reviews.shop.svc.cluster.local', port: 9080 });
    const vs = find(synth(chart), 'VirtualService', 'reviews', 'shop');
    expect(vs.spec.http[0].route).toEqual([{ destination: { host: 'reviews.shop.svc.cluster.local', port: { number: 9080 } } }]);
  });

  test('a plain Service ApiObject works as well, and a short host when it has no namespace', () => {
    const chart = new Chart(Testing.app(), 'test');
    const svc = new ApiObject(chart, 'echo-svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'tcp-echo' }, spec: { ports: [{ port: 9000 }], selector: { app: 'tcp-echo' } } });
    const gw = new TenantGateway(chart, 'gw', { namespace: 'team-a' });
    new TcpGateway(chart, 'echo', { gateway: gw, port: 31400, destination: { service: svc } });
    const vs = all(synth(chart), 'VirtualService').find((o) => o.spec.tcp);
    expect(vs.spec.tcp[0].route).toEqual([{ destination: { host: 'tcp-echo', port: { number: 9000 } } }]);
  });

  test('with several ports: a given port must be one of them; the port stays required where a route needs one', () => {
    const chart = shopChart();
    const svc = reviews(chart, [9080, 9443]);
    const ok = new HttpRoute(chart, 'a', { hosts: ['reviews'], destination: { service: svc, port: 9443 } });
    expect(ok.destination).toEqual({ host: 'reviews.shop.svc.cluster.local', port: 9443 });
    const bad = errorOf(() => new HttpRoute(chart, 'b', { hosts: ['reviews'], destination: { service: svc, port: 8080 } }));
    expect(bad).toBeInstanceOf(IstioGatewayError);
    expect(bad.message).toContain('destination.port');
    expect(bad.message).toContain('9080, 9443');
    const gw = new TenantGateway(chart, 'gw', { namespace: 'team-a' });
    const tcp = errorOf(() => new TcpGateway(chart, 'tcp', { gateway: gw, port: 31400, destination: { service: svc } }));
    expect(tcp).toBeInstanceOf(IstioGatewayError);
    expect(tcp.message).toContain('destination.port');
  });

  test('refuses host and service together, and a construct that is not a Service', () => {
    const chart = shopChart();
    const svc = reviews(chart);
    const both = errorOf(() => new HttpRoute(chart, 'a', { hosts: ['reviews'], destination: { service: svc, host: 'reviews' } }));
    expect(both).toBeInstanceOf(IstioGatewayError);
    expect(both.message).toContain('destination.host');
    const cm = new kplus.ConfigMap(chart, 'cm');
    const notService = errorOf(() => new HttpRoute(chart, 'b', { hosts: ['reviews'], destination: { service: cm } }));
    expect(notService).toBeInstanceOf(IstioGatewayError);
    expect(notService.message).toContain('destination.service');
    expect(notService.message).toContain('ConfigMap');
  });
});

describe('cdk8s-plus interop: canary subsets from kplus.Deployment', () => {
  function deployment(chart: Chart, id: string, version: string, select = true): kplus.Deployment {
    return new kplus.Deployment(chart, id, {
      select,
      podMetadata: { labels: { app: 'reviews', version } },
      containers: [{ image: `reviews:${version}`, portNumber: 9080, securityContext: { ensureNonRoot: false } }],
    });
  }

  test('subset labels are the pod template labels of each Deployment', () => {
    const chart = shopChart();
    const svc = reviews(chart);
    const v1 = deployment(chart, 'v1', 'v1', false);
    const v2 = deployment(chart, 'v2', 'v2', false);
    new CanaryRoute(chart, 'reviews', {
      hosts: ['reviews'], destination: { service: svc },
      stable: { subset: 'v1', workload: v1 }, canary: { subset: 'v2', workload: v2, weight: 10 },
    });
    const dr = find(synth(chart), 'DestinationRule', 'reviews', 'shop');
    expect(dr.spec.subsets).toEqual([
      { name: 'v1', labels: { app: 'reviews', version: 'v1' } },
      { name: 'v2', labels: { app: 'reviews', version: 'v2' } },
    ]);
  });

  test('refused when the two workloads\' pod labels cannot tell the subsets apart', () => {
    const chart = shopChart();
    const svc = reviews(chart);
    const a = deployment(chart, 'a', 'v1', false);
    const b = deployment(chart, 'b', 'v1', false);
    const e = errorOf(() => new CanaryRoute(chart, 'reviews', {
      hosts: ['reviews'], destination: { service: svc },
      stable: { subset: 'v1', workload: a }, canary: { subset: 'v2', workload: b, weight: 10 },
    }));
    expect(e).toBeInstanceOf(IstioGatewayError);
    expect(e.message).toContain('canary.workload');
  });
});

describe('cdk8s-plus interop: TenantGateway as IPodSelector', () => {
  test('a kplus.NetworkPolicy selecting a TenantGateway selects exactly its pods, in its namespace', () => {
    const chart = new Chart(Testing.app(), 'test');
    const gw = new TenantGateway(chart, 'payments', { namespace: 'payments', name: 'payments-gw' });
    new TenantGateway(chart, 'orders', { namespace: 'orders', name: 'orders-gw' });
    new kplus.NetworkPolicy(chart, 'np', { selector: gw, ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY } });
    const objects = synth(chart);
    const np = all(objects, 'NetworkPolicy').find((o) => o.metadata.name.startsWith('test-np'));
    expect(np.metadata.namespace).toBe('payments');
    const deployment = find(objects, 'Deployment', 'payments-gw', 'payments');
    expect(np.spec.podSelector).toEqual({ matchLabels: gw.selectorLabels });
    // selects its pods ...
    const podLabels = deployment.spec.template.metadata.labels;
    for (const [k, v] of Object.entries(np.spec.podSelector.matchLabels)) expect(podLabels[k]).toBe(v);
    // ... and no other gateway's pods
    const other = find(objects, 'Deployment', 'orders-gw', 'orders').spec.template.metadata.labels;
    expect(Object.entries(np.spec.podSelector.matchLabels).every(([k, v]) => other[k] === v)).toBe(false);
  });
});

describe('cdk8s-plus interop: TenantGateway as INetworkPolicyPeer', () => {
  test('an ingress rule from a TenantGateway admits exactly its pods, in its namespace', () => {
    const chart = new Chart(Testing.app(), 'test');
    const gw = new TenantGateway(chart, 'payments', { namespace: 'payments', name: 'payments-gw' });
    const backend = kplus.Pods.select(chart, 'backend', { labels: { app: 'checkout' } });
    const policy = new kplus.NetworkPolicy(chart, 'from-gateway', { selector: backend, metadata: { namespace: 'checkout' } });
    policy.addIngressRule(gw, [kplus.NetworkPolicyPort.tcp(8080)]);
    const np = all(synth(chart), 'NetworkPolicy').find((o) => o.metadata.name.startsWith('test-from-gateway'));
    expect(np.spec.ingress).toEqual([{
      from: [{ podSelector: { matchLabels: gw.selectorLabels }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } } }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    }]);
  });
});

describe('cdk8s-plus-28 is optional', () => {
  test('the root entry loads and renders when cdk8s-plus-28 cannot be required; the pod selector falls back to a plain object', () => {
    jest.isolateModules(() => {
      jest.doMock('cdk8s-plus-28', () => { throw new Error('Cannot find module \'cdk8s-plus-28\''); });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const lib = require('../src') as typeof import('../src');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const cdk8s = require('cdk8s') as typeof import('cdk8s');
      const chart = new cdk8s.Chart(cdk8s.Testing.app(), 'test');
      const gw = new lib.TenantGateway(chart, 'payments', { namespace: 'payments', name: 'payments-gw' });
      const svc = new cdk8s.ApiObject(chart, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'payments' }, spec: { ports: [{ port: 80 }] } });
      const route = new lib.HttpRoute(chart, 'web', { hosts: ['web'], destination: { service: svc } });
      expect(route.destination).toEqual({ host: 'web.payments.svc.cluster.local', port: 80 });
      const config = gw.toPodSelectorConfig();
      expect(config.namespaces).toEqual({ names: ['payments'] });
      expect(config.labelSelector._toKube()).toEqual({ matchLabels: gw.selectorLabels });
      expect(chart.toJson().length).toBeGreaterThan(0);
    });
    jest.dontMock('cdk8s-plus-28');
  });
});
