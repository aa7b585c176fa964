// Routes through a gateway workload that already runs (by default the `istio: ingressgateway` of
// an istioctl install, or the `gateway` Helm chart's): emits only Istio Gateway resources, and
// refuses a server on a port that workload's Service does not expose. The props, their checks and
// the installers' defaults are the model's (src/model/ingress-gateway.ts).
import { Construct } from 'constructs';
import { PropChecker } from '../model/checks';
import {
  checkIngressServerPort, clientPortOf, IngressGatewayModel, ingressGatewayModel, IngressGatewayProps, IngressInstaller, ServicePort,
} from '../model/ingress-gateway';
import { renderExistingIngressWorkload } from '../render/gateway';
import { AppState, declaresFirst } from './app-state';
import { GatewayBase, K8sGatewayShape } from './gateway-base';
import { GatewayAttributes, IGateway, ImportedGateway } from './gateway-ref';

// The props and the installers' Service ports are the model's; this module has always exported them.
export { DEFAULT_INGRESS_SERVICE_PORTS, HELM_GATEWAY_SERVICE_PORTS, ISTIOCTL_INGRESS_SERVICE_PORTS } from '../model/ingress-gateway';
export type { IngressGatewayProps, IngressInstaller, ServicePort } from '../model/ingress-gateway';

/**
 * Istio Gateway resources for an existing, shared gateway workload.
 *
 * @example
 * const shared = new IngressGateway(chart, 'bookinfo-gateway', { namespace: 'bookinfo' });
 * shared.addHttpHosts(['bookinfo.example.com']);
 */
export class IngressGateway extends GatewayBase implements IGateway {
  /**
   * A Gateway for a shared gateway workload that this App does not own, for routes (and, with
   * `selector`, policies) to bind to.
   *
   * @example
   * const shared = IngressGateway.fromAttributes(chart, 'bookinfo', { namespace: 'bookinfo', name: 'bookinfo-gateway', hosts: ['bookinfo.example.com'] });
   */
  static fromAttributes(scope: Construct, id: string, attrs: GatewayAttributes): IGateway {
    return new ImportedGateway(scope, id, 'IngressGateway.fromAttributes', attrs, { workloadNamespace: 'istio-system' });
  }

  /** The existing workload's Service ports. @internal */
  public readonly servicePorts: readonly ServicePort[];
  /** How the shared workload was installed (decides the defaults). */
  public readonly installedBy: IngressInstaller;
  private readonly serviceName: string;
  private readonly model: IngressGatewayModel;
  /** The IngressGateways of this App that declare the same workload and Service as this one, this one included. */
  private readonly sameWorkload: readonly IngressGateway[];

  constructor(scope: Construct, id: string, props: IngressGatewayProps) {
    // Every prop is checked before the construct joins the tree, so a refused input leaves nothing behind.
    const check: PropChecker = new PropChecker(`IngressGateway '${scope.node.path ? scope.node.path + '/' : ''}${id}'`);
    const m = ingressGatewayModel(check, id, props);
    super(scope, id, 'IngressGateway', { api: m.api, gatewayApiChannel: m.gatewayApiChannel, name: m.name, namespace: m.namespace, workloadNamespace: m.workloadNamespace, selector: m.selector, labels: m.labels });
    this.model = m;
    this.installedBy = m.installedBy;
    this.servicePorts = m.servicePorts;
    this.serviceName = m.serviceName;
    // What renderExistingIngressWorkload reads besides the gateway's own name, key order included.
    const workload = JSON.stringify([m.workloadNamespace, m.selector, m.serviceName, m.servicePorts]);
    this.sameWorkload = AppState.of(this).sameDeclaration(WORKLOAD_DECLARERS, workload, this);
  }

  protected get ownServiceName(): string { return this.serviceName; }

  protected get k8sGatewayShape(): K8sGatewayShape {
    return { address: `${this.serviceName}.${this.workloadNamespace}.svc.cluster.local` };
  }

  public clientPort(port: number): number {
    return clientPortOf(this.servicePorts, port);
  }

  /** @internal */
  protected checkServerPort(port: number, check: PropChecker, prop: string): void {
    checkIngressServerPort(check, this.node.path, this.model, port, prop);
  }

  /**
   * The shared workload and its Service exist in the cluster: tell the analyzer. Every
   * IngressGateway on one workload would declare the same Pod and Service: those are one workload
   * in the cluster, so only the first of them still in the App declares it, with a Pod named after
   * that gateway (a thousand teams' gateways on istio-ingressgateway declared a thousand Pods, each
   * listed in the prerequisites and each named again in a finding about the workload's pods).
   * Gateways declaring anything different (another selector, namespace, Service name or ports)
   * each declare their own, as before.
   * @internal
   */
  public externalObjects(): object[] {
    return declaresFirst(this, this.sameWorkload) ? renderExistingIngressWorkload(this.model) : [];
  }
}

/** The App's IngressGateways by what they declare of their workload (see IngressGateway.externalObjects and AppState.sameDeclaration). */
const WORKLOAD_DECLARERS = 'ingress-gateway.workloadDeclarers';
