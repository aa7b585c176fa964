// The Kubernetes CEL URL library (`url()`, `isURL()`, `getScheme()`, ...) for @bufbuild/cel,
// which does not ship it. Istio's RequestAuthentication, WasmPlugin and TrafficExtension rules
// call it. Parsing follows Go's net/url.ParseRequestURI, which is what the apiserver runs.
// See k8s.io/apiserver/pkg/cel/library/urls.go.

import { celFunc, celMethod, CelScalar, mapType, type CelFunc, type CelMap } from '@bufbuild/cel';

/** The parts of a parsed URL that the Kubernetes library exposes. */
export interface ParsedUrl {
  scheme: string;
  opaque: string;
  userinfo: string | undefined;
  host: string;
  /** The path as written (still escaped). */
  rawPath: string;
  rawQuery: string;
}

const CTL = /[\x00-\x1f\x7f]/;
const HEX = /^[0-9A-Fa-f]$/;

/** Go's `url.ParseRequestURI`: an absolute URI or an absolute path, no fragment. Throws with Go's message. */
export function parseRequestUri(raw: string): ParsedUrl {
  if (CTL.test(raw)) throw new Error('net/url: invalid control character in URL');
  if (raw === '') throw new Error('empty url');
  const url: ParsedUrl = { scheme: '', opaque: '', userinfo: undefined, host: '', rawPath: '', rawQuery: '' };
  if (raw === '*') {
    url.rawPath = '*';
    return url;
  }
  let rest: string;
  [url.scheme, rest] = splitScheme(raw);
  url.scheme = url.scheme.toLowerCase();
  if (rest.endsWith('?') && rest.indexOf('?') === rest.length - 1) {
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf('?');
    if (q >= 0) {
      url.rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith('/')) {
    if (url.scheme !== '') {
      url.opaque = rest;
      return url;
    }
    throw new Error('invalid URI for request');
  }
  if (url.scheme !== '' && rest.startsWith('//')) {
    let authority = rest.slice(2);
    rest = '';
    const slash = authority.indexOf('/');
    if (slash >= 0) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    }
    const at = authority.lastIndexOf('@');
    url.host = parseHost(at < 0 ? authority : authority.slice(at + 1));
    if (at >= 0) {
      const userinfo = authority.slice(0, at);
      if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) throw new Error('net/url: invalid userinfo');
      checkEscapes(userinfo);
      url.userinfo = userinfo;
    }
  }
  checkEscapes(rest);
  url.rawPath = rest;
  return url;
}

function splitScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) continue;
    if ((c >= '0' && c <= '9') || c === '+' || c === '-' || c === '.') {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === ':') {
      if (i === 0) throw new Error('missing protocol scheme');
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

function validOptionalPort(colonPort: string): boolean {
  return colonPort === '' || /^:[0-9]*$/.test(colonPort);
}

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close < 0) throw new Error("missing ']' in host");
    const colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort)) throw new Error(`invalid port ${JSON.stringify(colonPort)} after host`);
  } else {
    const colon = host.lastIndexOf(':');
    if (colon >= 0) {
      const colonPort = host.slice(colon);
      if (!validOptionalPort(colonPort)) throw new Error(`invalid port ${JSON.stringify(colonPort)} after host`);
    }
  }
  for (let i = 0; i < host.length; i++) {
    const c = host[i];
    if (c === '%') {
      const hex = host.slice(i + 1, i + 3);
      if (hex.length < 2 || !HEX.test(hex[0]) || !HEX.test(hex[1])) {
        throw new Error(`invalid URL escape ${JSON.stringify(host.slice(i, i + 3))}`);
      }
      if (parseInt(hex[0], 16) < 8 && host.slice(i, i + 3) !== '%25') {
        throw new Error(`invalid URL escape ${JSON.stringify(host.slice(i, i + 3))}`);
      }
      i += 2;
    } else if (c.charCodeAt(0) < 0x80 && !/[A-Za-z0-9\-_.~!$&'()*+,;=:[\]<>"]/.test(c)) {
      throw new Error(`invalid character ${JSON.stringify(c)} in host name`);
    }
  }
  return host;
}

function checkEscapes(s: string): void {
  for (let i = s.indexOf('%'); i >= 0; i = s.indexOf('%', i + 1)) {
    if (!HEX.test(s[i + 1] ?? '') || !HEX.test(s[i + 2] ?? '')) {
      throw new Error(`invalid URL escape ${JSON.stringify(s.slice(i, i + 3))}`);
    }
  }
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
    throw new Error(`URL parse error during conversion from string: parse ${JSON.stringify(raw)}: ${(e as Error).message}`);
  }
  return new Map([
    [MARK, raw],
    ['scheme', u.scheme],
    ['host', u.host],
    ['path', u.opaque !== '' ? u.opaque : u.rawPath],
    ['query', u.rawQuery],
  ]);
}

function part(map: CelMap, key: string): string {
  if (map.get(MARK) === undefined) throw new Error('no such overload: not a URL');
  return String(map.get(key) ?? '');
}

function hostname(host: string): string {
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    return close >= 0 ? host.slice(1, close) : host;
  }
  const colon = host.lastIndexOf(':');
  return colon >= 0 ? host.slice(0, colon) : host;
}

function port(host: string): string {
  const start = host.startsWith('[') ? host.indexOf(']') + 1 : 0;
  const colon = host.indexOf(':', start);
  return colon >= 0 ? host.slice(colon + 1) : '';
}

const URL_TYPE = mapType(CelScalar.STRING, CelScalar.STRING);

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
  celMethod('getHostname', URL_TYPE, [], CelScalar.STRING, function () { return hostname(part(this, 'host')); }),
  celMethod('getPort', URL_TYPE, [], CelScalar.STRING, function () { return port(part(this, 'host')); }),
  celMethod('getEscapedPath', URL_TYPE, [], CelScalar.STRING, function () { return part(this, 'path'); }),
];
