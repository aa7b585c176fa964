// The gateway model layer on its own: TenantGateway's and IngressGateway's props in, validated
// model out (or an IstioGatewayError), and the pure server and port rules the constructs call.
// Nothing here builds a cdk8s App: that is what the layer is for.
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { IstioGatewayError } from '../src/errors';
import { ownPropsCopy, PropChecker } from '../src/model/checks';
import {
  copyServer, GATEWAY_NAME_LABEL, gatewayApiOf, GatewayServer, httpHostsServer, listedServers, selectorKey, ServerSet, ServerTls, TlsMode, workloadConflicts,
} from '../src/model/gateway';
import {
  checkIngressServerPort, clientPortOf, HELM_GATEWAY_SERVICE_PORTS, ingressGatewayModel, IngressGatewayProps, ISTIOCTL_INGRESS_SERVICE_PORTS,
} from '../src/model/ingress-gateway';
import {
  admittedRouteNamespaces, checkTenantServerPort, NAMESPACE_SELECTOR_LABEL, STATUS_PORT, TenantGatewayProps, tenantGatewayModel, tenantProblems,
  tenantSelectorLabels, tenantServiceName, tenantServicePorts,
} from '../src/model/tenant-gateway';
import { renderExistingIngressWorkload } from '../src/render/gateway';
import { renderDeployment, renderService } from '../src/render/tenant-workload';
import { isKubernetesCidr } from '../src/validation/cel-ip';
import { mapPacked } from '../src/model/packed';

const checker = () => new PropChecker("TenantGateway 'team/payments'");

function tenant(props: Partial<TenantGatewayProps> = {}, id = 'payments') {
  return tenantGatewayModel(checker(), id, { namespace: 'payments', ...props } as TenantGatewayProps);
}

/** The error `f` throws, failing the test when it throws none or another kind. */
function refusal(f: () => unknown): IstioGatewayError {
  try {
    f();
  } catch (e) {
    if (e instanceof IstioGatewayError) return e;
    throw e;
  }
  throw new Error('expected an IstioGatewayError, got none');
}

describe('tenantGatewayModel accepts', () => {
  test('the minimal props, with the chart-derived defaults resolved', () => {
    const m = tenant();
    expect(m.api).toBe('istio');
    expect(m.gatewayApiChannel).toBeUndefined();
    const w = m.workload;
    expect([w.name, w.namespace]).toEqual(['payments', 'payments']);
    expect(w.selectorLabels).toEqual({ istio: 'payments', app: 'payments', [NAMESPACE_SELECTOR_LABEL]: 'payments' });
    expect(w.labels).toEqual({ ...w.selectorLabels, 'app.kubernetes.io/managed-by': 'istio-gateway-constructs' });
    expect(w.autoscaling).toEqual({ minReplicas: 2, maxReplicas: 5, targetCpuUtilization: 80, targetMemoryUtilization: undefined });
    expect(w.disruptionBudget).toEqual({ maxUnavailable: 1 });
    expect(w.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } });
    expect(w.topologySpread.map((t) => t.topologyKey)).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
    expect(w.terminationGracePeriodSeconds).toBe(30);
    expect(w.serviceType).toBe('LoadBalancer');
    expect([m.networkPolicy, m.routeNamespaces, m.createdNamespace, m.extraPorts]).toEqual([false, undefined, undefined, []]);
  });

  test('an id that is not a valid name is sanitized; a valid one is kept', () => {
    expect(tenant({}, 'PaymentsGateway').workload.name).toBe('paymentsgateway');
    expect(tenant({}, 'edge-gw').workload.name).toBe('edge-gw');
  });

  test('a fixed replica count, extra ports with Istio protocols, dual-stack addresses and a created namespace', () => {
    const m = tenant({
      replicas: 3, autoscaling: undefined, ports: [{ name: 'grpc-api', port: 9090, protocol: 'grpc' }, { name: 'dns', port: 53, protocol: 'udp' }],
      loadBalancerIP: '2001:db8::10', loadBalancerSourceRanges: ['203.0.113.0/24', '2001:db8::/32'], ipFamilies: ['IPv6', 'IPv4'], ipFamilyPolicy: 'PreferDualStack',
      createNamespace: { labels: { team: 'payments' } }, revision: 'canary', routeNamespaces: ['web', 'payments'],
    });
    expect(m.workload.replicas).toBe(3);
    expect(m.workload.autoscaling).toBeUndefined();
    expect(m.extraPorts).toEqual([{ name: 'grpc-api', port: 9090, protocol: 'TCP', appProtocol: 'grpc' }, { name: 'dns', port: 53, protocol: 'UDP' }]);
    expect(m.workload.loadBalancerSourceRanges).toEqual(['203.0.113.0/24', '2001:db8::/32']);
    expect(m.createdNamespace).toEqual({ name: 'payments', labels: { team: 'payments', 'istio.io/rev': 'canary', 'app.kubernetes.io/managed-by': 'istio-gateway-constructs' }, annotations: {} });
    expect(m.routeNamespaces).toEqual(['payments', 'web']);
  });

  test("api 'gateway-api' selects Istio's generated pods and names the revision on the Gateway", () => {
    const m = tenant({ api: 'gateway-api', gatewayApiChannel: 'standard', revision: 'canary', labels: { team: 'a' } });
    expect(m.workload.selectorLabels).toEqual({ [GATEWAY_NAME_LABEL]: 'payments' });
    // The objects still carry the Istio flavour's labels: only the selector changes.
    expect(m.workload.labels.istio).toBe('payments');
    expect(m.gatewayLabels).toEqual({ team: 'a', 'istio.io/rev': 'canary' });
    expect(m.gatewayApiChannel).toBe('standard');
  });

  test('the selector and the name come from name and namespace alone: unrelated props never move them', () => {
    const base = tenant().workload;
    for (const props of [{ labels: { team: 'a' } }, { replicas: 3 }, { serviceType: 'ClusterIP' as const }, { revision: 'canary' }, { routeNamespaces: ['*'] }, { networkPolicy: true }]) {
      const w = tenant(props).workload;
      expect([w.name, w.selectorLabels]).toEqual([base.name, base.selectorLabels]);
    }
    // The same labels an imported TenantGateway (fromAttributes) is taken to select.
    expect(tenantSelectorLabels('payments', 'payments', 'istio')).toEqual(base.selectorLabels);
    expect(tenantServiceName('payments', 'gateway-api')).toBe('payments-istio');
  });

  test('is pure: the same props give an equal model, and the props are not changed', () => {
    const props = Object.freeze({ namespace: 'payments', labels: Object.freeze({ team: 'a' }), env: Object.freeze({ B: '2', A: '1' }) }) as TenantGatewayProps;
    const a = tenantGatewayModel(checker(), 'payments', props);
    const b = tenantGatewayModel(checker(), 'payments', props);
    expect(a).toEqual(b);
    expect(a.workload.env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '2' }]);
    expect(props).toEqual({ namespace: 'payments', labels: { team: 'a' }, env: { B: '2', A: '1' } });
  });
});

describe('tenantGatewayModel reads the props it is given, however they were made', () => {
  test('a spread, a getter, a non-enumerable prop and a props class give the model their values', () => {
    const base = { namespace: 'payments', name: 'edge' };
    const spread = tenant({ ...base, api: 'gateway-api', replicas: 3 });
    expect(spread.api).toBe('gateway-api');
    expect(spread.workload.replicas).toBe(3);
    let reads = 0;
    const withGetter = { namespace: 'payments', get replicas() { reads++; return 4; } };
    expect(tenantGatewayModel(checker(), 'edge', withGetter as TenantGatewayProps).workload.replicas).toBe(4);
    expect(reads).toBe(2); // once by the unknown-props check, once by the copy: the model reads the copy
    const hidden = { namespace: 'payments' };
    Object.defineProperty(hidden, 'replicas', { value: 5, enumerable: false });
    expect(tenantGatewayModel(checker(), 'edge', hidden as TenantGatewayProps).workload.replicas).toBe(5);
    class Props { namespace = 'payments'; get replicas() { return 6; } }
    expect(tenantGatewayModel(checker(), 'edge', new Props() as TenantGatewayProps).workload.replicas).toBe(6);
    const bare = Object.assign(Object.create(null), { namespace: 'payments', replicas: 7 });
    expect(tenantGatewayModel(checker(), 'edge', bare as TenantGatewayProps).workload.replicas).toBe(7);
  });

  test('ownPropsCopy copies a plain object\'s own props in order and leaves anything else as given', () => {
    const plain = { b: 1, a: undefined, c: { d: 2 } };
    const copy = ownPropsCopy(plain);
    expect(copy).not.toBe(plain);
    expect(Object.keys(copy)).toEqual(['b', 'a', 'c']);
    expect(copy.c).toBe(plain.c);
    const hidden = { a: 1 };
    Object.defineProperty(hidden, 'b', { value: 2, enumerable: false });
    expect(ownPropsCopy(hidden)).toBe(hidden);
    class Props { a = 1; }
    const instance = new Props();
    expect(ownPropsCopy(instance)).toBe(instance);
    const bare = Object.create(null);
    expect(ownPropsCopy(bare)).toBe(bare);
  });
});

describe('tenantGatewayModel refuses', () => {
  const cases: [string, Partial<TenantGatewayProps> | Record<string, unknown>, string, string][] = [
    ['a missing namespace', { namespace: undefined }, 'namespace', 'this prop is required'],
    ["the name of Istio's own gateway", { name: 'ingressgateway' }, 'name', "the label of Istio's own ingressgateway pods"],
    ['a reserved label', { labels: { app: 'mine' } }, "labels['app']", 'is set by TenantGateway'],
    ['an unknown prop', { replica: 3 }, 'replica', 'unknown prop'],
    ['replicas beside autoscaling', { replicas: 2, autoscaling: { minReplicas: 1 } }, 'replicas', 'not both'],
    ['a budget that blocks every drain', { disruptionBudget: { minAvailable: 2 } }, 'disruptionBudget.minAvailable', 'every node drain would block'],
    ['a toleration value that is no label value', { tolerations: [{ key: 'k', value: 'not a label' }] }, 'tolerations[0].value', 'expected a label value'],
    ['an image pull secret that is no Secret name', { imagePullSecrets: ['Regcred'] }, 'imagePullSecrets[0]', 'expected the name of a Secret in namespace "payments"'],
    ['a CIDR that is no address (accepted before the shared helper)', { loadBalancerSourceRanges: ['abc/64'] }, 'loadBalancerSourceRanges[0]', 'expected a CIDR'],
    ['a prefix too long for IPv6', { loadBalancerSourceRanges: ['2001:db8::/129'] }, 'loadBalancerSourceRanges[0]', 'expected a CIDR'],
    ['an IPv4 address with a leading zero', { loadBalancerIP: '10.0.0.01' }, 'loadBalancerIP', 'expected an IPv4 or IPv6 address'],
    ['an IPv4-mapped IPv6 address', { loadBalancerIP: '::ffff:10.0.0.1' }, 'loadBalancerIP', 'expected an IPv4 or IPv6 address'],
    ['a channel without the Gateway API', { gatewayApiChannel: 'standard' }, 'gatewayApiChannel', "applies only with api 'gateway-api'"],
    ['extra ports the generated Service cannot carry', { api: 'gateway-api', ports: [{ name: 'x', port: 9000 }] }, 'ports', 'extra ports cannot be expressed'],
    ['an affinity the Kubernetes schema refuses', { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: 'x' } } }, 'affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution', 'expected a Kubernetes Affinity'],
  ];
  test.each(cases)('%s', (_label, props, prop, expected) => {
    const err = refusal(() => tenant(props as Partial<TenantGatewayProps>));
    expect(err.problems).toHaveLength(1);
    expect(err.construct).toBe("TenantGateway 'team/payments'");
    expect(err.prop).toBe(prop);
    expect(err.problems[0].expected).toContain(expected);
  });
});

describe('the TenantGateway server and port rules', () => {
  const extra = tenant({ ports: [{ name: 'tls-east-west', port: 15443 }] }).extraPorts;

  test('a server may not take a port of the proxy or one listed in ports', () => {
    expect(refusal(() => checkTenantServerPort(checker(), 'team/payments', extra, 15090, 'hosts')).problems[0])
      .toMatchObject({ prop: 'port', value: 15090, expected: expect.stringContaining('reserved by the Istio proxy') });
    expect(refusal(() => checkTenantServerPort(checker(), 'team/payments', extra, 15443, 'port')).problems[0].expected)
      .toContain('"tls-east-west"');
    expect(() => checkTenantServerPort(checker(), 'team/payments', extra, 443, 'port')).not.toThrow();
  });

  test('Service ports: status port, server ports in order, then the extra ports', () => {
    const ports = tenantServicePorts([{ name: 'https-443', port: 443, protocol: 'HTTPS' }, { name: 'http-80', port: 80, protocol: 'HTTP' }], extra);
    expect(ports.map((p) => p.port)).toEqual([STATUS_PORT.port, 443, 80, 15443]);
    expect(ports[1]).toEqual({ name: 'https-443', port: 443, protocol: 'TCP', serverProtocol: 'HTTPS' });
  });

  test('route namespaces: as given, or the own namespace and the bound ones, sorted and once each', () => {
    expect(admittedRouteNamespaces(['*'], 'payments', ['web'])).toEqual(['*']);
    expect(admittedRouteNamespaces(undefined, 'payments', ['web', 'payments', 'api'])).toEqual(['api', 'payments', 'web']);
  });

  test('App-wide: a Service port name used twice, and a route from a namespace not admitted', () => {
    const problems = tenantProblems("TenantGateway 'team/payments'", [{ name: 'x', port: 1 }, { name: 'x', port: 2 }], ['payments'],
      [{ namespace: 'payments', path: 'team/ok' }, { namespace: 'web', path: 'team/shop' }]);
    expect(problems.map((p) => p.prop)).toEqual(['ports', 'routeNamespaces']);
    expect(problems[1].expected).toContain("'team/shop' binds a route in namespace \"web\"");
    expect(tenantProblems('x', [{ name: 'x', port: 1 }], ['*'], [{ namespace: 'web', path: 'team/shop' }])).toEqual([]);
  });
});

describe('ingressGatewayModel', () => {
  const ingress = (props: Partial<IngressGatewayProps> | Record<string, unknown> = {}) =>
    ingressGatewayModel(new PropChecker("IngressGateway 'web/shared'"), 'shared', { namespace: 'web', ...props } as IngressGatewayProps);

  test("defaults to istioctl's ingress gateway", () => {
    const m = ingress();
    expect(m).toMatchObject({ api: 'istio', name: 'shared', namespace: 'web', installedBy: 'istioctl', selector: { istio: 'ingressgateway' }, workloadNamespace: 'istio-system', serviceName: 'istio-ingressgateway' });
    expect(m.servicePorts).toEqual(ISTIOCTL_INGRESS_SERVICE_PORTS);
  });

  test("the Helm chart's defaults follow the release name", () => {
    const m = ingress({ installedBy: 'helm', helmReleaseName: 'istio-edge' });
    expect(m).toMatchObject({ selector: { istio: 'edge' }, workloadNamespace: 'istio-ingress', serviceName: 'istio-edge' });
    expect(m.servicePorts).toEqual(HELM_GATEWAY_SERVICE_PORTS);
  });

  test.each([
    ['a release name without Helm', { helmReleaseName: 'r' }, 'helmReleaseName'],
    ['an empty selector', { selector: {} }, 'selector'],
    ['a Service port listed twice', { servicePorts: [{ port: 80 }, { port: 80 }] }, 'servicePorts[1].port'],
    ['a Service name that is no name (checked before the construct joins the tree)', { serviceName: 'Bad' }, 'serviceName'],
  ])('refuses %s', (_label, props, prop) => {
    const err = refusal(() => ingress(props));
    expect([err.construct, err.prop]).toEqual(["IngressGateway 'web/shared'", prop]);
  });

  test('a server port is the Service port or its targetPort; clients reach it on the Service port', () => {
    const m = ingress();
    expect(clientPortOf(m.servicePorts, 8080)).toBe(80);
    expect(clientPortOf(m.servicePorts, 443)).toBe(443);
    expect(() => checkIngressServerPort(new PropChecker('x'), 'web/shared', m, 8443, 'port')).not.toThrow();
    const err = refusal(() => checkIngressServerPort(new PropChecker('x'), 'web/shared', m, 31400, 'hosts'));
    expect(err.prop).toBe('port');
    expect(err.problems[0].expected).toContain('exposes only ports 15021, 80 (targetPort 8080), 443 (targetPort 8443)');
  });
});

describe('the shared gateway model', () => {
  const server = (port: number, hosts: string[], declaredBy: string, protocol: GatewayServer['protocol'] = 'HTTP'): GatewayServer =>
    ({ port, portName: `${protocol.toLowerCase()}-${port}`, protocol, hosts, declaredBy });

  test('gatewayApiOf defaults to istio and refuses an unknown API', () => {
    expect(gatewayApiOf(new PropChecker('x'), {})).toEqual({ api: 'istio', gatewayApiChannel: undefined });
    expect(refusal(() => gatewayApiOf(new PropChecker('x'), { api: 'kong' as never })).prop).toBe('api');
  });

  test('addHttpHosts declares one plain-HTTP server, keeping namespace scopes by index', () => {
    expect(httpHostsServer(new PropChecker('x'), ['a.example.com', 'web/b.example.com'], { port: 8080 }))
      .toEqual({ port: 8080, portName: 'http-8080', protocol: 'HTTP', hosts: ['a.example.com', 'b.example.com'], hostScopes: [undefined, 'web'] });
    expect(refusal(() => httpHostsServer(new PropChecker('x'), [], {})).prop).toBe('hosts');
  });

  test('listed servers: plain HTTP on one port merged, plain hosts scoped to each namespace', () => {
    const listed = listedServers([server(80, ['a.example.com'], 'x'), { ...server(80, ['b.example.com'], 'y'), hostScopes: ['.'] }], ['api', 'web']);
    expect(listed).toHaveLength(1);
    expect(listed[0].hosts).toEqual(['api/a.example.com', 'web/a.example.com', './b.example.com']);
  });

  test('listed servers equal the merge-then-scope definition, for any mix of servers and scopes', () => {
    // The definition listedServers computes in one pass: plain-HTTP declarations on one port merged
    // (the first one's fields, hosts and scopes concatenated), then each host scoped.
    const reference = (servers: GatewayServer[], namespaces: string[] | undefined) => {
      const merged: (GatewayServer & { scopes: (string | undefined)[] })[] = [];
      const byName = new Map<string, GatewayServer & { hosts: string[]; scopes: (string | undefined)[] }>();
      for (const s of servers) {
        const scopes = s.hosts.map((_, i) => s.hostScopes?.[i]);
        const plain = s.protocol === 'HTTP' && !s.tls;
        const m = plain ? byName.get(s.portName) : undefined;
        if (m) { m.hosts.push(...s.hosts); m.scopes.push(...scopes); continue; }
        const copy = { ...s, hosts: [...s.hosts], scopes };
        if (plain) byName.set(s.portName, copy);
        merged.push(copy);
      }
      return merged.map(({ scopes, hostScopes: _h, ...s }) => ({
        ...s,
        hosts: s.hosts.flatMap((h, i) => (scopes[i] !== undefined ? [`${scopes[i]}/${h}`] : namespaces ? namespaces.map((ns) => `${ns}/${h}`) : [h])),
      }));
    };
    const serverArb = fc.record({
      port: fc.constantFrom(80, 443, 8080),
      protocol: fc.constantFrom('HTTP' as const, 'HTTPS' as const, 'TCP' as const),
      hosts: fc.array(fc.constantFrom('a.example.com', 'b.example.com', '*.example.com'), { maxLength: 3 }),
      scoped: fc.array(fc.option(fc.constantFrom('.', 'web', '*'), { nil: undefined }), { maxLength: 3 }),
      tls: fc.option(fc.constantFrom<ServerTls>({ httpsRedirect: true }, { mode: TlsMode.SIMPLE, credentialName: 'c' }), { nil: undefined }),
      name: fc.constantFrom('', '-x'),
    }).map(({ port, protocol, hosts, scoped, tls, name }): GatewayServer => ({
      port, portName: `${protocol.toLowerCase()}-${port}${name}`, protocol, hosts,
      ...(scoped.some((x) => x !== undefined) ? { hostScopes: hosts.map((_, i) => scoped[i]) } : {}),
      ...(tls ? { tls } : {}),
      declaredBy: `x${port}${name}`,
    }));
    fc.assert(fc.property(fc.array(serverArb, { maxLength: 8 }), fc.option(fc.constantFrom<string[]>(['api'], ['api', 'web']), { nil: undefined }), (servers, namespaces) => {
      const listed = listedServers(servers, namespaces);
      expect(listed).toEqual(reference(servers, namespaces));
      for (const s of listed) expect(s).not.toHaveProperty('hostScopes');
    }), { numRuns: 300 });
  });

  test('a server set refuses as its definition says, naming the server in the way, and keeps a refused batch out', () => {
    // The rules written as scans of the servers accepted so far; the set keeps indexes instead, which
    // must refuse the same declarations, name the same server, and be taken back with a refused batch.
    const family = (p: GatewayServer['protocol']) => (p === 'HTTP' ? 'http' : p === 'TCP' ? 'tcp' : 'tls');
    const plain = (s: GatewayServer) => s.protocol === 'HTTP' && !s.tls;
    const reference = (list: GatewayServer[], s: GatewayServer): [string, unknown, string | undefined] | undefined => {
      const first = list.find((x) => x.port === s.port);
      if (first && family(first.protocol) !== family(s.protocol)) return ['p', s.port, first.declaredBy];
      const tcp = s.protocol === 'TCP' ? list.find((x) => x.port === s.port && x.protocol === 'TCP') : undefined;
      if (tcp) return ['p', s.port, tcp.declaredBy];
      for (const h of s.hosts) {
        const owner = list.find((x) => x.port === s.port && x.hosts.some((y) => y.toLowerCase() === h.toLowerCase()));
        if (owner) return ['p', h, owner.declaredBy];
      }
      if (list.some((x) => x.portName === s.portName) && !(plain(s) && list.some((x) => plain(x) && x.portName === s.portName))) return ['p', s.portName, undefined];
      return undefined;
    };
    const serverArb = fc.record({
      port: fc.integer({ min: 1, max: 40 }),
      protocol: fc.constantFrom('HTTP' as const, 'HTTPS' as const, 'TCP' as const),
      hosts: fc.array(fc.constantFrom('a.example.com', 'A.example.com', 'b.example.com', '*.example.com'), { maxLength: 2 }),
      redirect: fc.boolean(),
      name: fc.constantFrom('', '-x'),
    });
    fc.assert(fc.property(fc.array(fc.array(serverArb, { minLength: 1, maxLength: 3 }), { maxLength: 30 }), (batches) => {
      const set = new ServerSet();
      const accepted: GatewayServer[] = [];
      let n = 0;
      for (const batch of batches) {
        const servers = batch.map(({ port, protocol, hosts, redirect, name }): GatewayServer => ({
          port, portName: `${protocol.toLowerCase()}-${port}${name}`, protocol, hosts,
          ...(protocol === 'HTTP' && redirect ? { tls: { httpsRedirect: true } } : {}), declaredBy: `d${n++}`,
        }));
        let expected: [string, unknown, string | undefined] | undefined;
        const trial = [...accepted];
        for (const s of servers) {
          expected = reference(trial, s);
          if (expected) break;
          trial.push(s);
        }
        let got: IstioGatewayError | undefined;
        try { set.addAll(servers.map((server) => ({ server, prop: 'p' })), new PropChecker('x')); } catch (e) { got = e as IstioGatewayError; }
        expect(got ? [got.prop, got.value] : undefined).toEqual(expected ? [expected[0], expected[1]] : undefined);
        if (expected?.[2]) expect(got!.problems[0].expected).toContain(`by ${expected[2]}`);
        if (!expected) accepted.push(...servers);
        expect(set.servers).toEqual(accepted);
      }
    }), { numRuns: 400 });
  });

  test('two gateways on one workload: a host claimed twice on a port, and two TCP servers on a port', () => {
    const one = { ref: 'a/gw1', servers: [server(80, ['shop.example.com'], "TlsHost 'a/shop'"), server(7000, [], "TcpGateway 'a/tcp'", 'TCP')] };
    const two = { ref: 'b/gw2', servers: [server(80, ['SHOP.example.com'], "TlsHost 'b/shop'"), server(7000, [], "TcpGateway 'b/tcp'", 'TCP')] };
    const problems = workloadConflicts([one, two], selectorKey({ istio: 'ingressgateway' }));
    expect(problems.map((p) => [p.construct, p.prop])).toEqual([["TlsHost 'b/shop'", 'hosts'], ["TcpGateway 'b/tcp'", 'port']]);
    expect(problems[0].expected).toContain('IST0145');
    expect(workloadConflicts([one], 'istio=ingressgateway')).toEqual([]);
  });
});

describe('isKubernetesCidr, the one CIDR check', () => {
  test.each(['10.0.0.0/8', '10.0.0.1/8', '0.0.0.0/0', '2001:db8::/32', '::/0', '2001:db8::1/128'])('accepts %s', (c) => expect(isKubernetesCidr(c)).toBe(true));
  test.each(['10.0.0.0', '10.0.0.0/33', '10.0.0.0/08', '01.0.0.0/8', 'abc/64', ':::/64', '2001:db8::/129', '::ffff:1.2.3.4/96', '10.0.0.0/8/8', ''])(
    'refuses %s', (c) => expect(isKubernetesCidr(c)).toBe(false));
});

describe('model to objects without cdk8s', () => {
  test('a TenantGateway model renders its Deployment and Service, selecting by the model\'s labels', () => {
    const m = tenant({ replicas: 3, ports: [{ name: 'tls-east-west', port: 15443 }] });
    const deployment: any = renderDeployment(m.workload);
    expect(deployment.metadata.name).toBe('payments');
    expect(deployment.spec.selector.matchLabels).toEqual(m.workload.selectorLabels);
    expect(deployment.spec.replicas).toBe(3);
    const service: any = renderService(m.workload, tenantServicePorts([], m.extraPorts));
    expect(service.spec.ports.map((p: { port: number }) => p.port)).toEqual([15021, 15443]);
    expect(service.spec.selector).toEqual(m.workload.selectorLabels);
  });

  test("an IngressGateway model renders the existing workload the analyzer is told about", () => {
    const m = ingressGatewayModel(new PropChecker('x'), 'shared', { namespace: 'web', installedBy: 'helm' });
    const [pod, service]: any[] = renderExistingIngressWorkload(m);
    expect([pod.kind, pod.metadata.name, pod.metadata.namespace, pod.metadata.labels]).toEqual(['Pod', 'istio-ingress-existing-web-shared', 'istio-ingress', { istio: 'ingress' }]);
    expect([service.kind, service.metadata.name]).toEqual(['Service', 'istio-ingress']);
    expect(service.spec.ports.map((p: { port: number; targetPort: number }) => [p.port, p.targetPort])).toEqual([[15021, 15021], [80, 80], [443, 443]]);
  });
});

describe('layering', () => {
  /** `file: specifier` for each import of a file under src/`folder` whose specifier matches `forbidden`. */
  function importsOf(folder: string, forbidden: RegExp): string[] {
    const dir = path.join(__dirname, '../src', folder);
    const files = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(0);
    return files.flatMap((f) => [...fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/from '([^']+)'/g)]
      .map((m) => m[1]).filter((spec) => forbidden.test(spec)).map((spec) => `${f}: ${spec}`));
  }

  // (that src/model imports none of them, nor the renderers, is test/model-policy.test.ts's)
  test('src/render imports nothing from the constructs or a front end', () => {
    expect(importsOf('render', /\/(cdk8s|pulumi|cli)(\/|$)|^(cdk8s|constructs|@pulumi\/.*)$/)).toEqual([]);
  });
});

describe('copyServer', () => {
  // What the spreads it replaces gave: the same fields, values and key order (only the hidden class differs).
  const tls: GatewayServer = {
    port: 443, portName: 'https-443-web', protocol: 'HTTPS', hosts: ['web.example.com'], hostScopes: ['team'],
    tls: { mode: TlsMode.SIMPLE, credentialName: 'web-cert' }, declaredBy: "TlsHost 'a/web'",
  };
  const tcp = { port: 7000, portName: 'tcp-7000-ledger', protocol: 'TCP' as const, hosts: ['*'] };
  const keysAndValues = (o: object) => Object.entries(o);

  test('a declaration with its declarer, as `{ ...server, hosts, declaredBy }`', () => {
    const { declaredBy: _omit, ...tlsDeclaration } = tls;
    for (const decl of [tcp, tlsDeclaration]) {
      const hosts = [...decl.hosts];
      expect(keysAndValues(copyServer(decl, hosts, 'keep', 'TcpGateway \'a/b\''))).toEqual(keysAndValues({ ...decl, hosts, declaredBy: 'TcpGateway \'a/b\'' }));
    }
  });

  test('a server with its host scopes kept, replaced or dropped', () => {
    const hosts = ['x.example.com'];
    expect(keysAndValues(copyServer(tls, hosts, 'keep'))).toEqual(keysAndValues({ ...tls, hosts }));
    expect(keysAndValues(copyServer(tls, hosts, [undefined]))).toEqual(keysAndValues({ ...tls, hosts, hostScopes: [undefined] }));
    const { hostScopes: _dropped, ...rest } = tls;
    expect(keysAndValues(copyServer(tls, hosts, 'drop'))).toEqual(keysAndValues({ ...rest, hosts }));
    // a server without scopes or TLS gains neither
    expect(Object.keys(copyServer({ ...tcp, declaredBy: 'x' }, tcp.hosts, 'keep'))).toEqual(['port', 'portName', 'protocol', 'hosts', 'declaredBy']);
  });

  test('listedServers gives the servers as before: merged plain HTTP, scoped hosts, no hostScopes field', () => {
    const http1: GatewayServer = { port: 80, portName: 'http-80', protocol: 'HTTP', hosts: ['a.example.com'], declaredBy: 'x' };
    const http2: GatewayServer = { port: 80, portName: 'http-80', protocol: 'HTTP', hosts: ['b.example.com'], hostScopes: ['.'], declaredBy: 'y' };
    const listed = listedServers([http1, tls, http2], ['team', 'other']);
    expect(listed.map(keysAndValues)).toEqual([
      keysAndValues({ port: 80, portName: 'http-80', protocol: 'HTTP', hosts: ['team/a.example.com', 'other/a.example.com', './b.example.com'], declaredBy: 'x' }),
      keysAndValues({ port: 443, portName: 'https-443-web', protocol: 'HTTPS', hosts: ['team/web.example.com'], tls: tls.tls, declaredBy: "TlsHost 'a/web'" }),
    ]);
    // the inputs are untouched
    expect(http1.hosts).toEqual(['a.example.com']);
  });
});

describe('mapPacked', () => {
  test('gives what Array.prototype.map gives: each entry mapped with its index, in order, a new list', () => {
    const list = ['a', 'b', 'c'];
    const out = mapPacked(list, (x, i) => `${i}:${x}`);
    expect(out).toEqual(list.map((x, i) => `${i}:${x}`));
    expect(out).not.toBe(list);
    expect(mapPacked([], () => 1)).toEqual([]);
  });
});
