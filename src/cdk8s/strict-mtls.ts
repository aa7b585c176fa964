// Mutual TLS required between workloads: a PeerAuthentication with mode STRICT for the mesh, a
// namespace or selected workloads, with per-port exceptions (e.g. a plain-text health port).
import { Construct } from 'constructs';
import { IstioGatewayErrorDetails } from '../errors';
import { StrictMtlsProps, strictMtlsModel } from '../model/policy';
import { MANAGED_LABELS } from '../names';
import { peerAuthenticationIdentity, renderPeerAuthentication } from '../render/policy';
import { constructionChecker } from './construction';
import { RenderedObject } from './rendered-object';
import { peersOf, SynthCheck, SynthChecked } from './synth-check';

export type { MtlsMode, StrictMtlsProps } from '../model/policy';

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
  /** How errors name this construct (its checker's name: the checker itself is not needed after construction). */
  private readonly construct: string;

  constructor(scope: Construct, id: string, props: StrictMtlsProps = {}) {
    super(scope, id);
    const check = constructionChecker(this, scope, id, 'StrictMtls');
    this.construct = check.construct;
    // The labels are read, never changed, by the renderer (which copies them): one object for every policy.
    const model = strictMtlsModel(check, props, MANAGED_LABELS);
    this.namespace = model.namespace;
    this.policyName = model.name;
    this.selector = { ...(model.selector ?? {}) };
    // Its identity without a whole rendering (a platform declares a policy per team).
    this.peerAuthentication = new RenderedObject(this, 'Resource', () => renderPeerAuthentication(model), () => peerAuthenticationIdentity(model));
    SynthCheck.of(this).register(this);
    check.constructed();
  }

  /**
   * Two policies for the same workloads in one namespace: Istio applies only the oldest, so
   * which one wins depends on creation order.
   * @internal
   */
  public appProblems(all: readonly SynthChecked[]): IstioGatewayErrorDetails[] {
    const peers = peersOf<StrictMtls>(all, policyKeyOf, this);
    const i = peers.indexOf(this);
    if (i <= 0) return [];
    const first = peers[0];
    // Same name: the App-wide duplicate-name check reports it already.
    if (first.policyName === this.policyName) return [];
    const scope = Object.keys(this.selector).length === 0 ? `without a selector in namespace "${this.namespace}"` : `with selector ${JSON.stringify(this.selector)} in namespace "${this.namespace}"`;
    return [{
      construct: this.construct, prop: Object.keys(this.selector).length === 0 ? 'namespace' : 'selector',
      value: Object.keys(this.selector).length === 0 ? this.namespace : { ...this.selector },
      expected: `StrictMtls '${first.node.path}' (PeerAuthentication ${first.namespace}/${first.policyName}) is already the policy ${scope}; ` +
        'Istio would apply only the older of the two: merge them into one, or select different workloads',
    }];
  }
}

/** Policies for the same pods of one namespace, grouped once per synth check (see peersOf). */
function policyKeyOf(m: SynthChecked): string | undefined {
  return m instanceof StrictMtls ? `${m.namespace}|${selectorKey(m.selector)}` : undefined;
}

function selectorKey(s: Readonly<Record<string, string>>): string {
  return Object.keys(s).sort().map((k) => `${k}=${s[k]}`).join(',');
}
