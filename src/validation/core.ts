// Validates core Kubernetes kinds (Deployment, Service, RBAC, HPA, PDB, NetworkPolicy, ...) with
// the schemas compiled into `kubernetes-models`, plus what those schemas cannot say:
//  - unknown fields: kubernetes-models' validators accept any extra property, so each object is
//    validated through a recording Proxy and every present property the validator never looked
//    at is reported, as `kubectl apply --validate=strict` does;
//  - a few apiserver rules that are not in the OpenAPI document (port ranges, named ports,
//    selector vs template labels, HPA/PDB consistency).
//
// kubernetes-models 4 (the last major that supports Node 20; 5 is ESM-only and declares Node 22)
// ships each kind as a CommonJS `.js` file beside an `.mjs`. Files are loaded by absolute path,
// one kind at a time, with Node's own require (taken from `process.getBuiltinModule` so that it
// is the real one also inside jest's module sandbox); should a future major be ESM-only again,
// that require still loads it synchronously on Node >= 20.19 / 22.12.

import * as fs from 'fs';
import * as path from 'path';
import { labelSelectorVerdict } from '../label-selector';
import { isDict } from '../manifests';
import { checkLabels, dns1123Label, ianaServiceName } from './names';
import { describeValue, joinPath, type IssueSink } from './types';

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

type ModelClass = { apiVersion?: string; kind?: string; prototype: { validate?: () => void } };

let modelsDir: string | undefined;
let nativeRequire: NodeJS.Require | undefined;

function packageDir(): string {
  if (modelsDir) return modelsDir;
  try {
    modelsDir = path.dirname(require.resolve('kubernetes-models/package.json'));
  } catch {
    // Fall back to the usual node_modules walk (e.g. under bundlers that hide require.resolve).
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'node_modules', 'kubernetes-models');
      if (fs.existsSync(path.join(candidate, 'package.json'))) {
        modelsDir = candidate;
        break;
      }
      if (path.dirname(dir) === dir) throw new Error('kubernetes-models is not installed: it is needed to validate core Kubernetes kinds');
    }
  }
  return modelsDir;
}

function loadEsm(file: string): Record<string, unknown> {
  if (!nativeRequire) {
    const getBuiltin = (process as unknown as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
    const mod = (typeof getBuiltin === 'function' ? getBuiltin('node:module') : require('node:module')) as typeof import('module');
    nativeRequire = mod.createRequire(__filename);
  }
  try {
    return nativeRequire(file) as Record<string, unknown>;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_REQUIRE_ESM' || /Cannot use import statement|require\(\) of ES Module/.test(String((e as Error).message))) {
      throw new Error(
        `cannot load ${file}: kubernetes-models is an ES module and this Node.js (${process.version}) cannot require() ES modules; use Node.js >= 20.19 or >= 22.12`,
      );
    }
    throw e;
  }
}

const API_VERSION = /^(?:([a-z0-9]([-a-z0-9.]*[a-z0-9])?)\/)?(v[0-9]+(?:(?:alpha|beta)[0-9]+)?)$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;
const classCache = new Map<string, ModelClass | null>();

/** The kubernetes-models class for a top-level core kind, or undefined when there is none. */
function modelClass(apiVersion: string, kind: string): ModelClass | undefined {
  const key = `${apiVersion}|${kind}`;
  const hit = classCache.get(key);
  if (hit !== undefined) return hit ?? undefined;
  let cls: ModelClass | undefined;
  // apiVersion and kind come from user input: only well-formed ones ever reach the file system.
  if (API_VERSION.test(apiVersion) && KIND.test(kind)) {
    const file = path.join(packageDir(), ...apiVersion.split('/'), `${kind}.js`);
    if (fs.existsSync(file)) {
      const candidate = loadEsm(file)[kind] as ModelClass | undefined;
      if (candidate && candidate.kind === kind && candidate.apiVersion === apiVersion && typeof candidate.prototype?.validate === 'function') {
        cls = candidate;
      }
    }
  }
  classCache.set(key, cls ?? null);
  return cls;
}

/** Whether kubernetes-models has a schema for this apiVersion/kind. */
export function hasCoreSchema(apiVersion: string, kind: string): boolean {
  return modelClass(apiVersion, kind) !== undefined;
}

const versionsCache = new Map<string, string[]>();

/** Versions of a core group that define this kind (for "no schema" messages). Cached: a large input repeats kinds. */
export function coreVersionsOf(group: string, kind: string): string[] {
  const key = `${group}|${kind}`;
  let hit = versionsCache.get(key);
  if (!hit) versionsCache.set(key, hit = listCoreVersions(group, kind));
  return [...hit];
}

function listCoreVersions(group: string, kind: string): string[] {
  if (!KIND.test(kind) || (group !== '' && !/^[a-z0-9][-a-z0-9.]*$/.test(group))) return [];
  let dir: string;
  try {
    dir = group === '' ? packageDir() : path.join(packageDir(), group);
  } catch {
    return [];
  }
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return entries
    .filter((v) => /^v[0-9]+((alpha|beta)[0-9]+)?$/.test(v) && fs.existsSync(path.join(dir, v, `${kind}.js`)))
    .filter((v) => hasCoreSchema(group === '' ? v : `${group}/${v}`, kind))
    .sort();
}

// ---------------------------------------------------------------------------------------------
// Recording proxies: which properties did the schema validator read?

interface Reads {
  seen: Set<string>;
  enumerated: boolean;
}

class ReadRecorder {
  // Maps, not WeakMaps: a recorder lives for one object's validation, and weak maps cost the
  // collector more (about a tenth of `validate` of a cluster dump went to recording reads).
  readonly reads = new Map<object, Reads>();
  private readonly proxies = new Map<object, object>();
  /** One handler for every proxy of this recorder; a proxy's target is the object read. */
  private readonly handler: ProxyHandler<object> = {
    get: (t, key) => {
      if (typeof key === 'string' && !Array.isArray(t)) this.readsOf(t).seen.add(key);
      const v: unknown = Reflect.get(t, key);
      return v !== null && typeof v === 'object' ? this.wrap(v) : v;
    },
    has: (t, key) => {
      if (typeof key === 'string' && !Array.isArray(t)) this.readsOf(t).seen.add(key);
      return Reflect.has(t, key);
    },
    ownKeys: (t) => {
      if (!Array.isArray(t)) this.readsOf(t).enumerated = true;
      return Reflect.ownKeys(t);
    },
  };

  /** This object's record, created on the first read. */
  private readsOf(target: object): Reads {
    let r = this.reads.get(target);
    if (!r) this.reads.set(target, (r = { seen: new Set(), enumerated: false }));
    return r;
  }

  wrap<T>(value: T): T {
    if (value === null || typeof value !== 'object') return value;
    const target = value as unknown as object;
    let proxy = this.proxies.get(target);
    if (!proxy) this.proxies.set(target, (proxy = new Proxy(target, this.handler)));
    return proxy as T;
  }
}

// kubernetes-models drops properties named `description` or `x-...` from its schemas (it takes
// them for annotations), so its validators never read them. The types affected are recognised
// by what their validators do read.
const NEVER_READ_BY_MODELS: { signature: string[]; allowed: RegExp }[] = [
  { signature: ['$ref', 'additionalItems', 'uniqueItems'], allowed: /^(description|x-kubernetes-[a-z-]+)$/ }, // JSONSchemaProps
  { signature: ['jsonPath', 'priority'], allowed: /^description$/ }, // CustomResourceColumnDefinition
  { signature: ['url'], allowed: /^description$/ }, // ExternalDocumentation
];

function neverReadButDeclared(r: Reads, key: string): boolean {
  return NEVER_READ_BY_MODELS.some((t) => t.allowed.test(key) && t.signature.every((k) => r.seen.has(k)));
}

/**
 * Reports present properties the validator never read. An object the validator did not look
 * into at all is free-form to it (RawExtension, FieldsV1) and is left alone; one it enumerated
 * is a map.
 */
function reportUnread(value: unknown, p: string, reads: ReadonlyMap<object, Reads>, sink: IssueSink): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => reportUnread(v, `${p}[${i}]`, reads, sink));
    return;
  }
  const r = reads.get(value);
  if (!r) return;
  const o = value as Record<string, unknown>;
  // (for-in, not Object.entries: no pair arrays; parsed objects have no enumerable inherited keys)
  for (const k in o) {
    if (!Object.prototype.hasOwnProperty.call(o, k)) continue;
    const v = o[k];
    if (v === undefined) continue;
    // The path is built only when it is needed: an error here, or a value to look into.
    if (!r.enumerated && !r.seen.has(k) && !neverReadButDeclared(r, k)) sink.error(joinPath(p, k), `unknown field ${JSON.stringify(k)}`);
    else if (v !== null && typeof v === 'object') reportUnread(v, joinPath(p, k), reads, sink);
  }
}

// ---------------------------------------------------------------------------------------------
// Schema validation

function pathFromPointer(pointer: string, root: unknown): { path: string; value: unknown } {
  let p = '';
  let cur: unknown = root;
  if (pointer === '') return { path: p, value: cur };
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur) && /^\d+$/.test(seg)) {
      p = `${p}[${seg}]`;
      cur = cur[Number(seg)];
    } else {
      p = joinPath(p, seg);
      cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
    }
  }
  return { path: p, value: cur };
}

function reportAjvErrors(errors: readonly AjvError[], obj: unknown, sink: IssueSink, prefix = ''): void {
  const seen = new Set<string>();
  for (const err of errors) {
    const { path: p0, value } = pathFromPointer(err.instancePath, obj);
    const at = prefix && p0 ? `${prefix}.${p0}` : prefix || p0;
    let where = at;
    let message: string;
    switch (err.keyword) {
      case 'required':
        where = joinPath(at, String(err.params.missingProperty));
        message = 'Required value';
        break;
      case 'type':
        message = `Invalid value: ${describeValue(value)}: must be of type ${String(err.params.type)}`;
        break;
      case 'enum':
        message = `Unsupported value: ${JSON.stringify(value)}: supported values: ${((err.params.allowedValues as unknown[]) ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
        break;
      case 'format':
        message = `Invalid value: ${JSON.stringify(value)}: must match format "${String(err.params.format)}"`;
        break;
      default:
        message = `Invalid value: ${describeValue(value)}: ${err.message ?? err.keyword}`;
    }
    const key = `${where}\u0000${message}`;
    if (seen.has(key)) continue; // nullable wrappers can repeat an error
    seen.add(key);
    sink.error(where, message);
  }
}

function runModelValidation(cls: ModelClass, obj: unknown, sink: IssueSink, prefix = ''): void {
  reportUnread(obj, prefix, validateWithModel(cls, obj, sink, prefix), sink);
}

/** Runs the model's schema validation over `obj`, reports its errors, and returns what it read (see reportUnread). */
function validateWithModel(cls: ModelClass, obj: unknown, sink: IssueSink, prefix = ''): ReadRecorder['reads'] {
  const recorder = new ReadRecorder();
  const proxy = recorder.wrap(obj);
  try {
    cls.prototype.validate!.call(proxy);
  } catch (e) {
    const errors = (e as { errors?: AjvError[] }).errors;
    if (!Array.isArray(errors)) throw e;
    reportAjvErrors(errors, obj, sink, prefix);
  }
  return recorder.reads;
}

/**
 * Validates ObjectMeta structure (types, unknown fields) of any object, custom ones included,
 * by validating it as the metadata of a ConfigMap, whose other fields are all optional.
 */
export function validateObjectMetaSchema(metadata: unknown, sink: IssueSink): void {
  if (metadata === undefined) return;
  const cls = modelClass('v1', 'ConfigMap');
  if (!cls) return;
  const holder = { apiVersion: 'v1', kind: 'ConfigMap', metadata };
  reportUnread(metadata, 'metadata', validateWithModel(cls, holder, sink), sink);
}

/** Validates a core object (schema, unknown fields, apiserver rules). Returns false when no schema exists. */
export function validateCoreObject(obj: Record<string, unknown>, sink: IssueSink): boolean {
  const apiVersion = String(obj.apiVersion);
  const kind = String(obj.kind);
  const cls = modelClass(apiVersion, kind);
  if (!cls) return false;
  runModelValidation(cls, obj, sink);
  checkApiserverRules(apiVersion, kind, obj, sink);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Apiserver rules that the OpenAPI schemas do not carry (k8s.io/kubernetes/pkg/apis/*/validation)

type Obj = Record<string, unknown>;
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function checkPortNumber(v: unknown, p: string, sink: IssueSink, allowZero = false): void {
  if (typeof v !== 'number' || !Number.isInteger(v)) return; // the schema reports the type
  if (allowZero && v === 0) return;
  if (v < 1 || v > 65535) sink.error(p, `Invalid value: ${v}: must be between 1 and 65535, inclusive`);
}

function checkPortNumberOrName(v: unknown, p: string, sink: IssueSink): void {
  if (typeof v === 'number') checkPortNumber(v, p, sink);
  else if (typeof v === 'string') {
    if (/^\d+$/.test(v)) checkPortNumber(Number(v), p, sink);
    else {
      const problems = ianaServiceName(v);
      if (problems.length > 0) sink.error(p, `Invalid value: ${JSON.stringify(v)}: ${problems.join('; ')}`);
    }
  }
}

function checkUniqueNames(items: unknown[], p: string, field: string, sink: IssueSink): void {
  const seen = new Set<string>();
  items.forEach((it, i) => {
    if (!isDict(it) || typeof it[field] !== 'string') return;
    const name = it[field] as string;
    if (seen.has(name)) sink.error(`${p}[${i}].${field}`, `Duplicate value: ${JSON.stringify(name)}`);
    seen.add(name);
  });
}

function checkContainers(list: unknown, p: string, sink: IssueSink): void {
  const containers = asArray(list);
  checkUniqueNames(containers, p, 'name', sink);
  containers.forEach((c, i) => {
    if (!isDict(c)) return;
    const cp = `${p}[${i}]`;
    if (typeof c.name === 'string') {
      const problems = dns1123Label(c.name);
      if (problems.length > 0) sink.error(`${cp}.name`, `Invalid value: ${JSON.stringify(c.name)}: ${problems.join('; ')}`);
    }
    const ports = asArray(c.ports);
    ports.forEach((port, j) => {
      if (!isDict(port)) return;
      const pp = `${cp}.ports[${j}]`;
      checkPortNumber(port.containerPort, `${pp}.containerPort`, sink);
      checkPortNumber(port.hostPort, `${pp}.hostPort`, sink, true);
      if (typeof port.name === 'string') {
        const problems = ianaServiceName(port.name);
        if (problems.length > 0) sink.error(`${pp}.name`, `Invalid value: ${JSON.stringify(port.name)}: ${problems.join('; ')}`);
      }
    });
    checkUniqueNames(ports, `${cp}.ports`, 'name', sink);
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      const pr = c[probe];
      if (!isDict(pr)) continue;
      if (isDict(pr.httpGet)) checkPortNumberOrName(pr.httpGet.port, `${cp}.${probe}.httpGet.port`, sink);
      if (isDict(pr.tcpSocket)) checkPortNumberOrName(pr.tcpSocket.port, `${cp}.${probe}.tcpSocket.port`, sink);
      if (isDict(pr.grpc)) checkPortNumber(pr.grpc.port, `${cp}.${probe}.grpc.port`, sink);
    }
  });
}

function checkPodSpec(spec: unknown, p: string, sink: IssueSink): void {
  if (!isDict(spec)) return;
  checkContainers(spec.containers, `${p}.containers`, sink);
  checkContainers(spec.initContainers, `${p}.initContainers`, sink);
}

function checkWorkload(kind: string, spec: Obj, sink: IssueSink): void {
  const template = isDict(spec.template) ? spec.template : undefined;
  if (template && isDict(template.metadata)) {
    checkLabels(template.metadata.labels, 'spec.template.metadata.labels', sink);
  }
  if (isDict(spec.selector)) {
    const sel = spec.selector;
    checkLabels(sel.matchLabels, 'spec.selector.matchLabels', sink);
    const empty = (!isDict(sel.matchLabels) || Object.keys(sel.matchLabels).length === 0) && asArray(sel.matchExpressions).length === 0;
    if (empty) sink.error('spec.selector', `Invalid value: ${JSON.stringify(sel)}: empty selector is invalid for ${kind}`);
    // As the apiserver: a selector that does not parse is refused as such, and not compared.
    const verdict = labelSelectorVerdict(sel, isDict(template?.metadata) && isDict(template.metadata.labels) ? template.metadata.labels : {});
    if (verdict === undefined) sink.error('spec.selector', `Invalid value: ${JSON.stringify(sel)}: invalid label selector`);
    else if (template && !empty && !verdict) {
      sink.error('spec.template.metadata.labels', `Invalid value: ${JSON.stringify(isDict(template.metadata) ? template.metadata.labels ?? {} : {})}: \`selector\` does not match template \`labels\``);
    }
  }
  if (template) checkPodSpec(template.spec, 'spec.template.spec', sink);
}

function checkService(spec: Obj, sink: IssueSink): void {
  checkLabels(spec.selector, 'spec.selector', sink);
  const ports = asArray(spec.ports);
  const headlessOrExternal = spec.type === 'ExternalName' || spec.clusterIP === 'None';
  if (ports.length === 0 && !headlessOrExternal) sink.error('spec.ports', 'Required value');
  ports.forEach((port, i) => {
    if (!isDict(port)) return;
    const pp = `spec.ports[${i}]`;
    if (ports.length > 1 && (typeof port.name !== 'string' || port.name === '')) sink.error(`${pp}.name`, 'Required value: port names are required when a Service has more than one port');
    if (typeof port.name === 'string' && port.name !== '') {
      const problems = dns1123Label(port.name);
      if (problems.length > 0) sink.error(`${pp}.name`, `Invalid value: ${JSON.stringify(port.name)}: ${problems.join('; ')}`);
    }
    checkPortNumber(port.port, `${pp}.port`, sink);
    checkPortNumberOrName(port.targetPort, `${pp}.targetPort`, sink);
    if (typeof port.nodePort === 'number' && port.nodePort !== 0) checkPortNumber(port.nodePort, `${pp}.nodePort`, sink);
  });
  checkUniqueNames(ports, 'spec.ports', 'name', sink);
  const seen = new Set<string>();
  ports.forEach((port, i) => {
    if (!isDict(port)) return;
    const key = `${String(port.port)}/${String(port.protocol ?? 'TCP')}`;
    if (seen.has(key)) sink.error(`spec.ports[${i}]`, `Duplicate value: ${JSON.stringify({ port: port.port, protocol: port.protocol ?? 'TCP' })}`);
    seen.add(key);
  });
}

function checkNetworkPolicy(spec: Obj, sink: IssueSink): void {
  for (const dir of ['ingress', 'egress'] as const) {
    asArray(spec[dir]).forEach((rule, i) => {
      if (!isDict(rule)) return;
      asArray(rule.ports).forEach((port, j) => {
        if (!isDict(port)) return;
        const pp = `spec.${dir}[${i}].ports[${j}]`;
        checkPortNumberOrName(port.port, `${pp}.port`, sink);
        if (typeof port.endPort === 'number') {
          checkPortNumber(port.endPort, `${pp}.endPort`, sink);
          if (typeof port.port !== 'number') sink.error(`${pp}.endPort`, 'Invalid value: may not be specified when `port` is not a number');
          else if (port.endPort < port.port) sink.error(`${pp}.endPort`, `Invalid value: ${port.endPort}: must be greater than or equal to \`port\``);
        }
      });
    });
  }
}

function checkApiserverRules(apiVersion: string, kind: string, obj: Obj, sink: IssueSink): void {
  const spec = isDict(obj.spec) ? obj.spec : undefined;
  if (apiVersion === 'v1' && kind === 'Pod') checkPodSpec(spec, 'spec', sink);
  if (!spec) return;
  if (apiVersion === 'apps/v1' && ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].includes(kind)) checkWorkload(kind, spec, sink);
  else if (apiVersion === 'batch/v1' && kind === 'Job' && isDict(spec.template)) checkPodSpec(spec.template.spec, 'spec.template.spec', sink);
  else if (apiVersion === 'v1' && kind === 'Service') checkService(spec, sink);
  else if (apiVersion === 'networking.k8s.io/v1' && kind === 'NetworkPolicy') checkNetworkPolicy(spec, sink);
  else if (apiVersion === 'policy/v1' && kind === 'PodDisruptionBudget') {
    if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
      sink.error('spec', 'Invalid value: minAvailable and maxUnavailable cannot be both set');
    }
    for (const f of ['minAvailable', 'maxUnavailable']) {
      const v = spec[f];
      if (typeof v === 'number' && v < 0) sink.error(`spec.${f}`, `Invalid value: ${v}: must be greater than or equal to 0`);
      if (typeof v === 'string' && !/^\d+%$/.test(v)) sink.error(`spec.${f}`, `Invalid value: ${JSON.stringify(v)}: must be an integer or percentage (e.g. 5%)`);
      if (typeof v === 'string' && /^\d+%$/.test(v) && Number(v.slice(0, -1)) > 100) sink.error(`spec.${f}`, `Invalid value: ${JSON.stringify(v)}: must not be greater than 100%`);
    }
  } else if (apiVersion === 'autoscaling/v2' && kind === 'HorizontalPodAutoscaler') {
    const min = spec.minReplicas;
    const max = spec.maxReplicas;
    if (typeof max === 'number' && max < 1) sink.error('spec.maxReplicas', `Invalid value: ${max}: must be greater than or equal to 1`);
    if (typeof min === 'number' && min < 1) sink.error('spec.minReplicas', `Invalid value: ${min}: must be greater than or equal to 1 (0 needs the HPAScaleToZero feature gate)`);
    if (typeof min === 'number' && typeof max === 'number' && max < min) sink.error('spec.maxReplicas', `Invalid value: ${max}: must be greater than or equal to \`minReplicas\``);
  }
}
