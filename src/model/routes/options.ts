// Per-rule options of HTTP routes (timeout, retries, mirror, fault injection, rewrite): props,
// models and checks, and how a route's rules are laid out from its branches and options.
import { PropChecker } from '../checks';
import { crossMatches, HttpMatch, HttpMatchModel, MatchContext, normalizeHttpMatches, re2Problem } from './matches';

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

/** A duration as Istio's CRD (CEL `duration(self) >= duration('1ms')`) and webhook (whole ms) accept it. */
export function routeDuration(check: PropChecker, prop: string, value: unknown): string | undefined {
  const d = check.duration(prop, value);
  if (d === undefined) return undefined;
  // One whole number of hours, minutes, seconds or milliseconds (what routes almost always give):
  // a whole number of ms, and at least 1ms, since check.duration refused a duration without a
  // non-zero digit. Decided without the exact sum below, whose BigInts and match iterator cost
  // every route about 5 µs while the code is cold.
  if (WHOLE_MS_UNIT.test(d)) return d;
  const ns = durationNanos(d);
  if (ns === undefined || ns < 1_000_000n || ns % 1_000_000n !== 0n) {
    check.fail(prop, value, 'expected a duration of whole milliseconds, at least 1ms (Istio refuses finer precision), e.g. "250ms", "1.5s" or "1m"');
  }
  return d;
}

/** A duration of one integer and a unit that is a whole number of milliseconds. */
const WHOLE_MS_UNIT = /^\d+(?:h|ms|m|s)$/;

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

/** Request matching and per-request behaviour shared by HttpRoute and CanaryRoute. */
export interface HttpRouteOptions {
  /**
   * Serve only requests matching one of these (uri, headers, ...). Others get no route from
   * this VirtualService (404 at a gateway).
   * @default - every request for the hosts
   */
  readonly match?: HttpMatch[];
  /**
   * Timeout of the whole request, retries included, e.g. `10s`.
   * @default - Istio's default (none)
   */
  readonly timeout?: string;
  /**
   * @default - Istio's default (2 attempts on connect-failure, refused-stream, unavailable, cancelled, retriable-status-codes)
   */
  readonly retries?: RetryPolicy;
  /**
   * Also send a copy of (a percentage of) requests to another destination.
   * @default - no mirroring
   */
  readonly mirror?: MirrorPolicy;
  /**
   * Inject delays and/or errors, optionally only into matching requests.
   * @default - no fault injection
   */
  readonly fault?: FaultInjection;
  /**
   * Rewrite the path or authority before forwarding.
   * @default - no rewrite
   */
  readonly rewrite?: HttpRewrite;
}

/** The props of {@link HttpRouteOptions}. */
export const HTTP_ROUTE_OPTION_PROPS = ['match', 'timeout', 'retries', 'mirror', 'fault', 'rewrite'];

export function normalizeRouteOptions(check: PropChecker, props: HttpRouteOptions, ctx: MatchContext): HttpRouteOptionsModel {
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
