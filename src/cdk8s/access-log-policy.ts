// Envoy access logs for a gateway's pods, any selected workload, a namespace or the mesh: a
// Telemetry resource with one accessLogging entry (providers, a CEL filter, or logging off).
import { parse } from '@bufbuild/cel';
import { Construct, IConstruct } from 'constructs';
import { IstioGatewayErrorDetails } from '../errors';
import { describeConstruct, PropChecker } from '../model/checks';
import { nameFragment } from '../model/gateway';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../render/api-versions';
import { AccessLogMode, renderTelemetry } from '../render/policy';
import { AppState } from './app-state';
import { IGateway, requireGatewayRef } from './gateway-ref';
import { RenderedObject } from './rendered-object';
import { groupMembers, SynthCheck, SynthChecked } from './synth-check';

export type { AccessLogMode } from '../render/policy';

/** Props of {@link AccessLogPolicy}. */
export interface AccessLogPolicyProps {
  /**
   * Log exactly this gateway's pods: the Telemetry selects the gateway's pod labels in its
   * workload namespace. Not together with `selector`.
   * @default - no gateway
   */
  readonly gateway?: IGateway;
  /**
   * Log the pods with these labels (in `namespace`). Not together with `gateway`.
   * @default - every workload of the namespace (the whole mesh in the root namespace)
   */
  readonly selector?: Record<string, string>;
  /**
   * Namespace of the Telemetry. With `gateway` it must be the gateway's workload namespace
   * (a selector matches pods of its own namespace only).
   * @default - the gateway's workload namespace, else 'istio-system' (mesh-wide)
   */
  readonly namespace?: string;
  /**
   * Name of the Telemetry.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Access-log providers from the mesh config's `extensionProviders` (`envoy` is built in).
   * @default ['envoy']
   */
  readonly providers?: string[];
  /**
   * Log only requests for which this CEL expression holds, over Envoy's attributes, e.g.
   * `response.code >= 400`.
   * @default - log every request
   * @see https://istio.io/latest/docs/tasks/observability/logs/telemetry-api/
   */
  readonly filter?: string;
  /**
   * Turn access logging off for the selected workloads (e.g. to override a mesh-wide policy).
   * @default false
   */
  readonly disabled?: boolean;
  /**
   * Which side of a connection logs: CLIENT (outbound), SERVER (inbound) or both.
   * @default - both (CLIENT_AND_SERVER)
   */
  readonly mode?: AccessLogMode;
}

const PROPS = ['gateway', 'selector', 'namespace', 'name', 'providers', 'filter', 'disabled', 'mode'];

/**
 * Parse verdicts by filter text, kept per App. Parsing costs about half a millisecond, more than the rest of the
 * construct, and a platform repeats one filter across hundreds of teams' policies.
 */
function celVerdicts(scope: IConstruct): Map<string, string | undefined> {
  return AppState.of(scope).slot('cel-verdicts', () => new Map<string, string | undefined>());
}

/** The first line of the CEL parser's error for `filter`, or undefined when it parses. */
function celParseError(scope: IConstruct, filter: string): string | undefined {
  const verdicts = celVerdicts(scope);
  if (verdicts.has(filter)) return verdicts.get(filter);
  let error: string | undefined;
  try {
    parse(filter);
  } catch (e) {
    error = (e as Error).message.split('\n')[0];
  }
  if (verdicts.size >= 1000) verdicts.clear(); // bounded for an App built by a long-running process
  verdicts.set(filter, error);
  return error;
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
    const check: PropChecker = new PropChecker(describeConstruct('AccessLogPolicy', this.node.path));
    // Joined the tree first: a refusal while constructing detaches it again, leaving nothing behind.
    check.whileConstructing(() => scope.node.tryRemoveChild(id));
    this.check = check;
    check.object('props', props, true);
    check.knownProps('', props, PROPS);
    const gateway = props.gateway === undefined ? undefined : requireGatewayRef(check, this, props.gateway);
    if (gateway && gateway.selector === undefined) {
      check.fail('gateway', gateway.ref, `the labels of the pods of imported gateway '${gateway.node.path}' are not known: import it with a selector (fromAttributes(..., { selector }))`);
    }
    this.gateway = gateway;
    if (gateway && props.selector !== undefined) {
      check.fail('selector', props.selector, `set gateway or selector, not both: the gateway already selects its pods (${JSON.stringify(gateway.selector)})`);
    }
    const namespace = check.namespace('namespace', props.namespace);
    if (gateway && namespace !== undefined && namespace !== gateway.workloadNamespace) {
      check.fail('namespace', namespace, `a Telemetry selector matches pods of its own namespace only, and the pods of gateway '${gateway.node.path}' run in "${gateway.workloadNamespace}": use that namespace or leave it out`);
    }
    this.namespace = namespace ?? gateway?.workloadNamespace ?? 'istio-system';
    this.policyName = check.name('name', props.name ?? nameFragment(id))!;
    const selector = gateway ? gateway.selector!
      : props.selector === undefined ? undefined : check.labels('selector', props.selector, { nonEmpty: true });
    this.selector = { ...(selector ?? {}) };

    const given = check.array('providers', props.providers, { nonEmpty: true }) ?? ['envoy'];
    const providers = given.map((p, i) => {
      const name = check.string(`providers[${i}]`, p, { required: true, nonEmpty: true })!;
      if (given.indexOf(name) !== i) check.fail(`providers[${i}]`, name, 'each provider may be listed once');
      return name;
    });
    const filter = check.string('filter', props.filter);
    if (filter !== undefined) {
      if (filter.trim() === '') check.fail('filter', filter, 'an empty filter is not a CEL expression: give one such as "response.code >= 400", or leave filter out to log every request');
      const error = celParseError(this, filter);
      if (error !== undefined) {
        check.fail('filter', filter, `expected a CEL expression such as "response.code >= 400"; it does not parse: ${error}`);
      }
    }
    const disabled = check.boolean('disabled', props.disabled) ?? false;
    if (disabled && filter !== undefined) check.fail('filter', filter, 'a filter has no effect when logging is disabled: remove one of them');
    const mode = check.oneOf('mode', props.mode, ['CLIENT_AND_SERVER', 'CLIENT', 'SERVER'] as const);

    const model = {
      name: this.policyName, namespace: this.namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY },
      selector, providers, filter, disabled, mode,
      // Istio 1.30 applies a Telemetry to a Gateway API Gateway through targetRefs (same namespace).
      targetRef: gateway?.policyTargetRef,
    };
    this.telemetry = new RenderedObject(this, 'Resource', () => renderTelemetry(model));
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
    const peers = groupMembers<AccessLogPolicy>(all, policyKeyOf).get(policyKeyOf(this)!) ?? [];
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

/** Policies for the same pods of one namespace, grouped once per synth check (see groupMembers). */
function policyKeyOf(m: SynthChecked): string | undefined {
  if (!(m instanceof AccessLogPolicy)) return undefined;
  return `${m.namespace}|${Object.keys(m.selector).sort().map((k) => `${k}=${m.selector[k]}`).join(',')}`;
}
