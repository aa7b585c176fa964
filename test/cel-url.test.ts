// The Kubernetes CEL URL library (src/validation/cel-url.ts): the examples of its documentation
// (https://kubernetes.io/docs/reference/using-api/cel/#kubernetes-url-library), run as CEL, and
// RFC 3986 edge cases.
import { compileRule, evaluateRule } from '../src/validation/cel';
import { escapedPath, parseRequestUri, queryValues } from '../src/validation/cel-url';

/** Evaluates `expr == expected` with `self` bound, through the same CEL environment the CRD rules use. */
function celEquals(expr: string, expected: string, self: unknown = ''): boolean {
  const rule = compileRule({ rule: `${expr} == ${expected}` });
  if (!rule.run) throw new Error(`did not compile: ${rule.skipReason}`);
  const outcome = evaluateRule(rule, self as never);
  if (outcome.kind === 'fail' && outcome.message.includes('evaluation error')) throw new Error(outcome.message);
  return outcome.kind === 'pass';
}

describe('documented examples, evaluated as CEL', () => {
  test.each([
    ["url('https://user:pass@example.com:80/path?query=val#fragment').getScheme()", "'https'"],
    ["url('/absolute-path').getScheme()", "''"],
    ["url('https://example.com:80/').getHost()", "'example.com:80'"],
    ["url('https://example.com/').getHost()", "'example.com'"],
    ["url('https://[::1]:80/').getHost()", "'[::1]:80'"],
    ["url('https://[::1]/').getHost()", "'[::1]'"],
    ["url('/path').getHost()", "''"],
    ["url('https://example.com:80/').getHostname()", "'example.com'"],
    ["url('https://127.0.0.1:80/').getHostname()", "'127.0.0.1'"],
    ["url('https://[::1]:80/').getHostname()", "'::1'"],
    ["url('/path').getHostname()", "''"],
    ["url('https://example.com:80/').getPort()", "'80'"],
    ["url('https://example.com/').getPort()", "''"],
    ["url('/path').getPort()", "''"],
    ["url('https://example.com/path').getEscapedPath()", "'/path'"],
    ["url('https://example.com/path with spaces/').getEscapedPath()", "'/path%20with%20spaces/'"],
    ["url('https://example.com').getEscapedPath()", "''"],
    ["url('https://example.com/path?k1=a&k2=b&k2=c').getQuery()", "{'k1': ['a'], 'k2': ['b', 'c']}"],
    ["url('https://example.com/path?key with spaces=value with spaces').getQuery()", "{'key with spaces': ['value with spaces']}"],
    ["url('https://example.com/path?').getQuery()", '{}'],
    ["url('https://example.com/path').getQuery()", '{}'],
    ["isURL('https://user:pass@example.com:80/path?query=val#fragment')", 'true'],
    ["isURL('/absolute-path')", 'true'],
    ["isURL('https://a:b:c/')", 'false'],
    ["isURL('../relative-path')", 'false'],
  ])('%s == %s', (expr, expected) => {
    expect(celEquals(expr, expected)).toBe(true);
  });

  test('a result can also be wrong: the comparisons are real', () => {
    expect(celEquals("url('https://example.com:80/').getPort()", "'81'")).toBe(false);
    expect(celEquals("isURL('../relative-path')", 'true')).toBe(false);
  });

  test('url() of an invalid URL is an evaluation error, not false', () => {
    expect(() => celEquals("url('https://a:b:c/').getHost()", "''")).toThrow(/URL parse error/);
  });

  test("Istio's WasmPlugin url rule, on self", () => {
    const rule = 'isURL(self) ? (url(self).getScheme() in ["", "http", "https", "file", "oci"]) : (isURL("http://" + self) && url("http://" + self).getScheme() in ["", "http", "https", "file", "oci"])';
    const run = (self: string) => evaluateRule(compileRule({ rule }), self as never).kind;
    expect(run('oci://ghcr.io/acme/filter:1.0')).toBe('pass');
    expect(run('ghcr.io/acme/filter:1.0')).toBe('pass');
    expect(run('file:///opt/filter.wasm')).toBe('pass');
    expect(run('ftp://example.com/filter.wasm')).toBe('fail');
  });
});

describe('parsing (RFC 3986, absolute URI or absolute path)', () => {
  test('the parts', () => {
    expect(parseRequestUri('HTTPS://Example.com:8443/a%20b?x=1')).toMatchObject({ scheme: 'https', host: 'Example.com:8443', rawPath: '/a%20b', rawQuery: 'x=1' });
    expect(parseRequestUri('/just/a/path')).toMatchObject({ scheme: '', host: '', rawPath: '/just/a/path' });
    expect(parseRequestUri('mailto:someone@example.com')).toMatchObject({ scheme: 'mailto', opaque: 'someone@example.com', rawPath: '' });
    expect(parseRequestUri('https://u:p@h/')).toMatchObject({ userinfo: 'u:p', host: 'h' });
    expect(parseRequestUri('https://a@b@h/')).toMatchObject({ userinfo: 'a@b', host: 'h' });
    expect(parseRequestUri('http:///p')).toMatchObject({ host: '', rawPath: '/p' });
    expect(parseRequestUri('https://h:/')).toMatchObject({ host: 'h:' });
    expect(parseRequestUri('https://[fe80::1%25eth0]:8080/')).toMatchObject({ host: '[fe80::1%25eth0]:8080' });
    expect(parseRequestUri('https://bücher.example/')).toMatchObject({ host: 'bücher.example' });
    // No fragment: `#` is data, in the path or the query.
    expect(parseRequestUri('https://h/p#f')).toMatchObject({ rawPath: '/p#f' });
    expect(parseRequestUri('https://h/p?q#f')).toMatchObject({ rawQuery: 'q#f' });
    // Without a scheme, `//` does not start an authority.
    expect(parseRequestUri('//h/p')).toMatchObject({ host: '', rawPath: '//h/p' });
    // A first segment that is not a scheme (it has a `/` before the `:`) leaves a relative path: refused.
    expect(() => parseRequestUri('a/b:c')).toThrow();
    expect(parseRequestUri('*').rawPath).toBe('*');
  });

  test.each(['', 'relative/path', ':nope', '1http://h/', 'http://ex ample.com/', 'http://example.com:80a/', 'http://example.com/%zz',
    'http://a\u0001b', 'http://h/\u007f', 'https://[::1/', 'https://[::1]x/', 'https://[zz]/', 'https://u{ser@h/', 'https://h%2/', 'http://a<b/'])('refused: %j', (bad) => {
    expect(() => parseRequestUri(bad)).toThrow();
  });

  test('escaped path: what a path may not hold is percent-encoded, escapes are kept', () => {
    expect(escapedPath(parseRequestUri('/a b/ü'))).toBe('/a%20b/%C3%BC');
    expect(escapedPath(parseRequestUri('/a%2Fb/c:d@e;f=g'))).toBe('/a%2Fb/c:d@e;f=g');
    expect(escapedPath(parseRequestUri('https://h/p#f'))).toBe('/p%23f');
    expect(escapedPath(parseRequestUri('mailto:x'))).toBe('');
  });

  test('query: + is a space, bad escapes and ; separators are left out, order is kept', () => {
    expect([...queryValues(parseRequestUri('/p?a=1+2&b=%41&a=3&c&bad=%zz&x;y=1'))]).toEqual([['a', ['1 2', '3']], ['b', ['A']], ['c', ['']]]);
  });
});
