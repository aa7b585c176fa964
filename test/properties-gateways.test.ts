// Property-based tests over random gateway declarations, valid and invalid: an accepted input
// synthesizes schema-valid objects with nothing dropped; a refused input throws the library's
// own error naming the construct, the prop and the value; identity never moves.
import * as fc from 'fast-check';
import { IngressGateway, IstioGatewayError, TcpGateway, TenantGateway, TlsHost, TlsMode } from '../src';
import { dnsLabel, fcParams, hostList, junk, labels, maybeBad, port } from './support/arbitraries';
import { newChart, synth } from './support/synth';
import { expectValid } from './support/validate-helper';

const mode = maybeBad(fc.constantFrom(...Object.values(TlsMode)));
/** Ports the default shared gateway exposes come up often, so IngressGateway runs are not all refusals. */
const opPort = fc.oneof({ arbitrary: fc.constantFrom(80, 443, 8080, 31400), weight: 3 }, { arbitrary: port, weight: 2 });

const attachment = fc.oneof(
  fc.record({ op: fc.constant('http' as const), hosts: hostList, port: fc.option(opPort, { nil: undefined }) }),
  fc.record({
    op: fc.constant('tls' as const), hosts: hostList, mode, port: fc.option(opPort, { nil: undefined }),
    credentialName: fc.option(maybeBad(dnsLabel), { nil: undefined }), httpsRedirect: fc.option(fc.boolean(), { nil: undefined }),
    destination: fc.option(fc.record({ host: maybeBad(dnsLabel), port }), { nil: undefined }),
  }),
  fc.record({ op: fc.constant('tcp' as const), port: opPort, hosts: fc.option(hostList, { nil: undefined }), destination: fc.record({ host: maybeBad(dnsLabel), port }) }),
);

/** Like maybeBad, with junk in about one draw of 60. */
const rarelyBad = <T>(a: fc.Arbitrary<T>) => fc.oneof({ arbitrary: a, weight: 60 }, { arbitrary: junk, weight: 1 });

const tenantProps = fc.record({
  namespace: maybeBad(dnsLabel),
  name: fc.option(maybeBad(dnsLabel), { nil: undefined }),
  serviceType: fc.option(maybeBad(fc.constantFrom('LoadBalancer', 'NodePort', 'ClusterIP')), { nil: undefined }),
  replicas: fc.option(maybeBad(fc.integer({ min: 0, max: 10 })), { nil: undefined }),
  // now and then a key named after an Object.prototype member (issue 11: our error or valid output, never a synth crash)
  labels: fc.option(fc.oneof({ arbitrary: labels, weight: 20 }, { arbitrary: fc.constantFrom({ constructor: 'x' }, { toString: 'y' }, { valueOf: 'z' }), weight: 1 }), { nil: undefined }),
  networkPolicy: fc.option(fc.boolean(), { nil: undefined }),
  // production settings (issue 11): valid values, junk rarely (ten props: refusals must not crowd out accepted runs)
  serviceAccountAnnotations: fc.option(rarelyBad(fc.constant({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/gw' })), { nil: undefined }),
  imagePullSecrets: fc.option(rarelyBad(fc.uniqueArray(dnsLabel, { maxLength: 2 })), { nil: undefined }),
  minReadySeconds: fc.option(rarelyBad(fc.integer({ min: 0, max: 60 })), { nil: undefined }),
  strategy: fc.option(rarelyBad(fc.record({ maxSurge: fc.constantFrom(1, '25%'), maxUnavailable: fc.constantFrom(0, 1, '10%') })), { nil: undefined }),
  ipFamilyPolicy: fc.option(rarelyBad(fc.constantFrom('SingleStack', 'PreferDualStack', 'RequireDualStack')), { nil: undefined }),
  internalTrafficPolicy: fc.option(rarelyBad(fc.constantFrom('Cluster', 'Local')), { nil: undefined }),
  // 'own+other': the gateway's namespace (where these routes live) and one more, set in build()
  routeNamespaces: fc.option(rarelyBad(fc.constantFrom(['*'], 'own+other')), { nil: undefined }),
  affinity: fc.option(rarelyBad(fc.constant({ podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'x' } } } }] } })), { nil: undefined }),
  createNamespace: fc.option(rarelyBad(fc.boolean()), { nil: undefined }),
}, { requiredKeys: ['namespace'] });

interface Declared { hosts: string[]; port: number }

/** Applies the declarations; returns what was accepted, or the refusal. */
function build(kind: 'tenant' | 'ingress', gwProps: any, ops: any[]) {
  const { chart } = newChart();
  const declared: Declared[] = [];
  let gw: TenantGateway | IngressGateway;
  if (gwProps.routeNamespaces === 'own+other') gwProps = { ...gwProps, routeNamespaces: [gwProps.namespace, 'other'] };
  try {
    gw = kind === 'tenant' ? new TenantGateway(chart, 'gw', gwProps) : new IngressGateway(chart, 'gw', gwProps);
  } catch (e) {
    return { refused: e as Error };
  }
  let accepted = 0;
  ops.forEach((o, i) => {
    try {
      if (o.op === 'http') {
        gw.addHttpHosts(o.hosts, o.port === undefined ? {} : { port: o.port });
        declared.push({ hosts: o.hosts, port: o.port ?? 80 });
      } else if (o.op === 'tls') {
        const t = new TlsHost(chart, `tls${i}`, { gateway: gw, ...o, op: undefined });
        declared.push({ hosts: o.hosts, port: t.port });
      } else {
        new TcpGateway(chart, `tcp${i}`, { gateway: gw, ...o, op: undefined });
        declared.push({ hosts: o.hosts ?? ['*'], port: o.port });
      }
      accepted++;
    } catch (e) {
      expectOwnError(e, `test/`);
    }
  });
  return { chart, gw, declared, accepted };
}

function expectOwnError(e: unknown, pathPart: string): void {
  if (!(e instanceof IstioGatewayError)) throw new Error(`expected IstioGatewayError, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.stack}`);
  expect(e.message).toContain(pathPart);
  expect(e.message).toMatch(/invalid value/);
  expect(e.problems.length).toBeGreaterThan(0);
  for (const p of e.problems) expect(p.prop.length).toBeGreaterThan(0);
}

/** How many runs synthesized at least one server: guards against a property that only ever refuses. */
const tally = { runs: 0, served: 0 };

function checkAccepted(result: ReturnType<typeof build>) {
  tally.runs++;
  if ('refused' in result) {
    expectOwnError(result.refused, "'test/gw'");
    return;
  }
  if (result.declared!.length > 0) tally.served++;
  const objects = synth(result.chart!);
  expectValid(objects);
  const gateway = objects.find((o) => o.kind === 'Gateway');
  if (result.declared!.length === 0) {
    expect(gateway).toBeUndefined();
    return;
  }
  // nothing declared is dropped: every host is served on its port; a TenantGateway's hosts are
  // scoped to the namespaces it admits (by default its own, where these routes live), never open to all
  const tenant = result.gw instanceof TenantGateway;
  const admitted = tenant ? (result.gw as TenantGateway).routeNamespaces : [];
  const open = admitted.includes('*');
  for (const d of result.declared!) {
    for (const h of d.hosts) {
      const forms = !tenant || open ? [h] : admitted.map((ns) => `${ns}/${h}`);
      for (const f of forms) expect(gateway.spec.servers.some((s: any) => s.port.number === d.port && s.hosts.includes(f))).toBe(true);
    }
  }
  if (tenant && !open) {
    for (const s of gateway.spec.servers) for (const h of s.hosts) expect(h).toMatch(/^[a-z0-9-]+\//);
  }
  const svc = objects.find((o) => o.kind === 'Service');
  if (svc) {
    const exposed = new Set(svc.spec.ports.map((p: any) => p.port));
    for (const s of gateway.spec.servers) expect(exposed.has(s.port.number)).toBe(true);
    const deploy = objects.find((o) => o.kind === 'Deployment');
    for (const [k, v] of Object.entries(gateway.spec.selector)) expect(deploy.spec.template.metadata.labels[k]).toBe(v);
    expect(svc.spec.selector).toEqual(deploy.spec.selector.matchLabels);
  }
}

describe('random gateway platforms', () => {
  test('TenantGateway with random servers: valid output or our own error', () => {
    fc.assert(fc.property(tenantProps, fc.array(attachment, { maxLength: 4 }), (props, ops) => {
      checkAccepted(build('tenant', props, ops));
    }), fcParams);
  });

  test('IngressGateway with random servers: valid output or our own error', () => {
    const ingressProps = fc.record({
      namespace: maybeBad(dnsLabel),
      selector: fc.option(fc.dictionary(dnsLabel, dnsLabel, { minKeys: 1, maxKeys: 2 }), { nil: undefined }),
      workloadNamespace: fc.option(maybeBad(dnsLabel), { nil: undefined }),
      servicePorts: fc.option(fc.uniqueArray(fc.record({ port: fc.integer({ min: 1, max: 65535 }) }), { minLength: 1, maxLength: 4, selector: (p) => p.port }), { nil: undefined }),
    }, { requiredKeys: ['namespace'] });
    fc.assert(fc.property(ingressProps, fc.array(attachment, { maxLength: 4 }), (props, ops) => {
      checkAccepted(build('ingress', props, ops));
    }), fcParams);
  });
});

afterAll(() => {
  expect(tally.served / tally.runs).toBeGreaterThan(0.25);
});

describe('identity', () => {
  test('selectors, names and RoleBinding subjects do not move when hosts, ports, service type, replicas, resources, labels or annotations change', () => {
    const variant = fc.record({
      hosts: hostList.filter((hs) => hs.every((h) => !/[:/]|\.\*|\.\.|^-/.test(h))),
      tlsPort: fc.integer({ min: 1000, max: 9000 }),
      tcpPort: fc.integer({ min: 20000, max: 30000 }),
      serviceType: fc.constantFrom('LoadBalancer' as const, 'NodePort' as const, 'ClusterIP' as const),
      replicas: fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined }),
      cpu: fc.constantFrom('100m', '250m', '1'),
      labels,
      podAnnotations: fc.dictionary(fc.constantFrom('a.example.com/x', 'b.example.com/y'), fc.string({ maxLength: 5 })),
      // production settings (issue 11) are updated in place too
      serviceAccountAnnotations: fc.dictionary(fc.constantFrom('eks.amazonaws.com/role-arn', 'iam.gke.io/gcp-service-account'), fc.stringMatching(/^[a-z0-9:/@.-]{1,20}$/)),
      imagePullSecrets: fc.uniqueArray(dnsLabel, { maxLength: 2 }),
      minReadySeconds: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
      strategy: fc.option(fc.record({ maxSurge: fc.constantFrom(1, '25%'), maxUnavailable: fc.constantFrom(1, '10%') }), { nil: undefined }),
      internalTrafficPolicy: fc.option(fc.constantFrom('Cluster' as const, 'Local' as const), { nil: undefined }),
      ipFamilyPolicy: fc.option(fc.constantFrom('SingleStack' as const, 'PreferDualStack' as const), { nil: undefined }),
      routeNamespaces: fc.option(fc.constantFrom(['*'], ['team'], ['other', 'team']), { nil: undefined }),
      zoneSpread: fc.boolean(),
      behavior: fc.option(fc.record({ scaleDown: fc.record({ stabilizationWindowSeconds: fc.integer({ min: 0, max: 600 }) }) }), { nil: undefined }),
      createNamespace: fc.boolean(),
    });
    const identity = (v: any) => {
      const { chart } = newChart();
      const gw = new TenantGateway(chart, 'gw', {
        namespace: 'team', name: 'team-gw', serviceType: v.serviceType, replicas: v.replicas,
        resources: { requests: { cpu: v.cpu } }, labels: v.labels, podAnnotations: v.podAnnotations,
        serviceAccountAnnotations: v.serviceAccountAnnotations, imagePullSecrets: v.imagePullSecrets, minReadySeconds: v.minReadySeconds,
        strategy: v.strategy, internalTrafficPolicy: v.internalTrafficPolicy, ipFamilyPolicy: v.ipFamilyPolicy, routeNamespaces: v.routeNamespaces,
        topologySpread: v.zoneSpread ? undefined : [{ topologyKey: 'kubernetes.io/hostname' }],
        autoscaling: v.replicas === undefined && v.behavior ? { behavior: v.behavior } : undefined, createNamespace: v.createNamespace,
      });
      gw.addHttpHosts(v.hosts);
      new TlsHost(chart, 'tls', { gateway: gw, hosts: v.hosts, credentialName: 'cert', port: v.tlsPort, httpsRedirect: false });
      new TcpGateway(chart, 'tcp', { gateway: gw, port: v.tcpPort, destination: { host: 'db', port: 5432 } });
      const objects = synth(chart);
      return {
        // the HPA comes and goes with replicas, the Namespace with createNamespace: neither renames anything
        names: objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`).filter((n) => !n.startsWith('HorizontalPodAutoscaler') && !n.startsWith('Namespace ')).sort(),
        deploymentSelector: objects.find((o) => o.kind === 'Deployment').spec.selector,
        serviceSelector: objects.find((o) => o.kind === 'Service').spec.selector,
        gatewaySelector: objects.find((o) => o.kind === 'Gateway').spec.selector,
        subjects: objects.find((o) => o.kind === 'RoleBinding').subjects,
      };
    };
    fc.assert(fc.property(variant, variant, (a, b) => {
      expect(identity(a)).toEqual(identity(b));
    }), { ...fcParams, numRuns: Math.max(50, Math.floor(fcParams.numRuns / 4)) });
  });
});
