// Request matches of HTTP routes: the StringMatch/HttpMatch props, their validated models, their
// checks (RE2 syntax, mesh-only fields) and how two match lists combine (AND).
import { PropChecker } from '../checks';

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
  // Each field is read once and checked only when given, in the order the checks have always run: a
  // match sets one or two of its twelve fields, and the checks of an absent one (its prop name
  // written, the checker called to return undefined) were most of a match's work while cold. The
  // checkers accept an absent value without a word, so skipping them changes no refusal.
  let conditions = 0;
  const name = m.name;
  if (name !== undefined) {
    const n = check.string(`${prop}.name`, name, { nonEmpty: true });
    if (n !== undefined) out.name = n;
  }
  const uriProp = m.uri;
  const uri = uriProp === undefined ? undefined : normalizeStringMatch(check, `${prop}.uri`, uriProp, { path: true });
  if (uri) { out.uri = uri; conditions++; }
  const ignoreUriCaseProp = m.ignoreUriCase;
  if (ignoreUriCaseProp !== undefined) {
    const ignoreUriCase = check.boolean(`${prop}.ignoreUriCase`, ignoreUriCaseProp);
    if (ignoreUriCase !== undefined) {
      if (!uri) check.fail(`${prop}.ignoreUriCase`, ignoreUriCase, 'ignoreUriCase applies to the uri condition: add uri or remove it');
      if (ignoreUriCase) out.ignoreUriCase = true;
    }
  }
  const methodProp = m.method;
  const method = methodProp === undefined ? undefined : normalizeStringMatch(check, `${prop}.method`, methodProp);
  if (method) { out.method = method; conditions++; }
  const schemeProp = m.scheme;
  const scheme = schemeProp === undefined ? undefined : normalizeStringMatch(check, `${prop}.scheme`, schemeProp);
  if (scheme) { out.scheme = scheme; conditions++; }
  const authorityProp = m.authority;
  const authority = authorityProp === undefined ? undefined : normalizeStringMatch(check, `${prop}.authority`, authorityProp);
  if (authority) { out.authority = authority; conditions++; }
  const headersProp = m.headers;
  const headers = headersProp === undefined ? undefined : normalizeMatchMap(check, `${prop}.headers`, headersProp, 'header');
  if (headers) { out.headers = headers; conditions++; }
  const withoutHeadersProp = m.withoutHeaders;
  const withoutHeaders = withoutHeadersProp === undefined ? undefined : normalizeMatchMap(check, `${prop}.withoutHeaders`, withoutHeadersProp, 'header');
  if (withoutHeaders) { out.withoutHeaders = withoutHeaders; conditions++; }
  const queryParamsProp = m.queryParams;
  const queryParams = queryParamsProp === undefined ? undefined : normalizeMatchMap(check, `${prop}.queryParams`, queryParamsProp, 'query');
  if (queryParams) { out.queryParams = queryParams; conditions++; }
  const portProp = m.port;
  const port = portProp === undefined ? undefined : check.port(`${prop}.port`, portProp);
  if (port !== undefined) { out.port = port; conditions++; }
  const sourceLabels = m.sourceLabels;
  if (sourceLabels !== undefined) {
    const labels = check.labels(`${prop}.sourceLabels`, sourceLabels, { nonEmpty: true });
    if (!ctx.mesh) check.fail(`${prop}.sourceLabels`, sourceLabels, 'sourceLabels select the calling workload, which at a gateway is always the gateway: use it on a mesh route (no gateways, or includeMesh: true)');
    out.sourceLabels = labels;
    conditions++;
  }
  const sourceNamespaceProp = m.sourceNamespace;
  if (sourceNamespaceProp !== undefined) {
    const sourceNamespace = check.namespace(`${prop}.sourceNamespace`, sourceNamespaceProp);
    if (sourceNamespace !== undefined) {
      if (!ctx.mesh) check.fail(`${prop}.sourceNamespace`, sourceNamespace, 'sourceNamespace selects the calling workload, which at a gateway is always the gateway: use it on a mesh route (no gateways, or includeMesh: true)');
      out.sourceNamespace = sourceNamespace;
      conditions++;
    }
  }
  if (conditions === 0) {
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
