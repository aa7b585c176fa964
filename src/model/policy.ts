// The validated model of the mesh-policy constructs (StrictMtls, AccessLogPolicy,
// TrimmedGatewayConfig): their props, the checks that turn props into models, and the models the
// renderers in ../render/policy take. Pure: props in, model out or an IstioGatewayError through
// the PropChecker; no cdk8s, no rendering.
import type * as Cel from '@bufbuild/cel';
import { dirname, join } from 'path';
import { PropChecker } from './checks';
import { nameFragment } from './gateway';

// ---------------------------------------------------------------------------------------------
// StrictMtls: a PeerAuthentication

export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';
const MTLS_MODES: readonly MtlsMode[] = ['STRICT', 'PERMISSIVE', 'DISABLE'];

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

export interface PeerAuthenticationModel {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly selector?: Readonly<Record<string, string>>;
  readonly mode: MtlsMode;
  /** Exceptions by port number. */
  readonly portLevel?: ReadonlyMap<number, MtlsMode>;
}

const STRICT_MTLS_PROPS = ['namespace', 'name', 'selector', 'portLevel'];

/**
 * StrictMtls props as the PeerAuthentication they make (mode STRICT, `labels` on the object).
 * Throws IstioGatewayError through `check` for anything Istio would refuse.
 */
export function strictMtlsModel(check: PropChecker, input: StrictMtlsProps | undefined, labels: Record<string, string>): PeerAuthenticationModel {
  const props = check.object('props', input, true);
  check.knownProps('', props, STRICT_MTLS_PROPS);
  const namespace = check.namespace('namespace', props.namespace) ?? 'istio-system';
  const name = check.name('name', props.name) ?? 'default';
  const selector = props.selector === undefined ? undefined : check.labels('selector', props.selector, { nonEmpty: true });

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
      const mode = check.oneOf(`portLevel[${k}]`, (props.portLevel as Record<string, unknown>)[k], MTLS_MODES);
      if (mode === undefined) check.fail(`portLevel[${k}]`, undefined, `expected one of ${MTLS_MODES.join(', ')}`);
      portLevel.set(Number(k), mode);
    }
  }
  return { name, namespace, labels, selector, mode: 'STRICT', portLevel };
}

// ---------------------------------------------------------------------------------------------
// AccessLogPolicy: a Telemetry

export type AccessLogMode = 'CLIENT_AND_SERVER' | 'CLIENT' | 'SERVER';
const ACCESS_LOG_MODES: readonly AccessLogMode[] = ['CLIENT_AND_SERVER', 'CLIENT', 'SERVER'];

/**
 * The props of {@link AccessLogPolicy} other than the gateway (the construct's props add
 * `gateway`, a construct of the cdk8s front end).
 */
export interface AccessLogPolicyOptions {
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

/** What an access-log policy needs of the gateway whose pods it logs. */
export interface PolicyGateway {
  /** How messages name the gateway (its construct path). */
  readonly path: string;
  /** `namespace/name` of the Gateway. */
  readonly ref: string;
  /** Labels of the gateway pods; undefined when not known (an imported gateway given no selector). */
  readonly selector: Readonly<Record<string, string>> | undefined;
  /** Namespace where the gateway pods run. */
  readonly workloadNamespace: string;
  /** How a policy targets the Gateway (Gateway API flavour); undefined when it selects pods. */
  readonly policyTargetRef?: Readonly<Record<string, string>>;
}

export interface TelemetryModel {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly selector?: Readonly<Record<string, string>>;
  /** Instead of a selector: the Gateway API Gateway whose pods it applies to. */
  readonly targetRef?: Readonly<Record<string, string>>;
  readonly providers: readonly string[];
  readonly filter?: string;
  readonly disabled: boolean;
  readonly mode?: AccessLogMode;
}

/** How {@link accessLogPolicyModel} reads what the props alone do not say. */
export interface AccessLogPolicyContext {
  /** The construct id: the Telemetry's name when `name` is not given. */
  readonly id: string;
  /** Labels of the Telemetry object. */
  readonly labels: Record<string, string>;
  /**
   * Checks `props.gateway` and says what the policy needs of it; called after the prop names are
   * checked, before any other prop.
   * @default - the value is taken as a PolicyGateway
   */
  readonly resolveGateway?: (value: unknown) => PolicyGateway;
  /**
   * The CEL parser's verdict on a filter (a front end may cache it).
   * @default celParseError
   */
  readonly celParseError?: (filter: string) => string | undefined;
}

const ACCESS_LOG_POLICY_PROPS = ['gateway', 'selector', 'namespace', 'name', 'providers', 'filter', 'disabled', 'mode'];

/**
 * @bufbuild/cel's `parse`, loaded when a filter is first checked (see loadCelParse).
 */
let celParse: typeof Cel.parse | undefined;

/**
 * @bufbuild/cel's `parse` from its own module, `parse.js` beside the package's entry: the entry
 * loads the whole evaluator (the package, @bufbuild/protobuf, CEL's descriptors and re2: about 130
 * files and 150 ms of CPU in a fresh process) to re-export this function, whose module needs three
 * others (the parser, its builder and logic manager: about 9 ms). The package exports only its entry,
 * so the module is required by its file path; it is the very function the entry re-exports
 * (test/model-policy.test.ts holds that), and a layout without it falls back to the entry.
 * @internal
 */
export function loadCelParse(): typeof Cel.parse {
  try {
    const parse = (require(join(dirname(require.resolve('@bufbuild/cel')), 'parse.js')) as { parse?: unknown }).parse;
    if (typeof parse === 'function') return parse as typeof Cel.parse;
  } catch {
    // not that layout: the package's entry
  }
  return (require('@bufbuild/cel') as typeof Cel).parse;
}

/**
 * The first line of the CEL parser's error for `filter`, or undefined when it parses.
 *
 * A filter that ends in a `//` comment without a newline is valid CEL (cel-go, which Istio uses,
 * ends a comment at the end of input too), but @bufbuild/cel 0.6 refuses it; such a filter is
 * parsed again with a newline after it, which is whitespace to CEL. Errors are the first parse's.
 */
export function celParseError(filter: string): string | undefined {
  const parse = (celParse ??= loadCelParse());
  try {
    parse(filter);
    return undefined;
  } catch (e) {
    if (filter.includes('//')) {
      try {
        parse(filter + '\n');
        return undefined;
      } catch {
        // the first error is the one to report
      }
    }
    return (e as Error).message.split('\n')[0];
  }
}

/**
 * `filter` with the text of each string literal replaced by `_`, or undefined when that is not
 * provably the same token sequence as `filter`'s. Two filters of one shape parse alike: the parser
 * reads a literal's characters only to find where it ends (any printable ASCII but the quote and
 * the backslash is valid there), so if the shape parses, so does every filter of that shape. A
 * platform writes one filter per team with the team's own values
 * (`request.headers["x-team"] == "payments"`), and @bufbuild/cel's parser costs about 1-5 µs per
 * character warm, more cold (its failed-expectation lists are copied at every rule): the shape is
 * parsed once.
 *
 * Only what this scan reads exactly as CEL's lexer does is rewritten: single- or double-quoted
 * literals (with an r/b prefix or not) of printable ASCII. Undefined (parse `filter` itself) for a
 * backslash anywhere (an escape may hide a quote), a backquote (a quoted field name), a `//`
 * comment outside a literal (it may hide one), a triple quote, or a literal left open. A literal of
 * other characters (a newline, non-ASCII) is kept as written. An empty literal stays empty and a
 * non-empty one becomes `_`, never empty: `"a""b""c"` (three literals, not CEL) must not become
 * `""""""` (one triple-quoted literal).
 */
export function celShapeOf(filter: string): string | undefined {
  if (filter.includes('\\') || filter.includes('`')) return undefined;
  let out = '';
  let from = 0;
  for (let i = 0; i < filter.length; i++) {
    const c = filter.charCodeAt(i);
    if (c === 0x2f /* / */ && filter.charCodeAt(i + 1) === 0x2f) return undefined;
    if (c !== 0x22 /* " */ && c !== 0x27 /* ' */) continue;
    if (filter.charCodeAt(i + 1) === c && filter.charCodeAt(i + 2) === c) return undefined;
    const end = filter.indexOf(filter[i], i + 1);
    if (end < 0) return undefined;
    let printable = end > i + 1;
    for (let j = i + 1; printable && j < end; j++) {
      const d = filter.charCodeAt(j);
      printable = d >= 0x20 && d <= 0x7e;
    }
    if (printable) {
      out += filter.slice(from, i + 1) + '_';
      from = end;
    }
    i = end;
  }
  return from === 0 ? filter : out + filter.slice(from);
}

/**
 * The parser's verdicts on filters, by shape (see celShapeOf): a filter whose shape parses is
 * valid without a parse of its own; any other is parsed itself, so that its error (with its
 * positions) is the parser's on what the user wrote. At most `limit` entries, then cleared, for an
 * App built by a long-running process.
 */
export function celVerdicts(parseError: (filter: string) => string | undefined = celParseError, limit = 1000): (filter: string) => string | undefined {
  const verdicts = new Map<string, string | undefined>();
  const verdict = (text: string): string | undefined => {
    if (verdicts.has(text)) return verdicts.get(text);
    const error = parseError(text);
    if (verdicts.size >= limit) verdicts.clear();
    verdicts.set(text, error);
    return error;
  };
  return (filter) => {
    const shape = celShapeOf(filter);
    if (shape !== undefined && shape !== filter && verdict(shape) === undefined) return undefined;
    return verdict(filter);
  };
}

/**
 * AccessLogPolicy props as the Telemetry they make: selecting the gateway's pods (or targeting a
 * Gateway API Gateway), the `selector`'s pods, or the namespace. Throws IstioGatewayError through
 * `check` for anything Istio would refuse or ignore.
 */
export function accessLogPolicyModel(
  check: PropChecker, input: (AccessLogPolicyOptions & { readonly gateway?: unknown }) | undefined, ctx: AccessLogPolicyContext,
): TelemetryModel & { readonly gateway?: PolicyGateway } {
  const props = check.object('props', input, true);
  check.knownProps('', props, ACCESS_LOG_POLICY_PROPS);
  const gateway = props.gateway === undefined ? undefined : (ctx.resolveGateway ?? ((g) => g as PolicyGateway))(props.gateway);
  if (gateway && gateway.selector === undefined) {
    check.fail('gateway', gateway.ref, `the labels of the pods of imported gateway '${gateway.path}' are not known: import it with a selector (fromAttributes(..., { selector }))`);
  }
  if (gateway && props.selector !== undefined) {
    check.fail('selector', props.selector, `set gateway or selector, not both: the gateway already selects its pods (${JSON.stringify(gateway.selector)})`);
  }
  const given = check.namespace('namespace', props.namespace);
  if (gateway && given !== undefined && given !== gateway.workloadNamespace) {
    check.fail('namespace', given, `a Telemetry selector matches pods of its own namespace only, and the pods of gateway '${gateway.path}' run in "${gateway.workloadNamespace}": use that namespace or leave it out`);
  }
  const namespace = given ?? gateway?.workloadNamespace ?? 'istio-system';
  const name = check.name('name', props.name ?? nameFragment(ctx.id))!;
  const selector = gateway ? gateway.selector!
    : props.selector === undefined ? undefined : check.labels('selector', props.selector, { nonEmpty: true });

  const listed = check.array('providers', props.providers, { nonEmpty: true }) ?? ['envoy'];
  const providers = listed.map((p, i) => {
    const provider = check.string(`providers[${i}]`, p, { required: true, nonEmpty: true })!;
    if (listed.indexOf(provider) !== i) check.fail(`providers[${i}]`, provider, 'each provider may be listed once');
    return provider;
  });
  const filter = check.string('filter', props.filter);
  if (filter !== undefined) {
    if (filter.trim() === '') check.fail('filter', filter, 'an empty filter is not a CEL expression: give one such as "response.code >= 400", or leave filter out to log every request');
    const error = (ctx.celParseError ?? celParseError)(filter);
    if (error !== undefined) {
      check.fail('filter', filter, `expected a CEL expression such as "response.code >= 400"; it does not parse: ${error}`);
    }
  }
  const disabled = check.boolean('disabled', props.disabled) ?? false;
  if (disabled && filter !== undefined) check.fail('filter', filter, 'a filter has no effect when logging is disabled: remove one of them');
  const mode = check.oneOf('mode', props.mode, ACCESS_LOG_MODES);
  return {
    name, namespace, labels: ctx.labels, selector, providers, filter, disabled, mode,
    // Istio 1.30 applies a Telemetry to a Gateway API Gateway through targetRefs (same namespace).
    targetRef: gateway?.policyTargetRef,
    gateway,
  };
}

// ---------------------------------------------------------------------------------------------
// TrimmedGatewayConfig: control-plane settings

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

/** Control-plane settings shared by the IstioOperator and the Helm values. */
export interface ControlPlaneModel {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly profile: IstioProfile;
  readonly revision?: string;
  /** istiod environment variables, in output order. */
  readonly pilotEnv: readonly { readonly name: string; readonly value: string }[];
  /** meshConfig.defaultConfig.proxyMetadata entries, in output order. */
  readonly proxyMetadata: readonly { readonly name: string; readonly value: string }[];
  readonly enablePrometheusMerge: boolean;
  readonly accessLogFile?: string;
  readonly accessLogEncoding?: 'TEXT' | 'JSON';
}

/**
 * How each istioctl profile reads as istiod chart values. The chart's profiles are named
 * differently: OpenShift is a platform there (`global.platform: openshift`, its
 * files/profile-platform-openshift.yaml), not a profile; `minimal` and `default` are what the
 * chart installs anyway. `empty` (install nothing) has no meaning for a chart that installs
 * istiod and is absent: {@link checkHelmProfile} refuses it.
 */
export const HELM_PROFILES: Readonly<Record<string, { profile?: string; platform?: string } | undefined>> = {
  minimal: {}, default: {}, demo: { profile: 'demo' }, ambient: { profile: 'ambient' }, preview: { profile: 'preview' },
  remote: { profile: 'remote' }, stable: { profile: 'stable' },
  openshift: { platform: 'openshift' }, 'openshift-ambient': { profile: 'ambient', platform: 'openshift' },
};

const TRIMMED_GATEWAY_CONFIG_PROPS = ['name', 'namespace', 'profile', 'revision', 'filterGatewayClusterConfig', 'dnsCapture', 'prometheusMerge', 'accessLogFile', 'accessLogEncoding', 'pilotEnv', 'proxyMetadata'];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * TrimmedGatewayConfig props as control-plane settings: the trimming flags first, then the extra
 * variables sorted by name. Throws IstioGatewayError through `check` for a bad prop.
 */
export function controlPlaneModel(check: PropChecker, input: TrimmedGatewayConfigProps | undefined, labels: Record<string, string>): ControlPlaneModel {
  const props = check.object('props', input, true);
  check.knownProps('', props, TRIMMED_GATEWAY_CONFIG_PROPS);
  const name = check.name('name', props.name) ?? 'control-plane';
  const namespace = check.namespace('namespace', props.namespace) ?? 'istio-system';
  const profile = check.oneOf('profile', props.profile, PROFILES) ?? 'minimal';
  const revision = check.name('revision', props.revision);
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
  return {
    name, namespace, labels, profile, revision,
    pilotEnv, proxyMetadata, enablePrometheusMerge: prometheusMerge, accessLogFile, accessLogEncoding,
  };
}

/** Refuses a profile the istiod Helm chart cannot express (`empty`), before Helm values are made. */
export function checkHelmProfile(check: PropChecker, profile: IstioProfile): void {
  if (HELM_PROFILES[profile] === undefined) {
    check.fail('profile', profile,
      `the istiod Helm chart has no "${profile}" profile (helm would fail "unknown profile") and an install of nothing has no istiod values: ` +
      `use istioOperator with istioctl, or one of ${Object.keys(HELM_PROFILES).map((p) => `'${p}'`).join(', ')}`);
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
