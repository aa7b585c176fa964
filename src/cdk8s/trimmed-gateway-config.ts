// Control-plane settings that keep dedicated gateways lean: istiod sends a gateway only the
// clusters its routes use, sidecars resolve DNS locally, and Prometheus scrapes one merged
// endpoint. Emitted as an IstioOperator for `istioctl install -f`, and available as values for
// the istiod Helm chart for teams that install with Helm.
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { IstioGatewayErrorDetails } from '../errors';
import { describeConstruct, PropChecker } from '../model/checks';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../render/api-versions';
import { ControlPlaneModel, HELM_PROFILES, renderIstioOperator, renderIstiodHelmValues } from '../render/policy';
import { RenderedObject } from './rendered-object';
import { SynthCheck, SynthChecked } from './synth-check';

/** Installation profiles of istioctl 1.30. */
export type IstioProfile = 'minimal' | 'default' | 'demo' | 'empty' | 'ambient' | 'preview' | 'remote' | 'stable' | 'openshift' | 'openshift-ambient';
const PROFILES: readonly IstioProfile[] = ['minimal', 'default', 'demo', 'empty', 'ambient', 'preview', 'remote', 'stable', 'openshift', 'openshift-ambient'];

/** istiod flag: push to each gateway only the clusters its VirtualServices reference. */
export const FILTER_GATEWAY_CLUSTER_CONFIG_ENV = 'PILOT_FILTER_GATEWAY_CLUSTER_CONFIG';
/** Proxy flag: the sidecar answers DNS queries itself (ServiceEntry hosts resolve without kube-dns records). */
export const DNS_CAPTURE_METADATA = 'ISTIO_META_DNS_CAPTURE';

/** Props of {@link TrimmedGatewayConfig}. */
export interface TrimmedGatewayConfigProps {
  /**
   * Name of the IstioOperator.
   * @default 'control-plane'
   */
  readonly name?: string;
  /**
   * Namespace of the IstioOperator (and of the control plane).
   * @default 'istio-system'
   */
  readonly namespace?: string;
  /**
   * istioctl profile. `minimal` installs istiod only: gateways are deployed separately
   * (TenantGateway, or Istio's gateway Helm chart).
   * @default 'minimal'
   * @see https://istio.io/latest/docs/setup/additional-setup/config-profiles/
   */
  readonly profile?: IstioProfile;
  /**
   * Control-plane revision (for canary upgrades of Istio itself).
   * @default - the default revision
   */
  readonly revision?: string;
  /**
   * Sets istiod's `PILOT_FILTER_GATEWAY_CLUSTER_CONFIG=true`: a gateway's proxy receives only
   * the clusters (upstream services) that the VirtualServices bound to it reference, instead of
   * every service of the mesh. Cuts gateway memory and push time on large meshes; a destination
   * not referenced by a route bound to the gateway is then unknown to it. Experimental istiod
   * flag (default false in Istio).
   * @default true
   */
  readonly filterGatewayClusterConfig?: boolean;
  /**
   * Sets `ISTIO_META_DNS_CAPTURE=true` in every proxy's metadata: the sidecar's DNS proxy answers
   * queries for mesh hosts (ServiceEntries included) and caches the rest. Off unless asked for:
   * it changes every sidecar of the mesh and has nothing to do with gateways.
   * @default false
   */
  readonly dnsCapture?: boolean;
  /**
   * `meshConfig.enablePrometheusMerge`: one scrape endpoint per pod merging application and
   * proxy metrics. Rendered explicitly either way (Istio's default is true).
   * @default true
   */
  readonly prometheusMerge?: boolean;
  /**
   * `meshConfig.accessLogFile`, e.g. `/dev/stdout`, turns on Envoy access logs mesh-wide.
   * Prefer an AccessLogPolicy to log selectively.
   * @default - no mesh-wide access log
   */
  readonly accessLogFile?: string;
  /**
   * `meshConfig.accessLogEncoding`; needs `accessLogFile`.
   * @default - Istio's default ('TEXT')
   */
  readonly accessLogEncoding?: 'TEXT' | 'JSON';
  /**
   * More istiod environment variables (appended after the ones above, sorted by name).
   * @default - none
   */
  readonly pilotEnv?: Record<string, string>;
  /**
   * More `meshConfig.defaultConfig.proxyMetadata` entries (sorted by name).
   * @default - none
   */
  readonly proxyMetadata?: Record<string, string>;
}

const PROPS = ['name', 'namespace', 'profile', 'revision', 'filterGatewayClusterConfig', 'dnsCapture', 'prometheusMerge', 'accessLogFile', 'accessLogEncoding', 'pilotEnv', 'proxyMetadata'];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

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
    const check: PropChecker = new PropChecker(describeConstruct('TrimmedGatewayConfig', this.node.path));
    // Joined the tree first: a refusal while constructing detaches it again, leaving nothing behind.
    check.whileConstructing(() => scope.node.tryRemoveChild(id));
    this.check = check;
    check.object('props', props, true);
    check.knownProps('', props, PROPS);
    const name = check.name('name', props.name) ?? 'control-plane';
    const namespace = check.namespace('namespace', props.namespace) ?? 'istio-system';
    const profile = check.oneOf('profile', props.profile, PROFILES) ?? 'minimal';
    this.revision = check.name('revision', props.revision);
    const filter = check.boolean('filterGatewayClusterConfig', props.filterGatewayClusterConfig) ?? true;
    const dnsCapture = check.boolean('dnsCapture', props.dnsCapture) ?? false;
    const prometheusMerge = check.boolean('prometheusMerge', props.prometheusMerge) ?? true;
    const accessLogFile = check.string('accessLogFile', props.accessLogFile);
    if (accessLogFile !== undefined && !accessLogFile.startsWith('/')) {
      check.fail('accessLogFile', accessLogFile, 'expected an absolute file path such as "/dev/stdout"');
    }
    const accessLogEncoding = check.oneOf('accessLogEncoding', props.accessLogEncoding, ['TEXT', 'JSON'] as const);
    if (accessLogEncoding && accessLogFile === undefined) {
      check.fail('accessLogEncoding', accessLogEncoding, 'the encoding applies to the mesh-wide access log: set accessLogFile too');
    }
    const pilotEnv = [
      ...(filter ? [{ name: FILTER_GATEWAY_CLUSTER_CONFIG_ENV, value: 'true' }] : []),
      ...extraVars(check, 'pilotEnv', props.pilotEnv, FILTER_GATEWAY_CLUSTER_CONFIG_ENV, 'filterGatewayClusterConfig'),
    ];
    const proxyMetadata = [
      ...(dnsCapture ? [{ name: DNS_CAPTURE_METADATA, value: 'true' }] : []),
      ...extraVars(check, 'proxyMetadata', props.proxyMetadata, DNS_CAPTURE_METADATA, 'dnsCapture'),
    ];
    this.model = {
      name, namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY }, profile, revision: this.revision,
      pilotEnv, proxyMetadata, enablePrometheusMerge: prometheusMerge, accessLogFile, accessLogEncoding,
    };
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
    if (HELM_PROFILES[this.model.profile] === undefined) {
      this.check.fail('profile', this.model.profile,
        `the istiod Helm chart has no "${this.model.profile}" profile (helm would fail "unknown profile") and an install of nothing has no istiod values: ` +
        `use istioOperator with istioctl, or one of ${Object.keys(HELM_PROFILES).map((p) => `'${p}'`).join(', ')}`);
    }
    return renderIstiodHelmValues(this.model);
  }

  /** {@link helmValues} as YAML, ready to write to a values file. */
  public helmValuesYaml(): string {
    return stringify(this.helmValues());
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

function extraVars(check: PropChecker, prop: string, vars: Record<string, string> | undefined, owned: string, ownedBy: string): { name: string; value: string }[] {
  if (vars === undefined) return [];
  check.object(prop, vars, true);
  return Object.keys(vars).sort().map((k) => {
    if (!ENV_NAME.test(k)) check.fail(`${prop}['${k}']`, k, 'expected an environment variable name (letters, digits and "_", not starting with a digit)');
    if (k === owned) check.fail(`${prop}['${k}']`, vars[k], `${owned} is set by the ${ownedBy} prop: use that instead`);
    const v = vars[k];
    if (typeof v !== 'string') check.fail(`${prop}['${k}']`, v, 'expected a string value (quote numbers and booleans, e.g. "true")');
    return { name: k, value: v };
  });
}
