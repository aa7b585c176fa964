// Schema validation library: proves it passes valid objects and fails each kind of invalid one.
import * as fs from 'fs';
import * as path from 'path';
import { bundledCrdPath, CrdLoadError, CrdSet, loadBundledCrds, loadCrds, readManifestFile, validateObjects, type ValidationResult } from '../src/validation';
import { parseRequestUri } from '../src/validation/cel-url';
import { BLOCKED_MESSAGE, escapeCelName } from '../src/validation/structural';
import { expectValid, expectValidResult, istioCrds } from './support/validate-helper';

const FIXTURES = path.join(__dirname, 'fixtures', 'validation');
const fixture = (name: string): object[] => readManifestFile(path.join(FIXTURES, name)).map((d) => d.value as object);

function validate(objects: object[]): ValidationResult {
  return validateObjects(objects, { crds: istioCrds() });
}

/** The single error of a result, with a readable failure when there are more or none. */
function errorsAt(result: ValidationResult, p: string): string[] {
  return result.errors.filter((e) => e.path === p).map((e) => e.message);
}

const gateway = (server: Record<string, unknown>): object => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'Gateway',
  metadata: { name: 'gw', namespace: 'istio-ingress' },
  spec: { selector: { istio: 'ingressgateway' }, servers: [server] },
});
const server443 = { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['*.example.com'], tls: { mode: 'SIMPLE', credentialName: 'cert' } };

describe('Istio objects', () => {
  test('valid Gateway, VirtualService, DestinationRule, PeerAuthentication, Telemetry (v1) and the other kinds pass, no rule skipped', () => {
    const objects = fixture('istio-valid.yaml');
    const kinds = objects.map((o) => (o as { kind: string }).kind);
    expect(kinds).toEqual(expect.arrayContaining(['Gateway', 'VirtualService', 'DestinationRule', 'PeerAuthentication', 'Telemetry']));
    const result = validate(objects);
    expect(result.errors).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result).toMatchObject({ valid: true, checked: objects.length });
    expectValid(objects);
  });

  test('an unknown field is an error naming its path', () => {
    const result = validate([gateway({ ...server443, port: { number: 443, name: 'https', protocol: 'HTTPS', prot: 'HTTPS' } })]);
    expect(result.valid).toBe(false);
    expect(result.errors).toEqual([{ origin: 'Gateway istio-ingress/gw', path: 'spec.servers[0].port.prot', message: 'unknown field "prot"' }]);
    expect(() => expectValid([gateway({ ...server443, prot: 1 })])).toThrow(/spec\.servers\[0\]\.prot: unknown field "prot"/);
  });

  test('unknown top-level and metadata fields are errors too', () => {
    const gw = { ...gateway(server443), extra: true, metadata: { name: 'gw', namespace: 'istio-ingress', lables: {} } };
    const result = validate([gw]);
    expect(result.errors.map((e) => `${e.path}: ${e.message}`).sort()).toEqual(['extra: unknown field "extra"', 'metadata.lables: unknown field "lables"']);
  });

  test('a wrong type is an error, and CEL rules are then not run (as in the apiserver)', () => {
    const result = validate([gateway({ ...server443, port: { number: '443', name: 'https', protocol: 'HTTPS' } })]);
    expect(errorsAt(result, 'spec.servers[0].port.number')).toEqual(['Invalid value: string "443": must be of type integer']);
    expect(result.errors).toContainEqual({ origin: 'Gateway istio-ingress/gw', path: '', message: BLOCKED_MESSAGE });
  });

  test('enum, required, bounds and oneOf are enforced', () => {
    const bad = validate([
      gateway({ ...server443, tls: { mode: 'SIMPEL', credentialName: 'c' } }),
      { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'se', namespace: 'a' }, spec: { resolution: 'DNS' } },
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name: 'dr', namespace: 'a' },
        spec: { host: 'h', trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN', consistentHash: { useSourceIp: true } } } },
      },
      { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'se2', namespace: 'a' }, spec: { hosts: ['a'], resolution: 'STATIC', endpoints: [{ address: '1.2.3.4', weight: -1 }] } },
    ]);
    const lines = bad.errors.map((e) => `${e.origin} ${e.path}: ${e.message}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Gateway istio-ingress\/gw spec\.servers\[0\]\.tls\.mode: Unsupported value: "SIMPEL": supported values: "PASSTHROUGH", "SIMPLE"/),
        'ServiceEntry a/se spec.hosts: Required value',
        expect.stringMatching(/^DestinationRule a\/dr spec\.trafficPolicy\.loadBalancer: .*exactly one of the oneOf schemas \(matched 2\) \(at most one of: simple, consistentHash\)/),
        'ServiceEntry a/se2 spec.endpoints[0].weight: Invalid value: -1: should be greater than or equal to 0',
      ]),
    );
  });

  test('CEL rule failures are errors carrying the rule text', () => {
    const pa = { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'pa', namespace: 'shop' }, spec: { portLevelMtls: { '8080': { mode: 'DISABLE' } } } };
    const result = validate([pa]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ origin: 'PeerAuthentication shop/pa', path: 'spec', message: 'portLevelMtls requires selector' });
    expect(result.errors[0].rule).toMatch(/^has\(self\.portLevelMtls\)/);
    expect(() => expectValid([pa])).toThrow(/portLevelMtls requires selector/);
  });

  test('rules run for every occurrence: each list item and map value', () => {
    const dr = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'dr', namespace: 'a' },
      spec: {
        host: 'h',
        subsets: [
          { name: 'ok', trafficPolicy: { connectionPool: { tcp: { connectTimeout: '1ms' } } } },
          { name: 'bad', trafficPolicy: { connectionPool: { tcp: { connectTimeout: '100us' } } } },
          { name: 'worse', trafficPolicy: { connectionPool: { tcp: { connectTimeout: 'soon' } } } },
        ],
      },
    };
    const result = validate([dr]);
    expect(result.errors.map((e) => e.path)).toEqual(['spec.subsets[1].trafficPolicy.connectionPool.tcp.connectTimeout', 'spec.subsets[2].trafficPolicy.connectionPool.tcp.connectTimeout']);
    expect(result.errors[1].message).toMatch(/must be a valid duration greater than 1ms \(evaluation error: .*duration/);
  });

  test('URL rules accept what Istio accepts', () => {
    const wasm = (url: string) => ({ apiVersion: 'extensions.istio.io/v1alpha1', kind: 'WasmPlugin', metadata: { name: 'w', namespace: 'a' }, spec: { url } });
    for (const ok of ['oci://ghcr.io/x/y:1', 'https://example.com/a.wasm', 'file:///opt/a.wasm', 'ghcr.io/x/y:1', 'HTTP://example.com/a.wasm']) {
      expect(validate([wasm(ok)]).errors).toEqual([]);
    }
    // registry.local:5000/x parses as a URL with scheme "registry.local", as in Go: the apiserver rejects it too.
    for (const bad of ['ftp://example.com/a.wasm', 's3://bucket/a.wasm', 'registry.local:5000/x']) {
      expect(validate([wasm(bad)]).errors.map((e) => e.message)).toEqual(['url must have schema one of [http, https, file, oci]']);
    }
  });

  test('an apiVersion with no schema is an error listing the known versions', () => {
    const result = validate([
      { apiVersion: 'networking.istio.io/v1alpha9', kind: 'Gateway', metadata: { name: 'a' } },
      { apiVersion: 'networking.istio.io/v1', kind: 'Foo', metadata: { name: 'b' } },
    ]);
    expect(result.errors.map((e) => e.message)).toEqual([
      'no schema for networking.istio.io/v1alpha9 Gateway; known versions: networking.istio.io/v1, networking.istio.io/v1alpha3, networking.istio.io/v1beta1',
      expect.stringMatching(/^no schema for networking\.istio\.io\/v1 Foo; known versions: none \(looked in: the 15 CRD kind\(s\) loaded; the core Kubernetes schemas\)$/),
    ]);
  });

  test('metadata syntax: names, namespaces, label keys and values', () => {
    const result = validate([
      { ...gateway(server443), metadata: { name: 'Bad_Name', namespace: 'ns.with.dots', labels: { 'ok/key': 'v', 'a/b/c': 'v', k: 'bad value' }, annotations: { 'bad key': 'x' } } },
      { ...gateway(server443), metadata: { namespace: 'a' } },
    ]);
    const lines = result.errors.map((e) => `${e.origin} ${e.path}: ${e.message.split(':')[0]}:${e.message.split(':')[1]}`);
    expect(lines).toEqual([
      'Gateway ns.with.dots/Bad_Name metadata.name: Invalid value: "Bad_Name"',
      'Gateway ns.with.dots/Bad_Name metadata.namespace: Invalid value: "ns.with.dots"',
      'Gateway ns.with.dots/Bad_Name metadata.labels: Invalid value: "a/b/c"',
      'Gateway ns.with.dots/Bad_Name metadata.labels.k: Invalid value: "bad value"',
      'Gateway ns.with.dots/Bad_Name metadata.annotations: Invalid value: "bad key"',
      'Gateway a/<unnamed #2> metadata.name: Required value: name or generateName is required',
    ]);
  });
});

describe('core kinds', () => {
  test('valid Deployment, Service, ServiceAccount, RBAC, HPA v2, PDB, NetworkPolicy, Secret, ConfigMap, Namespace, Pod pass', () => {
    const objects = fixture('core-valid.yaml');
    const result = validateObjects(objects);
    expect(result.errors).toEqual([]);
    expect(result.checked).toBe(12);
  });

  const deployment = (): any => fixture('core-valid.yaml').find((o: any) => o.kind === 'Deployment');
  const service = (): any => fixture('core-valid.yaml').find((o: any) => o.kind === 'Service');

  test('a Deployment with unknown fields fails, at every depth', () => {
    const d = deployment();
    d.spec.replica = 3;
    d.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    d.spec.template.spec.containers[0].resources.request = {};
    const result = validateObjects([d]);
    expect(result.errors.map((e) => `${e.path}: ${e.message}`).sort()).toEqual([
      'spec.replica: unknown field "replica"',
      'spec.template.spec.containers[0].imagePullPolicyy: unknown field "imagePullPolicyy"',
      'spec.template.spec.containers[0].resources.request: unknown field "request"',
    ]);
    expect(result.errors[0].origin).toBe('Deployment istio-ingress/public-gateway');
  });

  test('maps stay open: labels, annotations, resource lists, ConfigMap data', () => {
    const d = deployment();
    d.spec.template.metadata.annotations['example.com/anything'] = 'x';
    d.spec.template.spec.containers[0].resources.limits['nvidia.com/gpu'] = 1;
    expect(validateObjects([d]).errors).toEqual([]);
  });

  test('wrong types and missing required fields in core objects', () => {
    const d = deployment();
    d.spec.replicas = 'two';
    delete d.spec.selector;
    const result = validateObjects([d]);
    expect(result.errors.map((e) => `${e.path}: ${e.message}`)).toEqual(['spec.selector: Required value', 'spec.replicas: Invalid value: string "two": must be of type integer']);
  });

  test('a Service with a port out of range fails, as do unnamed ports of a multi-port Service', () => {
    const s = service();
    s.spec.ports[1].port = 70000;
    delete s.spec.ports[2].name;
    s.spec.ports[0].targetPort = 'Not_A_Name';
    const result = validateObjects([s]);
    expect(result.errors.map((e) => `${e.path}: ${e.message.split(':').slice(0, 2).join(':')}`)).toEqual([
      'spec.ports[0].targetPort: Invalid value: "Not_A_Name"',
      'spec.ports[1].port: Invalid value: 70000',
      'spec.ports[2].name: Required value: port names are required when a Service has more than one port',
    ]);
    expect(result.errors[1].message).toMatch(/must be between 1 and 65535/);
  });

  test('apiserver rules: selector must match template labels, container and Service names', () => {
    const d = deployment();
    d.spec.selector.matchLabels.app = 'other';
    d.spec.template.spec.containers[0].name = 'Istio_Proxy';
    const s = { ...service(), metadata: { name: '1-gateway', namespace: 'a' } };
    const result = validateObjects([d, s]);
    expect(result.errors.map((e) => `${e.origin} ${e.path}`)).toEqual([
      'Deployment istio-ingress/public-gateway spec.template.metadata.labels',
      'Deployment istio-ingress/public-gateway spec.template.spec.containers[0].name',
      'Service a/1-gateway metadata.name',
    ]);
  });

  test('HPA and PDB consistency', () => {
    const objects = fixture('core-valid.yaml');
    const hpa: any = objects.find((o: any) => o.kind === 'HorizontalPodAutoscaler');
    const pdb: any = objects.find((o: any) => o.kind === 'PodDisruptionBudget');
    hpa.spec.minReplicas = 6;
    pdb.spec.maxUnavailable = '150%';
    const result = validateObjects([hpa, pdb]);
    expect(result.errors.map((e) => `${e.origin} ${e.path}`)).toEqual([
      'HorizontalPodAutoscaler istio-ingress/public-gateway spec.maxReplicas',
      'PodDisruptionBudget istio-ingress/public-gateway spec',
      'PodDisruptionBudget istio-ingress/public-gateway spec.maxUnavailable',
    ]);
  });

  test('unknown core kinds and versions have no schema', () => {
    const result = validateObjects([
      { apiVersion: 'apps/v1beta9', kind: 'Deployment', metadata: { name: 'a' } },
      { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'a' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
    ], { crds: new CrdSet() });
    expect(result.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^no schema for apps\/v1beta9 Deployment; known versions: apps\/v1, apps\/v1beta1, apps\/v1beta2$/),
      expect.stringMatching(/^no schema for networking\.istio\.io\/v1 Gateway; known versions: none \(looked in: the 0 CRD kind\(s\) loaded; the core Kubernetes schemas\)/),
    ]);
    expect(validateObjects([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }], { core: false }).errors[0].message).toMatch(/core kinds disabled/);
  });

  test('non-objects, missing apiVersion/kind, and List flattening', () => {
    const result = validateObjects([
      'text' as unknown as object,
      { kind: 'ConfigMap', metadata: { name: 'a' } },
      { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' }, data: { k: 1 } }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } }] },
    ]);
    expect(result.checked).toBe(4);
    expect(result.errors.map((e) => `${e.origin} ${e.path}: ${e.message}`)).toEqual([
      '<document #1> : Invalid value: not a Kubernetes object (got string)',
      'ConfigMap a apiVersion: Required value: apiVersion must be set',
      'ConfigMap b data.k: Invalid value: number 1: must be of type string',
    ]);
  });
});

describe('custom CRDs', () => {
  const crds = loadCrds([path.join(FIXTURES, 'widget-crd.yaml')]);
  const widget = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}): object => ({
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w', namespace: 'a' },
    spec,
    ...extra,
  });
  const run = (spec: Record<string, unknown>, extra?: Record<string, unknown>) => validateObjects([widget({ size: 'small', maxReplicas: 3, ...spec }, extra)], { crds });

  test('a valid object passes; transition and unsupported rules are reported as skipped, never as passed', () => {
    const result = run({ port: 'http', ratio: 0.5, owner: 'team-a', ip: '10.0.0.1', createdAt: '2024-01-31T12:00:00Z', blob: 'aGVsbG8=', note: null, extra: { any: { thing: 1 } }, labels: { a: 'b' }, tags: ['x', 'y'], listeners: [{ name: 'a', port: 8080 }], template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} } }, { status: { anything: true } });
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.skipped.map((s) => `${s.path}: ${s.rule} (${s.reason})`)).toEqual([
      'spec: self.size == oldSelf.size (transition rule (uses oldSelf))',
      'spec: !has(self.ip) || isCIDR(self.ip) (uses CEL function(s) not available in this validator: isCIDR)',
    ]);
    // expectValid tolerates oldSelf rules but not rules it could not evaluate.
    expect(() => expectValidResult(result)).toThrow(/1 CEL rule\(s\) could not be evaluated:\n {2}- Widget a\/w: spec: !has\(self\.ip\) \|\| isCIDR\(self\.ip\)/);
    expect(() => expectValidResult({ ...result, skipped: result.skipped.slice(0, 1) })).not.toThrow();
  });

  test('defaults are applied before CEL rules, messageExpression and fieldPath are honoured', () => {
    expect(run({ minReplicas: 5 }).errors).toEqual([
      { origin: 'Widget a/w', path: 'spec', message: 'minReplicas (5) must not exceed maxReplicas', rule: 'self.minReplicas <= self.maxReplicas' },
    ]);
    expect(run({}).errors).toEqual([]); // minReplicas defaults to 1
    expect(run({ owner: 'ops' }).errors.map((e) => `${e.path}: ${e.message}`)).toEqual(['spec.owner: owner must start with team-']);
  });

  test('int-or-string, nullable, number bounds, strings, formats', () => {
    const lines = (r: ValidationResult) => r.errors.map((e) => `${e.path}: ${e.message}`);
    expect(lines(run({ port: 8080 }))).toEqual([]);
    expect(lines(run({ port: true }))).toEqual(['spec.port: Invalid value: boolean true: must be of type integer or string', `: ${BLOCKED_MESSAGE}`]);
    expect(lines(run({ ratio: 1 }))).toEqual(['spec.ratio: Invalid value: 1: should be less than 1']);
    expect(lines(run({ owner: 'team-abcdefghijklmnopqrstuvwxyz' }))).toEqual(['spec.owner: Too long: may not be more than 20 characters (got 31)', `: ${BLOCKED_MESSAGE}`]);
    expect(lines(run({ owner: 'team-A' }))).toEqual(["spec.owner: Invalid value: \"team-A\": should match '^[a-z-]+$'"]);
    expect(lines(run({ createdAt: 'yesterday', blob: 'not base64!' }))).toEqual([
      'spec.createdAt: Invalid value: "yesterday": must be an RFC 3339 date-time, e.g. 2024-01-31T12:00:00Z',
      'spec.blob: Invalid value: "not base64!": must be base64-encoded bytes',
    ]);
    expect(lines(run({ maxReplicas: null }))).toEqual([expect.stringMatching(/^spec: .*evaluation error/)]); // null pruned: maxReplicas absent
  });

  test('maps, sets, list-type map keys, preserve-unknown-fields, embedded resources', () => {
    const lines = (r: ValidationResult) => r.errors.map((e) => `${e.path}: ${e.message}`);
    expect(lines(run({ labels: { a: 'b', c: 'd', e: 'f' } }))).toEqual(['spec.labels: Too many: 3: must have at most 2 items', `: ${BLOCKED_MESSAGE}`]);
    expect(lines(run({ labels: { a: 1 } }))).toEqual(['spec.labels.a: Invalid value: number 1: must be of type string', `: ${BLOCKED_MESSAGE}`]);
    expect(lines(run({ tags: ['x', 'x'] }))).toEqual(['spec.tags[1]: Duplicate value: "x"']);
    expect(lines(run({ listeners: [{ name: 'a', port: 2000 }, { name: 'a', port: 3000 }, { name: 'b', port: 80 }] }))).toEqual([
      'spec.listeners[1]: Duplicate value: {"name":"a"}',
      'spec.listeners[2].port: port must be unprivileged',
    ]);
    // A missing required field blocks the CEL rules, as in the apiserver.
    expect(lines(run({ listeners: [{ port: 80 }] }))).toEqual(['spec.listeners[0].name: Required value', `: ${BLOCKED_MESSAGE}`]);
    expect(lines(run({ extra: { deep: { nested: [1, { x: 2 }] } }, template: { apiVersion: 'v1', kind: 'X', metadata: {}, whatever: 1 } }))).toEqual([]);
    expect(lines(run({ size: 'small', colour: 'red' }))).toEqual(['spec.colour: unknown field "colour"']);
    expect(lines(validateObjects([widget({ maxReplicas: 1 })], { crds }))).toEqual(['spec.size: Required value', `: ${BLOCKED_MESSAGE}`]);
  });

  test('versions that are not served have no schema', () => {
    const result = validateObjects([{ apiVersion: 'example.com/v1alpha1', kind: 'Widget', metadata: { name: 'w' } }], { crds });
    expect(result.errors[0].message).toBe('no schema for example.com/v1alpha1 Widget; known versions: example.com/v1');
  });
});

describe('loadCrds', () => {
  test('reads files, folders and objects, and ignores non-CRD documents', () => {
    const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'crds-'));
    fs.copyFileSync(path.join(FIXTURES, 'widget-crd.yaml'), path.join(dir, 'widget.yaml'));
    fs.writeFileSync(path.join(dir, 'other.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n');
    const fromDir = loadCrds([dir]);
    expect(fromDir.list()).toEqual(['example.com/v1 Widget']);
    const crdObject = readManifestFile(path.join(FIXTURES, 'widget-crd.yaml'))[0].value as object;
    expect(loadCrds([crdObject]).lookup('example.com/v1', 'Widget')?.kind).toBe('Widget');
    fs.rmSync(dir, { recursive: true });
  });

  test('errors name the source: missing path, no CRD, broken YAML, not a CRD object', () => {
    expect(() => loadCrds(['/nonexistent/crds.yaml'])).toThrow('/nonexistent/crds.yaml: cannot read: no such file or directory');
    expect(() => loadCrds([path.join(FIXTURES, 'core-valid.yaml')])).toThrow(/core-valid\.yaml: no CustomResourceDefinition found/);
    expect(() => loadCrds([path.join(FIXTURES, 'broken.yaml')])).toThrow(/broken\.yaml:\d+: invalid YAML: \w/);
    expect(() => loadCrds([{ kind: 'ConfigMap' }])).toThrow(CrdLoadError);
  });

  test('Istio CRDs: every served version of every kind', () => {
    const set = istioCrds();
    expect(set.size).toBe(15);
    expect(set.versionsOf('networking.istio.io', 'Gateway')).toEqual(['v1', 'v1alpha3', 'v1beta1']);
    expect(set.versionsOf('telemetry.istio.io', 'Telemetry')).toEqual(['v1', 'v1alpha1']);
    expect(set.lookup('networking.istio.io/v1', 'Gateway')).toBe(set.lookup('networking.istio.io/v1', 'Gateway'));
  });
});

describe('CEL support', () => {
  test('Go url.ParseRequestURI semantics', () => {
    expect(parseRequestUri('HTTPS://Example.com:8443/a%20b?x=1')).toMatchObject({ scheme: 'https', host: 'Example.com:8443', rawPath: '/a%20b', rawQuery: 'x=1' });
    expect(parseRequestUri('/just/a/path').scheme).toBe('');
    expect(parseRequestUri('mailto:someone@example.com')).toMatchObject({ scheme: 'mailto', opaque: 'someone@example.com' });
    for (const bad of ['', 'relative/path', ':nope', 'http://ex ample.com/', 'http://example.com:80a/', 'http://example.com/%zz', 'http://a\u0001b']) {
      expect(() => parseRequestUri(bad)).toThrow();
    }
  });

  test('property names are escaped as Kubernetes does', () => {
    expect(escapeCelName('namespace')).toBe('__namespace__');
    expect(escapeCelName('x-forwarded-for')).toBe('x__dash__forwarded__dash__for');
    expect(escapeCelName('a.b/c')).toBe('a__dot__b__slash__c');
    expect(escapeCelName('jwks_uri')).toBe('jwks_uri');
  });
});

describe('performance', () => {
  test('1,000 objects validate in seconds', () => {
    const base = [...fixture('istio-valid.yaml'), ...fixture('core-valid.yaml')];
    const objects: object[] = [];
    for (let i = 0; objects.length < 1000; i++) {
      for (const o of base) {
        const copy = structuredClone(o) as { metadata: { name: string } };
        copy.metadata.name = `${copy.metadata.name}-${i}`;
        objects.push(copy);
      }
    }
    const started = performance.now();
    const result = validate(objects.slice(0, 1000));
    const ms = performance.now() - started;
    expect(result.errors).toEqual([]);
    expect(result.checked).toBe(1000);
    // eslint-disable-next-line no-console
    console.log(`validated 1000 objects in ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(20000);
  });
});

describe('bundled CRD schemas', () => {
  const gw = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'istio-ingress' }, spec: { selector: { istio: 'ingressgateway' }, servers: [server443] } };

  test('validateObjects without crds uses Istio 1.30.3 and Gateway API v1.5.1 (standard channel)', () => {
    expect(validateObjects([gw]).errors).toEqual([]);
    const unknownField = validateObjects([{ ...gw, spec: { ...gw.spec, selectr: { app: 'x' } } }]);
    expect(unknownField.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([expect.stringMatching(/^spec\.selectr: .*unknown field/i)]);
    const httpRoute = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'web' }, spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] } };
    expect(validateObjects([httpRoute]).errors).toEqual([]);
    // TCPRoute is experimental-channel only
    const tcpRoute = { apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TCPRoute', metadata: { name: 't', namespace: 'web' }, spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'db', port: 5432 }] }] } };
    expect(validateObjects([tcpRoute]).errors[0].message).toMatch(/^no schema for gateway\.networking\.k8s\.io\/v1alpha2 TCPRoute/);
    expect(validateObjects([tcpRoute], { crds: loadBundledCrds(['gateway-api-experimental']) }).errors).toEqual([]);
  });

  test('loadCrds() loads the bundled sets; each artifact is also a --crds file', () => {
    const set = loadCrds();
    expect(set.sources).toEqual(['bundled:istio-1.30.3.json', 'bundled:gateway-api-v1.5.1-standard.json']);
    expect(set.size).toBe(15 + 8);
    expect(loadCrds([bundledCrdPath('gateway-api-experimental')]).size).toBe(12);
    expect(set.versionsOf('gateway.networking.k8s.io', 'HTTPRoute')).toEqual(['v1', 'v1beta1']);
  });

  test('descriptions are stripped, properties named description are kept, CEL rules stay', () => {
    const text = fs.readFileSync(bundledCrdPath('istio'), 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).not.toMatch(/"description":"/);
    const list = JSON.parse(text) as { items: { spec: { versions: { name: string; served: boolean; schema: { openAPIV3Schema: object } }[] } }[] };
    expect(list.items.every((c) => c.spec.versions.every((v) => v.served && v.schema))).toBe(true);
    expect(text.match(/x-kubernetes-validations/g)!.length).toBeGreaterThan(50);
    // GatewayClass has a field named description (at most 64 characters): it must survive the stripping
    const gc = (description: string): object => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'istio' }, spec: { controllerName: 'istio.io/gateway-controller', description } });
    expect(validateObjects([gc('Istio')]).errors).toEqual([]);
    expect(validateObjects([gc('x'.repeat(65))]).errors[0]).toMatchObject({ path: 'spec.description', message: 'Too long: may not be more than 64 characters (got 65)' });
  });
});
