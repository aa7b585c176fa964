// What a route's destination is declared as to the synth-time analysis: a Service for a dot-less
// name (in the route's namespace) or a full cluster name of exactly five labels, else a ServiceEntry.
import { externalDestination } from '../src/cdk8s/externals';

describe('externalDestination', () => {
  const what = (host: string) => {
    const o = externalDestination(host, 8080, 'routes') as any;
    return `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`;
  };

  test.each([
    ['web', 'Service routes/web'],
    ['web.shop.svc.cluster.local', 'Service shop/web'],
    ['a..svc.cluster.local', 'Service /a'],
    // Istio takes every other host literally
    ['web.shop', 'ServiceEntry routes/external-web-shop'],
    ['web.svc.cluster.local', 'ServiceEntry routes/external-web-svc-cluster-local'],
    ['x.web.shop.svc.cluster.local', 'ServiceEntry routes/external-x-web-shop-svc-cluster-local'],
    ['.svc.cluster.local', 'ServiceEntry routes/external--svc-cluster-local'],
    ['web.shop.svc.cluster.localx', 'ServiceEntry routes/external-web-shop-svc-cluster-localx'],
    ['api.example.com', 'ServiceEntry routes/external-api-example-com'],
  ])('%s is declared as %s', (host, expected) => {
    expect(what(host)).toBe(expected);
  });

  test('a Service declares the port (none without one); a ServiceEntry the host and port', () => {
    expect(externalDestination('web', 8080, 'routes')).toEqual({
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'routes' },
      spec: { ports: [{ name: 'tcp-8080', port: 8080, protocol: 'TCP', targetPort: 8080 }] },
    });
    expect((externalDestination('web', undefined, 'routes') as any).spec.ports).toEqual([]);
    expect((externalDestination('api.example.com', 443, 'routes') as any).spec).toEqual({
      hosts: ['api.example.com'], ports: [{ number: 443, name: 'tcp-443', protocol: 'TCP' }], resolution: 'DNS', location: 'MESH_EXTERNAL',
    });
  });
});
