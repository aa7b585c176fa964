import { analyze, Diagnostic } from '../src/analysis';
import {
  deployment, EXPIRED_CERT_PEM, gateway, Obj, pod, server, service, sharedIngress, tlsSecret, VALID_CERT_PEM, validTlsSecret,
} from './fixtures/analysis/builders';

const codes = (ds: Diagnostic[]): string[] => ds.map((d) => `${d.code} ${d.origin}`).sort();
const run = (analyzer: string, objects: Obj[], opts: { external?: Obj[]; now?: Date } = {}): Diagnostic[] =>
  analyze(objects, { analyzers: [analyzer], ...opts });

describe('gateway.IngressGatewayPortAnalyzer', () => {
  const A = 'gateway.IngressGatewayPortAnalyzer';

  test('a selector that matches no workload is IST0101, and ports are then not checked', () => {
    const ds = run(A, [...sharedIngress(), gateway('gw', 'apps', { istio: 'typo' }, [server(1234, ['*'])])]);
    expect(codes(ds)).toEqual(['IST0101 Gateway apps/gw']);
    expect(ds[0].message).toContain('Referenced selector not found: "istio=typo"');
    expect(ds[0].level).toBe('Error');
  });

  test('a port that is neither port nor targetPort of a selecting TCP Service is IST0162', () => {
    const ds = run(A, [...sharedIngress(), gateway('gw', 'apps', { istio: 'ingressgateway' }, [
      server(80, ['a']), server(8443, ['b']), server(9000, ['c']),
    ])]);
    expect(codes(ds)).toEqual(['IST0162 Gateway apps/gw']);
    expect(ds[0]).toMatchObject({ name: 'GatewayPortNotDefinedOnService', level: 'Warning' });
    expect(ds[0].message).toContain('(port 9000)');
    expect(ds[0].message).toContain('Pod selector istio=ingressgateway');
  });

  test('a selector-less Gateway is answered from its own analysis, whichever analyses came before', () => {
    // An empty selector selects every workload: with a Pod (and no Service) its port is IST0162,
    // without one the selector matches nothing (IST0101). A cache keyed by one shared empty
    // selector answered the second call with the first call's workloads.
    const gw = gateway('gw', 'apps', undefined, [server(80, ['*'])]);
    const p = pod('p', 'apps', { app: 'x' });
    const withPod = ['IST0162 Gateway apps/gw'];
    const without = ['IST0101 Gateway apps/gw'];
    expect([codes(run(A, [gw, p])), codes(run(A, [gw])), codes(run(A, [gw, p]))]).toEqual([withPod, without, withPod]);
  });

  test('the same input objects changed between two analyses are read as they are now', () => {
    // Labels and selectors are read from the input objects themselves (not copied) when they hold
    // only strings: nothing may be kept for them from one analysis to the next.
    const gw = gateway('gw', 'apps', { app: 'edge' }, [server(80, ['*'])]);
    const p = pod('p', 'apps', { app: 'edge' });
    const svc = service('edge', 'apps', { app: 'edge' }, [{ port: 80 }]);
    expect(codes(run(A, [gw, p, svc]))).toEqual([]);
    (gw as any).spec.selector.app = 'other';
    expect(codes(run(A, [gw, p, svc]))).toEqual(['IST0101 Gateway apps/gw']);
    (p as any).metadata.labels.app = 'other';
    expect(codes(run(A, [gw, p, svc]))).toEqual(['IST0162 Gateway apps/gw']);
    (svc as any).spec.selector.app = 'other';
    expect(codes(run(A, [gw, p, svc]))).toEqual([]);
  });

  test('pod templates of Deployments, StatefulSets, DaemonSets and ReplicaSets are workloads', () => {
    for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']) {
      const ds = run(A, [
        deployment('gw', 'edge', { app: 'edge' }, kind),
        service('gw', 'edge', { app: 'edge' }, [{ port: 443, protocol: 'TCP' }]),
        gateway('gw', 'edge', { app: 'edge' }, [server(443, ['*'])]),
      ]);
      expect({ kind, found: codes(ds) }).toEqual({ kind, found: [] });
    }
  });

  test('Services count only in the workload namespace, only with TCP (or omitted) protocol', () => {
    const base = [pod('p', 'edge', { app: 'edge' })];
    const gw = gateway('gw', 'edge', { app: 'edge' }, [server(53, ['*'])]);
    expect(codes(run(A, [...base, gw, service('s', 'other', { app: 'edge' }, [{ port: 53, protocol: 'TCP' }])])))
      .toEqual(['IST0162 Gateway edge/gw']);
    expect(codes(run(A, [...base, gw, service('s', 'edge', { app: 'edge' }, [{ port: 53, protocol: 'UDP' }])])))
      .toEqual(['IST0162 Gateway edge/gw']);
    // Kubernetes defaults an omitted protocol to TCP.
    expect(codes(run(A, [...base, gw, service('s', 'edge', { app: 'edge' }, [{ port: 53 }])]))).toEqual([]);
    // A named targetPort cannot be compared; the service port still counts.
    expect(codes(run(A, [...base, gw, service('s', 'edge', { app: 'edge' }, [{ port: 53, targetPort: 'dns' }])]))).toEqual([]);
  });

  test('a Service without selector selects nothing', () => {
    const ds = run(A, [pod('p', 'edge', { app: 'edge' }), service('s', 'edge', undefined, [{ port: 80 }]),
      gateway('gw', 'edge', { app: 'edge' }, [server(80, ['*'])])]);
    expect(codes(ds)).toEqual(['IST0162 Gateway edge/gw']);
  });

  test('the external option provides the shared gateway without reporting on it', () => {
    const gw = gateway('gw', 'apps', { istio: 'ingressgateway' }, [server(443, ['x'])]);
    expect(codes(run(A, [gw]))).toEqual(['IST0101 Gateway apps/gw']);
    expect(codes(run(A, [gw], { external: sharedIngress() }))).toEqual([]);
    // An external gateway with a broken port is not reported.
    const ext = gateway('ext', 'apps', { istio: 'ingressgateway' }, [server(1, ['x'])]);
    expect(codes(run(A, [gw], { external: [...sharedIngress(), ext] }))).toEqual([]);
  });
});

describe('gateway.SecretAnalyzer', () => {
  const A = 'gateway.SecretAnalyzer';
  const gw = (cred: string, tls: Obj = {}): Obj =>
    gateway('gw', 'apps', { istio: 'ingressgateway' }, [server(443, ['a.example.com'], { mode: 'SIMPLE', credentialName: cred, ...tls })]);

  test('the secret must be in the namespace of the gateway workload, not of the Gateway', () => {
    expect(codes(run(A, [...sharedIngress(), gw('cert'), validTlsSecret('cert', 'istio-system')]))).toEqual([]);
    const ds = run(A, [...sharedIngress(), gw('cert'), validTlsSecret('cert', 'apps')]);
    expect(codes(ds)).toEqual(['IST0101 Gateway apps/gw']);
    expect(ds[0].message).toContain('Referenced credentialName not found: "cert"');
    expect(ds[0].message).toContain('"istio-system"');
  });

  test('the ns/name form names the namespace explicitly', () => {
    expect(codes(run(A, [...sharedIngress(), gw('apps/cert'), validTlsSecret('cert', 'apps')]))).toEqual([]);
    expect(codes(run(A, [...sharedIngress(), gw('other/cert'), validTlsSecret('cert', 'apps')]))).toEqual(['IST0101 Gateway apps/gw']);
  });

  test('every credentialNames entry is checked', () => {
    const g = gateway('gw', 'apps', { istio: 'ingressgateway' }, [
      server(443, ['a'], { mode: 'SIMPLE', credentialNames: ['rsa-cert', 'ecdsa-cert'] })]);
    expect(codes(run(A, [...sharedIngress(), g, validTlsSecret('rsa-cert', 'istio-system')]))).toEqual(['IST0101 Gateway apps/gw']);
    expect(codes(run(A, [...sharedIngress(), g, validTlsSecret('rsa-cert', 'istio-system'), validTlsSecret('ecdsa-cert', 'istio-system')])))
      .toEqual([]);
  });

  test('workloads in several namespaces each need the secret', () => {
    const objs = [pod('a', 'ns-a', { app: 'gw' }), pod('b', 'ns-b', { app: 'gw' }),
      gateway('gw', 'apps', { app: 'gw' }, [server(443, ['x'], { mode: 'SIMPLE', credentialName: 'cert' })]), validTlsSecret('cert', 'ns-a')];
    const ds = run(A, objs);
    expect(codes(ds)).toEqual(['IST0101 Gateway apps/gw']);
    expect(ds[0].message).toContain('"ns-b"');
  });

  test.each([
    ['missing key', { 'tls.crt': VALID_CERT_PEM }, 'neither'],
    ['empty values', { 'tls.crt': '', 'tls.key': '' }, 'empty'],
    ['wrong key names', { 'tls.cert': VALID_CERT_PEM, 'tls.key': 'k' }, 'neither'],
    ['not PEM', { 'tls.crt': 'hello', 'tls.key': 'k' }, 'not PEM'],
    ['a key instead of a certificate', { 'tls.crt': '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', 'tls.key': 'k' }, 'PRIVATE KEY'],
    ['garbage inside PEM armour', { 'tls.crt': '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', 'tls.key': 'k' }, 'cannot be parsed'],
    ['expired', { 'tls.crt': EXPIRED_CERT_PEM, 'tls.key': 'k' }, 'expired on 2021-01-01'],
  ])('an invalid secret (%s) is IST0161', (_what, data, reason) => {
    const ds = run(A, [...sharedIngress(), gw('cert'), tlsSecret('cert', 'istio-system', data)]);
    expect(codes(ds)).toEqual(['IST0161 Gateway apps/gw']);
    expect(ds[0]).toMatchObject({ name: 'InvalidGatewayCredential', level: 'Error' });
    expect(ds[0].message).toContain(reason);
  });

  test('generic cert/key secrets and stringData are read like the API server stores them', () => {
    expect(codes(run(A, [...sharedIngress(), gw('cert'), tlsSecret('cert', 'istio-system', { cert: VALID_CERT_PEM, key: 'k' }, 'Opaque')])))
      .toEqual([]);
    const stringData: Obj = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cert', namespace: 'istio-system' },
      stringData: { 'tls.crt': VALID_CERT_PEM, 'tls.key': 'k' } };
    expect(codes(run(A, [...sharedIngress(), gw('cert'), stringData]))).toEqual([]);
  });

  test('the clock decides expiry', () => {
    const objs = [...sharedIngress(), gw('cert'), validTlsSecret('cert', 'istio-system')];
    expect(codes(run(A, objs, { now: new Date('2100-01-01T00:00:00Z') }))).toEqual([]);
    expect(codes(run(A, objs, { now: new Date('2124-06-01T00:00:00Z') }))).toEqual(['IST0161 Gateway apps/gw']);
    expect(codes(run(A, objs, { now: new Date('2023-06-01T00:00:00Z') }))).toEqual(['IST0161 Gateway apps/gw']);
  });

  test('MUTUAL needs a CA bundle in the secret or a <name>-cacert secret', () => {
    const mutual = gw('cert', { mode: 'MUTUAL' });
    const ds = run(A, [...sharedIngress(), mutual, validTlsSecret('cert', 'istio-system')]);
    expect(codes(ds)).toEqual(['IST0161 Gateway apps/gw']);
    expect(ds[0].message).toContain('CA bundle');
    expect(codes(run(A, [...sharedIngress(), mutual,
      tlsSecret('cert', 'istio-system', { 'tls.crt': VALID_CERT_PEM, 'tls.key': 'k', 'ca.crt': VALID_CERT_PEM })]))).toEqual([]);
    expect(codes(run(A, [...sharedIngress(), mutual, validTlsSecret('cert', 'istio-system'),
      tlsSecret('cert-cacert', 'istio-system', { cacert: VALID_CERT_PEM }, 'Opaque')]))).toEqual([]);
  });

  test('external secrets are trusted, input secrets are checked', () => {
    const broken = tlsSecret('cert', 'istio-system', { 'tls.crt': 'not a cert', 'tls.key': 'k' });
    expect(codes(run(A, [...sharedIngress(), gw('cert'), broken]))).toEqual(['IST0161 Gateway apps/gw']);
    expect(codes(run(A, [...sharedIngress(), gw('cert')], { external: [broken] }))).toEqual([]);
  });

  test('servers without TLS or without credentialName need nothing', () => {
    const g = gateway('gw', 'apps', { istio: 'ingressgateway' }, [server(80, ['a']), server(443, ['b'], { mode: 'PASSTHROUGH' })]);
    expect(codes(run(A, [...sharedIngress(), g]))).toEqual([]);
  });
});

describe('gateway.ConflictingGatewayAnalyzer', () => {
  const A = 'gateway.ConflictingGatewayAnalyzer';
  const sel = { istio: 'ingressgateway' };

  test('same selector, port and host string conflict; namespaces and protocols do not matter', () => {
    const ds = run(A, [...sharedIngress(),
      gateway('a', 'ns1', sel, [server(80, ['x.example.com'])]),
      gateway('b', 'ns2', sel, [server(80, ['y.example.com', 'x.example.com'], { mode: 'SIMPLE', credentialName: 'c' })])]);
    expect(codes(ds)).toEqual(['IST0145 Gateway ns1/a', 'IST0145 Gateway ns2/b']);
    expect(ds.find((d) => d.origin === 'Gateway ns1/a')!.message)
      .toContain('Conflict with gateways ns2/b (workload selector istio=ingressgateway, port 80, hosts x.example.com)');
  });

  test.each([
    ['different ports', [server(80, ['x'])], [server(81, ['x'])]],
    ['different hosts', [server(80, ['x'])], [server(80, ['y'])]],
    ['wildcard vs host (no wildcard expansion)', [server(80, ['*.example.com'])], [server(80, ['x.example.com'])]],
    ['different bind', [server(80, ['x'], undefined, { bind: '10.0.0.1' })], [server(80, ['x'], undefined, { bind: '10.0.0.2' })]],
  ])('no conflict: %s', (_what, s1, s2) => {
    expect(codes(run(A, [...sharedIngress(), gateway('a', 'ns', sel, s1), gateway('b', 'ns', sel, s2)]))).toEqual([]);
  });

  test('one host claimed by three gateways on one bind and by a fourth on another: each names the other two of its bind', () => {
    const ds = run(A, [...sharedIngress(),
      gateway('a', 'ns1', sel, [server(80, ['x.example.com', 'a.example.com'])]),
      gateway('b', 'ns2', sel, [server(80, ['x.example.com'])]),
      gateway('c', 'ns3', sel, [server(80, ['b.example.com', 'x.example.com'])]),
      gateway('d', 'ns4', sel, [server(80, ['x.example.com', 'a.example.com'], undefined, { bind: '10.0.0.1' })])]);
    expect(codes(ds)).toEqual(['IST0145 Gateway ns1/a', 'IST0145 Gateway ns2/b', 'IST0145 Gateway ns3/c']);
    const conflict = (o: string) => /Conflict with gateways ([^ ]+) /.exec(ds.find((d) => d.origin === o)!.message)![1];
    expect(['Gateway ns1/a', 'Gateway ns2/b', 'Gateway ns3/c'].map(conflict)).toEqual(['ns2/b,ns3/c', 'ns1/a,ns3/c', 'ns1/a,ns2/b']);
  });

  test('a selector containing another conflicts only when a workload matches both', () => {
    const objs = [gateway('a', 'ns', { app: 'gw' }, [server(80, ['x'])]), gateway('b', 'ns', { app: 'gw', zone: 'z1' }, [server(80, ['x'])])];
    expect(codes(run(A, [...objs, pod('p', 'gw', { app: 'gw' })]))).toEqual([]);
    expect(codes(run(A, [...objs, pod('p', 'gw', { app: 'gw', zone: 'z1' })]))).toEqual(['IST0145 Gateway ns/a', 'IST0145 Gateway ns/b']);
  });

  test('gateways alone on their workloads are not compared; gateways sharing one still conflict', () => {
    const team = (i: number, hosts: string[]): Obj[] => [
      pod(`p${i}`, `team${i}`, { app: `gw${i}` }),
      gateway('edge', `team${i}`, { app: `gw${i}` }, [server(443, hosts), server(443, hosts), server(80, hosts)]),
    ];
    // One host on many gateways, each on its own workload (and a gateway repeating its own server): no conflict.
    const alone = [...team(1, ['x.example.com']), ...team(2, ['x.example.com']), ...team(3, ['x.example.com'])];
    expect(codes(run(A, alone))).toEqual([]);
    // A second gateway on team2's workload claiming the host conflicts with team2's alone.
    const shared = gateway('extra', 'team2', { app: 'gw2' }, [server(80, ['y.example.com', 'x.example.com'])]);
    const ds = run(A, [...alone, shared]);
    expect(codes(ds)).toEqual(['IST0145 Gateway team2/edge', 'IST0145 Gateway team2/extra']);
    expect(ds.find((d) => d.origin === 'Gateway team2/edge')!.message).toContain('Conflict with gateways team2/extra (workload selector app=gw2, port 80, hosts x.example.com)');
    // A gateway whose selector contains team3's, on a workload both select, is compared with it too.
    const wider = gateway('zoned', 'team3', { app: 'gw3', zone: 'z1' }, [server(443, ['x.example.com'])]);
    const zoned = run(A, [...alone.filter((o) => o.kind !== 'Pod' || o.metadata.name !== 'p3'), pod('p3', 'team3', { app: 'gw3', zone: 'z1' }), wider]);
    // (team3/edge once per server on port 443: it lists the host there twice.)
    expect(codes(zoned)).toEqual(['IST0145 Gateway team3/edge', 'IST0145 Gateway team3/edge', 'IST0145 Gateway team3/zoned']);
  });

  test('a server-less gateway whose selector no other gateway uses is IST0101', () => {
    expect(codes(run(A, [gateway('lonely', 'ns', { app: 'none' }, [])]))).toEqual(['IST0101 Gateway ns/lonely']);
    const withWorkload = run(A, [pod('p', 'ns', { app: 'gw' }), gateway('lonely', 'ns', { app: 'gw' }, [])]);
    expect(codes(withWorkload)).toEqual(['IST0101 Gateway ns/lonely']);
    expect(withWorkload[0].message).toContain('this Gateway has no servers');
    // Run with the other analyzers, a selector matching nothing is listed once.
    expect(codes(analyze([gateway('lonely', 'ns', { app: 'none' }, [])]))).toEqual(['IST0101 Gateway ns/lonely']);
  });
});

describe('gateway.CertificateAnalyzer', () => {
  const A = 'gateway.CertificateAnalyzer';
  const tls = (cred: string): Obj => ({ mode: 'SIMPLE', credentialName: cred });

  test('the same credential on gateways with the same selector is IST0138 on both', () => {
    const ds = run(A, [gateway('a', 'ns1', { istio: 'ingressgateway' }, [server(443, ['a'], tls('wild'))]),
      gateway('b', 'ns2', { istio: 'ingressgateway' }, [server(443, ['b'], tls('wild'))])]);
    expect(codes(ds)).toEqual(['IST0138 Gateway ns1/a', 'IST0138 Gateway ns2/b']);
    expect(ds[0]).toMatchObject({ name: 'GatewayDuplicateCertificate', level: 'Warning' });
    expect(ds[0].message).toContain('[ns1/a ns2/b]');
  });

  test('only the gateway whose selector is a subset of the other is reported', () => {
    const ds = run(A, [gateway('wide', 'ns', { istio: 'ingressgateway' }, [server(443, ['a'], tls('c'))]),
      gateway('narrow', 'ns', { istio: 'ingressgateway', tier: 'x' }, [server(443, ['b'], tls('c'))])]);
    expect(codes(ds)).toEqual(['IST0138 Gateway ns/wide']);
  });

  test('different credentials, or file certificates with different keys, are fine', () => {
    const files = (key: string): Obj => ({ mode: 'SIMPLE', serverCertificate: '/c.pem', privateKey: key });
    expect(codes(run(A, [gateway('a', 'ns', { i: '1' }, [server(443, ['a'], tls('c1'))]), gateway('b', 'ns', { i: '1' }, [server(443, ['b'], tls('c2'))])])))
      .toEqual([]);
    expect(codes(run(A, [gateway('a', 'ns', { i: '1' }, [server(443, ['a'], files('/k1'))]), gateway('b', 'ns', { i: '1' }, [server(443, ['b'], files('/k2'))])])))
      .toEqual([]);
    expect(codes(run(A, [gateway('a', 'ns', { i: '1' }, [server(443, ['a'], files('/k'))]), gateway('b', 'ns', { i: '1' }, [server(443, ['b'], files('/k'))])])))
      .toEqual(['IST0138 Gateway ns/a', 'IST0138 Gateway ns/b']);
  });
});
