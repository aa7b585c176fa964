// Routes through a gateway workload that already runs (by default Istio's shared
// `istio: ingressgateway` in istio-system): emits only Istio Gateway resources, and refuses a
// server on a port that workload's Service does not expose.
import { Construct } from 'constructs';
import { PropChecker } from '../model/checks';
import { GatewayBase } from './gateway-base';

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
 * The Service ports of Istio's default ingress gateway as `istioctl analyze` assumes it
 * (pkg/config/analysis/local/defaults.go): status 15021, HTTP 80, HTTPS 443, TCP 31400 and the
 * SNI/mTLS port 15443. A default-profile install exposes only 15021, 80 and 443: pass
 * `servicePorts` to describe your gateway's Service exactly.
 * @see https://github.com/istio/istio/blob/1.30.3/pkg/config/analysis/local/defaults.go
 */
export const DEFAULT_INGRESS_SERVICE_PORTS: readonly ServicePort[] = [
  { name: 'status-port', port: 15021, targetPort: 15021 },
  { name: 'http2', port: 80, targetPort: 80 },
  { name: 'https', port: 443, targetPort: 443 },
  { name: 'tcp', port: 31400, targetPort: 31400 },
  { name: 'tls', port: 15443, targetPort: 15443 },
];

export interface IngressGatewayProps {
  /** Namespace of the Gateway resource(s). */
  readonly namespace: string;
  /**
   * Name of the Gateway resource.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Labels of the existing gateway pods.
   * @default { istio: 'ingressgateway' }
   */
  readonly selector?: Record<string, string>;
  /**
   * Namespace where the gateway pods run; TLS credential Secrets must be there.
   * @default 'istio-system'
   */
  readonly workloadNamespace?: string;
  /**
   * The existing workload's Service ports. A server on any other port is refused.
   * @default DEFAULT_INGRESS_SERVICE_PORTS (15021, 80, 443, 31400, 15443)
   */
  readonly servicePorts?: ServicePort[];
  /**
   * Name of the existing workload's Service (used only by the synth-time analysis).
   * @default 'istio-ingressgateway'
   */
  readonly serviceName?: string;
  /**
   * Extra labels on the Gateway resource.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

const PROPS = ['namespace', 'name', 'selector', 'workloadNamespace', 'servicePorts', 'serviceName', 'labels'];

/**
 * Istio Gateway resources for an existing, shared gateway workload.
 *
 * @example
 * const shared = new IngressGateway(chart, 'bookinfo-gateway', { namespace: 'bookinfo' });
 * shared.addHttpHosts(['bookinfo.example.com']);
 */
export class IngressGateway extends GatewayBase {
  /** The existing workload's Service ports. */
  public readonly servicePorts: readonly ServicePort[];
  private readonly serviceName: string;

  constructor(scope: Construct, id: string, props: IngressGatewayProps) {
    const check: PropChecker = new PropChecker(`IngressGateway '${scope.node.path ? scope.node.path + '/' : ''}${id}'`);
    check.object('props', props, true);
    check.knownProps('', props, PROPS);
    const namespace = check.namespace('namespace', props.namespace, true)!;
    const name = check.name(props.name === undefined ? 'name (defaults to the construct id)' : 'name', props.name ?? id)!;
    const selector = props.selector === undefined ? { istio: 'ingressgateway' } : check.labels('selector', props.selector, { nonEmpty: true });
    const workloadNamespace = check.namespace('workloadNamespace', props.workloadNamespace) ?? 'istio-system';
    const labels = check.labels('labels', props.labels);
    const ports = normalizeServicePorts(check, props.servicePorts);
    super(scope, id, 'IngressGateway', { name, namespace, workloadNamespace, selector, labels });
    this.servicePorts = ports;
    this.serviceName = check.name('serviceName', props.serviceName) ?? 'istio-ingressgateway';
  }

  protected get ownServiceName(): string { return this.serviceName; }

  protected checkServerPort(port: number, check: PropChecker, prop: string): void {
    const exposed = this.servicePorts.some((p) => p.port === port || p.targetPort === port);
    if (!exposed) {
      check.fail(prop === 'hosts' ? 'port' : prop, port,
        `the existing gateway workload of IngressGateway '${this.node.path}' exposes only ports ` +
        `${this.servicePorts.map((p) => p.port).join(', ')} on its Service, so a server on ${port} would never receive traffic ` +
        '(IST0162): use one of those ports, or list the port in servicePorts if the Service really exposes it');
    }
  }

  /**
   * The shared workload and its Service exist in the cluster: tell the analyzer. The pod is named
   * after this Gateway, so that shared gateways selecting different workloads each declare their own.
   */
  public externalObjects(): object[] {
    return [
      {
        apiVersion: 'v1', kind: 'Pod',
        metadata: { name: `${this.serviceName}-existing-${this.namespace}-${this.gatewayName}`, namespace: this.workloadNamespace, labels: this.selector },
        spec: { containers: [{ name: 'istio-proxy', image: 'auto' }] },
      },
      {
        apiVersion: 'v1', kind: 'Service',
        metadata: { name: this.serviceName, namespace: this.workloadNamespace },
        spec: {
          selector: this.selector,
          ports: this.servicePorts.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort ?? p.port, protocol: 'TCP' })),
        },
      },
    ];
  }
}

function normalizeServicePorts(check: PropChecker, ports: ServicePort[] | undefined): ServicePort[] {
  if (ports === undefined) return DEFAULT_INGRESS_SERVICE_PORTS.map((p) => ({ ...p }));
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
