// The validated model of an IngressGateway: the props naming an existing gateway workload (how
// it was installed, its selector, namespace, Service and ports), their checks and defaults, and
// which server ports that workload can serve. Pure: props in, model out, or an IstioGatewayError.
import { PropChecker } from './checks';
import { GatewayApi, gatewayApiOf, GatewayApiChannel, nameFromId } from './gateway';

/** A port of the existing gateway workload's Service. */
export interface ServicePort {
  /** @default - `port-<port>` */
  readonly name?: string;
  /** The Service port. */
  readonly port: number;
  /**
   * The container port it forwards to. Istio accepts a Gateway server on either number.
   * @default - same as `port`
   */
  readonly targetPort?: number;
}

/**
 * The Service ports of the `istio-ingressgateway` that `istioctl install` (profile `default`)
 * creates in Istio 1.30: status 15021, HTTP 80 and HTTPS 443, forwarding to the non-root proxy's
 * 8080 and 8443. A Gateway server may use either number (Istio matches a server port to the
 * workload's Service port or its targetPort).
 * @see https://github.com/istio/istio/blob/1.30.3/manifests/charts/gateways/istio-ingress/values.yaml
 */
export const ISTIOCTL_INGRESS_SERVICE_PORTS: readonly ServicePort[] = [
  { name: 'status-port', port: 15021, targetPort: 15021 },
  { name: 'http2', port: 80, targetPort: 8080 },
  { name: 'https', port: 443, targetPort: 8443 },
];

/**
 * The Service ports of Istio's `gateway` Helm chart (1.30.3 values: `service.ports`): status 15021,
 * HTTP 80 and HTTPS 443, each forwarding to the same port on the pod.
 * @see https://github.com/istio/istio/blob/1.30.3/manifests/charts/gateway/values.yaml
 */
export const HELM_GATEWAY_SERVICE_PORTS: readonly ServicePort[] = [
  { name: 'status-port', port: 15021, targetPort: 15021 },
  { name: 'http2', port: 80, targetPort: 80 },
  { name: 'https', port: 443, targetPort: 443 },
];

/**
 * The default Service ports of an IngressGateway: those of the istioctl default profile.
 * (Before issue 11 these were `istioctl analyze`'s offline stand-ins, 15021/80/443/31400/15443,
 * which no real install exposes.)
 */
export const DEFAULT_INGRESS_SERVICE_PORTS: readonly ServicePort[] = ISTIOCTL_INGRESS_SERVICE_PORTS;

/** How the shared gateway workload was installed; decides the default selector, namespace, Service and ports. */
export type IngressInstaller = 'istioctl' | 'helm';

export interface IngressGatewayProps {
  /** Namespace of the Gateway resource(s). */
  readonly namespace: string;
  /**
   * Name of the Gateway resource.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * How the shared gateway workload was installed:
   * - `'istioctl'`: the default profile's `istio-ingressgateway` (`istioctl install`, or an
   *   `ingressGateways` entry of an IstioOperator): pods labelled `istio: ingressgateway` in
   *   `istio-system`, Service ports 15021, 80→8080, 443→8443.
   * - `'helm'`: Istio's `gateway` chart installed as documented,
   *   `helm install istio-ingress istio/gateway -n istio-ingress`: pods labelled
   *   `istio: ingress` (the release name without its `istio-` prefix) in `istio-ingress`,
   *   Service `istio-ingress` with ports 15021, 80, 443.
   * `selector`, `workloadNamespace`, `serviceName` and `servicePorts` override each part.
   * @default 'istioctl'
   * @see https://istio.io/latest/docs/setup/additional-setup/gateway/
   */
  readonly installedBy?: IngressInstaller;
  /**
   * With `installedBy: 'helm'`: the Helm release name of the gateway chart, which names its
   * Service and gives its pods the labels `istio: <release without "istio-">`.
   * @default 'istio-ingress'
   */
  readonly helmReleaseName?: string;
  /**
   * Labels of the existing gateway pods.
   * @default - `{ istio: 'ingressgateway' }` (istioctl), `{ istio: 'ingress' }` (helm, per the release name)
   */
  readonly selector?: Record<string, string>;
  /**
   * Namespace where the gateway pods run; TLS credential Secrets must be there.
   * @default - 'istio-system' (istioctl), 'istio-ingress' (helm)
   */
  readonly workloadNamespace?: string;
  /**
   * The existing workload's Service ports. A server on any other port (Service port or
   * targetPort, as Istio matches them) is refused.
   * @default - ISTIOCTL_INGRESS_SERVICE_PORTS (15021, 80→8080, 443→8443) or HELM_GATEWAY_SERVICE_PORTS (15021, 80, 443)
   */
  readonly servicePorts?: ServicePort[];
  /**
   * Name of the existing workload's Service (used only by the synth-time analysis).
   * @default - 'istio-ingressgateway' (istioctl), the release name (helm)
   */
  readonly serviceName?: string;
  /**
   * Extra labels on the Gateway resource.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * The API of its Gateway and of everything bound to it. `'gateway-api'` writes a
   * `gateway.networking.k8s.io/v1` Gateway of class `istio` bound to the existing workload's
   * Service (manual deployment: `spec.addresses` of type Hostname), with listeners on the Service
   * ports clients use and admitting routes from every namespace (a shared gateway).
   * @default 'istio'
   * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/#manual-deployment
   */
  readonly api?: GatewayApi;
  /**
   * With api 'gateway-api': the Gateway API channel whose CRDs the cluster runs. `'standard'` has
   * no TCPRoute, so a TcpGateway on this gateway is refused.
   * @default - undeclared (TCP is accepted; it needs the experimental channel)
   */
  readonly gatewayApiChannel?: GatewayApiChannel;
}

const PROPS = ['api', 'gatewayApiChannel', 'namespace', 'name', 'installedBy', 'helmReleaseName', 'selector', 'workloadNamespace', 'servicePorts', 'serviceName', 'labels'];

/** An IngressGateway's validated props. */
export interface IngressGatewayModel {
  readonly api: GatewayApi;
  readonly gatewayApiChannel?: GatewayApiChannel;
  readonly name: string;
  readonly namespace: string;
  readonly installedBy: IngressInstaller;
  readonly selector: Record<string, string>;
  readonly workloadNamespace: string;
  readonly labels: Record<string, string>;
  readonly servicePorts: readonly ServicePort[];
  readonly serviceName: string;
}

/**
 * Checks every prop of an IngressGateway and resolves the defaults of the installer it names.
 * `id` is the construct id, the name when `name` is not given. Refusals go through `check`.
 */
export function ingressGatewayModel(check: PropChecker, id: string, props: IngressGatewayProps): IngressGatewayModel {
  check.object('props', props, true);
  check.knownProps('', props, PROPS);
  const namespace = check.namespace('namespace', props.namespace, true)!;
  const name = check.name(props.name === undefined ? 'name (defaults to the construct id)' : 'name', props.name ?? nameFromId(id))!;
  const installedBy = check.oneOf('installedBy', props.installedBy, ['istioctl', 'helm'] as const) ?? 'istioctl';
  const release = check.name('helmReleaseName', props.helmReleaseName);
  if (release !== undefined && installedBy !== 'helm') {
    check.fail('helmReleaseName', release, 'the release name applies to a gateway installed with Helm: set installedBy: \'helm\' too, or remove it');
  }
  const preset = installedBy === 'helm' ? helmPreset(release ?? 'istio-ingress') : ISTIOCTL_PRESET;
  const selector = props.selector === undefined ? { ...preset.selector } : check.labels('selector', props.selector, { nonEmpty: true });
  const workloadNamespace = check.namespace('workloadNamespace', props.workloadNamespace) ?? preset.namespace;
  const labels = check.labels('labels', props.labels);
  const servicePorts = normalizeServicePorts(check, props.servicePorts, preset.ports);
  const { api, gatewayApiChannel } = gatewayApiOf(check, props);
  const serviceName = check.name('serviceName', props.serviceName) ?? preset.serviceName;
  return { api, gatewayApiChannel, name, namespace, installedBy, selector, workloadNamespace, labels, servicePorts, serviceName };
}

/** The port clients connect to for a server on `port`: the Service port itself, or the one forwarding to it as targetPort. */
export function clientPortOf(servicePorts: readonly ServicePort[], port: number): number {
  if (servicePorts.some((p) => p.port === port)) return port;
  return servicePorts.find((p) => p.targetPort === port)?.port ?? port;
}

/**
 * Refuses a server on `port` of the IngressGateway at construct path `gateway` when its workload's
 * Service exposes that port neither as a port nor as a targetPort.
 */
export function checkIngressServerPort(check: PropChecker, gateway: string, m: IngressGatewayModel, port: number, prop: string): void {
  const exposed = m.servicePorts.some((p) => p.port === port || p.targetPort === port);
  if (!exposed) {
    const shown = m.servicePorts.map((p) => (p.targetPort !== undefined && p.targetPort !== p.port ? `${p.port} (targetPort ${p.targetPort})` : `${p.port}`));
    check.fail(prop === 'hosts' ? 'port' : prop, port,
      `the existing gateway workload of IngressGateway '${gateway}' (${m.serviceName} in ${m.workloadNamespace}, installed by ${m.installedBy}) exposes only ports ` +
      `${shown.join(', ')} on its Service, so a server on ${port} would never receive traffic ` +
      '(IST0162): use one of those ports (a server may name the Service port or its targetPort), or list the port in servicePorts if the Service really exposes it');
  }
}

interface Preset {
  readonly selector: Record<string, string>;
  readonly namespace: string;
  readonly serviceName: string;
  readonly ports: readonly ServicePort[];
}

const ISTIOCTL_PRESET: Preset = {
  selector: { istio: 'ingressgateway' }, namespace: 'istio-system', serviceName: 'istio-ingressgateway', ports: ISTIOCTL_INGRESS_SERVICE_PORTS,
};

/** The gateway chart names its Service after the release and labels its pods `istio: <release without "istio-">`. */
function helmPreset(release: string): Preset {
  return { selector: { istio: release.replace(/^istio-/, '') }, namespace: 'istio-ingress', serviceName: release, ports: HELM_GATEWAY_SERVICE_PORTS };
}

function normalizeServicePorts(check: PropChecker, ports: ServicePort[] | undefined, defaults: readonly ServicePort[]): ServicePort[] {
  if (ports === undefined) return defaults.map((p) => ({ ...p }));
  check.array('servicePorts', ports, { nonEmpty: true });
  const seen = new Set<number>();
  return ports.map((p, i) => {
    const prop = `servicePorts[${i}]`;
    check.object(prop, p, true);
    check.knownProps(prop, p, ['name', 'port', 'targetPort']);
    const port = check.port(`${prop}.port`, p.port);
    if (port === undefined) check.fail(`${prop}.port`, p.port, 'this prop is required: the Service port number');
    if (seen.has(port)) check.fail(`${prop}.port`, port, 'each Service port may be listed once');
    seen.add(port);
    const targetPort = check.port(`${prop}.targetPort`, p.targetPort) ?? port;
    const name = check.name(`${prop}.name`, p.name) ?? `port-${port}`;
    return { name, port, targetPort };
  });
}
