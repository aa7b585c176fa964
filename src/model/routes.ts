// The validated model of HTTP routes: request matches, per-rule options (timeout, retries, mirror,
// fault injection, rewrite), a DestinationRule's traffic policy, and how a route's rules are laid
// out. Pure data and checks shared by the cdk8s and Pulumi front ends; rendering is ../render/routes.
import { PropChecker } from './checks';
import { GatewayServer, hostsIntersect } from './gateway';

// ---------------------------------------------------------------------------------------------
// Props (the public shapes users write)
// ---------------------------------------------------------------------------------------------

/**
 * A condition on a string: exactly one of `exact`, `prefix` or `regex`.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#StringMatch
 */
export interface StringMatch {
  /** The whole value equals this. */
  readonly exact?: string;
  /** The value starts with this (not empty). */
  readonly prefix?: string;
  /**
   * The whole value matches this RE2 regular expression, as Envoy evaluates it: no lookaround,
   * no backreferences, repetition counts up to 1000.
   * @see https://github.com/google/re2/wiki/Syntax
   */
  readonly regex?: string;
}

/**
 * Conditions on a request; every condition given must hold. A route's `match` list is OR'ed:
 * a request is selected when any one of its matches holds.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPMatchRequest
 */
export interface HttpMatch {
  /**
   * Name of the match, appended to the rule's name in access logs and stats.
   * @default - none
   */
  readonly name?: string;
  /**
   * The path (starting with `/`; a regex is matched against the whole path).
   * @default - any path
   */
  readonly uri?: StringMatch;
  /**
   * Match `uri` case-insensitively.
   * @default false
   */
  readonly ignoreUriCase?: boolean;
  /**
   * The HTTP method, e.g. `{ exact: 'GET' }`.
   * @default - any method
   */
  readonly method?: StringMatch;
  /**
   * The URI scheme, e.g. `{ exact: 'https' }`.
   * @default - any scheme
   */
  readonly scheme?: StringMatch;
  /**
   * The HTTP authority (Host header).
   * @default - any authority
   */
  readonly authority?: StringMatch;
  /**
   * Request headers, keyed by lower-case name (Envoy lower-cases header names, so an upper-case
   * key would never match and is refused), e.g. `{ 'end-user': { exact: 'jason' } }`.
   * @default - no header condition
   */
  readonly headers?: Record<string, StringMatch>;
  /**
   * Headers that must NOT match (lower-case names).
   * @default - no condition
   */
  readonly withoutHeaders?: Record<string, StringMatch>;
  /**
   * Query parameters, e.g. `{ version: { exact: 'v2' } }`. Istio supports `exact` and `regex` only.
   * @default - no query condition
   */
  readonly queryParams?: Record<string, StringMatch>;
  /**
   * The port the request arrived on (of the gateway, or of the service for mesh traffic).
   * @default - any port
   */
  readonly port?: number;
  /**
   * Labels of the calling workload. Only for routes that apply to mesh traffic (no gateways, or
   * `includeMesh: true`): at a gateway the caller is always the gateway.
   * @default - any caller
   */
  readonly sourceLabels?: Record<string, string>;
  /**
   * Namespace of the calling workload (mesh traffic only, as `sourceLabels`).
   * @default - any namespace
   */
  readonly sourceNamespace?: string;
}

/**
 * Retries of failed requests.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRetry
 */
export interface RetryPolicy {
  /** Number of retries (0 turns Istio's default of 2 retries off). */
  readonly attempts: number;
  /**
   * Timeout of each attempt, e.g. `2s` (whole milliseconds, at least 1ms).
   * @default - the route's timeout
   */
  readonly perTryTimeout?: string;
  /**
   * Conditions that trigger a retry: Envoy's `x-envoy-retry-on` / `x-envoy-retry-grpc-on` values
   * (`5xx`, `gateway-error`, `reset`, `connect-failure`, `retriable-4xx`, `refused-stream`,
   * `unavailable`, `cancelled`, ...) or 3-digit status codes.
   * @default - Istio's default: connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes
   * @see https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-retry-on
   */
  readonly retryOn?: string[];
}

/**
 * Copies of requests sent to another destination (responses are discarded).
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRoute
 */
export interface MirrorPolicy {
  /** Service host of the mirror. */
  readonly host: string;
  /**
   * Subset of the mirror host (from a DestinationRule).
   * @default - every endpoint of the host
   */
  readonly subset?: string;
  /**
   * Port of the mirror host.
   * @default - the host's only port
   */
  readonly port?: number;
  /**
   * Percentage of requests mirrored, 0 to 100 (fractions allowed).
   * @default 100
   */
  readonly percentage?: number;
}

/** A delay injected before forwarding. */
export interface FaultDelay {
  /** The delay, e.g. `7s` (whole milliseconds, at least 1ms). */
  readonly fixedDelay: string;
  /**
   * Percentage of requests delayed, 0 to 100.
   * @default 100
   */
  readonly percentage?: number;
}

/** An error returned instead of forwarding. */
export interface FaultAbort {
  /** HTTP status returned, 200 to 599. */
  readonly httpStatus: number;
  /**
   * Percentage of requests aborted, 0 to 100.
   * @default 100
   */
  readonly percentage?: number;
}

/**
 * Fault injection, for resilience tests.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPFaultInjection
 */
export interface FaultInjection {
  /** @default - no delay */
  readonly delay?: FaultDelay;
  /** @default - no abort */
  readonly abort?: FaultAbort;
  /**
   * Inject only into requests that match (e.g. one test user's header). Other requests are routed
   * as usual, without the fault.
   * @default - every request the route serves
   */
  readonly match?: HttpMatch[];
}

/**
 * Rewrites of the request before forwarding.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRewrite
 */
export interface HttpRewrite {
  /**
   * Replaces the matched part of the path: the prefix for a `prefix` match, the whole path otherwise.
   * @default - path unchanged
   */
  readonly uri?: string;
  /**
   * Replaces the path by RE2 substitution (`rewrite` may use `\1`); not with `uri`.
   * @default - none
   */
  readonly uriRegex?: { readonly match: string; readonly rewrite: string };
  /**
   * Replaces the Host/authority header.
   * @default - unchanged
   */
  readonly authority?: string;
}

/** The cookie a consistent hash is keyed on. */
export interface HashCookie {
  /** Cookie name. */
  readonly name: string;
  /** Lifetime of a cookie Envoy generates, e.g. `1h`. */
  readonly ttl: string;
  /** @default - no Path attribute */
  readonly path?: string;
}

/** Load balancing by a hash of the request, keeping a client on one endpoint. Exactly one key. */
export interface ConsistentHash {
  /** @default - none */
  readonly httpHeaderName?: string;
  /** A cookie; Envoy generates it with `ttl` when absent. @default - none */
  readonly httpCookie?: HashCookie;
  /** @default - none */
  readonly useSourceIp?: boolean;
  /** @default - none */
  readonly httpQueryParameterName?: string;
}

/** The load-balancing algorithm: `simple` or `consistentHash`, not both. */
export interface LoadBalancer {
  /** @default - Istio's default (LEAST_REQUEST) */
  readonly simple?: 'ROUND_ROBIN' | 'LEAST_REQUEST' | 'RANDOM' | 'PASSTHROUGH';
  /** @default - none */
  readonly consistentHash?: ConsistentHash;
}

/** Connection limits towards the destination (circuit breaking). */
export interface ConnectionPool {
  /** @default - Istio's defaults */
  readonly tcp?: {
    /** @default 2^32-1 */
    readonly maxConnections?: number;
    /** @default '10s' */
    readonly connectTimeout?: string;
  };
  /** @default - Istio's defaults */
  readonly http?: {
    /** Requests queued while waiting for a connection. @default 2^32-1 */
    readonly http1MaxPendingRequests?: number;
    /** Concurrent requests. @default 2^32-1 */
    readonly http2MaxRequests?: number;
    /** 1 disables keep-alive. @default 0 (unlimited) */
    readonly maxRequestsPerConnection?: number;
    /** Concurrent retries across all endpoints. @default 2^32-1 */
    readonly maxRetries?: number;
    /** @default '1h' */
    readonly idleTimeout?: string;
  };
}

/** Ejection of failing endpoints from the load-balancing pool. */
export interface OutlierDetection {
  /** @default 5 */
  readonly consecutive5xxErrors?: number;
  /** 502, 503 and 504 only. @default - off */
  readonly consecutiveGatewayErrors?: number;
  /** Time between analysis sweeps. @default '10s' */
  readonly interval?: string;
  /** @default '30s' */
  readonly baseEjectionTime?: string;
  /** @default 10 */
  readonly maxEjectionPercent?: number;
  /** @default 0 */
  readonly minHealthPercent?: number;
}

/** TLS from the client proxy to the destination. */
export interface ClientTls {
  /** `ISTIO_MUTUAL` for mesh mTLS; `SIMPLE`/`MUTUAL` for a TLS backend; `DISABLE` for plain text. */
  readonly mode: 'DISABLE' | 'SIMPLE' | 'MUTUAL' | 'ISTIO_MUTUAL';
  /** Secret with the client certificate (MUTUAL, required) or the CA (SIMPLE). @default - none */
  readonly credentialName?: string;
  /** @default - the destination host */
  readonly sni?: string;
  /** @default - any */
  readonly subjectAltNames?: string[];
}

/**
 * A typed subset of a DestinationRule's traffic policy.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#TrafficPolicy
 */
export interface TrafficPolicy {
  /** @default - Istio's default */
  readonly loadBalancer?: LoadBalancer;
  /** @default - Istio's defaults */
  readonly connectionPool?: ConnectionPool;
  /** @default - no outlier detection */
  readonly outlierDetection?: OutlierDetection;
  /** @default - Istio's auto mTLS */
  readonly tls?: ClientTls;
}

// ---------------------------------------------------------------------------------------------
// Models (validated, normalized; what the renderers take)
// ---------------------------------------------------------------------------------------------

export type StringMatchKind = 'exact' | 'prefix' | 'regex';
export interface StringMatchModel { readonly kind: StringMatchKind; readonly value: string }

export interface HttpMatchModel {
  readonly name?: string;
  readonly uri?: StringMatchModel;
  readonly ignoreUriCase?: boolean;
  readonly method?: StringMatchModel;
  readonly scheme?: StringMatchModel;
  readonly authority?: StringMatchModel;
  readonly headers?: Readonly<Record<string, StringMatchModel>>;
  readonly withoutHeaders?: Readonly<Record<string, StringMatchModel>>;
  readonly queryParams?: Readonly<Record<string, StringMatchModel>>;
  readonly port?: number;
  readonly sourceLabels?: Readonly<Record<string, string>>;
  readonly sourceNamespace?: string;
}

export interface RetriesModel { readonly attempts: number; readonly perTryTimeout?: string; readonly retryOn?: string }
export interface MirrorModel { readonly host: string; readonly subset?: string; readonly port?: number; readonly percentage: number }
export interface FaultModel {
  readonly delay?: { readonly fixedDelay: string; readonly percentage: number };
  readonly abort?: { readonly httpStatus: number; readonly percentage: number };
}
export interface RewriteModel { readonly uri?: string; readonly uriRegex?: { readonly match: string; readonly rewrite: string }; readonly authority?: string }

/** Options every rule of one route carries. */
export interface RuleOptionsModel {
  readonly timeout?: string;
  readonly retries?: RetriesModel;
  readonly mirror?: MirrorModel;
  readonly rewrite?: RewriteModel;
}

export interface RouteDestinationModel {
  readonly host: string;
  readonly subset?: string;
  readonly port?: number;
  readonly weight?: number;
}

/** One entry of a VirtualService's `http` list. */
export interface HttpRuleModel extends RuleOptionsModel {
  readonly name?: string;
  readonly match?: readonly HttpMatchModel[];
  readonly route: readonly RouteDestinationModel[];
  readonly fault?: FaultModel;
}

/** Everything a route knows before rules are laid out. */
export interface HttpRouteOptionsModel extends RuleOptionsModel {
  readonly fault?: FaultModel;
  readonly faultMatch?: readonly HttpMatchModel[];
}

export type TrafficPolicyModel = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

const MATCH_PROPS = ['name', 'uri', 'ignoreUriCase', 'method', 'scheme', 'authority', 'headers', 'withoutHeaders', 'queryParams', 'port', 'sourceLabels', 'sourceNamespace'];
const STRING_MATCH_KINDS: readonly StringMatchKind[] = ['exact', 'prefix', 'regex'];

/** Where a match list is used: mesh-only fields are refused on routes that never see mesh traffic. */
export interface MatchContext {
  /** The route applies to in-mesh (sidecar) traffic. */
  readonly mesh: boolean;
}

/**
 * Why `re` is not an RE2 expression Envoy accepts, or undefined when it is. Catches what
 * JavaScript accepts but RE2 refuses (lookaround, backreferences, atomic groups, possessive
 * quantifiers, counts over 1000) and then anything that does not parse at all.
 */
export function re2Problem(re: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\') {
      const n = re[i + 1];
      if (!inClass && n !== undefined && /[1-9]/.test(n)) return `backreference "\\${n}" (RE2 has no backreferences)`;
      if (!inClass && n === 'k' && re[i + 2] === '<') return 'named backreference "\\k<...>" (RE2 has no backreferences)';
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (re[i + 1] === '^') i++;
      if (re[i + 1] === ']') i++; // a leading ']' is literal
      continue;
    }
    if (c === '(' && re[i + 1] === '?') {
      const rest = re.slice(i + 2);
      if (rest.startsWith('=') || rest.startsWith('!')) return `lookahead "(?${rest[0]}" (RE2 has no lookaround)`;
      if (rest.startsWith('<=') || rest.startsWith('<!')) return `lookbehind "(?${rest.slice(0, 2)}" (RE2 has no lookaround)`;
      if (rest.startsWith('>')) return 'atomic group "(?>" (not in RE2)';
    }
    if ((c === '*' || c === '+' || c === '?' || c === '}') && re[i + 1] === '+') {
      return `possessive quantifier "${c}+" (not in RE2)`;
    }
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(re.slice(i));
      if (m && (Number(m[1]) > 1000 || (m[3] !== undefined && m[3] !== '' && Number(m[3]) > 1000))) {
        return `repetition count "${m[0]}" (RE2 allows at most 1000)`;
      }
    }
  }
  if (inClass) return 'an unterminated character class "["';
  // RE2 spellings JavaScript lacks: (?P<name>...) groups and inline flags (?i) / (?i:...).
  const js = re
    .replace(/\(\?P</g, '(?<')
    .replace(/\(\?[imsU]+\)/g, '')
    .replace(/\(\?[imsU]*-?[imsU]*:/g, '(?:');
  try {
    new RegExp(js);
  } catch (e) {
    return `a syntax error (${(e as Error).message.replace(/^Invalid regular expression: /, '')})`;
  }
  return undefined;
}

/** Validates one StringMatch. `where` tells what it matches, for error messages. */
export function normalizeStringMatch(check: PropChecker, prop: string, value: StringMatch | undefined, opts: { allowPrefix?: boolean; path?: boolean } = {}): StringMatchModel | undefined {
  if (value === undefined) return undefined;
  check.object(prop, value, true);
  const allowed = opts.allowPrefix === false ? ['exact', 'regex'] : STRING_MATCH_KINDS;
  for (const k of Object.keys(value)) {
    if ((value as Record<string, unknown>)[k] === undefined) continue;
    if (!allowed.includes(k as StringMatchKind)) {
      check.fail(`${prop}.${k}`, (value as Record<string, unknown>)[k],
        k === 'prefix' ? 'Istio does not support prefix matching here: use exact or regex (e.g. { regex: "^v2.*" })' : `unknown prop; valid props are ${allowed.join(', ')}`);
    }
  }
  const set = allowed.filter((k) => (value as Record<string, unknown>)[k] !== undefined) as StringMatchKind[];
  if (set.length !== 1) {
    check.fail(prop, value, `expected exactly one of ${allowed.join(', ')}, e.g. { exact: "jason" }`);
  }
  const kind = set[0];
  const v = check.string(`${prop}.${kind}`, (value as Record<string, unknown>)[kind], { required: true })!;
  if (kind !== 'exact' && v === '') check.fail(`${prop}.${kind}`, v, `an empty ${kind} matches everything: leave the condition out instead`);
  if (kind === 'regex') {
    const problem = re2Problem(v);
    if (problem) check.fail(`${prop}.regex`, v, `expected an RE2 regular expression as Envoy evaluates it; this one has ${problem}`);
  }
  if (opts.path && kind !== 'regex' && !v.startsWith('/')) {
    check.fail(`${prop}.${kind}`, v, `a request path always starts with "/", so this would never match: use "/${v}"`);
  }
  return { kind, value: v };
}

function normalizeMatchMap(check: PropChecker, prop: string, value: Record<string, StringMatch> | undefined, keys: 'header' | 'query'): Record<string, StringMatchModel> | undefined {
  if (value === undefined) return undefined;
  check.object(prop, value, true);
  const out: Record<string, StringMatchModel> = {};
  const names = Object.keys(value).sort();
  if (names.length === 0) check.fail(prop, value, 'expected at least one entry, or leave it out');
  for (const name of names) {
    const p = `${prop}['${name}']`;
    if (keys === 'header') check.headerName(p, name);
    else if (name === '') check.fail(p, name, 'expected a non-empty query parameter name');
    if (value[name] === undefined) {
      check.fail(p, value[name], `expected a match such as { exact: "v" }${keys === 'header' ? ' or { regex: ".+" } (the header is present)' : ''}; leave the ${keys === 'header' ? 'header' : 'parameter'} out to match any value`);
    }
    defineOwn(out, name, normalizeStringMatch(check, p, value[name], { allowPrefix: keys === 'header' })!);
  }
  return out;
}

/** Sets a map entry as an own property: a header named `__proto__` must stay a key, not become a prototype. */
function defineOwn(map: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Validates one HttpMatch. */
export function normalizeHttpMatch(check: PropChecker, prop: string, m: HttpMatch, ctx: MatchContext): HttpMatchModel {
  check.object(prop, m, true);
  check.knownProps(prop, m, MATCH_PROPS);
  const out: { -readonly [K in keyof HttpMatchModel]: HttpMatchModel[K] } = {};
  const name = check.string(`${prop}.name`, m.name, { nonEmpty: true });
  if (name !== undefined) out.name = name;
  const uri = normalizeStringMatch(check, `${prop}.uri`, m.uri, { path: true });
  if (uri) out.uri = uri;
  const ignoreUriCase = check.boolean(`${prop}.ignoreUriCase`, m.ignoreUriCase);
  if (ignoreUriCase !== undefined) {
    if (!uri) check.fail(`${prop}.ignoreUriCase`, ignoreUriCase, 'ignoreUriCase applies to the uri condition: add uri or remove it');
    if (ignoreUriCase) out.ignoreUriCase = true;
  }
  const method = normalizeStringMatch(check, `${prop}.method`, m.method);
  if (method) out.method = method;
  const scheme = normalizeStringMatch(check, `${prop}.scheme`, m.scheme);
  if (scheme) out.scheme = scheme;
  const authority = normalizeStringMatch(check, `${prop}.authority`, m.authority);
  if (authority) out.authority = authority;
  const headers = normalizeMatchMap(check, `${prop}.headers`, m.headers, 'header');
  if (headers) out.headers = headers;
  const withoutHeaders = normalizeMatchMap(check, `${prop}.withoutHeaders`, m.withoutHeaders, 'header');
  if (withoutHeaders) out.withoutHeaders = withoutHeaders;
  const queryParams = normalizeMatchMap(check, `${prop}.queryParams`, m.queryParams, 'query');
  if (queryParams) out.queryParams = queryParams;
  const port = check.port(`${prop}.port`, m.port);
  if (port !== undefined) out.port = port;
  if (m.sourceLabels !== undefined) {
    const labels = check.labels(`${prop}.sourceLabels`, m.sourceLabels, { nonEmpty: true });
    if (!ctx.mesh) check.fail(`${prop}.sourceLabels`, m.sourceLabels, 'sourceLabels select the calling workload, which at a gateway is always the gateway: use it on a mesh route (no gateways, or includeMesh: true)');
    out.sourceLabels = labels;
  }
  const sourceNamespace = check.namespace(`${prop}.sourceNamespace`, m.sourceNamespace);
  if (sourceNamespace !== undefined) {
    if (!ctx.mesh) check.fail(`${prop}.sourceNamespace`, sourceNamespace, 'sourceNamespace selects the calling workload, which at a gateway is always the gateway: use it on a mesh route (no gateways, or includeMesh: true)');
    out.sourceNamespace = sourceNamespace;
  }
  const conditions = Object.keys(out).filter((k) => k !== 'name' && k !== 'ignoreUriCase');
  if (conditions.length === 0) {
    check.fail(prop, m, 'a match without conditions selects every request: give at least one condition (uri, headers, ...) or leave the match out');
  }
  return out;
}

/** Validates a list of matches; `undefined` means "every request". An empty list is refused. */
export function normalizeHttpMatches(check: PropChecker, prop: string, list: readonly HttpMatch[] | undefined, ctx: MatchContext): HttpMatchModel[] | undefined {
  if (list === undefined) return undefined;
  check.array(prop, list, { nonEmpty: true });
  return list.map((m, i) => normalizeHttpMatch(check, `${prop}[${i}]`, m, ctx));
}

/** A duration as Istio's CRD (CEL `duration(self) >= duration('1ms')`) and webhook (whole ms) accept it. */
export function routeDuration(check: PropChecker, prop: string, value: unknown): string | undefined {
  const d = check.duration(prop, value);
  if (d === undefined) return undefined;
  const ns = durationNanos(d);
  if (ns === undefined || ns < 1_000_000n || ns % 1_000_000n !== 0n) {
    check.fail(prop, value, 'expected a duration of whole milliseconds, at least 1ms (Istio refuses finer precision), e.g. "250ms", "1.5s" or "1m"');
  }
  return d;
}

const UNIT_NANOS: Record<string, bigint> = { h: 3_600_000_000_000n, m: 60_000_000_000n, s: 1_000_000_000n, ms: 1_000_000n, us: 1_000n, 'µs': 1_000n, ns: 1n };

/** Exact nanoseconds of a Go-style duration string, or undefined when not a whole number of ns. */
export function durationNanos(d: string): bigint | undefined {
  let total = 0n;
  for (const m of d.matchAll(/(\d+)(?:\.(\d+))?(h|ms|m|s|us|µs|ns)/g)) {
    const unit = UNIT_NANOS[m[3]];
    const frac = m[2] ?? '';
    const scale = 10n ** BigInt(frac.length);
    const num = BigInt(m[1] + frac) * unit;
    if (num % scale !== 0n) return undefined;
    total += num / scale;
  }
  return total;
}

/** A percentage 0..100 (fractions allowed), as Istio's `Percent`. */
export function percentage(check: PropChecker, prop: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
    check.fail(prop, value, 'expected a percentage from 0 to 100, e.g. 10 or 0.5');
  }
  return value;
}

const RETRY_ON = [
  '5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'envoy-ratelimited', 'retriable-4xx', 'refused-stream',
  'retriable-status-codes', 'retriable-headers', 'http3-post-connect-failure',
  'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable',
];

export function normalizeRetries(check: PropChecker, prop: string, r: RetryPolicy | undefined): RetriesModel | undefined {
  if (r === undefined) return undefined;
  check.object(prop, r, true);
  check.knownProps(prop, r, ['attempts', 'perTryTimeout', 'retryOn']);
  const attempts = check.integer(`${prop}.attempts`, r.attempts, 0, 1000);
  if (attempts === undefined) check.fail(`${prop}.attempts`, r.attempts, 'this prop is required: the number of retries (0 turns retries off)');
  const perTryTimeout = routeDuration(check, `${prop}.perTryTimeout`, r.perTryTimeout);
  const list = check.array(`${prop}.retryOn`, r.retryOn, { nonEmpty: true });
  const seen = new Set<string>();
  const retryOn = list?.map((c, i) => {
    if (typeof c !== 'string' || !(RETRY_ON.includes(c) || /^[1-5]\d\d$/.test(c))) {
      check.fail(`${prop}.retryOn[${i}]`, c, `expected one of ${RETRY_ON.join(', ')}, or a 3-digit HTTP status code such as "503"`);
    }
    if (seen.has(c)) check.fail(`${prop}.retryOn[${i}]`, c, 'each condition may be listed once');
    seen.add(c);
    return c;
  });
  if (attempts === 0 && (perTryTimeout !== undefined || retryOn !== undefined)) {
    check.fail(`${prop}.attempts`, attempts, 'attempts: 0 turns retries off, so perTryTimeout and retryOn would have no effect: remove them or retry at least once');
  }
  const out: { -readonly [K in keyof RetriesModel]: RetriesModel[K] } = { attempts };
  if (perTryTimeout) out.perTryTimeout = perTryTimeout;
  if (retryOn) out.retryOn = retryOn.join(',');
  return out;
}

export function normalizeMirror(check: PropChecker, prop: string, m: MirrorPolicy | undefined): MirrorModel | undefined {
  if (m === undefined) return undefined;
  check.object(prop, m, true);
  check.knownProps(prop, m, ['host', 'subset', 'port', 'percentage']);
  const host = check.serviceHost(`${prop}.host`, m.host);
  const subset = check.name(`${prop}.subset`, m.subset);
  const port = check.port(`${prop}.port`, m.port);
  const pct = percentage(check, `${prop}.percentage`, m.percentage) ?? 100;
  const out: { -readonly [K in keyof MirrorModel]: MirrorModel[K] } = { host, percentage: pct };
  if (subset !== undefined) out.subset = subset;
  if (port !== undefined) out.port = port;
  return out;
}

export function normalizeFault(check: PropChecker, prop: string, f: FaultInjection | undefined, ctx: MatchContext): { fault?: FaultModel; match?: HttpMatchModel[] } {
  if (f === undefined) return {};
  check.object(prop, f, true);
  check.knownProps(prop, f, ['delay', 'abort', 'match']);
  const fault: { delay?: FaultModel['delay']; abort?: FaultModel['abort'] } = {};
  if (f.delay !== undefined) {
    check.object(`${prop}.delay`, f.delay, true);
    check.knownProps(`${prop}.delay`, f.delay, ['fixedDelay', 'percentage']);
    const fixedDelay = routeDuration(check, `${prop}.delay.fixedDelay`, f.delay.fixedDelay);
    if (fixedDelay === undefined) check.fail(`${prop}.delay.fixedDelay`, f.delay.fixedDelay, 'this prop is required: the delay, e.g. "7s"');
    fault.delay = { fixedDelay, percentage: percentage(check, `${prop}.delay.percentage`, f.delay.percentage) ?? 100 };
  }
  if (f.abort !== undefined) {
    check.object(`${prop}.abort`, f.abort, true);
    check.knownProps(`${prop}.abort`, f.abort, ['httpStatus', 'percentage']);
    const httpStatus = check.integer(`${prop}.abort.httpStatus`, f.abort.httpStatus, 200, 599);
    if (httpStatus === undefined) check.fail(`${prop}.abort.httpStatus`, f.abort.httpStatus, 'this prop is required: the HTTP status to return, e.g. 500');
    fault.abort = { httpStatus, percentage: percentage(check, `${prop}.abort.percentage`, f.abort.percentage) ?? 100 };
  }
  if (!fault.delay && !fault.abort) check.fail(prop, f, 'expected a delay, an abort or both, e.g. { delay: { fixedDelay: "7s" } }');
  return { fault, match: normalizeHttpMatches(check, `${prop}.match`, f.match, ctx) };
}

export function normalizeRewrite(check: PropChecker, prop: string, r: HttpRewrite | undefined): RewriteModel | undefined {
  if (r === undefined) return undefined;
  check.object(prop, r, true);
  check.knownProps(prop, r, ['uri', 'uriRegex', 'authority']);
  const out: { -readonly [K in keyof RewriteModel]: RewriteModel[K] } = {};
  const uri = check.string(`${prop}.uri`, r.uri, { nonEmpty: true });
  if (uri !== undefined) {
    if (!uri.startsWith('/')) check.fail(`${prop}.uri`, uri, `a path starts with "/": use "/${uri}"`);
    out.uri = uri;
  }
  if (r.uriRegex !== undefined) {
    check.object(`${prop}.uriRegex`, r.uriRegex, true);
    check.knownProps(`${prop}.uriRegex`, r.uriRegex, ['match', 'rewrite']);
    const match = check.string(`${prop}.uriRegex.match`, r.uriRegex.match, { required: true, nonEmpty: true })!;
    const problem = re2Problem(match);
    if (problem) check.fail(`${prop}.uriRegex.match`, match, `expected an RE2 regular expression; this one has ${problem}`);
    const rewrite = check.string(`${prop}.uriRegex.rewrite`, r.uriRegex.rewrite, { required: true })!;
    if (uri !== undefined) check.fail(`${prop}.uriRegex`, r.uriRegex, 'set uri or uriRegex, not both (Istio refuses both)');
    out.uriRegex = { match, rewrite };
  }
  const authority = check.string(`${prop}.authority`, r.authority, { nonEmpty: true });
  if (authority !== undefined) out.authority = authority;
  if (Object.keys(out).length === 0) check.fail(prop, r, 'expected uri, uriRegex or authority');
  return out;
}

/** The options shared by every HTTP route construct, as props. */
export interface HttpRouteOptionsProps {
  readonly timeout?: string;
  readonly retries?: RetryPolicy;
  readonly mirror?: MirrorPolicy;
  readonly fault?: FaultInjection;
  readonly rewrite?: HttpRewrite;
}

export function normalizeRouteOptions(check: PropChecker, props: HttpRouteOptionsProps, ctx: MatchContext): HttpRouteOptionsModel {
  const { fault, match } = normalizeFault(check, 'fault', props.fault, ctx);
  const out: { -readonly [K in keyof HttpRouteOptionsModel]: HttpRouteOptionsModel[K] } = {};
  const timeout = routeDuration(check, 'timeout', props.timeout);
  if (timeout) out.timeout = timeout;
  const retries = normalizeRetries(check, 'retries', props.retries);
  if (retries) out.retries = retries;
  const mirror = normalizeMirror(check, 'mirror', props.mirror);
  if (mirror) out.mirror = mirror;
  const rewrite = normalizeRewrite(check, 'rewrite', props.rewrite);
  if (rewrite) out.rewrite = rewrite;
  if (fault) out.fault = fault;
  if (match) out.faultMatch = match;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Combining matches
// ---------------------------------------------------------------------------------------------

/** Both matches at once (AND), or the name of the condition both set differently. */
export function mergeMatch(a: HttpMatchModel, b: HttpMatchModel): { match: HttpMatchModel } | { conflict: string } {
  const out: Record<string, unknown> = {};
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of MATCH_PROPS) {
    if (!keys.has(k)) continue;
    const x = (a as Record<string, unknown>)[k];
    const y = (b as Record<string, unknown>)[k];
    if (x === undefined) { out[k] = y; continue; }
    if (y === undefined) { out[k] = x; continue; }
    if (k === 'name') { out[k] = `${x as string}-${y as string}`; continue; }
    if (k === 'headers' || k === 'withoutHeaders' || k === 'queryParams' || k === 'sourceLabels') {
      const merged: Record<string, unknown> = { ...(x as object) };
      for (const [hk, hv] of Object.entries(y as object)) {
        // own keys only: a header named `constructor` is not Object's constructor
        if (Object.prototype.hasOwnProperty.call(merged, hk) && JSON.stringify(merged[hk]) !== JSON.stringify(hv)) return { conflict: `${k}['${hk}']` };
        defineOwn(merged, hk, hv);
      }
      out[k] = Object.fromEntries(Object.keys(merged).sort().map((mk) => [mk, merged[mk]]));
      continue;
    }
    if (JSON.stringify(x) !== JSON.stringify(y)) return { conflict: k };
    out[k] = x;
  }
  return { match: out as HttpMatchModel };
}

/**
 * `outer AND inner` for two OR-lists: every pair merged. `undefined` is "every request".
 * Refuses a pair that sets one condition twice (the route could not express both).
 */
export function crossMatches(check: PropChecker, outer: { prop: string; list?: readonly HttpMatchModel[] }, inner: { prop: string; list?: readonly HttpMatchModel[] }): HttpMatchModel[] | undefined {
  if (!outer.list) return inner.list ? [...inner.list] : undefined;
  if (!inner.list) return [...outer.list];
  const out: HttpMatchModel[] = [];
  outer.list.forEach((o, i) => inner.list!.forEach((n, j) => {
    const r = mergeMatch(o, n);
    if ('conflict' in r) {
      check.fail(`${inner.prop}[${j}].${r.conflict}`, (n as Record<string, unknown>)[r.conflict.split('[')[0]],
        `it is combined with ${outer.prop}[${i}], which sets ${r.conflict} differently; one request rule can hold one condition per field: ` +
        'move the condition into one of the two lists');
    }
    out.push(r.match);
  }));
  return out;
}

/** One group of requests and where they go, before fault rules are laid over it. */
export interface RuleBranch {
  readonly name: string;
  readonly match?: readonly HttpMatchModel[];
  readonly route: readonly RouteDestinationModel[];
}

/**
 * Lays out a route's `http` rules. Branches come in order (the first that matches wins). A fault
 * limited by `faultMatch` becomes extra rules in front: each branch again, restricted to the
 * fault's matches and carrying the fault, so that a faulted request still goes where it would
 * have gone. A fault without a match is set on every rule.
 */
export function layoutRules(check: PropChecker, branches: readonly RuleBranch[], options: HttpRouteOptionsModel, branchProp: (b: RuleBranch) => string): HttpRuleModel[] {
  const common: RuleOptionsModel = {
    ...(options.timeout ? { timeout: options.timeout } : {}),
    ...(options.retries ? { retries: options.retries } : {}),
    ...(options.mirror ? { mirror: options.mirror } : {}),
    ...(options.rewrite ? { rewrite: options.rewrite } : {}),
  };
  const rule = (name: string, match: readonly HttpMatchModel[] | undefined, route: readonly RouteDestinationModel[], fault?: FaultModel): HttpRuleModel => ({
    name,
    ...(match ? { match } : {}),
    route,
    ...(fault ? { fault } : {}),
    ...common,
  });
  const rules: HttpRuleModel[] = [];
  if (options.fault && options.faultMatch) {
    for (const b of branches) {
      const match = crossMatches(check, { prop: branchProp(b), list: b.match }, { prop: 'fault.match', list: options.faultMatch });
      rules.push(rule(`${b.name}-fault`, match, b.route, options.fault));
    }
  }
  const everywhere = options.fault && !options.faultMatch ? options.fault : undefined;
  for (const b of branches) rules.push(rule(b.name, b.match, b.route, everywhere));
  return rules;
}

// ---------------------------------------------------------------------------------------------
// Traffic policy
// ---------------------------------------------------------------------------------------------

const INT32 = 2147483647;
const UINT32 = 4294967295;

export function normalizeTrafficPolicy(check: PropChecker, prop: string, t: TrafficPolicy | undefined): TrafficPolicyModel | undefined {
  if (t === undefined) return undefined;
  check.object(prop, t, true);
  check.knownProps(prop, t, ['loadBalancer', 'connectionPool', 'outlierDetection', 'tls']);
  const out: TrafficPolicyModel = {};

  if (t.connectionPool !== undefined) {
    const p = `${prop}.connectionPool`;
    check.object(p, t.connectionPool, true);
    check.knownProps(p, t.connectionPool, ['tcp', 'http']);
    const pool: Record<string, unknown> = {};
    const tcp = check.object(`${p}.tcp`, t.connectionPool.tcp);
    if (tcp) {
      check.knownProps(`${p}.tcp`, tcp, ['maxConnections', 'connectTimeout']);
      pool.tcp = compact({
        maxConnections: check.integer(`${p}.tcp.maxConnections`, tcp.maxConnections, 1, INT32),
        connectTimeout: routeDuration(check, `${p}.tcp.connectTimeout`, tcp.connectTimeout),
      });
    }
    const http = check.object(`${p}.http`, t.connectionPool.http);
    if (http) {
      check.knownProps(`${p}.http`, http, ['http1MaxPendingRequests', 'http2MaxRequests', 'maxRequestsPerConnection', 'maxRetries', 'idleTimeout']);
      pool.http = compact({
        http1MaxPendingRequests: check.integer(`${p}.http.http1MaxPendingRequests`, http.http1MaxPendingRequests, 1, INT32),
        http2MaxRequests: check.integer(`${p}.http.http2MaxRequests`, http.http2MaxRequests, 1, INT32),
        maxRequestsPerConnection: check.integer(`${p}.http.maxRequestsPerConnection`, http.maxRequestsPerConnection, 0, INT32),
        maxRetries: check.integer(`${p}.http.maxRetries`, http.maxRetries, 0, INT32),
        idleTimeout: routeDuration(check, `${p}.http.idleTimeout`, http.idleTimeout),
      });
    }
    if (Object.keys(pool).length === 0) check.fail(p, t.connectionPool, 'expected tcp or http settings, or leave it out');
    out.connectionPool = pool;
  }

  if (t.loadBalancer !== undefined) {
    const p = `${prop}.loadBalancer`;
    check.object(p, t.loadBalancer, true);
    check.knownProps(p, t.loadBalancer, ['simple', 'consistentHash']);
    const simple = check.oneOf(`${p}.simple`, t.loadBalancer.simple, ['ROUND_ROBIN', 'LEAST_REQUEST', 'RANDOM', 'PASSTHROUGH'] as const);
    const ch = check.object(`${p}.consistentHash`, t.loadBalancer.consistentHash);
    if ((simple === undefined) === (ch === undefined)) check.fail(p, t.loadBalancer, 'expected exactly one of simple or consistentHash');
    if (simple) out.loadBalancer = { simple };
    if (ch) {
      const cp = `${p}.consistentHash`;
      check.knownProps(cp, ch, ['httpHeaderName', 'httpCookie', 'useSourceIp', 'httpQueryParameterName']);
      const hash: Record<string, unknown> = {};
      if (ch.httpHeaderName !== undefined) hash.httpHeaderName = check.headerName(`${cp}.httpHeaderName`, ch.httpHeaderName);
      if (ch.httpCookie !== undefined) {
        check.object(`${cp}.httpCookie`, ch.httpCookie, true);
        check.knownProps(`${cp}.httpCookie`, ch.httpCookie, ['name', 'ttl', 'path']);
        const name = check.string(`${cp}.httpCookie.name`, ch.httpCookie.name, { required: true, nonEmpty: true })!;
        const ttl = check.duration(`${cp}.httpCookie.ttl`, ch.httpCookie.ttl);
        if (ttl === undefined) check.fail(`${cp}.httpCookie.ttl`, ch.httpCookie.ttl, 'this prop is required: the lifetime of the generated cookie, e.g. "1h"');
        const path = check.string(`${cp}.httpCookie.path`, ch.httpCookie.path, { nonEmpty: true });
        hash.httpCookie = compact({ name, path, ttl });
      }
      if (ch.useSourceIp !== undefined) {
        if (check.boolean(`${cp}.useSourceIp`, ch.useSourceIp) !== true) check.fail(`${cp}.useSourceIp`, ch.useSourceIp, 'expected true, or leave it out');
        hash.useSourceIp = true;
      }
      if (ch.httpQueryParameterName !== undefined) hash.httpQueryParameterName = check.string(`${cp}.httpQueryParameterName`, ch.httpQueryParameterName, { nonEmpty: true });
      if (Object.keys(hash).length !== 1) check.fail(cp, ch, 'expected exactly one of httpHeaderName, httpCookie, useSourceIp, httpQueryParameterName');
      out.loadBalancer = { consistentHash: hash };
    }
  }

  if (t.outlierDetection !== undefined) {
    const p = `${prop}.outlierDetection`;
    const o = check.object(p, t.outlierDetection, true);
    check.knownProps(p, o, ['consecutive5xxErrors', 'consecutiveGatewayErrors', 'interval', 'baseEjectionTime', 'maxEjectionPercent', 'minHealthPercent']);
    out.outlierDetection = compact({
      consecutive5xxErrors: check.integer(`${p}.consecutive5xxErrors`, o.consecutive5xxErrors, 0, UINT32),
      consecutiveGatewayErrors: check.integer(`${p}.consecutiveGatewayErrors`, o.consecutiveGatewayErrors, 0, UINT32),
      interval: routeDuration(check, `${p}.interval`, o.interval),
      baseEjectionTime: routeDuration(check, `${p}.baseEjectionTime`, o.baseEjectionTime),
      maxEjectionPercent: check.integer(`${p}.maxEjectionPercent`, o.maxEjectionPercent, 0, 100),
      minHealthPercent: check.integer(`${p}.minHealthPercent`, o.minHealthPercent, 0, 100),
    });
  }

  if (t.tls !== undefined) {
    const p = `${prop}.tls`;
    const tls = check.object(p, t.tls, true);
    check.knownProps(p, tls, ['mode', 'credentialName', 'sni', 'subjectAltNames']);
    const mode = check.oneOf(`${p}.mode`, tls.mode, ['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL'] as const);
    if (mode === undefined) check.fail(`${p}.mode`, tls.mode, "this prop is required: 'ISTIO_MUTUAL', 'SIMPLE', 'MUTUAL' or 'DISABLE'");
    const credentialName = check.string(`${p}.credentialName`, tls.credentialName, { nonEmpty: true });
    if (credentialName !== undefined && mode !== 'SIMPLE' && mode !== 'MUTUAL') {
      check.fail(`${p}.credentialName`, credentialName, `mode ${mode} uses no certificate Secret: remove credentialName or use SIMPLE/MUTUAL`);
    }
    if (mode === 'MUTUAL' && credentialName === undefined) {
      check.fail(`${p}.credentialName`, credentialName, 'mode MUTUAL presents a client certificate: name the Secret holding it');
    }
    const sni = check.string(`${p}.sni`, tls.sni, { nonEmpty: true });
    const sans = check.array(`${p}.subjectAltNames`, tls.subjectAltNames)?.map((s, i) => check.string(`${p}.subjectAltNames[${i}]`, s, { nonEmpty: true })!);
    if ((sni !== undefined || (sans && sans.length > 0)) && mode === 'DISABLE') {
      check.fail(`${p}.mode`, mode, 'sni and subjectAltNames need TLS: remove them or choose another mode');
    }
    out.tls = compact({ mode, credentialName, sni, subjectAltNames: sans && sans.length > 0 ? sans : undefined });
  }
  if (Object.keys(out).length === 0) check.fail(prop, t, 'expected at least one of loadBalancer, connectionPool, outlierDetection, tls; or leave it out');
  return out;
}

function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) if (o[k] !== undefined) out[k] = o[k];
  return out as Partial<T>;
}

// ---------------------------------------------------------------------------------------------
// Binding to gateways
// ---------------------------------------------------------------------------------------------

/** Protocols whose servers carry HTTP routes (TLS passthrough and TCP servers do not). */
function servesHttp(s: GatewayServer): boolean {
  return s.protocol === 'HTTP' || s.protocol === 'HTTPS';
}

/**
 * The lower-cased hosts of the servers that carry HTTP routes. A route host in this set is served
 * ({@link unservedHosts} finds nothing to report), which a gateway shared by hundreds of teams can
 * answer without a scan of all its servers for every route.
 */
export function httpHostSet(servers: readonly GatewayServer[]): Set<string> {
  const out = new Set<string>();
  for (const s of servers) if (servesHttp(s)) for (const h of s.hosts) out.add(h.toLowerCase());
  return out;
}

/**
 * Why an HTTP route for `hosts` would never receive traffic from a gateway with these servers
 * (istioctl's IST0132 VirtualServiceHostNotFoundInGateway), or undefined when some host is served.
 */
export function unservedHosts(hosts: readonly string[], gateway: { ref: string; servers: readonly GatewayServer[] }): string | undefined {
  const http = gateway.servers.filter(servesHttp);
  if (http.some((s) => s.hosts.some((gh) => hosts.some((h) => hostsIntersect(h, gh))))) return undefined;
  const all = [...new Set(gateway.servers.flatMap((s) => [...s.hosts]))];
  const httpHosts = [...new Set(http.flatMap((s) => [...s.hosts]))];
  if (all.length === 0) {
    return `Gateway ${gateway.ref} serves no hosts yet, so the route would never receive traffic (IST0132): add hosts to the gateway (addHttpHosts, TlsHost) or bind the route to another gateway`;
  }
  const nonHttp = gateway.servers.filter((s) => !servesHttp(s) && s.hosts.some((gh) => hosts.some((h) => hostsIntersect(h, gh))));
  if (nonHttp.length > 0) {
    return `Gateway ${gateway.ref} serves these hosts only as ${[...new Set(nonHttp.map((s) => s.protocol))].join('/')} (not terminated), so HTTP rules never apply: ` +
      `serve them over HTTP or HTTPS${httpHosts.length > 0 ? ` (it serves HTTP for ${JSON.stringify(httpHosts)})` : ''}`;
  }
  return `Gateway ${gateway.ref} serves none of them (its HTTP hosts: ${JSON.stringify(httpHosts)}; all hosts: ${JSON.stringify(all)}), so the route would never receive traffic (IST0132): ` +
    'use one of the gateway\'s hosts, or add these hosts to the gateway';
}

const CLUSTER_FQDN = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc\.cluster\.local$/;

/**
 * Namespace of a Kubernetes Service given as `name.namespace.svc.cluster.local`, else undefined.
 * Istio expands only dot-less short names; `name.namespace` is taken literally, so it tells nothing.
 */
export function namespaceOfServiceHost(host: string): string | undefined {
  const m = CLUSTER_FQDN.exec(host);
  return m ? m[3] : undefined;
}
