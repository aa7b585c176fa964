// Control-plane settings that keep dedicated gateways lean: istiod sends a gateway only the
// clusters its routes use, sidecars resolve DNS locally, and Prometheus scrapes one merged
// endpoint. Emitted as an IstioOperator for `istioctl install -f`, and available as values for
// the istiod Helm chart for teams that install with Helm.
import { Construct } from 'constructs';
import type * as Yaml from 'yaml';
import { IstioGatewayErrorDetails } from '../errors';
import { PropChecker } from '../model/checks';
import { checkHelmProfile, ControlPlaneModel, controlPlaneModel, TrimmedGatewayConfigProps } from '../model/policy';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../names';
import { renderIstioOperator, renderIstiodHelmValues } from '../render/policy';
import { constructionChecker } from './construction';
import { RenderedObject } from './rendered-object';
import { SynthCheck, SynthChecked } from './synth-check';

export { DNS_CAPTURE_METADATA, FILTER_GATEWAY_CLUSTER_CONFIG_ENV } from '../model/policy';
export type { IstioProfile, TrimmedGatewayConfigProps } from '../model/policy';

/**
 * The control-plane settings for lean dedicated gateways, as an `install.istio.io/v1alpha1`
 * IstioOperator (for `istioctl install -f`), and as istiod Helm values via {@link helmValues}.
 *
 * @example
 * const cp = new TrimmedGatewayConfig(chart, 'control-plane');
 * fs.writeFileSync('istiod-values.yaml', cp.helmValuesYaml());   // for `helm install istiod istio/istiod -f`
 */
export class TrimmedGatewayConfig extends Construct {
  /** The IstioOperator. */
  public readonly istioOperator: RenderedObject;
  /** The revision, if any. */
  public readonly revision?: string;
  private readonly model: ControlPlaneModel;
  private readonly check: PropChecker;

  constructor(scope: Construct, id: string, props: TrimmedGatewayConfigProps = {}) {
    super(scope, id);
    const check = constructionChecker(this, scope, id, 'TrimmedGatewayConfig');
    this.check = check;
    this.model = controlPlaneModel(check, props, { [MANAGED_BY_LABEL]: MANAGED_BY });
    this.revision = this.model.revision;
    const m = this.model;
    this.istioOperator = new RenderedObject(this, 'Resource', () => renderIstioOperator(m));
    SynthCheck.of(this).register(this);
    check.constructed();
  }

  /**
   * The same settings as values for Istio's `istiod` Helm chart (`pilot.env`, `meshConfig`,
   * `revision`, and the profile as the chart names it: `openshift` becomes
   * `global.platform: openshift`): `helm install istiod istio/istiod -n istio-system -f values.yaml`.
   * Throws IstioGatewayError for the `empty` profile, which has no istiod chart equivalent.
   */
  public helmValues(): Record<string, unknown> {
    checkHelmProfile(this.check, this.model.profile);
    return renderIstiodHelmValues(this.model);
  }

  /** {@link helmValues} as YAML, ready to write to a values file. */
  public helmValuesYaml(): string {
    // `yaml` loaded here, where it is used: synthesis never writes Helm values
    return (require('yaml') as typeof Yaml).stringify(this.helmValues());
  }

  /** Two control-plane configs for one revision would fight over one istiod. @internal */
  public appProblems(all: readonly SynthChecked[]): IstioGatewayErrorDetails[] {
    const peers = all.filter((m): m is TrimmedGatewayConfig => m instanceof TrimmedGatewayConfig && m.revision === this.revision);
    const i = peers.indexOf(this);
    if (i <= 0) return [];
    return [{
      construct: this.check.construct, prop: 'revision', value: this.revision ?? '(default)',
      expected: `TrimmedGatewayConfig '${peers[0].node.path}' already configures the ${this.revision ? `"${this.revision}"` : 'default'} revision's control plane; ` +
        'one istiod takes one configuration: merge them, or give this one another revision',
    }];
  }
}
