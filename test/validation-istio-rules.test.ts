// Every CEL rule (x-kubernetes-validations) in Istio 1.30.3's CRDs, each shown failing on a
// minimal object, plus a check that the table covers every distinct rule in the CRD file.
import * as fs from 'fs';
import { parseAllDocuments } from 'yaml';
import { validateObjects } from '../src/validation';
import { ISTIO_CRDS_PATH, istioCrds } from './support/validate-helper';


function obj(apiVersion: string, kind: string, spec: unknown): object {
  return { apiVersion, kind, metadata: { name: 'x', namespace: 'ns' }, spec };
}
const NET = 'networking.istio.io/v1';
const SEC = 'security.istio.io/v1';
const TE = 'extensions.istio.io/v1alpha1';
const GW_REF = { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw' };

/** [message the rule reports, a failing object, optional rule text fragment to disambiguate]. */
const CASES: [string, object, string?][] = [
  ['only one of targetRefs or selector can be set', obj(TE, 'TrafficExtension', { selector: { matchLabels: { app: 'a' } }, targetRefs: [GW_REF], wasm: { url: 'oci://r/x' } }), '(has(self.selector) ? 1 : 0) + (has(self.targetRefs) ? 1 : 0) <= 1'],
  ['exactly one of wasm or lua must be set', obj(TE, 'TrafficExtension', { phase: 'AUTHN' })],
  ['wildcard not allowed in label key match', obj(SEC, 'PeerAuthentication', { selector: { matchLabels: { 'a*': 'b' } } })],
  ['key must not be empty', obj(SEC, 'PeerAuthentication', { selector: { matchLabels: { '': 'b' } } })],
  ['wildcard not allowed in label value match', obj(SEC, 'PeerAuthentication', { selector: { matchLabels: { a: 'b*' } } })],
  ['cross namespace referencing is not currently supported', obj(SEC, 'AuthorizationPolicy', { targetRef: { ...GW_REF, namespace: 'other' } })],
  ['url must have schema one of [http, https, file, oci]', obj(TE, 'TrafficExtension', { wasm: { url: 'ftp://r/x' } })],
  ['value may only be set when valueFrom is INLINE', obj('extensions.istio.io/v1alpha1', 'WasmPlugin', { url: 'oci://r/x', vmConfig: { env: [{ name: 'A', valueFrom: 'HOST', value: 'v' }] } })],
  ['only one of targetRefs or selector can be set', obj(SEC, 'AuthorizationPolicy', { selector: { matchLabels: { app: 'a' } }, targetRef: GW_REF }), '(has(self.targetRefs) ? 1 : 0) <= 1'],
  ['url must have schema one of [http, https, file, oci]', obj('extensions.istio.io/v1alpha1', 'WasmPlugin', { url: 'ftp://r/x' })],
  ['must be a valid duration greater than 1ms', obj(NET, 'DestinationRule', { host: 'a', trafficPolicy: { connectionPool: { tcp: { connectTimeout: '0.5ms' } } } })],
  ['only one of targetRefs or workloadSelector can be set', obj('networking.istio.io/v1alpha3', 'EnvoyFilter', { workloadSelector: { labels: { app: 'a' } }, targetRefs: [GW_REF] })],
  ['only support waypointMatch when context is WAYPOINT', obj('networking.istio.io/v1alpha3', 'EnvoyFilter', { configPatches: [{ applyTo: 'HTTP_FILTER', match: { context: 'GATEWAY', waypoint: { portNumber: 80 } } }] })],
  ['port must be between 1-65535', obj(NET, 'ServiceEntry', { hosts: ['a.example'], resolution: 'DNS', ports: [{ number: 0, name: 'http', protocol: 'HTTP' }] }), '0 < self && self <= 65535'],
  ['only one of credentialNames or tlsCertificates can be set', obj(NET, 'Gateway', { servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['a'], tls: { mode: 'SIMPLE', credentialNames: ['a'], tlsCertificates: [{ serverCertificate: '/c', privateKey: '/k' }] } }] })],
  ['only one of credentialName or credentialNames can be set', obj(NET, 'Gateway', { servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['a'], tls: { mode: 'SIMPLE', credentialName: 'a', credentialNames: ['b'] } }] })],
  ['only one of credentialName or tlsCertificates can be set', obj(NET, 'Sidecar', { ingress: [{ port: { number: 8443, name: 'https', protocol: 'HTTPS' }, tls: { mode: 'SIMPLE', credentialNames: ['a'], tlsCertificates: [{ serverCertificate: '/c', privateKey: '/k' }] } }] })],
  ['only one of WorkloadSelector or Endpoints can be set', obj(NET, 'ServiceEntry', { hosts: ['a.example'], resolution: 'STATIC', workloadSelector: { labels: { app: 'a' } }, endpoints: [{ address: '1.2.3.4' }] })],
  ['CIDR addresses are allowed only for NONE/STATIC resolution types', obj(NET, 'ServiceEntry', { hosts: ['a.example'], addresses: ['10.0.0.0/24'], resolution: 'DNS' })],
  ['NONE mode cannot set endpoints', obj(NET, 'ServiceEntry', { hosts: ['a.example'], endpoints: [{ address: '1.2.3.4' }] })],
  ['DNS_ROUND_ROBIN mode cannot have multiple endpoints', obj(NET, 'ServiceEntry', { hosts: ['a.example'], resolution: 'DNS_ROUND_ROBIN', endpoints: [{ address: 'a.example' }, { address: 'b.example' }] })],
  ['Address is required', obj(NET, 'WorkloadEntry', { labels: { app: 'a' } })],
  ['UDS may not include ports', obj(NET, 'WorkloadEntry', { address: 'unix:///var/run/a.sock', ports: { http: 80 } })],
  ['UDS must be an absolute path or abstract socket', obj(NET, 'WorkloadEntry', { address: 'unix://relative.sock' })],
  ['UDS may not be a dir', obj(NET, 'WorkloadEntry', { address: 'unix:///var/run/' })],
  ['port name must be valid', obj(NET, 'WorkloadEntry', { address: '1.2.3.4', ports: { bad_name: 80 } })],
  ['hostname cannot be wildcard', obj(NET, 'ServiceEntry', { hosts: ['*'], resolution: 'NONE' })],
  ['port number cannot be duplicated', obj(NET, 'ServiceEntry', { hosts: ['a.example'], resolution: 'DNS', ports: [{ number: 80, name: 'http', protocol: 'HTTP' }, { number: 80, name: 'http2', protocol: 'HTTP2' }] })],
  ['scheme must be one of [HTTP, HTTPS]', obj(NET, 'WorkloadGroup', { template: { serviceAccount: 'a' }, probe: { httpGet: { port: 80, scheme: 'FTP' } } })],
  ['Cannot set serviceAccounts with namespaces or principals', obj(SEC, 'AuthorizationPolicy', { rules: [{ from: [{ source: { serviceAccounts: ['ns/sa'], principals: ['p'] } }] }] })],
  ['portLevelMtls requires selector', obj(SEC, 'PeerAuthentication', { portLevelMtls: { '8080': { mode: 'DISABLE' } } })],
  ['port must be between 1-65535', obj(SEC, 'PeerAuthentication', { selector: { matchLabels: { app: 'a' } }, portLevelMtls: { '70000': { mode: 'DISABLE' } } }), 'int(key)'],
  ['only one of jwks or jwksUri can be set', obj(SEC, 'RequestAuthentication', { jwtRules: [{ issuer: 'i', jwksUri: 'https://a/jwks', jwks: '{}' }] })],
  ['url must have scheme http:// or https://', obj(SEC, 'RequestAuthentication', { jwtRules: [{ issuer: 'i', jwksUri: 'ftp://a/jwks' }] })],
  ['value must be set when operation is UPSERT', obj('telemetry.istio.io/v1', 'Telemetry', { metrics: [{ overrides: [{ tagOverrides: { t: { operation: 'UPSERT', value: '' } } }] }] })],
  ['value must not be set when operation is REMOVE', obj('telemetry.istio.io/v1', 'Telemetry', { metrics: [{ overrides: [{ tagOverrides: { t: { operation: 'REMOVE', value: 'v' } } }] }] })],
];

/** Every distinct rule text in the bundled CRD artifact (generated from Istio's CRD file). */
function allRules(): Set<string> {
  const rules = new Set<string>();
  const walk = (s: unknown): void => {
    if (!s || typeof s !== 'object') return;
    if (Array.isArray(s)) return s.forEach(walk);
    const v = (s as Record<string, unknown>)['x-kubernetes-validations'];
    if (Array.isArray(v)) for (const r of v) rules.add((r as { rule: string }).rule);
    Object.values(s).forEach(walk);
  };
  for (const d of parseAllDocuments(fs.readFileSync(ISTIO_CRDS_PATH, 'utf8'))) walk(d.toJS());
  return rules;
}

describe('Istio 1.30.3 CEL rules', () => {
  const failedRules = new Set<string>();

  test.each(CASES.map((c, i) => [i, c[0], c[1], c[2]] as const))('#%i fails with "%s"', (_i, message, object, fragment) => {
    const result = validateObjects([object], { crds: istioCrds() });
    expect(result.skipped).toEqual([]);
    const hits = result.errors.filter((e) => e.message === message && e.rule !== undefined && (fragment === undefined || e.rule.includes(fragment)));
    if (hits.length === 0) throw new Error(`expected "${message}", got:\n${JSON.stringify(result.errors, null, 2)}`);
    // The failing rule is the only problem: the object is otherwise valid.
    const others = result.errors.filter((e) => e.rule === undefined);
    expect(others).toEqual([]);
    for (const h of hits) failedRules.add(h.rule!);
  });

  test('the table covers every distinct rule in the CRD file (none uses oldSelf)', () => {
    const rules = allRules();
    expect(rules.size).toBeGreaterThanOrEqual(36);
    for (const r of rules) expect(r).not.toMatch(/oldSelf/);
    const uncovered = [...rules].filter((r) => !failedRules.has(r));
    expect(uncovered).toEqual([]);
  });
});
