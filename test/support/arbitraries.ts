// fast-check generators for construct props: mostly valid values with a share of invalid ones
// (wrong types, bad syntax, out-of-range numbers), so properties cover both acceptance and refusal.
import * as fc from 'fast-check';

/** Seeded and sized from the environment so a failure is reproducible: FC_SEED=... FC_RUNS=... */
export const FC_SEED = Number(process.env.FC_SEED ?? 20261121);
export const FC_RUNS = Number(process.env.FC_RUNS ?? 1000);
export const fcParams = { seed: FC_SEED, numRuns: FC_RUNS };

export const dnsLabel = fc.stringMatching(/^[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,6})?$/);

export const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(undefined), fc.constant(null), fc.integer(), fc.double(), fc.boolean(), fc.string({ maxLength: 12 }),
  fc.constant(''), fc.constant('UPPER'), fc.constant('has space'), fc.array(fc.integer(), { maxLength: 2 }), fc.object({ maxDepth: 1 }),
);

/** Mostly `valid`, sometimes junk. */
export function maybeBad<T>(valid: fc.Arbitrary<T>, badWeight = 1): fc.Arbitrary<T | unknown> {
  return fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: junk, weight: badWeight });
}

export const hostName = fc.oneof(
  { arbitrary: fc.tuple(dnsLabel, dnsLabel, fc.constantFrom('com', 'io', 'dev', 'example')).map(([a, b, c]) => `${a}.${b}.${c}`), weight: 8 },
  { arbitrary: fc.tuple(dnsLabel, fc.constantFrom('com', 'io')).map(([a, c]) => `*.${a}.${c}`), weight: 2 },
  { arbitrary: fc.constantFrom('foo.*.com', 'http://x.com', 'x.com:80', '-bad.com', 'a..b'), weight: 1 },
);

export const hostList = fc.uniqueArray(hostName, { minLength: 1, maxLength: 3, selector: (h) => String(h).toLowerCase() });

export const port = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 65535 }), weight: 10 },
  { arbitrary: fc.constantFrom(0, -1, 70000, 1.5, 15021, 15090), weight: 1 },
);

export const labels = fc.dictionary(
  fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/),
  fc.stringMatching(/^[a-z0-9]([a-z0-9.-]{0,8}[a-z0-9])?$/),
  { maxKeys: 3 },
);

// ---------------------------------------------------------------------------------------------
// Routes and policy: hosts, destinations, subsets, weights, matches, options. Each generator is
// built at a "badness": 0 gives only well-formed values (what remains refused is a rule across
// props, e.g. two subsets with one name), 1 mixes in the invalid spellings users actually write.
// Properties draw from both, so that both acceptance and refusal are exercised in every run.
// ---------------------------------------------------------------------------------------------

/** Mostly `valid`; at badness > 0, with weight `bad` (out of 12 + bad), one of `invalid`. */
export function orBad<T>(valid: fc.Arbitrary<T>, invalid: readonly unknown[], bad = 1): fc.Arbitrary<T | unknown> {
  if (bad <= 0 || invalid.length === 0) return valid;
  return fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: fc.constantFrom(...invalid), weight: bad });
}

/** An optional value: absent half of the time. */
export function opt<T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(a, { nil: undefined });
}

/** A value present in about one run of seven. */
export function rare<T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: a, weight: 1 });
}

/** A small set of namespaces, so that random declarations meet (and sometimes collide) in one. */
export const namespaceName = fc.constantFrom('team-a', 'team-b', 'shop', 'web', 'istio-system');

/** A header name Envoy can match: lower-case token characters. */
export const lowerHeaderName = fc.constantFrom('end-user', 'x-version', 'x-canary', 'cookie', 'user-agent');

export const goodRegex = fc.constantFrom('^/v[0-9]+/.*', '(?i)^/api/.*', '/(?P<ver>v[0-9]+)/.*', '.*', '[a-z]+', 'jason|mike', 'a{2,5}', '\\d+', '[]a]', '[^/]+');
/** What RE2 (Envoy) refuses although JavaScript may accept it, and what does not parse at all. */
export const badRegex = ['^(?!admin).*', '(a)\\1', '(?<=x)y', '(?<!x)y', 'a{1001}', 'a{2,1001}', '(unclosed', '[abc', 'a++', '(?>a)', '\\k<n>', '*', ''];

/** The generators of route props at one badness (0: well-formed only). */
export function routeArbitraries(bad: number) {
  const b = (valid: fc.Arbitrary<unknown>, invalid: readonly unknown[], weight = 1) => orBad(valid, invalid, bad * weight);

  /** Hosts a route serves: gateway-facing names and in-mesh service names. */
  const routeHost = b(fc.oneof({ arbitrary: hostName.filter((h) => !/[:/]|\.\*|\.\.|^-/.test(h)), weight: 2 }, { arbitrary: dnsLabel, weight: 1 }),
    ['*', 'Shop.Example.com', 'a_b.com', '', 'http://x.com', 'x.com:80', 42]);
  const routeHosts = b(fc.uniqueArray(routeHost, { minLength: 1, maxLength: 3, selector: (h) => String(h).toLowerCase() }),
    [[], 'shop.example.com', undefined, ['a.example.com', 'A.example.com']]);

  /** A Kubernetes Service host: short, fully qualified, `name.ns` (a literal host to Istio), or invalid. */
  const serviceHost = b(fc.oneof(
    { arbitrary: dnsLabel, weight: 6 },
    { arbitrary: fc.tuple(dnsLabel, namespaceName).map(([n, ns]) => `${n}.${ns}.svc.cluster.local`), weight: 3 },
    { arbitrary: fc.tuple(dnsLabel, namespaceName).map(([n, ns]) => `${n}.${ns}`), weight: 1 },
  ), ['Reviews', 'a_b', '', '-x', 'x.', 'reviews:9080', 9080, null]);
  const destination = b(fc.record({ host: serviceHost, port: opt(b(fc.integer({ min: 1, max: 65535 }), [0, -1, 70000, 1.5, '80'])) }, { requiredKeys: ['host'] }),
    [undefined, null, 'reviews', { host: 'reviews', port: 80, subset: 'v1' }]);

  /** A canary weight: integers 0..100 (0 and 100 often), and what users get wrong. */
  const weight = b(fc.oneof({ arbitrary: fc.integer({ min: 0, max: 100 }), weight: 5 }, { arbitrary: fc.constantFrom(0, 100), weight: 1 }),
    [-1, 101, 2.5, 99.9, NaN, Infinity, -Infinity, '20', '', null, undefined, 1e9], 3);

  const path = b(fc.oneof(
    { arbitrary: fc.tuple(dnsLabel, fc.boolean()).map(([p, slash]) => `/${p}${slash ? '/' : ''}`), weight: 4 },
    { arbitrary: fc.constantFrom('/', '/api/v1'), weight: 1 },
  ), ['api', '', 7]);

  /** A StringMatch: exactly one of exact, prefix, regex (prefix only where Istio has it). */
  const stringMatch = (value: fc.Arbitrary<unknown>, opts: { prefix?: boolean } = {}) => b(fc.oneof(
    { arbitrary: value.map((v) => ({ exact: v })), weight: 6 },
    { arbitrary: b(goodRegex, badRegex, 2).map((r) => ({ regex: r })), weight: 3 },
    ...(opts.prefix === false ? [] : [{ arbitrary: value.map((v) => ({ prefix: v })), weight: 4 }]),
  ), [{}, { exact: 'a', prefix: '/b' }, { regex: '' }, { prefix: '' }, { exact: 7 }, null, 'exact', ...(opts.prefix === false ? [{ prefix: 'v' }] : [])]);

  /** Header names: lower-case tokens; upper-case ones are refused (Envoy lower-cases names). */
  const headerName = b(lowerHeaderName, ['End-User', 'X-Version', 'has space', ''], 2);
  const token = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,8}$/);
  const headerMap = (max: number) => fc.dictionary(headerName as fc.Arbitrary<string>, stringMatch(token), { minKeys: 1, maxKeys: max });

  /** One HttpMatch. Mesh fields (sourceLabels, sourceNamespace) come up on any route; gateway-only routes refuse them. */
  const httpMatch = b(fc.record({
    name: rare(b(dnsLabel, ['', 42])),
    uri: opt(stringMatch(path)),
    ignoreUriCase: rare(b(fc.boolean(), ['yes'])),
    method: rare(stringMatch(fc.constantFrom('GET', 'POST', 'PUT'))),
    scheme: rare(stringMatch(fc.constantFrom('http', 'https'))),
    authority: rare(stringMatch(fc.constantFrom('shop.example.com', 'api'))),
    headers: opt(headerMap(2)),
    withoutHeaders: rare(headerMap(1)),
    queryParams: rare(fc.dictionary(fc.constantFrom('version', 'debug', 'q'), stringMatch(token, { prefix: false }), { minKeys: 1, maxKeys: 2 })),
    port: rare(fc.integer({ min: 1, max: 65535 })),
    sourceLabels: rare(fc.dictionary(dnsLabel, dnsLabel, { minKeys: 1, maxKeys: 2 })),
    sourceNamespace: rare(b(namespaceName, ['Bad_NS'])),
  }, { requiredKeys: [] }).filter((m) => Object.keys(m).some((k) => k !== 'name' && k !== 'ignoreUriCase' && m[k as keyof typeof m] !== undefined) || bad > 0)
    // a match must hold a condition; without one only at badness > 0 (refused)
    .map((m) => (m.ignoreUriCase !== undefined && m.uri === undefined && bad === 0 ? { ...m, ignoreUriCase: undefined } : m)),
  [{}, { ignoreUriCase: true }, { name: 'only-a-name' }, null, 'GET', { url: { exact: '/' } }]);

  /** A match list: absent, or 1-3 matches. */
  const matchList = fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 6 },
    { arbitrary: b(fc.array(httpMatch, { minLength: 1, maxLength: 3 }), [[], 'uri', {}]), weight: 4 },
  );

  /** Durations as Istio takes them (whole ms, at least 1ms). */
  const duration = b(fc.constantFrom('10s', '250ms', '1.5s', '1m', '2h', '1ms', '0.5s'), ['500us', '0s', '10', 'abc', '1.0001s', 10, '', '-1s']);

  const retries = b(fc.record({
    attempts: b(fc.integer({ min: 1, max: 10 }), [-1, 1.5, '3', undefined]),
    perTryTimeout: opt(duration),
    retryOn: opt(fc.uniqueArray(b(fc.constantFrom('5xx', 'gateway-error', 'reset', 'connect-failure', 'retriable-4xx', '503', 'unavailable'), ['5XX', 'boom', 42]), { minLength: 1, maxLength: 3 })),
  }, { requiredKeys: ['attempts'] }), [null, 3, { attempts: 2, retryon: ['5xx'] }, { attempts: 0, retryOn: ['5xx'] }]);

  const mirror = fc.record({
    host: serviceHost,
    subset: rare(b(fc.constantFrom('v1', 'v2', 'stable', 'canary', 'blue', 'green'), ['V1'])),
    port: opt(fc.integer({ min: 1, max: 65535 })),
    percentage: opt(b(fc.oneof(fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 100, noNaN: true })), [-1, 100.5, NaN, '10'])),
  }, { requiredKeys: ['host'] });

  const fault = b(fc.oneof(
    fc.record({
      delay: fc.record({ fixedDelay: duration, percentage: opt(b(fc.integer({ min: 0, max: 100 }), [101, -5, NaN])) }, { requiredKeys: ['fixedDelay'] }),
      abort: opt(fc.record({ httpStatus: b(fc.constantFrom(500, 503, 404, 429, 200, 599), [100, 600, 500.5, '500']), percentage: opt(fc.integer({ min: 0, max: 100 })) }, { requiredKeys: ['httpStatus'] })),
    }, { requiredKeys: ['delay'] }),
    fc.record({ abort: fc.record({ httpStatus: fc.constantFrom(500, 503), percentage: opt(fc.double({ min: 0, max: 100, noNaN: true })) }, { requiredKeys: ['httpStatus'] }) }),
  ).chain((f) => fc.oneof({ arbitrary: fc.constant(f), weight: 2 }, { arbitrary: fc.array(httpMatch, { minLength: 1, maxLength: 2 }).map((match) => ({ ...f, match })), weight: 1 })),
  [null, {}, { delay: { percentage: 10 } }]);

  const rewrite = b(fc.oneof(
    { arbitrary: fc.record({ uri: path }), weight: 3 },
    { arbitrary: fc.record({ uriRegex: fc.record({ match: b(goodRegex, badRegex), rewrite: fc.constantFrom('/\\1', '/v2') }) }), weight: 2 },
    { arbitrary: fc.record({ authority: fc.constantFrom('shop.internal', 'api') }), weight: 2 },
  ), [{}, { uri: '/a', uriRegex: { match: 'x', rewrite: 'y' } }, { uri: 'a' }]);

  const trafficPolicy = b(fc.record({
    loadBalancer: opt(fc.oneof(
      fc.record({ simple: fc.constantFrom('ROUND_ROBIN', 'LEAST_REQUEST', 'RANDOM', 'PASSTHROUGH') }),
      fc.record({ consistentHash: fc.oneof(fc.record({ httpHeaderName: headerName }), fc.constant({ useSourceIp: true }), fc.constant({ httpCookie: { name: 'user', ttl: '1h' } })) }),
    )),
    connectionPool: opt(fc.oneof(
      fc.record({ tcp: fc.record({ maxConnections: opt(b(fc.integer({ min: 1, max: 1000 }), [0, -1])), connectTimeout: opt(duration) }) }),
      fc.record({ http: fc.record({ http1MaxPendingRequests: opt(fc.integer({ min: 1, max: 100 })), maxRetries: opt(fc.integer({ min: 0, max: 10 })), idleTimeout: duration }) }),
    )),
    outlierDetection: opt(fc.record({ consecutive5xxErrors: opt(fc.integer({ min: 0, max: 10 })), interval: opt(duration), maxEjectionPercent: opt(b(fc.integer({ min: 0, max: 100 }), [101])) })),
    tls: opt(fc.constantFrom({ mode: 'ISTIO_MUTUAL' }, { mode: 'SIMPLE', sni: 'api.example.com' }, { mode: 'MUTUAL', credentialName: 'client-cert' }, { mode: 'DISABLE' })),
  }, { requiredKeys: [] }).filter((t) => Object.values(t).some((v) => v !== undefined)),
  [{}, null, { loadBalancer: { simple: 'RANDOM', consistentHash: { useSourceIp: true } } }, { tls: { mode: 'MUTUAL' } }, { tls: { mode: 'DISABLE', sni: 'x' } }]);

  /** Subsets: names from a small set (so they sometimes collide) and one or two pod labels. */
  const subsetLabels = b(fc.dictionary(fc.constantFrom('version', 'track', 'app'), dnsLabel, { minKeys: 1, maxKeys: 2 }),
    [{}, undefined, { version: 2 }, { 'Bad Key': 'v' }, null]);
  const subset = (names: readonly string[]) => fc.record({
    subset: b(fc.oneof({ arbitrary: fc.constantFrom(...names), weight: 6 }, { arbitrary: fc.constantFrom('v1', 'v2', 'stable', 'canary'), weight: 1 }), ['V1', '', 'v_1', undefined, 3]),
    labels: subsetLabels,
  });

  return {
    routeHost, routeHosts, serviceHost, destination, weight, path, stringMatch, headerName, httpMatch, matchList, duration,
    retries, mirror, fault, rewrite, trafficPolicy, subsetLabels, stableSubset: subset(['v1', 'stable', 'blue']), canarySubset: subset(['v2', 'canary', 'green']),
  };
}

/** Route generators with invalid values mixed in, and well-formed only. */
export const routeArbs = routeArbitraries(1);
export const validRouteArbs = routeArbitraries(0);
