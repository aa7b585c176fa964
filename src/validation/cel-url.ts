// The Kubernetes CEL URL library (`url()`, `isURL()`, `getScheme()`, `getHost()`, `getHostname()`,
// `getPort()`, `getEscapedPath()`, `getQuery()`) for @bufbuild/cel, which does not ship it. Istio's
// RequestAuthentication, WasmPlugin and TrafficExtension rules call it.
//
// Written from RFC 3986 and the library's documented behaviour
// (https://kubernetes.io/docs/reference/using-api/cel/#kubernetes-url-library): a URL is an absolute
// URI (`scheme:...`) or an absolute path (`/...`); there is no fragment (a `#` is data); the host may
// carry a port and IPv6 literals are bracketed; the escaped path percent-encodes what RFC 3986 does
// not allow in a path; the query is a map from each (unescaped) key to its values, in order.

import { celFunc, celMethod, CelScalar, listType, mapType, type CelFunc, type CelMap } from '@bufbuild/cel';

/** The parts of a URL that the library exposes. */
export interface ParsedUrl {
  /** Lower-cased scheme; empty for an absolute path. */
  scheme: string;
  /** What follows `scheme:` when it is not hierarchical (`mailto:x` gives `x`); empty otherwise. */
  opaque: string;
  /** The userinfo before `@` in the authority, as written; undefined when absent. */
  userinfo: string | undefined;
  /** `host`, `host:port`, `[v6]` or `[v6]:port`, as written. */
  host: string;
  /** The path as written (still escaped). */
  rawPath: string;
  /** What follows the first `?`, as written. */
  rawQuery: string;
}

// RFC 3986 character classes (ASCII only; bytes above 0x7f are allowed where noted).
const ALPHA = /[A-Za-z]/;
const SCHEME_CHAR = /[A-Za-z0-9+.-]/;
const UNRESERVED = "A-Za-z0-9\\-._~";
const SUB_DELIMS = "!$&'()*+,;=";
const PCHAR_OR_SLASH = new RegExp(`^[${UNRESERVED}${SUB_DELIMS}:@/]$`);
const USERINFO = new RegExp(`^(?:[${UNRESERVED}${SUB_DELIMS}:@]|%[0-9A-Fa-f]{2})*$`);
const REG_NAME_CHAR = new RegExp(`^[${UNRESERVED}${SUB_DELIMS}]$`);
const IP_LITERAL = /^\[(?:[0-9A-Fa-f:.]+(?:%25(?:[A-Za-z0-9\-._~]|%[0-9A-Fa-f]{2})+)?|v[0-9A-Fa-f]+\.[A-Za-z0-9\-._~!$&'()*+,;=:]+)\]$/;
const PORT = /^[0-9]*$/;
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Checks that every `%` starts a two-digit hex escape; `what` names the part for the error. */
function checkEscapes(s: string, what: string): void {
  for (let i = s.indexOf('%'); i >= 0; i = s.indexOf('%', i + 1)) {
    if (!/^%[0-9A-Fa-f]{2}/.test(s.slice(i, i + 3))) throw new Error(`invalid percent-escape in ${what}: ${JSON.stringify(s.slice(i, i + 3))}`);
  }
}

/** `[v6]` or a registered name / IPv4 address, each optionally followed by `:port` (digits, possibly none). */
function checkHost(host: string): void {
  let name = host;
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    if (close < 0) throw new Error('IPv6 host without closing "]"');
    const rest = host.slice(close + 1);
    if (rest !== '' && !(rest.startsWith(':') && PORT.test(rest.slice(1)))) throw new Error(`invalid port after IPv6 host: ${JSON.stringify(rest)}`);
    if (!IP_LITERAL.test(host.slice(0, close + 1))) throw new Error('invalid IPv6 host');
    return;
  }
  const colon = host.lastIndexOf(':');
  if (colon >= 0) {
    if (!PORT.test(host.slice(colon + 1))) throw new Error(`invalid port ${JSON.stringify(host.slice(colon + 1))}`);
    name = host.slice(0, colon);
  }
  checkEscapes(name, 'host');
  for (const ch of name) {
    if (ch === '%') continue; // escapes were checked above
    // International names may be written in Unicode; every ASCII character must be RFC 3986's.
    if (ch.charCodeAt(0) < 0x80 && !REG_NAME_CHAR.test(ch)) throw new Error(`invalid character ${JSON.stringify(ch)} in host`);
  }
}

/**
 * Parses a URL as the Kubernetes library accepts it: an absolute URI (`scheme:` then `//authority/path`,
 * an absolute path, or opaque data) or an absolute path (`/...`), with an optional `?query`.
 * Throws an Error saying what is wrong.
 */
export function parseRequestUri(raw: string): ParsedUrl {
  if (raw === '') throw new Error('empty URL');
  if (CONTROL.test(raw)) throw new Error('control character in URL');
  const url: ParsedUrl = { scheme: '', opaque: '', userinfo: undefined, host: '', rawPath: '', rawQuery: '' };
  // An HTTP request target may be `*` (OPTIONS *); the library accepts it as a path.
  if (raw === '*') {
    url.rawPath = '*';
    return url;
  }
  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), ended by ":"; anything else means no scheme.
  let rest = raw;
  if (raw.startsWith(':')) throw new Error('missing scheme before ":"');
  if (ALPHA.test(raw[0])) {
    let i = 1;
    while (i < raw.length && SCHEME_CHAR.test(raw[i])) i++;
    if (raw[i] === ':') {
      url.scheme = raw.slice(0, i).toLowerCase();
      rest = raw.slice(i + 1);
    }
  }
  const q = rest.indexOf('?');
  if (q >= 0) {
    url.rawQuery = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  if (url.scheme === '') {
    if (!rest.startsWith('/')) throw new Error('not an absolute URI or an absolute path');
  } else if (!rest.startsWith('/')) {
    url.opaque = rest;
    return url;
  } else if (rest.startsWith('//')) {
    const end = rest.indexOf('/', 2);
    const authority = end < 0 ? rest.slice(2) : rest.slice(2, end);
    rest = end < 0 ? '' : rest.slice(end);
    const at = authority.lastIndexOf('@');
    if (at >= 0) {
      url.userinfo = authority.slice(0, at);
      if (!USERINFO.test(url.userinfo)) throw new Error('invalid userinfo');
    }
    url.host = authority.slice(at + 1);
    checkHost(url.host);
  }
  checkEscapes(rest, 'path');
  url.rawPath = rest;
  return url;
}

const utf8 = new TextEncoder();

function percentEncode(ch: string): string {
  return [...utf8.encode(ch)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

/**
 * The path with everything RFC 3986 does not allow in a path percent-encoded (`/a b` gives `/a%20b`);
 * escapes already present are kept. An opaque URL (`mailto:x`) has no path.
 */
export function escapedPath(u: ParsedUrl): string {
  let out = '';
  for (const ch of u.rawPath) out += ch === '%' || PCHAR_OR_SLASH.test(ch) ? ch : percentEncode(ch);
  return out;
}

/** Percent-decodes a query component (`+` is a space); undefined when an escape is malformed or not UTF-8. */
function queryUnescape(s: string): string | undefined {
  const plus = s.replace(/\+/g, ' ');
  if (/%(?![0-9A-Fa-f]{2})/.test(plus)) return undefined;
  try {
    return decodeURIComponent(plus);
  } catch {
    return undefined;
  }
}

/**
 * The query as a map from each key to its values, keys and values unescaped, in order of appearance.
 * Pairs that cannot be decoded (a bad escape, a `;` separator, which HTTP servers no longer accept)
 * are left out; an empty query gives an empty map.
 */
export function queryValues(u: ParsedUrl): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const pair of u.rawQuery.split('&')) {
    if (pair === '' || pair.includes(';')) continue;
    const eq = pair.indexOf('=');
    const key = queryUnescape(eq < 0 ? pair : pair.slice(0, eq));
    const value = queryUnescape(eq < 0 ? '' : pair.slice(eq + 1));
    if (key === undefined || value === undefined) continue;
    const list = out.get(key);
    if (list) list.push(value);
    else out.set(key, [value]);
  }
  return out;
}

/** The host without the port; an IPv6 literal without its brackets. */
export function hostnameOf(host: string): string {
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    return close >= 0 ? host.slice(1, close) : host;
  }
  const colon = host.lastIndexOf(':');
  return colon >= 0 ? host.slice(0, colon) : host;
}

/** The port after the host, or empty. */
export function portOf(host: string): string {
  const start = host.startsWith('[') ? host.indexOf(']') + 1 : 0;
  const colon = host.indexOf(':', start);
  return colon >= 0 ? host.slice(colon + 1) : '';
}

// A URL value travels through CEL as a map with a private marker key, because @bufbuild/cel
// only accepts protobuf messages as custom object types. The methods below are the only
// readers; no Istio rule exposes the map itself.
const MARK = '__k8s_url__';

function urlValue(raw: string): Map<string, string> {
  let u: ParsedUrl;
  try {
    u = parseRequestUri(raw);
  } catch (e) {
    throw new Error(`URL parse error during conversion from string: ${JSON.stringify(raw.length > 64 ? `${raw.slice(0, 64)}...` : raw)}: ${(e as Error).message}`);
  }
  return new Map([
    [MARK, raw],
    ['scheme', u.scheme],
    ['host', u.host],
    ['path', escapedPath(u)],
    ['query', u.rawQuery],
  ]);
}

function part(map: CelMap, key: string): string {
  if (map.get(MARK) === undefined) throw new Error('no such overload: not a URL');
  return String(map.get(key) ?? '');
}

const URL_TYPE = mapType(CelScalar.STRING, CelScalar.STRING);
const QUERY_TYPE = mapType(CelScalar.STRING, listType(CelScalar.STRING));

/** `url`, `isURL` and the URL getters, as @bufbuild/cel functions. */
export const k8sUrlFunctions: CelFunc[] = [
  celFunc('url', [CelScalar.STRING], URL_TYPE, (s: string) => urlValue(s)),
  celFunc('isURL', [CelScalar.STRING], CelScalar.BOOL, (s: string) => {
    try {
      parseRequestUri(s);
      return true;
    } catch {
      return false;
    }
  }),
  celMethod('getScheme', URL_TYPE, [], CelScalar.STRING, function () { return part(this, 'scheme'); }),
  celMethod('getHost', URL_TYPE, [], CelScalar.STRING, function () { return part(this, 'host'); }),
  celMethod('getHostname', URL_TYPE, [], CelScalar.STRING, function () { return hostnameOf(part(this, 'host')); }),
  celMethod('getPort', URL_TYPE, [], CelScalar.STRING, function () { return portOf(part(this, 'host')); }),
  celMethod('getEscapedPath', URL_TYPE, [], CelScalar.STRING, function () { return part(this, 'path'); }),
  celMethod('getQuery', URL_TYPE, [], QUERY_TYPE, function () {
    return queryValues({ scheme: '', opaque: '', userinfo: undefined, host: '', rawPath: '', rawQuery: part(this, 'query') });
  }),
];
