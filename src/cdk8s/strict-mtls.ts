// Mutual TLS required between workloads: a PeerAuthentication with mode STRICT for the mesh, a
// namespace or selected workloads, with per-port exceptions (e.g. a plain-text health port).
import { Construct } from 'constructs';
import { IstioGatewayErrorDetails } from '../errors';
import { describeConstruct, PropChecker } from '../model/checks';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../render/api-versions';
import { MtlsMode, renderPeerAuthentication } from '../render/policy';
import { RenderedObject } from './rendered-object';
import { groupMembers, SynthCheck, SynthChecked } from './synth-check';

export type { MtlsMode } from '../render/policy';

/** Props of {@link StrictMtls}. */
export interface StrictMtlsProps {
  /**
   * Namespace of the PeerAuthentication. Istio's root namespace (`istio-system` unless the mesh
   * config says otherwise) makes a selector-less policy mesh-wide; any other namespace scopes it
   * to that namespace. A policy with a `selector` applies to the selected pods of its own namespace.
   * @default 'istio-system'
   */
  readonly namespace?: string;
  /**
   * Name of the PeerAuthentication. Istio names the mesh- or namespace-wide policy `default` by
   * convention; give workload policies their own name.
   * @default 'default'
   */
  readonly name?: string;
  /**
   * Apply only to the pods with these labels (in `namespace`).
   * @default - every workload of the namespace (mesh-wide in the root namespace)
   */
  readonly selector?: Record<string, string>;
  /**
   * Per-port exceptions, by the workload's container port, e.g. `{ 80: 'DISABLE' }`. Istio
   * accepts them only on a policy with a `selector`.
   * @default - none
   * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
   */
  readonly portLevel?: Record<number, 'STRICT' | 'PERMISSIVE' | 'DISABLE'>;
}

const PROPS = ['namespace', 'name', 'selector', 'portLevel'];
const MODES: readonly MtlsMode[] = ['STRICT', 'PERMISSIVE', 'DISABLE'];

/**
 * Requires mutual TLS for inbound traffic: a `security.istio.io/v1` PeerAuthentication with mode
 * STRICT, mesh-wide by default.
 *
 * @example
 * new StrictMtls(chart, 'mesh');                                  // istio-system/default: whole mesh
 * new StrictMtls(chart, 'nginx', { namespace: 'web', name: 'nginx-app', selector: { app: 'nginx-app' }, portLevel: { 80: 'DISABLE' } });
 */
export class StrictMtls extends Construct {
  /** The PeerAuthentication. */
  public readonly peerAuthentication: RenderedObject;
  public readonly namespace: string;
  public readonly policyName: string;
  /** Selected pod labels (empty: namespace- or mesh-wide). */
  public readonly selector: Readonly<Record<string, string>>;
  private readonly check: PropChecker;

  constructor(scope: Construct, id: string, props: StrictMtlsProps = {}) {
    super(scope, id);
    const check: PropChecker = new PropChecker(describeConstruct('StrictMtls', this.node.path));
    // Joined the tree first: a refusal while constructing detaches it again, leaving nothing behind.
    check.whileConstructing(() => scope.node.tryRemoveChild(id));
    this.check = check;
    check.object('props', props, true);
    check.knownProps('', props, PROPS);
    this.namespace = check.namespace('namespace', props.namespace) ?? 'istio-system';
    this.policyName = check.name('name', props.name) ?? 'default';
    const selector = props.selector === undefined ? undefined : check.labels('selector', props.selector, { nonEmpty: true });
    this.selector = { ...(selector ?? {}) };

    let portLevel: Map<number, MtlsMode> | undefined;
    if (props.portLevel !== undefined) {
      check.object('portLevel', props.portLevel, true);
      const keys = Object.keys(props.portLevel);
      if (keys.length === 0) check.fail('portLevel', props.portLevel, 'expected at least one port exception such as { 80: "DISABLE" }, or leave it out');
      if (!selector) {
        check.fail('portLevel', props.portLevel, 'Istio accepts port-level exceptions only on a policy with a selector ("portLevelMtls requires selector"): add selector with the labels of the workload whose ports they are');
      }
      portLevel = new Map();
      for (const k of keys) {
        if (!/^[1-9]\d{0,4}$/.test(k) || Number(k) > 65535) check.fail(`portLevel['${k}']`, k, 'expected a port number from 1 to 65535 as the key');
        const mode = check.oneOf(`portLevel[${k}]`, (props.portLevel as Record<string, unknown>)[k], MODES);
        if (mode === undefined) check.fail(`portLevel[${k}]`, undefined, `expected one of ${MODES.join(', ')}`);
        portLevel.set(Number(k), mode);
      }
    }

    const model = {
      name: this.policyName, namespace: this.namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY },
      selector, mode: 'STRICT' as const, portLevel,
    };
    this.peerAuthentication = new RenderedObject(this, 'Resource', () => renderPeerAuthentication(model));
    SynthCheck.of(this).register(this);
    check.constructed();
  }

  /**
   * Two policies for the same workloads in one namespace: Istio applies only the oldest, so
   * which one wins depends on creation order.
   * @internal
   */
  public appProblems(all: readonly SynthChecked[]): IstioGatewayErrorDetails[] {
    const peers = groupMembers<StrictMtls>(all, policyKeyOf).get(policyKeyOf(this)!) ?? [];
    const i = peers.indexOf(this);
    if (i <= 0) return [];
    const first = peers[0];
    // Same name: the App-wide duplicate-name check reports it already.
    if (first.policyName === this.policyName) return [];
    const scope = Object.keys(this.selector).length === 0 ? `without a selector in namespace "${this.namespace}"` : `with selector ${JSON.stringify(this.selector)} in namespace "${this.namespace}"`;
    return [{
      construct: this.check.construct, prop: Object.keys(this.selector).length === 0 ? 'namespace' : 'selector',
      value: Object.keys(this.selector).length === 0 ? this.namespace : { ...this.selector },
      expected: `StrictMtls '${first.node.path}' (PeerAuthentication ${first.namespace}/${first.policyName}) is already the policy ${scope}; ` +
        'Istio would apply only the older of the two: merge them into one, or select different workloads',
    }];
  }
}

/** Policies for the same pods of one namespace, grouped once per synth check (see groupMembers). */
function policyKeyOf(m: SynthChecked): string | undefined {
  return m instanceof StrictMtls ? `${m.namespace}|${selectorKey(m.selector)}` : undefined;
}

function selectorKey(s: Readonly<Record<string, string>>): string {
  return Object.keys(s).sort().map((k) => `${k}=${s[k]}`).join(',');
}
