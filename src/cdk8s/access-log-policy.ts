// Envoy access logs for a gateway's pods, any selected workload, a namespace or the mesh: a
// Telemetry resource with one accessLogging entry (providers, a CEL filter, or logging off).
import { Construct, IConstruct } from 'constructs';
import { IstioGatewayErrorDetails } from '../errors';
import { PropChecker } from '../model/checks';
import { AccessLogPolicyOptions, accessLogPolicyModel, celVerdicts } from '../model/policy';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../names';
import { renderTelemetry, telemetryIdentity } from '../render/policy';
import { AppState } from './app-state';
import { constructionChecker } from './construction';
import { IGateway, requireGatewayRef } from './gateway-ref';
import { RenderedObject } from './rendered-object';
import { peersOf, SynthCheck, SynthChecked } from './synth-check';

export type { AccessLogMode, AccessLogPolicyOptions } from '../model/policy';

/** Props of {@link AccessLogPolicy}. */
export interface AccessLogPolicyProps extends AccessLogPolicyOptions {
  /**
   * Log exactly this gateway's pods: the Telemetry selects the gateway's pod labels in its
   * workload namespace. Not together with `selector`.
   * @default - no gateway
   */
  readonly gateway?: IGateway;
}

/**
 * The CEL parser's verdicts on filters, kept per App. Parsing costs about half a millisecond for a
 * short filter, more than the rest of the construct, and a platform repeats one filter, or one
 * filter with each team's own values (one shape, see celShapeOf), across hundreds of teams' policies.
 */
function cachedCelParseError(scope: IConstruct, filter: string): string | undefined {
  return AppState.of(scope).slot('cel-verdicts', () => celVerdicts())(filter);
}

/**
 * Access logging as a `telemetry.istio.io/v1` Telemetry.
 *
 * @example
 * new AccessLogPolicy(chart, 'edge-errors', { gateway: tenantGateway, filter: 'response.code >= 400' });
 */
export class AccessLogPolicy extends Construct {
  /** The Telemetry. */
  public readonly telemetry: RenderedObject;
  public readonly namespace: string;
  public readonly policyName: string;
  /** Selected pod labels (empty: namespace- or mesh-wide). */
  public readonly selector: Readonly<Record<string, string>>;
  /** The gateway whose pods are selected, if any. */
  public readonly gateway?: IGateway;
  private readonly check: PropChecker;

  constructor(scope: Construct, id: string, props: AccessLogPolicyProps = {}) {
    super(scope, id);
    const check = constructionChecker(this, scope, id, 'AccessLogPolicy');
    this.check = check;
    let gateway: IGateway | undefined;
    const model = accessLogPolicyModel(check, props, {
      id, labels: { [MANAGED_BY_LABEL]: MANAGED_BY },
      resolveGateway: (value) => {
        gateway = requireGatewayRef(check, this, value as IGateway);
        return { path: gateway.node.path, ref: gateway.ref, selector: gateway.selector, workloadNamespace: gateway.workloadNamespace, policyTargetRef: gateway.policyTargetRef };
      },
      celParseError: (filter) => cachedCelParseError(this, filter),
    });
    this.gateway = gateway;
    this.namespace = model.namespace;
    this.policyName = model.name;
    this.selector = { ...(model.selector ?? {}) };
    this.telemetry = new RenderedObject(this, 'Resource', () => renderTelemetry(model), () => telemetryIdentity(model));
    SynthCheck.of(this).register(this);
    check.constructed();
  }

  /**
   * Workloads chosen by `selector` are deployed by their own teams: declared to the analyzer as
   * existing, so the policy is not refused for pods this App does not create. (A gateway's pods
   * are declared by the gateway.)
   * @internal
   */
  public externalObjects(): object[] {
    if (this.gateway || Object.keys(this.selector).length === 0) return [];
    return [{
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: `${this.policyName}-selected-workload`, namespace: this.namespace, labels: { ...this.selector } },
      spec: { containers: [{ name: 'app', image: 'auto' }] },
    }];
  }

  /**
   * Istio refuses to choose between two Telemetries for the same workloads of one namespace
   * (IST0160 for two without selector, IST0159 for overlapping selectors): reported here for
   * policies with no selector or the same selector.
   * @internal
   */
  public appProblems(all: readonly SynthChecked[]): IstioGatewayErrorDetails[] {
    const peers = peersOf<AccessLogPolicy>(all, policyKeyOf, this);
    const i = peers.indexOf(this);
    if (i <= 0) return [];
    const first = peers[0];
    if (first.policyName === this.policyName) return []; // the App-wide duplicate-name check reports it
    const none = Object.keys(this.selector).length === 0;
    return [{
      construct: this.check.construct,
      prop: none ? 'namespace' : 'selector',
      value: none ? this.namespace : { ...this.selector },
      expected: none
        ? `AccessLogPolicy '${first.node.path}' (Telemetry ${first.namespace}/${first.policyName}) already has no selector in namespace "${this.namespace}"; ` +
          'two selector-less Telemetries in one namespace are undefined behaviour (IST0160 MultipleTelemetriesWithoutWorkloadSelectors): merge them, or give one a selector or another namespace'
        : `AccessLogPolicy '${first.node.path}' (Telemetry ${first.namespace}/${first.policyName}) already selects the same pods in namespace "${this.namespace}"; ` +
          'two Telemetries for one workload are undefined behaviour (IST0159 ConflictingTelemetryWorkloadSelectors): merge them',
    }];
  }
}

/** Policies for the same pods of one namespace, grouped once per synth check (see peersOf). */
function policyKeyOf(m: SynthChecked): string | undefined {
  if (!(m instanceof AccessLogPolicy)) return undefined;
  return `${m.namespace}|${Object.keys(m.selector).sort().map((k) => `${k}=${m.selector[k]}`).join(',')}`;
}
