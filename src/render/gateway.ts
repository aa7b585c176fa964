// Renders gateway models to plain objects: the Istio Gateway, its Gateway API listeners and
// certificate grant, and for a shared gateway the existing workload the analyzer is told about. A
// dedicated (tenant) gateway's workload objects are rendered by ./tenant-workload. Pure functions:
// same model in, same objects out.
import { GATEWAY } from './api-versions';
import { GatewayObjectModel, GatewayServer } from '../model/gateway';
import { IngressGatewayModel } from '../model/ingress-gateway';
import { identity, KubeObject, meta, object, SPEC_ONLY } from './objects';
import { ListenerModel, ListenerOptions, listenersOf, renderReferenceGrant, serverListenerProblems, TranslationProblem } from './gateway-api/listeners';

export function renderGateway(m: GatewayObjectModel): KubeObject {
  return object(GATEWAY, meta(m.name, m.namespace, m.labels), {
    spec: {
      selector: { ...m.selector },
      servers: m.servers.map(renderServer),
    },
  });
}

/** The identity (see identity) of {@link renderGateway}'s object, whatever its servers. */
export function gatewayIdentity(m: Pick<GatewayObjectModel, 'name' | 'namespace' | 'labels'>): KubeObject {
  return identity(GATEWAY, meta(m.name, m.namespace, m.labels), SPEC_ONLY);
}

function renderServer(s: Omit<GatewayServer, 'declaredBy'>): Record<string, unknown> {
  const server: Record<string, unknown> = {
    port: { number: s.port, name: s.portName, protocol: s.protocol },
    hosts: [...s.hosts],
  };
  if (s.tls) {
    const tls: Record<string, unknown> = {};
    if (s.tls.httpsRedirect) tls.httpsRedirect = true;
    if (s.tls.mode) tls.mode = s.tls.mode;
    if (s.tls.credentialName) tls.credentialName = s.tls.credentialName;
    if (s.tls.minProtocolVersion) tls.minProtocolVersion = s.tls.minProtocolVersion;
    if (s.tls.subjectAltNames && s.tls.subjectAltNames.length > 0) tls.subjectAltNames = [...s.tls.subjectAltNames];
    server.tls = tls;
  }
  return server;
}

/**
 * The Gateway API listeners of an Istio Gateway's servers (hosts as the Gateway lists them, so a
 * listener from `ns/host` admits the routes of that namespace), and what the Gateway API cannot say.
 */
export function gatewayListeners(servers: readonly GatewayServer[], opts: ListenerOptions = {}): { listeners: ListenerModel[]; problems: TranslationProblem[] } {
  const rendered = renderGateway({ name: '', namespace: '', labels: {}, selector: {}, servers });
  return listenersOf((rendered.spec as { servers: object[] }).servers, '', opts);
}

/** What Gateway API cannot say of one server: {@link gatewayListeners}'s problems for it alone, without its listeners. */
export function serverListenerProblemsOf(server: Omit<GatewayServer, 'declaredBy'>): TranslationProblem[] {
  return serverListenerProblems(renderServer(server));
}

/**
 * The ReferenceGrant letting the Gateway API Gateway `name` in `namespace` read its certificate
 * Secrets (`credentialNames`) where the gateway pods read them, in `secretNamespace`.
 */
export function renderCertificateGrant(name: string, namespace: string, secretNamespace: string, credentialNames: readonly string[], labels: Record<string, string>): KubeObject {
  const grant = renderReferenceGrant(`${name}-certificates-from-${namespace}`, secretNamespace,
    { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace }, { group: '', kind: 'Secret' }, labels);
  (grant.spec as { to: object[] }).to = [...new Set(credentialNames)].sort().map((n) => ({ group: '', kind: 'Secret', name: n }));
  return grant;
}

/**
 * The existing workload an IngressGateway routes through (a pod with its selector's labels and its
 * Service), as the analyzer is told it exists. The pod is named after the Gateway, so that shared
 * gateways selecting different workloads each declare their own.
 */
export function renderExistingIngressWorkload(m: IngressGatewayModel): KubeObject[] {
  return [
    {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: `${m.serviceName}-existing-${m.namespace}-${m.name}`, namespace: m.workloadNamespace, labels: { ...m.selector } },
      spec: { containers: [{ name: 'istio-proxy', image: 'auto' }] },
    },
    {
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: m.serviceName, namespace: m.workloadNamespace },
      spec: {
        selector: { ...m.selector },
        ports: m.servicePorts.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort ?? p.port, protocol: 'TCP' })),
      },
    },
  ];
}
