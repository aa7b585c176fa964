// What the example platform needs in the cluster besides dist/: the control plane (which also
// installs the shared ingress gateway the bookinfo example selects), the TLS Secrets, and the
// sample backends the routes send traffic to. The one list of them: docs/examples.md shows these
// commands, and test/examples-apply.test.ts checks that every reference in dist/ is emitted there
// or provided here (each entry carries stand-ins of the objects its commands create).

/** Istio's release branch the sample manifests come from. */
export const ISTIO_RELEASE = 'release-1.30';
const SAMPLES = `https://raw.githubusercontent.com/istio/istio/${ISTIO_RELEASE}/samples`;

export interface Prerequisite {
  /** What it is, for the docs. */
  readonly title: string;
  /** When to run the commands: before `kubectl apply -f dist/`, or after it (the namespaces then exist). */
  readonly when: 'before' | 'after';
  /** Exact shell commands, run from the repository root after `npx cdk8s synth`. */
  readonly commands: readonly string[];
  /** Stand-ins of the objects the commands create, as the analyzer needs them (names, ports, pod labels). */
  readonly provides: readonly object[];
}

function service(namespace: string, name: string, ports: readonly (number | [number, number])[], selector: Record<string, string>): object {
  return {
    apiVersion: 'v1', kind: 'Service', metadata: { name, namespace },
    spec: { selector, ports: ports.map((p) => (Array.isArray(p) ? { name: `tcp-${p[0]}`, port: p[0], targetPort: p[1], protocol: 'TCP' } : { name: `tcp-${p}`, port: p, targetPort: p, protocol: 'TCP' })) },
  };
}

function pod(namespace: string, name: string, labels: Record<string, string>): object {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels }, spec: { containers: [{ name: 'app', image: 'sample' }] } };
}

function secret(namespace: string, name: string): object {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'kubernetes.io/tls' };
}

/** Istio's bookinfo sample (samples/bookinfo/platform/kube/bookinfo.yaml) as the analyzer sees it. */
function bookinfo(ns: string): object[] {
  const out: object[] = [];
  for (const app of ['details', 'ratings', 'reviews', 'productpage']) out.push(service(ns, app, [9080], { app }));
  for (const [app, versions] of [['details', ['v1']], ['ratings', ['v1']], ['reviews', ['v1', 'v2', 'v3']], ['productpage', ['v1']]] as const) {
    for (const version of versions) out.push(pod(ns, `${app}-${version}`, { app, version }));
  }
  return out;
}

/** A self-signed certificate for `host` in a TLS Secret (a CA-signed one works the same). */
function tlsSecretCommands(namespace: string, name: string, host: string): string[] {
  return [
    `openssl req -x509 -sha256 -nodes -days 365 -newkey rsa:2048 -subj "/CN=${host}" -keyout ${name}.key -out ${name}.crt`,
    `kubectl -n ${namespace} create secret tls ${name} --key ${name}.key --cert ${name}.crt`,
  ];
}

/** Namespaces of the bookinfo copies: the bookinfo example's and one per traffic-management scenario. */
export const BOOKINFO_NAMESPACES = ['bookinfo', 'reviews-v1-only', 'reviews-jason', 'reviews-split', 'ratings-delay', 'ratings-abort'];

/** Every prerequisite of the example platform, in the order to run them. */
export function examplePrerequisites(): Prerequisite[] {
  return [
    {
      title: 'Istio 1.30 with the default profile: istiod and the shared istio-ingressgateway (istio: ingressgateway in istio-system, Service ports 15021, 80->8080, 443->8443)',
      when: 'before',
      commands: ['istioctl install -f dist/istioctl/control-plane.k8s.yaml -y'],
      provides: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-system' } },
        pod('istio-system', 'istio-ingressgateway', { app: 'istio-ingressgateway', istio: 'ingressgateway' }),
        service('istio-system', 'istio-ingressgateway', [15021, [80, 8080], [443, 8443]], { app: 'istio-ingressgateway', istio: 'ingressgateway' }),
      ],
    },
    {
      title: 'TLS Secrets of the web-gateway hosts, in istioinaction (where the gateway pods run)',
      when: 'after',
      commands: [
        ...tlsSecretCommands('istioinaction', 'webapp-credential', 'webapp.istioinaction.io'),
        ...tlsSecretCommands('istioinaction', 'catalog-credential', 'catalog.istioinaction.io'),
        // MUTUAL: the server certificate and the CA that signs client certificates, in one Secret
        'openssl req -x509 -sha256 -nodes -days 365 -newkey rsa:2048 -subj "/CN=partner-ca" -keyout partner-ca.key -out partner-ca.crt',
        'openssl req -x509 -sha256 -nodes -days 365 -newkey rsa:2048 -subj "/CN=partner.istioinaction.io" -keyout partner-credential.key -out partner-credential.crt',
        'kubectl -n istioinaction create secret generic partner-credential --from-file=tls.key=partner-credential.key --from-file=tls.crt=partner-credential.crt --from-file=ca.crt=partner-ca.crt',
        // the PASSTHROUGH backend terminates TLS itself, with this certificate
        ...tlsSecretCommands('istioinaction', 'my-nginx-certs', 'simple-sni-1.istioinaction.io'),
      ],
      provides: [
        secret('istioinaction', 'webapp-credential'), secret('istioinaction', 'catalog-credential'),
        secret('istioinaction', 'partner-credential'), secret('istioinaction', 'my-nginx-certs'),
      ],
    },
    {
      title: "Istio's httpbin, helloworld (v1, v2) and tcp-echo (v1, v2) samples in istioinaction: the backends of the TLS hosts and of the TCP canary",
      when: 'after',
      commands: [
        `kubectl -n istioinaction apply -f ${SAMPLES}/httpbin/httpbin.yaml`,
        `kubectl -n istioinaction apply -f ${SAMPLES}/helloworld/helloworld.yaml`,
        `kubectl -n istioinaction apply -f ${SAMPLES}/tcp-echo/tcp-echo-services.yaml`,
      ],
      provides: [
        service('istioinaction', 'httpbin', [[8000, 8080]], { app: 'httpbin' }), pod('istioinaction', 'httpbin', { app: 'httpbin', version: 'v1' }),
        service('istioinaction', 'helloworld', [5000], { app: 'helloworld' }),
        pod('istioinaction', 'helloworld-v1', { app: 'helloworld', version: 'v1' }), pod('istioinaction', 'helloworld-v2', { app: 'helloworld', version: 'v2' }),
        service('istioinaction', 'tcp-echo', [9000, 9001], { app: 'tcp-echo' }),
        pod('istioinaction', 'tcp-echo-v1', { app: 'tcp-echo', version: 'v1' }), pod('istioinaction', 'tcp-echo-v2', { app: 'tcp-echo', version: 'v2' }),
      ],
    },
    {
      title: "Istio's bookinfo sample in the bookinfo namespace and in each traffic-management scenario's namespace",
      when: 'after',
      commands: BOOKINFO_NAMESPACES.map((ns) => `kubectl -n ${ns} apply -f ${SAMPLES}/bookinfo/platform/kube/bookinfo.yaml`),
      provides: BOOKINFO_NAMESPACES.flatMap(bookinfo),
    },
  ];
}

/** The prerequisites as a Markdown list of shell blocks (docs/examples.md holds this text). */
export function prerequisitesMarkdown(): string {
  return examplePrerequisites().map((p, i) => `${i + 1}. ${p.title} (${p.when} \`kubectl apply -f dist/\`):\n\n   \`\`\`sh\n${p.commands.map((c) => `   ${c}`).join('\n')}\n   \`\`\`\n`).join('\n');
}
