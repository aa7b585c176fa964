// The policy constructs' model functions, called without cdk8s: props in, model out, or an
// IstioGatewayError naming the construct, the prop, the value and what is valid.
import * as fc from 'fast-check';
import { IstioGatewayError } from '../src/errors';
import { PropChecker } from '../src/model/checks';
import {
  accessLogPolicyModel, celParseError, celShapeOf, loadCelParse, celVerdicts, checkHelmProfile, controlPlaneModel, DNS_CAPTURE_METADATA,
  FILTER_GATEWAY_CLUSTER_CONFIG_ENV, PolicyGateway, strictMtlsModel,
} from '../src/model/policy';
import { renderIstioOperator, renderPeerAuthentication, renderTelemetry } from '../src/render/policy';

const LABELS = { 'app.kubernetes.io/managed-by': 'test' };
const checker = (name = "Policy 'p'") => new PropChecker(name);

function refusal(f: () => unknown): IstioGatewayError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(IstioGatewayError);
    return e as IstioGatewayError;
  }
  throw new Error('expected a refusal');
}

describe('strictMtlsModel', () => {
  test('defaults: istio-system/default, STRICT, no selector, no port exceptions', () => {
    const m = strictMtlsModel(checker(), {}, LABELS);
    expect(m).toEqual({ name: 'default', namespace: 'istio-system', labels: LABELS, selector: undefined, mode: 'STRICT', portLevel: undefined });
  });

  test('port exceptions keyed by number, in the order given; the renderer sorts them', () => {
    const m = strictMtlsModel(checker(), { namespace: 'web', name: 'nginx', selector: { app: 'nginx' }, portLevel: { 8080: 'PERMISSIVE', 80: 'DISABLE' } }, LABELS);
    expect(m.selector).toEqual({ app: 'nginx' });
    expect([...m.portLevel!.entries()]).toEqual([[80, 'DISABLE'], [8080, 'PERMISSIVE']]);
    expect(renderPeerAuthentication(m).spec).toEqual({
      selector: { matchLabels: { app: 'nginx' } }, mtls: { mode: 'STRICT' },
      portLevelMtls: { 80: { mode: 'DISABLE' }, 8080: { mode: 'PERMISSIVE' } },
    });
  });

  test.each([
    [{ portLevel: { 80: 'DISABLE' } }, 'portLevel', 'requires selector'],
    [{ selector: { app: 'a' }, portLevel: {} }, 'portLevel', 'at least one port exception'],
    [{ selector: { app: 'a' }, portLevel: { 0: 'DISABLE' } }, "portLevel['0']", 'from 1 to 65535'],
    [{ selector: { app: 'a' }, portLevel: { 80: 'OFF' } }, 'portLevel[80]', "'STRICT', 'PERMISSIVE', 'DISABLE'"],
    [{ selector: {} }, 'selector', ''],
    [{ nme: 'x' }, 'nme', ''],
  ])('refuses %j at %s', (props, prop, expected) => {
    const e = refusal(() => strictMtlsModel(checker("StrictMtls 'mesh'"), props as any, LABELS));
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0].construct).toBe("StrictMtls 'mesh'");
    expect(e.problems[0].prop).toBe(prop);
    expect(e.problems[0].expected).toContain(expected);
  });

  test('refuses props that are not an object', () => {
    expect(refusal(() => strictMtlsModel(checker(), null as any, LABELS)).problems[0]).toMatchObject({ prop: 'props', expected: 'expected an object' });
  });
});

describe('accessLogPolicyModel', () => {
  const gateway: PolicyGateway = {
    path: 'platform/edge', ref: 'edge/edge-gw', selector: { istio: 'edge-gw' }, workloadNamespace: 'edge-pods',
  };

  test('defaults: named after the id, mesh-wide in istio-system, envoy provider', () => {
    const m = accessLogPolicyModel(checker(), {}, { id: 'Mesh Logs', labels: LABELS });
    expect(m).toMatchObject({ name: 'mesh-logs', namespace: 'istio-system', providers: ['envoy'], disabled: false, selector: undefined, gateway: undefined });
    expect(renderTelemetry(m).spec).toEqual({ accessLogging: [{ providers: [{ name: 'envoy' }] }] });
  });

  test('a gateway gives the namespace and selector of its pods', () => {
    const m = accessLogPolicyModel(checker(), { gateway, filter: 'response.code >= 400', mode: 'SERVER' }, { id: 'edge', labels: LABELS });
    expect(m).toMatchObject({ namespace: 'edge-pods', selector: { istio: 'edge-gw' }, filter: 'response.code >= 400', mode: 'SERVER', gateway });
  });

  test('the gateway is resolved through the context, after the prop names are checked', () => {
    const seen: unknown[] = [];
    const resolveGateway = (v: unknown) => { seen.push(v); return gateway; };
    expect(refusal(() => accessLogPolicyModel(checker(), { gateway: 'x', bogus: 1 } as any, { id: 'a', labels: LABELS, resolveGateway })).problems[0].prop).toBe('bogus');
    expect(seen).toEqual([]);
    accessLogPolicyModel(checker(), { gateway: 'edge' }, { id: 'a', labels: LABELS, resolveGateway });
    expect(seen).toEqual(['edge']);
  });

  test('a Gateway API gateway is targeted by reference', () => {
    const targetRef = { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge-gw' };
    const m = accessLogPolicyModel(checker(), { gateway: { ...gateway, policyTargetRef: targetRef } }, { id: 'a', labels: LABELS });
    expect(renderTelemetry(m).spec).toEqual({ targetRefs: [targetRef], accessLogging: [{ providers: [{ name: 'envoy' }] }] });
  });

  test('the CEL verdict comes from the context when given', () => {
    const asked: string[] = [];
    accessLogPolicyModel(checker(), { filter: 'a == b' }, { id: 'a', labels: LABELS, celParseError: (f) => { asked.push(f); return undefined; } });
    expect(asked).toEqual(['a == b']);
    expect(celParseError('response.code >= 400')).toBeUndefined();
    expect(celParseError('response.code >=')).toEqual(expect.any(String));
  });

  test('the CEL parser is @bufbuild/cel\'s own parse, from its module rather than the package entry', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(loadCelParse()).toBe(require('@bufbuild/cel').parse);
  });

  test('a filter\'s shape: each string literal\'s text as _, only where the scan reads literals as CEL does', () => {
    expect(celShapeOf('request.headers["x-team"] == "payments"')).toBe('request.headers["_"] == "_"');
    expect(celShapeOf('request.headers["x-team"] == "billing"')).toBe('request.headers["_"] == "_"');
    expect(celShapeOf(`'a' + r"b" + b'c' + "it's"`)).toBe(`'_' + r"_" + b'_' + "_"`);
    expect(celShapeOf('request.host == "http://a//b"')).toBe('request.host == "_"'); // a // in a literal is no comment
    expect(celShapeOf('response.code >= 400')).toBe('response.code >= 400');
    // Kept as written: an empty literal, and one of characters other than printable ASCII.
    expect(celShapeOf('x == "" || y == "\u00e9t\u00e9" || z == "a\nb"')).toBe('x == "" || y == "\u00e9t\u00e9" || z == "a\nb"');
    // No shape where a literal's end is not certain from this scan.
    for (const f of ['x == "a\\"b"', 'x == 1 // "', 'x == """a"""', "x == '''a'''", 'x == "open', 'a.`b"c` == "d"']) expect(celShapeOf(f)).toBeUndefined();
    // Three literals side by side are not CEL; emptied they would read as one triple-quoted literal.
    expect(celShapeOf('"a""b""c"')).toBe('"_""_""_"');
    expect(celParseError('"a""b""c"')).toEqual(expect.any(String));
    expect(celParseError('"_""_""_"')).toEqual(expect.any(String));
    expect(celParseError('""""""')).toBeUndefined();
  });

  test('filters of one shape are parsed once; any other filter is parsed as written, with its own error', () => {
    const parsed: string[] = [];
    const verdict = celVerdicts((f) => { parsed.push(f); return celParseError(f); });
    expect(verdict('request.headers["x-team"] == "payments"')).toBeUndefined();
    expect(verdict('request.headers["x-team"] == "billing"')).toBeUndefined();
    expect(verdict('request.headers["x-team"] == "billing"')).toBeUndefined();
    expect(parsed).toEqual(['request.headers["_"] == "_"']);
    // A shape that does not parse: the filter itself is parsed, and the error is the parser's on it.
    expect(verdict('request.headers["x-team"] == "a" &&')).toBe(celParseError('request.headers["x-team"] == "a" &&'));
    expect(parsed.slice(1)).toEqual(['request.headers["_"] == "_" &&', 'request.headers["x-team"] == "a" &&']);
    // No shape: parsed as written.
    expect(verdict('x == "\\q"')).toBe(celParseError('x == "\\q"'));
    expect(parsed[3]).toBe('x == "\\q"');
  });

  test('property: the verdict by shape is the parser\'s verdict on the filter as written, error text included', () => {
    // Expressions near CEL (literals of every kind side by side, operators, comments, escapes), and loose pieces.
    const { expr } = fc.letrec((tie) => ({
      term: fc.constantFrom('"ab"', "'c d'", '""', "''", 'r"x"', "b'y'", '"""t"""', "", '"\\q"', '"a\\"b"', '"http://z"',
        '"\u00e9"', '"a\nb"', 'x', 'x.y', '1', 'true', '`f`', '"', "'", '\\', '//', '\n', '(', ']', '&&'),
      expr: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        tie('term'),
        fc.tuple(tie('expr'), fc.constantFrom('', ' ', ' == ', '+', ' || ', ' // c\n', '//', '.', ','), tie('expr')).map(([a, op, b]) => `${a}${op}${b}`),
        tie('expr').map((e) => `(${e})`),
        fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `${a}[${b}]`),
        fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([a, b, c]) => `${a} ? ${b} : ${c}`),
      ),
    })) as { expr: fc.Arbitrary<string> };
    fc.assert(fc.property(expr, (filter) => {
      expect(celVerdicts()(filter)).toBe(celParseError(filter));
    }), { numRuns: 4000 });
  });

  test('a filter ending in a // comment without a newline is valid CEL, as cel-go reads it', () => {
    expect(celParseError('response.code >= 400 // errors only')).toBeUndefined();
    expect(celParseError('response.code >= 400 // errors\n&& request.method == "GET"')).toBeUndefined();
    // A comment does not hide a bad expression, and the error is the one of the filter as written.
    expect(celParseError('response.code >= // errors')).toMatch(/^<input>:1:/);
  });

  test.each([
    [{ gateway: { ...gateway, selector: undefined } }, 'gateway', 'import it with a selector'],
    [{ gateway, selector: { app: 'a' } }, 'selector', 'not both'],
    [{ gateway, namespace: 'other' }, 'namespace', '"edge-pods"'],
    [{ providers: [] }, 'providers', ''],
    [{ providers: ['envoy', 'envoy'] }, 'providers[1]', 'listed once'],
    [{ filter: ' ' }, 'filter', 'an empty filter'],
    [{ filter: 'response.code >=' }, 'filter', 'it does not parse'],
    [{ filter: 'true', disabled: true }, 'filter', 'no effect when logging is disabled'],
    [{ mode: 'BOTH' }, 'mode', 'CLIENT_AND_SERVER'],
  ])('refuses %j at %s', (props, prop, expected) => {
    const e = refusal(() => accessLogPolicyModel(checker("AccessLogPolicy 'logs'"), props as any, { id: 'logs', labels: LABELS }));
    expect(e.problems[0]).toMatchObject({ construct: "AccessLogPolicy 'logs'", prop });
    expect(e.problems[0].expected).toContain(expected);
  });
});

describe('controlPlaneModel', () => {
  test('defaults: the gateway cluster filter on, DNS capture off, Prometheus merge on', () => {
    const m = controlPlaneModel(checker(), {}, LABELS);
    expect(m).toMatchObject({
      name: 'control-plane', namespace: 'istio-system', profile: 'minimal', revision: undefined, enablePrometheusMerge: true,
      pilotEnv: [{ name: FILTER_GATEWAY_CLUSTER_CONFIG_ENV, value: 'true' }], proxyMetadata: [],
    });
    expect(renderIstioOperator(m).spec).toEqual({
      profile: 'minimal', meshConfig: { enablePrometheusMerge: true },
      components: { pilot: { k8s: { env: [{ name: FILTER_GATEWAY_CLUSTER_CONFIG_ENV, value: 'true' }] } } },
    });
  });

  test('extra variables follow the owned ones, sorted by name', () => {
    const m = controlPlaneModel(checker(), { dnsCapture: true, pilotEnv: { Z: '1', A: '2' }, proxyMetadata: { B: 'x' } }, LABELS);
    expect(m.pilotEnv.map((e) => e.name)).toEqual([FILTER_GATEWAY_CLUSTER_CONFIG_ENV, 'A', 'Z']);
    expect(m.proxyMetadata).toEqual([{ name: DNS_CAPTURE_METADATA, value: 'true' }, { name: 'B', value: 'x' }]);
  });

  test.each([
    [{ profile: 'tiny' }, 'profile', 'minimal'],
    [{ accessLogFile: 'stdout' }, 'accessLogFile', 'absolute file path'],
    [{ accessLogEncoding: 'JSON' }, 'accessLogEncoding', 'set accessLogFile too'],
    [{ pilotEnv: { [FILTER_GATEWAY_CLUSTER_CONFIG_ENV]: 'false' } }, `pilotEnv['${FILTER_GATEWAY_CLUSTER_CONFIG_ENV}']`, 'filterGatewayClusterConfig prop'],
    [{ proxyMetadata: { '1X': 'a' } }, "proxyMetadata['1X']", 'environment variable name'],
    [{ pilotEnv: { A: 1 } }, "pilotEnv['A']", 'expected a string value'],
  ])('refuses %j at %s', (props, prop, expected) => {
    const e = refusal(() => controlPlaneModel(checker("TrimmedGatewayConfig 'cp'"), props as any, LABELS));
    expect(e.problems[0]).toMatchObject({ construct: "TrimmedGatewayConfig 'cp'", prop });
    expect(e.problems[0].expected).toContain(expected);
  });

  test('checkHelmProfile refuses only the profile the istiod chart cannot express', () => {
    expect(() => checkHelmProfile(checker(), 'openshift')).not.toThrow();
    expect(refusal(() => checkHelmProfile(checker(), 'empty')).problems[0]).toMatchObject({ prop: 'profile', value: 'empty' });
  });
});

test('the model layer imports neither cdk8s, Pulumi nor the renderers (every file under src/model)', () => {
  const fs = require('fs') as typeof import('fs');
  const path = require('path') as typeof import('path');
  const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
  const model = files(path.join(__dirname, '../src/model'));
  expect(model.map((f) => path.basename(f))).toContain('policy.ts');
  const offending = model.flatMap((f) => [...fs.readFileSync(f, 'utf8').matchAll(/from '([^']+)'/g)]
    .map((m) => m[1]).filter((i) => /cdk8s|constructs|pulumi|render/.test(i)).map((i) => `${path.basename(f)}: ${i}`));
  expect(offending).toEqual([]);
});
