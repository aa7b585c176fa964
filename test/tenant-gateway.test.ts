import { analyze, HttpRoute, IngressGateway, IstioGatewayError, SynthCheck, TcpCanaryRoute, TcpGateway, TenantGateway, TlsHost, TlsMode } from '../src';
import { all, errorOf, find, newChart, synth } from './support/synth';
import { expectValid } from './support/validate-helper';
import { orderingOf } from '../src/cdk8s/rendered-object';

function tenant(props: Partial<ConstructorParameters<typeof TenantGateway>[2]> = {}) {
  const { chart } = newChart();
  const gw = new TenantGateway(chart, 'payments', { namespace: 'payments', name: 'payments-gw', ...props });
  return { chart, gw };
}

describe('TenantGateway defaults', () => {
  const { chart, gw } = tenant();
  gw.addHttpHosts(['shop.payments.example.com']);
  const objects = synth(chart);

  test('emits the workload objects named after the gateway, in its namespace, without hash suffixes', () => {
    for (const kind of ['Deployment', 'Service', 'ServiceAccount', 'Role', 'RoleBinding', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Gateway']) {
      expect(find(objects, kind, 'payments-gw', 'payments')).toBeTruthy();
    }
    expect(all(objects, 'NetworkPolicy')).toHaveLength(0);
    expect(objects).toHaveLength(8);
  });

  test('pod template is injected with the gateway template', () => {
    const d = find(objects, 'Deployment', 'payments-gw');
    const tpl = d.spec.template;
    expect(tpl.metadata.labels['sidecar.istio.io/inject']).toBe('true');
    expect(tpl.metadata.annotations['inject.istio.io/templates']).toBe('gateway');
    expect(tpl.spec.containers).toHaveLength(1);
    expect(tpl.spec.containers[0].name).toBe('istio-proxy');
    expect(tpl.spec.containers[0].image).toBe('auto');
    expect(tpl.spec.containers[0].resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } });
    expect(tpl.spec.serviceAccountName).toBe('payments-gw');
    expect(tpl.spec.securityContext.sysctls).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }]);
    expect(tpl.spec.terminationGracePeriodSeconds).toBe(30);
  });

  test('selector labels are unique to the gateway and select its pods', () => {
    const d = find(objects, 'Deployment', 'payments-gw');
    const sel = d.spec.selector.matchLabels;
    expect(sel.istio).toBe('payments-gw');
    expect(sel.istio).not.toBe('ingressgateway');
    for (const [k, v] of Object.entries(sel)) expect(d.spec.template.metadata.labels[k]).toBe(v);
    expect(find(objects, 'Service', 'payments-gw').spec.selector).toEqual(sel);
    expect(find(objects, 'Gateway', 'payments-gw').spec.selector).toEqual(sel);
    expect(find(objects, 'PodDisruptionBudget', 'payments-gw').spec.selector.matchLabels).toEqual(sel);
  });

  test('Service exposes the status port and every server port, as LoadBalancer', () => {
    const svc = find(objects, 'Service', 'payments-gw');
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.spec.ports).toEqual([
      { name: 'status-port', port: 15021, protocol: 'TCP', targetPort: 15021 },
      { name: 'http-80', port: 80, protocol: 'TCP', targetPort: 80 },
    ]);
  });

  test('RBAC: a Role reading secrets only, bound only to the gateway ServiceAccount', () => {
    const role = find(objects, 'Role', 'payments-gw');
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'watch', 'list'] }]);
    const rb = find(objects, 'RoleBinding', 'payments-gw');
    expect(rb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'payments-gw' });
    expect(rb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'payments-gw', namespace: 'payments' }]);
  });

  test('autoscaler and disruption budget follow the documented defaults', () => {
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'payments-gw');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.minReplicas).toBe(2);
    expect(hpa.spec.maxReplicas).toBe(5);
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'payments-gw' });
    expect(hpa.spec.metrics[0].resource).toEqual({ name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } });
    expect(find(objects, 'Deployment', 'payments-gw').spec.replicas).toBeUndefined();
    expect(find(objects, 'PodDisruptionBudget', 'payments-gw').spec.maxUnavailable).toBe(1);
  });

  test('ServiceAccount and RBAC come before the Deployment in the output', () => {
    const idx = (kind: string) => objects.findIndex((o) => o.kind === kind);
    expect(idx('ServiceAccount')).toBeLessThan(idx('Deployment'));
    expect(idx('Role')).toBeLessThan(idx('Deployment'));
    expect(idx('RoleBinding')).toBeLessThan(idx('Deployment'));
  });

  test('pods meet the restricted Pod Security Standard where the template allows', () => {
    const spec = find(objects, 'Deployment', 'payments-gw').spec.template.spec;
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true });
  });

  test('pod and container security contexts are exactly the documented ones: nothing added, nothing privileged', () => {
    const spec = find(objects, 'Deployment', 'payments-gw').spec.template.spec;
    // No UID/GID: Istio's chart leaves them to the injector (1337, or the namespace's range on OpenShift).
    expect(spec.securityContext).toEqual({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
      // the one deviation from a bare pod: a "safe" sysctl, allowed by the restricted profile
      sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }],
    });
    expect(spec.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true,
      runAsNonRoot: true,
    });
    expect(spec.hostNetwork).toBeUndefined();
    expect(spec.hostPID).toBeUndefined();
    expect(spec.containers[0].ports?.some((p: any) => p.hostPort !== undefined) ?? false).toBe(false);
  });

  test('RBAC stays in the gateway namespace: no cluster-scoped roles, and the pods run as the bound ServiceAccount', () => {
    expect(objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding')).toHaveLength(0);
    const rb = find(objects, 'RoleBinding', 'payments-gw', 'payments');
    expect(find(objects, 'Role', 'payments-gw', 'payments').rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'watch', 'list'] }]);
    expect(find(objects, 'ServiceAccount', 'payments-gw', 'payments')).toBeTruthy();
    expect(find(objects, 'Deployment', 'payments-gw').spec.template.spec.serviceAccountName).toBe(rb.subjects[0].name);
    expect(rb.subjects.map((s: any) => s.name)).not.toContain('default');
  });

  test('objects are schema-valid', () => expectValid(objects));
});

describe('TenantGateway props', () => {
  test('every prop reaches the output', () => {
    const { chart, gw } = tenant({
      serviceType: 'NodePort',
      ports: [{ name: 'tls-east-west', port: 15443 }, { name: 'grpc-api', port: 9000, protocol: 'GRPC' }],
      autoscaling: { minReplicas: 3, maxReplicas: 9, targetCpuUtilization: 60, targetMemoryUtilization: 70 },
      disruptionBudget: { minAvailable: '50%' },
      resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
      revision: 'canary-1-30',
      labels: { team: 'payments' },
      podAnnotations: { 'example.com/owner': 'payments' },
      serviceAnnotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' },
      externalTrafficPolicy: 'Local',
      nodeSelector: { 'node-role': 'edge' },
      tolerations: [{ key: 'edge', operator: 'Exists', effect: 'NoSchedule' }],
      topologySpread: [{ topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' }],
      priorityClassName: 'edge-critical',
      terminationGracePeriodSeconds: 60,
      env: { ISTIO_META_ROUTER_MODE: 'sni-dnat' },
      networkPolicy: true,
    });
    gw.addHttpHosts(['a.example.com'], { port: 8080 });
    const objects = synth(chart);
    const svc = find(objects, 'Service', 'payments-gw');
    expect(svc.spec.type).toBe('NodePort');
    expect(svc.spec.externalTrafficPolicy).toBe('Local');
    expect(svc.metadata.annotations).toEqual({ 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' });
    expect(svc.spec.ports.map((p: any) => [p.name, p.port])).toEqual([['status-port', 15021], ['http-8080', 8080], ['tls-east-west', 15443], ['grpc-api', 9000]]);
    expect(svc.spec.ports[3].appProtocol).toBe('grpc');
    const d = find(objects, 'Deployment', 'payments-gw');
    const tpl = d.spec.template;
    expect(tpl.metadata.labels['istio.io/rev']).toBe('canary-1-30');
    expect(tpl.metadata.labels.team).toBe('payments');
    expect(d.spec.selector.matchLabels.team).toBeUndefined();
    expect(tpl.metadata.annotations['example.com/owner']).toBe('payments');
    expect(tpl.spec.containers[0].resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } });
    expect(tpl.spec.containers[0].env).toEqual([{ name: 'ISTIO_META_ROUTER_MODE', value: 'sni-dnat' }]);
    expect(tpl.spec.nodeSelector).toEqual({ 'node-role': 'edge' });
    expect(tpl.spec.tolerations).toEqual([{ key: 'edge', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(tpl.spec.topologySpreadConstraints).toEqual([{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: d.spec.selector.matchLabels } }]);
    expect(tpl.spec.priorityClassName).toBe('edge-critical');
    expect(tpl.spec.terminationGracePeriodSeconds).toBe(60);
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'payments-gw');
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([3, 9]);
    expect(hpa.spec.metrics.map((m: any) => [m.resource.name, m.resource.target.averageUtilization])).toEqual([['cpu', 60], ['memory', 70]]);
    expect(find(objects, 'PodDisruptionBudget', 'payments-gw').spec).toEqual({ minAvailable: '50%', selector: { matchLabels: d.spec.selector.matchLabels } });
    const np = find(objects, 'NetworkPolicy', 'payments-gw');
    expect(np.spec.podSelector.matchLabels).toEqual(d.spec.selector.matchLabels);
    expect(np.spec.ingress[0].ports.map((p: any) => p.port)).toEqual([8080, 9000, 15020, 15021, 15090, 15443]);
    expectValid(objects);
  });

  test('fixed replicas turn the autoscaler off; autoscaling: false and disruptionBudget: false remove them', () => {
    const a = tenant({ replicas: 3 });
    a.gw.addHttpHosts(['x.example.com']);
    const oa = synth(a.chart);
    expect(find(oa, 'Deployment', 'payments-gw').spec.replicas).toBe(3);
    expect(all(oa, 'HorizontalPodAutoscaler')).toHaveLength(0);
    const b = tenant({ autoscaling: false, disruptionBudget: false });
    b.gw.addHttpHosts(['x.example.com']);
    const ob = synth(b.chart);
    expect(find(ob, 'Deployment', 'payments-gw').spec.replicas).toBe(1);
    expect(all(ob, 'HorizontalPodAutoscaler')).toHaveLength(0);
    expect(all(ob, 'PodDisruptionBudget')).toHaveLength(0);
    expectValid([...oa, ...ob]);
  });

  test('an id that is no valid name is sanitized as the routes\' ids are (PaymentsGateway -> paymentsgateway); a valid id is kept as it is', () => {
    const { chart } = newChart();
    const gw = new TenantGateway(chart, 'PaymentsGateway', { namespace: 'payments' });
    const shared = new IngressGateway(chart, 'Public_Ingress', { namespace: 'istio-ingress' });
    const kept = new TenantGateway(chart, 'orders-gw', { namespace: 'orders' });
    expect(gw.gatewayName).toBe('paymentsgateway');
    expect(shared.gatewayName).toBe('public-ingress');
    expect(kept.gatewayName).toBe('orders-gw');
    gw.addHttpHosts(['a.example.com']);
    const objects = synth(chart);
    expect(find(objects, 'Deployment', 'paymentsgateway', 'payments')).toBeTruthy();
    expect(find(objects, 'Service', 'paymentsgateway', 'payments')).toBeTruthy();
  });

  test('name defaults to the construct id', () => {
    const { chart } = newChart();
    const gw = new TenantGateway(chart, 'team-a', { namespace: 'team-a' });
    gw.addHttpHosts(['a.example.com']);
    const objects = synth(chart);
    expect(find(objects, 'Deployment', 'team-a', 'team-a')).toBeTruthy();
    expectValid(objects);
  });

  test('two tenants with the same name in different namespaces select different pods', () => {
    const { chart } = newChart();
    const a = new TenantGateway(chart, 'a', { namespace: 'team-a', name: 'gateway' });
    const b = new TenantGateway(chart, 'b', { namespace: 'team-b', name: 'gateway' });
    a.addHttpHosts(['shop.example.com']);
    b.addHttpHosts(['shop.example.com']);
    const objects = synth(chart);
    const ga = find(objects, 'Gateway', 'gateway', 'team-a');
    const gb = find(objects, 'Gateway', 'gateway', 'team-b');
    expect(ga.spec.selector).not.toEqual(gb.spec.selector);
    expectValid(objects);
  });
});

describe('TenantGateway least privilege holds with every prop set', () => {
  test('security contexts and RBAC do not change with props', () => {
    const { chart, gw } = tenant({
      serviceType: 'NodePort', replicas: 3, revision: 'canary', labels: { team: 'payments' }, podAnnotations: { 'example.com/a': 'b' },
      resources: { limits: { cpu: '4' } }, env: { A: 'b' }, priorityClassName: 'edge', networkPolicy: true,
    });
    gw.addHttpHosts(['a.example.com']);
    const objects = synth(chart);
    const defaults = tenant();
    defaults.gw.addHttpHosts(['a.example.com']);
    const base = synth(defaults.chart);
    const spec = (o: any[]) => find(o, 'Deployment', 'payments-gw').spec.template.spec;
    expect(spec(objects).securityContext).toEqual(spec(base).securityContext);
    expect(spec(objects).containers[0].securityContext).toEqual(spec(base).containers[0].securityContext);
    for (const kind of ['Role', 'RoleBinding']) {
      const { metadata: _a, ...rbac } = find(objects, kind, 'payments-gw');
      const { metadata: _b, ...plain } = find(base, kind, 'payments-gw');
      expect(rbac).toEqual(plain);
    }
    expectValid(objects);
  });
});

describe('TenantGateway NetworkPolicy (opt-in)', () => {
  test('admits ingress only on the Service ports plus 15021 (status), 15020 and 15090 (metrics), for the gateway pods only', () => {
    const { chart, gw } = tenant({ networkPolicy: true, ports: [{ name: 'tls-east-west', port: 15443 }] });
    gw.addHttpHosts(['a.example.com']);
    new TlsHost(chart, 'shop', { gateway: gw, hosts: ['shop.example.com'], credentialName: 'shop-cert', port: 8443 });
    new TlsHost(chart, 'www', { gateway: gw, hosts: ['www.example.com'], credentialName: 'www-cert' }); // 443, with the redirect on 80
    new TcpGateway(chart, 'db', { gateway: gw, port: 5432, destination: { host: 'postgres', port: 5432 } });
    const objects = synth(chart);
    const np = find(objects, 'NetworkPolicy', 'payments-gw', 'payments');
    const svc = find(objects, 'Service', 'payments-gw');
    expect(np.spec.podSelector).toEqual({ matchLabels: find(objects, 'Deployment', 'payments-gw').spec.selector.matchLabels });
    expect(np.spec.policyTypes).toEqual(['Ingress']);
    // one rule: from anywhere (the gateway is the edge), to exactly these ports
    expect(np.spec.ingress).toHaveLength(1);
    expect(Object.keys(np.spec.ingress[0])).toEqual(['ports']);
    const admitted = np.spec.ingress[0].ports;
    const expected = [...new Set([...svc.spec.ports.map((p: any) => p.port), 15020, 15021, 15090])].sort((a, b) => a - b);
    expect(admitted).toEqual(expected.map((port) => ({ port, protocol: 'TCP' })));
    expect(expected).toEqual([80, 443, 5432, 8443, 15020, 15021, 15090, 15443]);
    // the proxy's admin and other internal ports stay closed
    for (const closed of [15000, 15001, 15006]) expect(admitted.map((p: any) => p.port)).not.toContain(closed);
    expectValid(objects);
  });

  test('is off by default', () => {
    const { chart, gw } = tenant();
    gw.addHttpHosts(['a.example.com']);
    expect(all(synth(chart), 'NetworkPolicy')).toHaveLength(0);
  });
});

describe('TenantGateway ports are derived from its servers', () => {
  test('TLS, redirect and TCP servers declared later all reach the Service', () => {
    const { chart, gw } = tenant();
    new TlsHost(chart, 'shop', { gateway: gw, hosts: ['shop.example.com'], credentialName: 'shop-cert', port: 8443 });
    new TlsHost(chart, 'www', { gateway: gw, hosts: ['www.example.com'], credentialName: 'www-cert' }); // 443, with the redirect on 80
    new TcpGateway(chart, 'db', { gateway: gw, port: 5432, destination: { host: 'postgres', port: 5432 } });
    gw.addHttpHosts(['plain.example.com'], { port: 8080 });
    const objects = synth(chart);
    const svcPorts = find(objects, 'Service', 'payments-gw').spec.ports.map((p: any) => p.port);
    const serverPorts = find(objects, 'Gateway', 'payments-gw').spec.servers.map((s: any) => s.port.number);
    expect(new Set(serverPorts)).toEqual(new Set([8443, 443, 80, 5432, 8080]));
    for (const p of serverPorts) expect(svcPorts).toContain(p);
    expect(svcPorts[0]).toBe(15021);
    expectValid(objects);
  });
});

describe('TenantGateway refuses bad input', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['namespace', { namespace: 'Payments' }, /namespace.*"Payments"/],
    ['missing namespace', { namespace: undefined }, /namespace/],
    ['name', { name: 'payments_gw' }, /name.*"payments_gw"/],
    ['serviceType', { serviceType: 'External' }, /serviceType.*"External".*LoadBalancer/],
    ['extra port number', { ports: [{ name: 'x', port: 70000 }] }, /ports\[0\]\.port.*70000/],
    ['extra port on status port', { ports: [{ name: 'x', port: 15021 }] }, /15021/],
    ['replicas with autoscaling', { replicas: 2, autoscaling: { minReplicas: 1 } }, /replicas.*2/],
    ['autoscaling min > max', { autoscaling: { minReplicas: 6, maxReplicas: 3 } }, /maxReplicas.*3/],
    ['budget both', { disruptionBudget: { minAvailable: 1, maxUnavailable: 1 } }, /disruptionBudget/],
    ['resources', { resources: { limits: { cpu: 'lots' } } }, /resources\.limits\.cpu.*"lots"/],
    ['reserved label', { labels: { istio: 'mine' } }, /labels\['istio'\].*"mine"/],
    ['typo prop', { replica: 3 }, /replica.*3.*valid props/],
    ['externalTrafficPolicy on ClusterIP', { serviceType: 'ClusterIP', externalTrafficPolicy: 'Local' }, /externalTrafficPolicy.*"Local"/],
    ['source ranges', { loadBalancerSourceRanges: ['10.0.0.0/33'] }, /loadBalancerSourceRanges\[0\].*10\.0\.0\.0\/33/],
  ];
  test.each(cases)('%s', (_label, props, message) => {
    const err = errorOf(() => tenant(props as any));
    expect(err).toBeInstanceOf(IstioGatewayError);
    expect(err.message).toMatch(message);
    expect(err.message).toContain('test/payments');
  });

  test.each(['ingressgateway', 'egressgateway', 'eastwestgateway'])('the name %s, which would label the pods like Istio\'s own gateway (regression)', (name) => {
    // found by test/properties-platform.test.ts: a TenantGateway named "ingressgateway" got the pod label
    // istio: ingressgateway, so every Gateway for the shared ingress gateway programmed its pods too
    const err = errorOf(() => tenant({ name }));
    expect(err).toBeInstanceOf(IstioGatewayError);
    expect(err.message).toContain("TenantGateway 'test/payments'");
    expect(err.message).toContain(`name: invalid value "${name}"`);
    expect(err.message).toContain(`istio: ${name}`);
    const byId = errorOf(() => new TenantGateway(newChart().chart, name, { namespace: 'payments' }));
    expect(byId.message).toContain(`name (defaults to the construct id): invalid value "${name}"`);
  });

  test('the same host twice on one port', () => {
    const { chart, gw } = tenant();
    gw.addHttpHosts(['dup.example.com']);
    const err = errorOf(() => new TlsHost(chart, 'dup', { gateway: gw, hosts: ['dup.example.com'], credentialName: 'c', port: 443 }));
    expect(err).toBeInstanceOf(IstioGatewayError);
    expect(err.message).toMatch(/dup\.example\.com.*port 80.*IST0145/);
  });

  test('plain HTTP and TLS on one port', () => {
    const { chart, gw } = tenant();
    gw.addHttpHosts(['a.example.com'], { port: 8443 });
    const err = errorOf(() => new TlsHost(chart, 'b', { gateway: gw, hosts: ['b.example.com'], credentialName: 'c', port: 8443, httpsRedirect: false }));
    expect(err).toBeInstanceOf(IstioGatewayError);
    expect(err.message).toMatch(/8443.*HTTP/);
  });

  test('a server on a proxy-reserved port', () => {
    const { gw } = tenant();
    const err = errorOf(() => gw.addHttpHosts(['a.example.com'], { port: 15090 }));
    expect(err.message).toMatch(/15090.*reserved/);
  });

  test('an invalid host', () => {
    const { gw } = tenant();
    for (const bad of ['shop.*.example.com', 'http://shop.example.com', 'shop.example.com:443', '', 'a..b']) {
      const err = errorOf(() => gw.addHttpHosts([bad]));
      expect(err).toBeInstanceOf(IstioGatewayError);
      expect(err.message).toContain(JSON.stringify(bad));
    }
  });

  test('TlsMode values are Istio strings', () => {
    expect(Object.values(TlsMode)).toEqual(['SIMPLE', 'MUTUAL', 'OPTIONAL_MUTUAL', 'PASSTHROUGH', 'ISTIO_MUTUAL']);
  });
});

describe('issue 11: security context on OpenShift (item 4)', () => {
  test('no fixed UID/GID/fsGroup anywhere (restricted-v2 SCC assigns them), still Pod Security Standard restricted', () => {
    const { chart, gw } = tenant({ networkPolicy: true, revision: 'canary' });
    gw.addHttpHosts(['a.example.com']);
    const objects = synth(chart);
    const spec = find(objects, 'Deployment', 'payments-gw').spec.template.spec;
    const text = JSON.stringify(spec);
    for (const field of ['runAsUser', 'runAsGroup', 'fsGroup', 'supplementalGroups']) expect(text).not.toContain(field);
    // restricted: non-root, no escalation, all capabilities dropped, RuntimeDefault seccomp
    expect(spec.securityContext.runAsNonRoot).toBe(true);
    expect(spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    const c = spec.containers[0].securityContext;
    expect(c).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expectValid(objects);
  });
});

describe('issue 11: NetworkPolicy metrics and UDP (item 5)', () => {
  test('admits 15020 (where prometheus.io/port points) and 15090, and an extra UDP port as UDP', () => {
    const { chart, gw } = tenant({ networkPolicy: true, ports: [{ name: 'udp-dns', port: 5353, protocol: 'UDP' }, { name: 'sctp-x', port: 9999, protocol: 'SCTP' }] });
    gw.addHttpHosts(['a.example.com']);
    const objects = synth(chart);
    const np = find(objects, 'NetworkPolicy', 'payments-gw');
    const ports = np.spec.ingress[0].ports;
    const annotationPort = Number(find(objects, 'Deployment', 'payments-gw').spec.template.metadata.annotations['prometheus.io/port']);
    expect(ports).toContainEqual({ port: annotationPort, protocol: 'TCP' });
    expect(ports).toContainEqual({ port: 15020, protocol: 'TCP' });
    expect(ports).toContainEqual({ port: 15090, protocol: 'TCP' });
    expect(ports).toContainEqual({ port: 5353, protocol: 'UDP' });
    expect(ports).not.toContainEqual({ port: 5353, protocol: 'TCP' });
    expect(ports).toContainEqual({ port: 9999, protocol: 'SCTP' });
    expectValid(objects);
  });
});

describe('issue 11: a disruption budget that blocks every drain is refused (item 7)', () => {
  const refused: [string, Record<string, unknown>, RegExp][] = [
    ['minAvailable 1 with one fixed replica', { replicas: 1, disruptionBudget: { minAvailable: 1 } }, /disruptionBudget\.minAvailable: invalid value 1;.*1 replica.*drain/],
    ['minAvailable 1 without autoscaling (1 replica)', { autoscaling: false, disruptionBudget: { minAvailable: 1 } }, /disruptionBudget\.minAvailable.*drain/],
    ['minAvailable 1 with autoscaling down to 1', { autoscaling: { minReplicas: 1 }, disruptionBudget: { minAvailable: 1 } }, /disruptionBudget\.minAvailable.*1 replica/],
    ['minAvailable 2 with autoscaling down to 2', { disruptionBudget: { minAvailable: 2 } }, /disruptionBudget\.minAvailable.*minAvailable below 2/],
    ['minAvailable 100%', { replicas: 5, disruptionBudget: { minAvailable: '100%' } }, /disruptionBudget\.minAvailable: invalid value "100%"/],
    ['maxUnavailable 0', { disruptionBudget: { maxUnavailable: 0 } }, /disruptionBudget\.maxUnavailable: invalid value 0/],
    ['maxUnavailable 0%', { disruptionBudget: { maxUnavailable: '0%' } }, /disruptionBudget\.maxUnavailable: invalid value "0%"/],
    ['minAvailable 60% of one replica (rounded up to 1)', { replicas: 1, disruptionBudget: { minAvailable: '60%' } }, /disruptionBudget\.minAvailable: invalid value "60%"/],
    ['minAvailable 51% of two replicas (rounded up to 2)', { disruptionBudget: { minAvailable: '51%' } }, /disruptionBudget\.minAvailable: invalid value "51%"/],
  ];
  test.each(refused)('%s', (_l, props, message) => {
    const err = errorOf(() => tenant(props as any));
    expect(err).toBeInstanceOf(IstioGatewayError);
    expect(err.message).toContain("TenantGateway 'test/payments'");
    expect(err.message).toMatch(message);
  });

  test('minAvailable 50% of two replicas (one may go) and maxUnavailable 10% (rounded up to one) are kept', () => {
    for (const disruptionBudget of [{ minAvailable: '50%' }, { maxUnavailable: '10%' }]) {
      const { chart, gw } = tenant({ disruptionBudget });
      gw.addHttpHosts(['a.example.com']);
      const objects = synth(chart);
      expect(find(objects, 'PodDisruptionBudget', 'payments-gw').spec).toMatchObject(disruptionBudget);
      expectValid(objects);
    }
  });

  test('minAvailable 1 with the default autoscaling floor of 2 is kept', () => {
    const { chart, gw } = tenant({ disruptionBudget: { minAvailable: 1 } });
    gw.addHttpHosts(['a.example.com']);
    const objects = synth(chart);
    expect(find(objects, 'PodDisruptionBudget', 'payments-gw').spec.minAvailable).toBe(1);
    expectValid(objects);
  });
});

describe('issue 11: names are DNS-1035 labels, as Service names must be (item 8)', () => {
  test.each(['80', '1gw', '0-payments'])('the name %s is refused with the fix', (name) => {
    const err = errorOf(() => tenant({ name }));
    expect(err).toBeInstanceOf(IstioGatewayError);
    expect(err.message).toContain(`name: invalid value "${name}"`);
    expect(err.message).toContain('DNS-1035');
    expect(err.message).toContain(`"gw-${name}"`);
    const byId = errorOf(() => new TenantGateway(newChart().chart, name, { namespace: 'payments' }));
    expect(byId).toBeInstanceOf(IstioGatewayError);
    expect(byId.message).toContain(`name (defaults to the construct id): invalid value "${name}"`);
  });
});

describe('issue 11: hostile keys give our error or valid output (item 11)', () => {
  test('keys named constructor (labels, annotations, selectors, affinity) reach the output instead of failing synth', () => {
    const { chart, gw } = tenant({
      labels: { constructor: 'a' }, podAnnotations: { constructor: 'b' }, serviceAnnotations: { constructor: 'c' },
      nodeSelector: { constructor: 'd' }, serviceAccountAnnotations: { constructor: 'e' },
      affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: { topologyKey: 'zone', labelSelector: { matchLabels: { constructor: 'f' } } } }] } },
      createNamespace: { labels: { constructor: 'g' } },
    });
    gw.addHttpHosts(['a.example.com']);
    const objects = synth(chart);
    const d = find(objects, 'Deployment', 'payments-gw');
    const own = (o: object, k: string) => Object.getOwnPropertyDescriptor(o, k)?.value;
    expect(own(d.metadata.labels, 'constructor')).toBe('a');
    expect(own(d.spec.template.metadata.labels, 'constructor')).toBe('a');
    expect(own(d.spec.selector.matchLabels, 'constructor')).toBeUndefined(); // user labels never reach the selector
    expect(own(d.spec.template.metadata.annotations, 'constructor')).toBe('b');
    expect(own(find(objects, 'Service', 'payments-gw').metadata.annotations, 'constructor')).toBe('c');
    expect(own(d.spec.template.spec.nodeSelector, 'constructor')).toBe('d');
    expect(own(find(objects, 'ServiceAccount', 'payments-gw').metadata.annotations, 'constructor')).toBe('e');
    expect(own(d.spec.template.spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector.matchLabels, 'constructor')).toBe('f');
    expect(own(find(objects, 'Namespace', 'payments').metadata.labels, 'constructor')).toBe('g');
    expectValid(objects);
  });

  test('other prototype names (toString, hasOwnProperty, valueOf) are ordinary keys and reach the output', () => {
    const { chart, gw } = tenant({ labels: { toString: 'a' }, nodeSelector: { hasOwnProperty: 'b' }, podAnnotations: { valueOf: 'c' } });
    gw.addHttpHosts(['a.example.com']);
    const objects = synth(chart);
    const tpl = find(objects, 'Deployment', 'payments-gw').spec.template;
    expect(tpl.metadata.labels.toString).toBe('a');
    expect(tpl.spec.nodeSelector).toEqual({ hasOwnProperty: 'b' });
    expect(tpl.metadata.annotations.valueOf).toBe('c');
    expectValid(objects);
  });

  test('env {"__proto__": "x"} is kept as a variable, not dropped', () => {
    const { chart, gw } = tenant({ env: JSON.parse('{"__proto__": "x", "A": "b"}') });
    gw.addHttpHosts(['a.example.com']);
    const objects = synth(chart);
    expect(find(objects, 'Deployment', 'payments-gw').spec.template.spec.containers[0].env).toEqual([{ name: 'A', value: 'b' }, { name: '__proto__', value: 'x' }]);
    expectValid(objects);
  });

  test.each([
    ['toleration key with a newline', { tolerations: [{ key: 'a\nb', operator: 'Exists' }] }, /tolerations\[0\]\.key: invalid value "a\\nb"/],
    ['toleration key with a space', { tolerations: [{ key: 'a b', operator: 'Exists' }] }, /tolerations\[0\]\.key/],
    ['toleration value with a newline', { tolerations: [{ key: 'a', operator: 'Equal', value: 'x\ny' }] }, /tolerations\[0\]\.value/],
    ['Equal toleration without a key', { tolerations: [{ operator: 'Equal', value: 'x' }] }, /tolerations\[0\]\.key.*Exists/],
    ['topology key with a newline', { topologySpread: [{ topologyKey: 'zone\n' }] }, /topologySpread\[0\]\.topologyKey: invalid value "zone\\n"/],
    ['topology key twice', { topologySpread: [{ topologyKey: 'zone' }, { topologyKey: 'zone' }] }, /topologySpread\[1\]\.topologyKey/],
  ])('%s is refused', (_l, props, message) => {
    const err = errorOf(() => tenant(props as any));
    expect(err).toBeInstanceOf(IstioGatewayError);
    expect(err.message).toMatch(message);
  });
});

describe('issue 11: tenant isolation by default (item 10)', () => {
  /** Every server host of a Gateway is namespace-scoped, and no scope is "*": no namespace outside the list can bind. */
  const scopes = (gateway: any) => gateway.spec.servers.flatMap((s: any) => s.hosts.map((h: string) => (h.includes('/') ? h.slice(0, h.indexOf('/')) : '<any>')));

  test('a TenantGateway\'s hosts admit only its own namespace when no route of the App binds from elsewhere', () => {
    const { chart, gw } = tenant();
    gw.addHttpHosts(['plain.example.com']);
    new TlsHost(chart, 'shop', { gateway: gw, hosts: ['shop.example.com'], credentialName: 'shop-cert', destination: { host: 'shop', port: 8080 } });
    new TcpGateway(chart, 'db', { gateway: gw, port: 5432, destination: { host: 'postgres', port: 5432 } });
    const objects = synth(chart);
    const g = find(objects, 'Gateway', 'payments-gw', 'payments');
    expect(new Set(scopes(g))).toEqual(new Set(['payments']));
    expect(g.spec.servers.map((s: any) => s.hosts)).toEqual([['payments/plain.example.com'], ['payments/shop.example.com'], ['payments/shop.example.com'], ['payments/*']]);
    // the routes the constructs wrote (in "payments") still bind: the analyzer finds no IST0132
    expect(find(objects, 'VirtualService', 'shop', 'payments').spec.hosts).toEqual(['shop.example.com']);
    expect(gw.routeNamespaces).toEqual(['payments']);
    expectValid(objects);
  });

  test('a route in the same App from another namespace still binds: its namespace is admitted, lazily at synth', () => {
    const { chart, gw } = tenant();
    gw.addHttpHosts(['shop.example.com']);
    const objectsBefore = synth(chart);
    expect(find(objectsBefore, 'Gateway', 'payments-gw').spec.servers[0].hosts).toEqual(['payments/shop.example.com']);
    // declared after the gateway's servers, in namespace "web"
    new HttpRoute(chart, 'web-route', { namespace: 'web', hosts: ['shop.example.com'], gateways: [gw], destination: { host: 'storefront', port: 8080 } });
    const objects = synth(chart);
    const g = find(objects, 'Gateway', 'payments-gw');
    expect(g.spec.servers[0].hosts).toEqual(['payments/shop.example.com', 'web/shop.example.com']);
    expect(find(objects, 'VirtualService', 'web-route', 'web').spec.gateways).toEqual(['payments/payments-gw']);
    expect(gw.routeNamespaces).toEqual(['payments', 'web']);
    expect(SynthCheck.of(chart).lastDiagnostics.filter((d) => d.code === 'IST0132')).toEqual([]);
    expectValid(objects);
  });

  test('the analyzer reports a hand-written route from an unlisted namespace (IST0132), which proves the scoping bites', () => {
    const { chart, gw } = tenant();
    gw.addHttpHosts(['shop.example.com']);
    const objects = synth(chart);
    const intruder = {
      apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'steal', namespace: 'intruder' },
      spec: { hosts: ['shop.example.com'], gateways: ['payments/payments-gw'], http: [{ route: [{ destination: { host: 'evil' } }] }] },
    };
    const diags = analyze([...objects, intruder], { analyzers: ['virtualservice.GatewayAnalyzer'] });
    expect(diags.map((d) => [d.code, d.origin])).toContainEqual(['IST0132', 'VirtualService intruder/steal']);
    // the same route from "payments" binds
    const own = { ...intruder, metadata: { name: 'own', namespace: 'payments' } };
    expect(analyze([...objects, own], { analyzers: ['virtualservice.GatewayAnalyzer'] }).filter((d) => d.code === 'IST0132')).toEqual([]);
  });

  test('a TcpGateway and a TcpCanaryRoute in other namespaces bind too', () => {
    const { chart, gw } = tenant();
    new TcpGateway(chart, 'db', { gateway: gw, namespace: 'data', port: 5432, destination: { host: 'postgres', port: 5432 } });
    new TcpCanaryRoute(chart, 'echo', {
      gateway: gw, namespace: 'echo', port: 31400, destination: { host: 'tcp-echo', port: 9000 },
      stable: { subset: 'v1', labels: { version: 'v1' } }, canary: { subset: 'v2', labels: { version: 'v2' }, weight: 20 },
    });
    const objects = synth(chart);
    const servers = find(objects, 'Gateway', 'payments-gw').spec.servers;
    expect(servers.map((s: any) => s.hosts)).toEqual([['data/*', 'echo/*', 'payments/*'], ['data/*', 'echo/*', 'payments/*']]);
    expect(SynthCheck.of(chart).lastDiagnostics.filter((d) => d.code === 'IST0132')).toEqual([]);
    expectValid(objects);
  });

  test("routeNamespaces: ['*'] opens the hosts to every namespace (plain hosts, as before)", () => {
    const { chart, gw } = tenant({ routeNamespaces: ['*'] });
    gw.addHttpHosts(['shop.example.com']);
    const objects = synth(chart);
    expect(find(objects, 'Gateway', 'payments-gw').spec.servers[0].hosts).toEqual(['shop.example.com']);
    expectValid(objects);
  });

  test('an explicit routeNamespaces lists exactly those namespaces; a bound route from another one fails synthesis naming both', () => {
    const a = tenant({ routeNamespaces: ['web', 'payments'] });
    a.gw.addHttpHosts(['shop.example.com']);
    const objects = synth(a.chart);
    expect(find(objects, 'Gateway', 'payments-gw').spec.servers[0].hosts).toEqual(['payments/shop.example.com', 'web/shop.example.com']);
    expectValid(objects);
    const b = tenant({ routeNamespaces: ['web'] });
    b.gw.addHttpHosts(['shop.example.com']);
    new HttpRoute(b.chart, 'r', { namespace: 'shop', hosts: ['shop.example.com'], gateways: [b.gw], destination: { host: 'storefront', port: 8080 } });
    const err = errorOf(() => synth(b.chart));
    expect(err).toBeInstanceOf(IstioGatewayError);
    expect(err.message).toContain(`[TenantGateway 'test/payments'] routeNamespaces: invalid value ["web"]`);
    expect(err.message).toContain("'test/r' binds a route in namespace \"shop\"");
  });

  test('namespace-scoped hosts are accepted where Istio accepts them and kept as written', () => {
    const { chart, gw } = tenant();
    gw.addHttpHosts(['./own.example.com', '*/open.example.com', 'team-b/b.example.com', 'plain.example.com']);
    new TlsHost(chart, 'shop', { gateway: gw, hosts: ['web/shop.example.com'], credentialName: 'c', namespace: 'web', destination: { host: 'storefront', port: 8080 } });
    const objects = synth(chart);
    const servers = find(objects, 'Gateway', 'payments-gw').spec.servers;
    expect(servers[0].hosts).toEqual(['./own.example.com', '*/open.example.com', 'team-b/b.example.com', 'payments/plain.example.com', 'web/plain.example.com']);
    expect(servers[1].hosts).toEqual(['web/shop.example.com']);
    expect(find(objects, 'VirtualService', 'shop', 'web').spec.hosts).toEqual(['shop.example.com']);
    expectValid(objects);
  });

  test('IngressGateway accepts namespace-scoped hosts too', () => {
    const { chart } = newChart();
    const ig = new IngressGateway(chart, 'shared', { namespace: 'edge', servicePorts: [{ port: 80 }] } as any);
    ig.addHttpHosts(['team-a/a.example.com']);
    expect(find(synth(chart), 'Gateway', ig.gatewayName).spec.servers[0].hosts).toEqual(['team-a/a.example.com']);
  });

  test.each([
    ['an upper-case namespace part', ['Team/a.example.com'], /hosts\[0\]: invalid value "Team\/a.example.com"/],
    ['two slashes', ['a/b/c.example.com'], /hosts\[0\]/],
    ['an empty host after the namespace', ['team/'], /hosts\[0\]: invalid value "team\/"/],
    ['one host twice in two namespaces', ['a/x.example.com', 'b/x.example.com'], /hosts\[1\].*once/],
  ])('refused: %s', (_l, hosts, message) => {
    const { gw } = tenant();
    const err = errorOf(() => gw.addHttpHosts(hosts));
    expect(err).toBeInstanceOf(IstioGatewayError);
    expect(err.message).toMatch(message);
  });

  test('a TlsHost whose route would not be admitted by its own scoped host is refused', () => {
    const { chart, gw } = tenant();
    const err = errorOf(() => new TlsHost(chart, 'x', { gateway: gw, hosts: ['team-b/x.example.com'], credentialName: 'c', destination: { host: 'x', port: 80 } }));
    expect(err).toBeInstanceOf(IstioGatewayError);
    expect(err.message).toContain('hosts[0]: invalid value "team-b/x.example.com"');
    expect(err.message).toContain('namespace "payments"');
  });

  test.each([
    ['empty', [], /routeNamespaces/],
    ['"*" with others', ['*', 'web'], /routeNamespaces\[0\]/],
    ['a bad namespace', ['Web'], /routeNamespaces\[0\]: invalid value "Web"/],
    ['a duplicate', ['web', 'web'], /routeNamespaces\[1\]/],
  ])('routeNamespaces refused: %s', (_l, routeNamespaces, message) => {
    const err = errorOf(() => tenant({ routeNamespaces: routeNamespaces as string[] }));
    expect(err).toBeInstanceOf(IstioGatewayError);
    expect(err.message).toMatch(message);
  });

  test('names and selectors do not move with routeNamespaces or bound routes', () => {
    const ids = (props: any, withRoute: boolean) => {
      const { chart, gw } = tenant(props);
      gw.addHttpHosts(['shop.example.com']);
      if (withRoute) new HttpRoute(chart, 'r', { namespace: 'web', hosts: ['shop.example.com'], gateways: [gw], destination: { host: 's', port: 80 } });
      const objects = synth(chart).filter((o) => o.kind !== 'VirtualService');
      return objects.map((o) => [o.kind, o.metadata.namespace, o.metadata.name, o.spec?.selector ?? o.spec?.podSelector]);
    };
    const base = ids({}, false);
    expect(ids({ routeNamespaces: ['*'] }, false)).toEqual(base);
    expect(ids({}, true)).toEqual(base);
  });
});

describe('issue 11: production settings', () => {
  test('defaults: zone and node topology spread, no pull secrets, no SA annotations, no affinity, no Namespace', () => {
    const { chart, gw } = tenant();
    gw.addHttpHosts(['a.example.com']);
    const objects = synth(chart);
    const d = find(objects, 'Deployment', 'payments-gw');
    const sel = d.spec.selector.matchLabels;
    expect(d.spec.template.spec.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: sel } },
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: sel } },
    ]);
    for (const f of ['imagePullSecrets', 'affinity']) expect(d.spec.template.spec[f]).toBeUndefined();
    for (const f of ['strategy', 'minReadySeconds']) expect(d.spec[f]).toBeUndefined();
    expect(find(objects, 'ServiceAccount', 'payments-gw').metadata.annotations).toBeUndefined();
    const svc = find(objects, 'Service', 'payments-gw').spec;
    for (const f of ['loadBalancerIP', 'ipFamilies', 'ipFamilyPolicy', 'internalTrafficPolicy']) expect(svc[f]).toBeUndefined();
    expect(find(objects, 'HorizontalPodAutoscaler', 'payments-gw').spec.behavior).toBeUndefined();
    expect(all(objects, 'Namespace')).toHaveLength(0);
  });

  test('every production prop reaches the output and validates', () => {
    const affinity = {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'node-role', operator: 'In', values: ['edge'] }] }] } },
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'payments-gw' } } } }] },
    };
    const { chart, gw } = tenant({
      serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/payments-gw' },
      imagePullSecrets: ['registry-cred'],
      affinity,
      strategy: { maxSurge: 1, maxUnavailable: 0 },
      minReadySeconds: 10,
      autoscaling: { minReplicas: 3, behavior: { scaleDown: { stabilizationWindowSeconds: 600, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] }, scaleUp: { selectPolicy: 'Max' } } },
      loadBalancerIP: '203.0.113.10',
      ipFamilies: ['IPv4', 'IPv6'],
      ipFamilyPolicy: 'PreferDualStack',
      internalTrafficPolicy: 'Local',
      revision: 'canary',
      createNamespace: { labels: { team: 'payments' }, annotations: { 'example.com/owner': 'payments' } },
    });
    gw.addHttpHosts(['a.example.com']);
    const objects = synth(chart);
    expect(find(objects, 'ServiceAccount', 'payments-gw').metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/payments-gw' });
    const d = find(objects, 'Deployment', 'payments-gw');
    expect(d.spec.template.spec.imagePullSecrets).toEqual([{ name: 'registry-cred' }]);
    expect(d.spec.template.spec.affinity).toEqual(affinity);
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(d.spec.minReadySeconds).toBe(10);
    expect(find(objects, 'HorizontalPodAutoscaler', 'payments-gw').spec.behavior).toEqual({
      scaleDown: { stabilizationWindowSeconds: 600, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] }, scaleUp: { selectPolicy: 'Max' },
    });
    const svc = find(objects, 'Service', 'payments-gw').spec;
    expect([svc.loadBalancerIP, svc.ipFamilies, svc.ipFamilyPolicy, svc.internalTrafficPolicy]).toEqual(['203.0.113.10', ['IPv4', 'IPv6'], 'PreferDualStack', 'Local']);
    const ns = find(objects, 'Namespace', 'payments');
    expect(ns.metadata.namespace).toBeUndefined();
    expect(ns.metadata.labels).toEqual({ team: 'payments', 'istio.io/rev': 'canary', 'app.kubernetes.io/managed-by': 'istio-gateway-constructs' });
    expect(ns.metadata.annotations).toEqual({ 'example.com/owner': 'payments' });
    // the Namespace comes before every object in it
    expect(objects.indexOf(ns)).toBe(0);
    expectValid(objects);
  });

  test('createNamespace: true labels the namespace for the default injector', () => {
    const { chart, gw } = tenant({ createNamespace: true });
    gw.addHttpHosts(['a.example.com']);
    const objects = synth(chart);
    expect(find(objects, 'Namespace', 'payments').metadata.labels).toEqual({ 'istio-injection': 'enabled', 'app.kubernetes.io/managed-by': 'istio-gateway-constructs' });
    expect(objects[0].kind).toBe('Namespace');
    expectValid(objects);
  });

  test('maxSurge above 100% is accepted, as Kubernetes accepts it', () => {
    const { chart, gw } = tenant({ strategy: { maxSurge: '200%' } });
    gw.addHttpHosts(['a.example.com']);
    const objects = synth(chart);
    expect(find(objects, 'Deployment', 'payments-gw').spec.strategy.rollingUpdate).toEqual({ maxSurge: '200%' });
    expectValid(objects);
  });

  test('Recreate strategy', () => {
    const { chart, gw } = tenant({ strategy: { type: 'Recreate' } });
    gw.addHttpHosts(['a.example.com']);
    const objects = synth(chart);
    expect(find(objects, 'Deployment', 'payments-gw').spec.strategy).toEqual({ type: 'Recreate' });
    expectValid(objects);
  });

  const refused: [string, Record<string, unknown>, RegExp][] = [
    ['serviceAccountAnnotations key', { serviceAccountAnnotations: { 'bad key': 'x' } }, /serviceAccountAnnotations\['bad key'\]/],
    ['serviceAccountAnnotations value', { serviceAccountAnnotations: { a: 1 } }, /serviceAccountAnnotations\['a'\]: invalid value 1/],
    ['imagePullSecrets name', { imagePullSecrets: ['Bad_Name'] }, /imagePullSecrets\[0\]: invalid value "Bad_Name".*Secret in namespace "payments"/],
    ['imagePullSecrets duplicate', { imagePullSecrets: ['a', 'a'] }, /imagePullSecrets\[1\]/],
    ['imagePullSecrets not a list', { imagePullSecrets: 'a' }, /imagePullSecrets: invalid value "a"/],
    ['affinity unknown key', { affinity: { podAntiAffinityy: {} } }, /affinity\.podAntiAffinityy/],
    ['affinity bad shape', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: 'edge' } } } }, /affinity.*Kubernetes Affinity/],
    ['affinity bad operator', { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 5 }] } } }, /affinity/],
    ['strategy type', { strategy: { type: 'BlueGreen' } }, /strategy\.type: invalid value "BlueGreen"/],
    ['strategy Recreate with surge', { strategy: { type: 'Recreate', maxSurge: 1 } }, /strategy\.type.*Recreate/],
    ['strategy both zero', { strategy: { maxSurge: 0, maxUnavailable: 0 } }, /strategy\.maxUnavailable.*both be 0/],
    ['strategy maxUnavailable over 100%', { strategy: { maxUnavailable: '150%' } }, /strategy\.maxUnavailable: invalid value "150%"/],
    ['strategy maxSurge not a number', { strategy: { maxSurge: 'lots' } }, /strategy\.maxSurge: invalid value "lots"/],
    ['behavior empty policies', { autoscaling: { behavior: { scaleUp: { policies: [] } } } }, /autoscaling\.behavior\.scaleUp\.policies: invalid value \[\]/],
    ['minReadySeconds', { minReadySeconds: -1 }, /minReadySeconds: invalid value -1/],
    ['behavior unknown', { autoscaling: { behavior: { scaleSideways: {} } } }, /autoscaling\.behavior\.scaleSideways/],
    ['behavior window', { autoscaling: { behavior: { scaleDown: { stabilizationWindowSeconds: 7200 } } } }, /stabilizationWindowSeconds: invalid value 7200/],
    ['behavior policy type', { autoscaling: { behavior: { scaleUp: { policies: [{ type: 'Nodes', value: 1, periodSeconds: 60 }] } } } }, /policies\[0\]\.type: invalid value "Nodes"/],
    ['behavior policy period', { autoscaling: { behavior: { scaleUp: { policies: [{ type: 'Pods', value: 1 }] } } } }, /policies\[0\]\.periodSeconds/],
    ['loadBalancerIP', { loadBalancerIP: '300.1.1.1' }, /loadBalancerIP: invalid value "300.1.1.1"/],
    ['loadBalancerIP on ClusterIP', { serviceType: 'ClusterIP', loadBalancerIP: '10.0.0.1' }, /loadBalancerIP.*LoadBalancer/],
    ['ipFamilies value', { ipFamilies: ['IPv5'] }, /ipFamilies\[0\]: invalid value "IPv5"/],
    ['ipFamilies duplicate', { ipFamilies: ['IPv4', 'IPv4'] }, /ipFamilies\[1\]/],
    ['two families single stack', { ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'SingleStack' }, /ipFamilyPolicy: invalid value "SingleStack"/],
    ['ipFamilyPolicy', { ipFamilyPolicy: 'DualStack' }, /ipFamilyPolicy: invalid value "DualStack"/],
    ['internalTrafficPolicy', { internalTrafficPolicy: 'Node' }, /internalTrafficPolicy: invalid value "Node"/],
    ['createNamespace junk', { createNamespace: 'yes' }, /createNamespace: invalid value "yes"/],
    ['createNamespace injection label', { createNamespace: { labels: { 'istio-injection': 'disabled' } } }, /createNamespace\.labels\['istio-injection'\]/],
    ['createNamespace unknown', { createNamespace: { label: {} } }, /createNamespace\.label/],
  ];
  test.each(refused)('refused: %s', (_l, props, message) => {
    const err = errorOf(() => tenant(props as any));
    expect(err).toBeInstanceOf(IstioGatewayError);
    expect(err.message).toContain("TenantGateway 'test/payments'");
    expect(err.message).toMatch(message);
  });

  test('an IPv6 loadBalancerIP is accepted', () => {
    const { chart, gw } = tenant({ loadBalancerIP: '2001:db8::10', ipFamilies: ['IPv6'] });
    gw.addHttpHosts(['a.example.com']);
    const objects = synth(chart);
    expect(find(objects, 'Service', 'payments-gw').spec.loadBalancerIP).toBe('2001:db8::10');
    expectValid(objects);
  });
});

describe('issue 11: affinity errors point at the bad field', () => {
  test('the value shown is the field at fault, not the whole affinity', () => {
    const err = errorOf(() => tenant({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 5 }] } } }));
    expect(err).toBeInstanceOf(IstioGatewayError);
    expect(err.message).toContain('affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: invalid value 5;');
  });
});

describe('issue 11: createNamespace ordering and uniqueness', () => {
  test('every object of the gateway is ordered after the Namespace (Pulumi dependsOn)', () => {
    const { chart, gw } = tenant({ createNamespace: true, networkPolicy: true });
    gw.addHttpHosts(['a.example.com']);
    const after = (o: any): any[] => orderingOf(o).flatMap((d) => [d, ...after(d)]);
    for (const o of [gw.serviceAccount, gw.role, gw.roleBinding, gw.deployment, gw.service, gw.horizontalPodAutoscaler!, gw.podDisruptionBudget!, gw.networkPolicy!, gw.gatewayResource!]) {
      expect(after(o)).toContain(gw.namespaceObject);
    }
    expect(synth(chart)[0].kind).toBe('Namespace');
  });

  test('two gateways creating one namespace fail synthesis, naming the duplicate', () => {
    const { chart } = newChart();
    new TenantGateway(chart, 'a', { namespace: 'shop', createNamespace: true }).addHttpHosts(['a.example.com']);
    new TenantGateway(chart, 'b', { namespace: 'shop', createNamespace: true }).addHttpHosts(['b.example.com']);
    const err = errorOf(() => synth(chart));
    expect(err).toBeInstanceOf(IstioGatewayError);
    expect(err.message).toMatch(/Namespace/);
  });
});
