// Validates a value against a CRD's OpenAPI v3 structural schema the way the apiserver does
// with `kubectl apply --validate=strict`: types, required, enums, bounds, patterns, formats,
// allOf/anyOf/oneOf/not, list-type map/set uniqueness, and unknown fields as errors (except
// under x-kubernetes-preserve-unknown-fields). A hand-rolled walker rather than ajv, because
// the Kubernetes extensions (int-or-string, preserve-unknown-fields, embedded resources,
// pruning of nulls) and the placement of CEL rules need the schema tree itself, and because
// paths in messages should read like kubectl's (`spec.servers[0].port.number`).

import type { CelInput } from '@bufbuild/cel';
import { compileRule, evaluateRule, type CompiledRule, type RawRule } from './cel';
import { describeValue, joinPath, type IssueSink } from './types';

type JsonType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';

/** A schema node compiled for fast repeated walks. */
export interface SchemaNode {
  readonly type?: JsonType;
  readonly nullable: boolean;
  readonly intOrString: boolean;
  readonly preserveUnknown: boolean;
  readonly embedded: boolean;
  readonly properties?: ReadonlyMap<string, SchemaNode>;
  /** Schema for map values, or `true` for any value. */
  readonly additional?: SchemaNode | true;
  readonly items?: SchemaNode;
  readonly required?: readonly string[];
  readonly enumValues?: readonly unknown[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: boolean;
  readonly exclusiveMaximum?: boolean;
  readonly multipleOf?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: { source: string; re: RegExp | undefined };
  readonly format?: string;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: boolean;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly allOf?: readonly SchemaNode[];
  readonly anyOf?: readonly SchemaNode[];
  readonly oneOf?: readonly SchemaNode[];
  readonly not?: SchemaNode;
  readonly listType?: string;
  readonly listMapKeys?: readonly string[];
  readonly rules: readonly CompiledRule[];
  /** `default:` value, applied (as the apiserver does) before validation. */
  readonly defaultValue?: unknown;
  /** True when this node or a descendant has a default (lets defaulting skip whole subtrees). */
  readonly hasDefaults: boolean;
  /** True when this node or a descendant carries CEL rules (lets the walk skip CEL bookkeeping). */
  readonly hasRules: boolean;
}

const compiledCache = new WeakMap<object, SchemaNode>();

/** Compiles an `openAPIV3Schema` (cached per schema object, so CRD sets sharing a file share work). */
export function compileSchema(raw: object): SchemaNode {
  const cached = compiledCache.get(raw);
  if (cached) return cached;
  const node = compileNode(raw as RawSchema);
  compiledCache.set(raw, node);
  return node;
}

interface RawSchema {
  [k: string]: unknown;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

function compileNode(s: RawSchema): SchemaNode {
  const sub = (v: unknown): SchemaNode | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? compileNode(v as RawSchema) : undefined);
  const subs = (v: unknown): SchemaNode[] | undefined => (Array.isArray(v) ? v.map((x) => compileNode(x as RawSchema)) : undefined);
  let properties: Map<string, SchemaNode> | undefined;
  if (s.properties && typeof s.properties === 'object') {
    properties = new Map();
    for (const [k, v] of Object.entries(s.properties as Record<string, unknown>)) properties.set(k, compileNode(v as RawSchema));
  }
  let additional: SchemaNode | true | undefined;
  if (s.additionalProperties === true) additional = true;
  else additional = sub(s.additionalProperties);
  const rawRules = Array.isArray(s['x-kubernetes-validations']) ? (s['x-kubernetes-validations'] as RawRule[]) : [];
  const rules = rawRules.map(compileRule);
  let pattern: SchemaNode['pattern'];
  if (typeof s.pattern === 'string') {
    let re: RegExp | undefined;
    try {
      re = new RegExp(s.pattern, 'u');
    } catch {
      try {
        re = new RegExp(s.pattern);
      } catch {
        re = undefined;
      }
    }
    pattern = { source: s.pattern, re };
  }
  const items = sub(s.items);
  const node: SchemaNode = {
    type: typeof s.type === 'string' ? (s.type as JsonType) : undefined,
    nullable: s.nullable === true,
    intOrString: s['x-kubernetes-int-or-string'] === true,
    preserveUnknown: s['x-kubernetes-preserve-unknown-fields'] === true,
    embedded: s['x-kubernetes-embedded-resource'] === true,
    properties,
    additional,
    items,
    required: Array.isArray(s.required) ? (s.required as string[]) : undefined,
    enumValues: Array.isArray(s.enum) ? s.enum : undefined,
    minimum: num(s.minimum),
    maximum: num(s.maximum),
    exclusiveMinimum: s.exclusiveMinimum === true,
    exclusiveMaximum: s.exclusiveMaximum === true,
    multipleOf: num(s.multipleOf),
    minLength: num(s.minLength),
    maxLength: num(s.maxLength),
    pattern,
    format: typeof s.format === 'string' ? s.format : undefined,
    minItems: num(s.minItems),
    maxItems: num(s.maxItems),
    uniqueItems: s.uniqueItems === true,
    minProperties: num(s.minProperties),
    maxProperties: num(s.maxProperties),
    allOf: subs(s.allOf),
    anyOf: subs(s.anyOf),
    oneOf: subs(s.oneOf),
    not: sub(s.not),
    listType: typeof s['x-kubernetes-list-type'] === 'string' ? (s['x-kubernetes-list-type'] as string) : undefined,
    listMapKeys: Array.isArray(s['x-kubernetes-list-map-keys']) ? (s['x-kubernetes-list-map-keys'] as string[]) : undefined,
    rules,
    defaultValue: s.default,
    hasDefaults:
      s.default !== undefined ||
      [...(properties?.values() ?? [])].some((p) => p.hasDefaults) ||
      (typeof additional === 'object' && additional.hasDefaults) ||
      (items?.hasDefaults ?? false),
    hasRules:
      rules.length > 0 ||
      [...(properties?.values() ?? [])].some((p) => p.hasRules) ||
      (typeof additional === 'object' && additional.hasRules) ||
      (items?.hasRules ?? false),
  };
  return node;
}

// ---------------------------------------------------------------------------------------------
// Walk

/** A place where CEL rules apply, recorded during the structural pass. */
interface RuleSite {
  node: SchemaNode;
  value: unknown;
  path: string;
  root: boolean;
}

interface WalkCtx {
  sink: IssueSink;
  /** Whether unknown fields are reported (off inside allOf/anyOf/oneOf/not branches). */
  strict: boolean;
  /** Type or enum errors: the apiserver does not run CEL rules on such objects. */
  blocking: boolean;
  /** Where CEL rules must run, or undefined when not collecting (branches). */
  sites: RuleSite[] | undefined;
  count: number;
}

/** The apiserver's words (customresource strategy hasBlockingErr) when it skips CEL rules. */
export const BLOCKED_MESSAGE =
  'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';

/** Counts errors without recording them: used to test allOf/anyOf/oneOf/not branches. */
const NULL_SINK: IssueSink = { error() {}, skip() {} };

/**
 * Validates a whole custom object against a compiled version schema, then runs the CEL rules,
 * unless there is a type, enum, required, too-long or too-many error: like the apiserver, which
 * then reports that the rules were not checked.
 */
export function validateCustomObject(root: SchemaNode, input: Record<string, unknown>, sink: IssueSink): void {
  const obj = root.hasDefaults ? (applyDefaults(root, input) as Record<string, unknown>) : input;
  const ctx: WalkCtx = { sink, strict: true, blocking: false, sites: root.hasRules ? [] : undefined, count: 0 };
  walkObject(root, obj, '', ctx, true);
  if (!ctx.sites) return;
  if (ctx.blocking) {
    sink.error('', BLOCKED_MESSAGE);
    return;
  }
  for (const site of ctx.sites) runRules(site, sink);
}

/**
 * Structural defaulting: fills absent properties that have a `default`, copying only the
 * objects and arrays it changes (the caller's object is never modified).
 */
export function applyDefaults(node: SchemaNode, value: unknown): unknown {
  if (!node.hasDefaults) return value;
  if (Array.isArray(value)) {
    if (!node.items?.hasDefaults) return value;
    let out: unknown[] | undefined;
    value.forEach((v, i) => {
      const d = applyDefaults(node.items!, v);
      if (d !== v) (out ??= [...value])[i] = d;
    });
    return out ?? value;
  }
  if (!isPlainObject(value)) return value;
  let out: Record<string, unknown> | undefined;
  if (node.properties) {
    for (const [k, prop] of node.properties) {
      if (!prop.hasDefaults) continue;
      const cur = value[k];
      if ((cur === undefined || (cur === null && !prop.nullable)) && prop.defaultValue !== undefined) {
        (out ??= { ...value })[k] = applyDefaults(prop, structuredClone(prop.defaultValue));
      } else if (cur !== undefined) {
        const d = applyDefaults(prop, cur);
        if (d !== cur) (out ??= { ...value })[k] = d;
      }
    }
  } else if (typeof node.additional === 'object' && node.additional.hasDefaults) {
    for (const [k, v] of Object.entries(value)) {
      const d = applyDefaults(node.additional, v);
      if (d !== v) (out ??= { ...value })[k] = d;
    }
  }
  return out ?? value;
}

function runRules(site: RuleSite, sink: IssueSink): void {
  let self: CelInput | undefined;
  for (const rule of site.node.rules) {
    const path = rule.fieldPath ? joinFieldPath(site.path, rule.fieldPath) : site.path;
    if (!rule.run) {
      sink.skip(path, rule.rule, rule.skipReason ?? 'not compiled');
      continue;
    }
    self ??= toCel(site.node, site.value, site.root);
    const outcome = evaluateRule(rule, self);
    if (outcome.kind === 'fail') sink.error(path, outcome.message, rule.rule);
    else if (outcome.kind === 'skip') sink.skip(path, rule.rule, outcome.reason);
  }
}

/** Appends a rule's `fieldPath` (`.spec.x`, `.x['key']`, `[0]`) to the site's path. */
function joinFieldPath(base: string, fieldPath: string): string {
  const rel = fieldPath.startsWith('.') ? fieldPath.slice(1) : fieldPath;
  if (rel.startsWith('[')) return base + rel;
  return base ? `${base}.${rel}` : rel;
}

function typeError(ctx: WalkCtx, path: string, value: unknown, expected: string): void {
  ctx.blocking = true;
  ctx.count++;
  ctx.sink.error(path, `Invalid value: ${describeValue(value)}: must be of type ${expected}`);
}

function error(ctx: WalkCtx, path: string, message: string, blocking = false): void {
  if (blocking) ctx.blocking = true;
  ctx.count++;
  ctx.sink.error(path, message);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isInteger(v: unknown): boolean {
  return (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint';
}

function walk(node: SchemaNode, value: unknown, path: string, ctx: WalkCtx): void {
  if (value === null) {
    if (!node.nullable && (node.type !== undefined || node.intOrString)) {
      typeError(ctx, path, value, node.intOrString ? 'integer or string' : node.type!);
    }
    return;
  }
  if (node.intOrString) {
    if (!isInteger(value) && typeof value !== 'string') return typeError(ctx, path, value, 'integer or string');
  } else {
    switch (node.type) {
      case 'object':
        if (!isPlainObject(value)) return typeError(ctx, path, value, 'object');
        break;
      case 'array':
        if (!Array.isArray(value)) return typeError(ctx, path, value, 'array');
        break;
      case 'string':
        if (typeof value !== 'string') return typeError(ctx, path, value, 'string');
        break;
      case 'integer':
        if (!isInteger(value)) return typeError(ctx, path, value, 'integer');
        break;
      case 'number':
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          if (typeof value !== 'bigint') return typeError(ctx, path, value, 'number');
        }
        break;
      case 'boolean':
        if (typeof value !== 'boolean') return typeError(ctx, path, value, 'boolean');
        break;
      default:
        break;
    }
  }

  if (node.enumValues && !node.enumValues.some((e) => jsonEqual(e, value))) {
    error(ctx, path, `Unsupported value: ${JSON.stringify(value)}: supported values: ${node.enumValues.map((e) => JSON.stringify(e)).join(', ')}`, true);
  }
  if (typeof value === 'string') checkString(node, value, path, ctx);
  else if (typeof value === 'number' || typeof value === 'bigint') checkNumber(node, Number(value), path, ctx);
  else if (Array.isArray(value)) walkArray(node, value, path, ctx);
  else if (isPlainObject(value)) walkObject(node, value, path, ctx, false);

  checkCombinators(node, value, path, ctx);
  if (node.rules.length > 0 && ctx.sites) ctx.sites.push({ node, value, path, root: false });
}

function checkString(node: SchemaNode, value: string, path: string, ctx: WalkCtx): void {
  if (node.minLength !== undefined || node.maxLength !== undefined) {
    // The apiserver counts Unicode code points, not UTF-16 units.
    const len = value.length < 64 || !/[\ud800-\udfff]/.test(value) ? value.length : [...value].length;
    if (node.maxLength !== undefined && len > node.maxLength) {
      error(ctx, path, `Too long: may not be more than ${node.maxLength} characters (got ${len})`, true);
    }
    if (node.minLength !== undefined && len < node.minLength) {
      error(ctx, path, `Invalid value: ${JSON.stringify(value)}: should be at least ${node.minLength} chars long`);
    }
  }
  if (node.pattern) {
    if (!node.pattern.re) {
      error(ctx, path, `schema pattern ${JSON.stringify(node.pattern.source)} cannot be compiled as a JavaScript regular expression`);
    } else if (!node.pattern.re.test(value)) {
      error(ctx, path, `Invalid value: ${JSON.stringify(value)}: should match '${node.pattern.source}'`);
    }
  }
  if (node.format) {
    const problem = checkFormat(node.format, value);
    if (problem) error(ctx, path, `Invalid value: ${JSON.stringify(value)}: ${problem}`);
  }
}

function checkNumber(node: SchemaNode, value: number, path: string, ctx: WalkCtx): void {
  if (node.minimum !== undefined) {
    if (node.exclusiveMinimum ? value <= node.minimum : value < node.minimum) {
      error(ctx, path, `Invalid value: ${value}: should be greater than ${node.exclusiveMinimum ? '' : 'or equal to '}${node.minimum}`);
    }
  }
  if (node.maximum !== undefined) {
    if (node.exclusiveMaximum ? value >= node.maximum : value > node.maximum) {
      error(ctx, path, `Invalid value: ${value}: should be less than ${node.exclusiveMaximum ? '' : 'or equal to '}${node.maximum}`);
    }
  }
  if (node.multipleOf !== undefined && node.multipleOf > 0) {
    const q = value / node.multipleOf;
    if (Math.abs(q - Math.round(q)) > 1e-9) error(ctx, path, `Invalid value: ${value}: should be a multiple of ${node.multipleOf}`);
  }
  // Integer formats (int32/int64) are not range-checked, as in the apiserver: Istio's CRDs
  // mark uint32 fields `format: int32` with `maximum: 4294967295`.
}

function walkArray(node: SchemaNode, value: unknown[], path: string, ctx: WalkCtx): void {
  if (node.maxItems !== undefined && value.length > node.maxItems) {
    error(ctx, path, `Too many: ${value.length}: must have at most ${node.maxItems} items`, true);
  }
  if (node.minItems !== undefined && value.length < node.minItems) {
    error(ctx, path, `Invalid value: ${value.length} items: should have at least ${node.minItems} items`);
  }
  if (node.items) {
    for (let i = 0; i < value.length; i++) walk(node.items, value[i], `${path}[${i}]`, ctx);
  }
  if (node.uniqueItems || node.listType === 'set') {
    const seen = new Map<string, number>();
    value.forEach((item, i) => {
      const key = canonicalJson(item);
      if (seen.has(key)) error(ctx, `${path}[${i}]`, `Duplicate value: ${JSON.stringify(item)}`);
      else seen.set(key, i);
    });
  }
  if (node.listType === 'map' && node.listMapKeys && node.listMapKeys.length > 0) {
    const seen = new Set<string>();
    value.forEach((item, i) => {
      if (!isPlainObject(item)) return;
      const keyObj: Record<string, unknown> = {};
      for (const k of node.listMapKeys!) keyObj[k] = item[k];
      const key = canonicalJson(keyObj);
      if (seen.has(key)) error(ctx, `${path}[${i}]`, `Duplicate value: ${JSON.stringify(keyObj)}`);
      else seen.add(key);
    });
  }
}

const ROOT_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

function walkObject(node: SchemaNode, value: Record<string, unknown>, path: string, ctx: WalkCtx, root: boolean): void {
  const keys = Object.keys(value);
  for (const key of keys) {
    const child = value[key];
    if (child === undefined) continue;
    if (root && ROOT_FIELDS.has(key)) continue; // checked as TypeMeta/ObjectMeta elsewhere
    const prop = node.properties?.get(key);
    const childPath = joinPath(path, key);
    if (prop) {
      // The apiserver prunes nulls of non-nullable properties before validating.
      if (child === null && !prop.nullable) continue;
      walk(prop, child, childPath, ctx);
    } else if (node.additional !== undefined) {
      if (node.additional !== true) walk(node.additional, child, childPath, ctx);
    } else if (node.embedded && ROOT_FIELDS.has(key)) {
      continue;
    } else if (!node.preserveUnknown && ctx.strict && (node.type === 'object' || node.properties)) {
      error(ctx, childPath, `unknown field ${JSON.stringify(key)}`);
    }
  }
  if (node.required) {
    for (const req of node.required) {
      const v = value[req];
      if (v === undefined || (v === null && !node.properties?.get(req)?.nullable)) {
        error(ctx, joinPath(path, req), 'Required value', true);
      }
    }
  }
  if (node.maxProperties !== undefined && keys.length > node.maxProperties) {
    error(ctx, path, `Too many: ${keys.length}: must have at most ${node.maxProperties} items`, true);
  }
  if (node.minProperties !== undefined && keys.length < node.minProperties) {
    error(ctx, path, `Invalid value: ${keys.length}: must have at least ${node.minProperties} properties`);
  }
  if (root) {
    checkCombinators(node, value, path, ctx);
    if (node.rules.length > 0 && ctx.sites) ctx.sites.push({ node, value, path, root: true });
  }
}

/** Runs a branch schema on a value and says whether it matched (no unknown-field check, no CEL). */
function matches(node: SchemaNode, value: unknown, path: string): boolean {
  const ctx: WalkCtx = { sink: NULL_SINK, strict: false, blocking: false, sites: undefined, count: 0 };
  walk(node, value, path, ctx);
  return ctx.count === 0;
}

function checkCombinators(node: SchemaNode, value: unknown, path: string, ctx: WalkCtx): void {
  if (node.allOf) {
    for (const b of node.allOf) {
      // allOf errors are real errors: report them with their own messages.
      const sub: WalkCtx = { sink: ctx.sink, strict: false, blocking: false, sites: undefined, count: 0 };
      walk(b, value, path, sub);
      ctx.count += sub.count;
      if (sub.blocking) ctx.blocking = true;
    }
  }
  if (node.anyOf && !node.intOrString) {
    if (!node.anyOf.some((b) => matches(b, value, path))) {
      error(ctx, path, `Invalid value: ${describeValue(value)}: must validate against at least one of the anyOf schemas${describeBranches(node.anyOf)}`);
    }
  }
  if (node.oneOf) {
    const n = node.oneOf.filter((b) => matches(b, value, path)).length;
    if (n !== 1) {
      error(ctx, path, `Invalid value: ${describeValue(value)}: must validate against exactly one of the oneOf schemas (matched ${n})${describeBranches(node.oneOf)}`);
    }
  }
  if (node.not && matches(node.not, value, path)) {
    error(ctx, path, `Invalid value: ${describeValue(value)}: must not validate against the "not" schema${describeBranches([node.not])}`);
  }
}

/**
 * Istio writes "at most one of a, b" as `oneOf: [{not: {anyOf: [{required: [a]}, {required: [b]}]}},
 * {required: [a]}, {required: [b]}]`: naming the fields makes the message useful.
 */
function describeBranches(branches: readonly SchemaNode[]): string {
  const atMostOne = branches.length > 1 && branches[0].not?.anyOf !== undefined && branches.slice(1).every((b) => b.required?.length === 1);
  const fields = new Set<string>();
  const visit = (b: SchemaNode): void => {
    b.required?.forEach((r) => fields.add(r));
    b.anyOf?.forEach(visit);
    b.oneOf?.forEach(visit);
    if (b.not) visit(b.not);
  };
  branches.forEach(visit);
  if (fields.size === 0) return '';
  return atMostOne ? ` (at most one of: ${[...fields].join(', ')})` : ` (fields involved: ${[...fields].join(', ')})`;
}

// ---------------------------------------------------------------------------------------------
// Formats

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const UUID = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;
const HOSTNAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

function isIpv6(s: string): boolean {
  try {
    return new URL(`http://[${s}]/`).hostname.length > 0 && s.includes(':');
  } catch {
    return false;
  }
}

/**
 * The string formats the apiserver checks (kube-openapi strfmt), as far as manifests use them.
 * Unknown formats are accepted, as the apiserver does.
 */
function checkFormat(format: string, v: string): string | undefined {
  switch (format) {
    case 'date-time': {
      const m = RFC3339.exec(v);
      if (!m || Number.isNaN(Date.parse(v.replace(' ', 'T')))) return 'must be an RFC 3339 date-time, e.g. 2024-01-31T12:00:00Z';
      return undefined;
    }
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)) ? undefined : 'must be a date (YYYY-MM-DD)';
    case 'byte':
      return BASE64.test(v) ? undefined : 'must be base64-encoded bytes';
    case 'ipv4':
      return IPV4.test(v) ? undefined : 'must be an IPv4 address';
    case 'ipv6':
      return isIpv6(v) ? undefined : 'must be an IPv6 address';
    case 'uuid':
      return UUID.test(v) ? undefined : 'must be a UUID';
    case 'hostname':
      return HOSTNAME.test(v) && v.length <= 253 ? undefined : 'must be a hostname';
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// CEL values

const CEL_RESERVED = new Set([
  'true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if',
  'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void',
]);

/** Kubernetes' escaping of property names for CEL (`__dash__`, `__dot__`, reserved words...). */
export function escapeCelName(name: string): string | undefined {
  if (CEL_RESERVED.has(name)) return `__${name}__`;
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !name.includes('__')) return name;
  const escaped = name.replace(/__/g, '__underscores__').replace(/\./g, '__dot__').replace(/-/g, '__dash__').replace(/\//g, '__slash__');
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(escaped) ? escaped : undefined;
}

/**
 * Converts a JSON value to the CEL value the apiserver would bind: integers become CEL `int`
 * (bigint), `number` stays double, objects with properties expose only declared (escaped)
 * properties, maps keep their keys. Strings with `format: date-time`/`duration` stay strings
 * (no Istio rule reads such a field).
 */
export function toCel(node: SchemaNode | undefined, value: unknown, root = false): CelInput {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((v) => toCel(node?.items, v));
  if (typeof value === 'number') {
    if (node?.type === 'number') return value;
    return Number.isInteger(value) ? BigInt(value) : value;
  }
  if (typeof value === 'bigint' || typeof value === 'string' || typeof value === 'boolean') {
    if (typeof value === 'string' && node?.format === 'byte' && BASE64.test(value)) return new Uint8Array(Buffer.from(value, 'base64'));
    return value;
  }
  if (!isPlainObject(value)) return null;
  const out: Record<string, CelInput> = {};
  if (node?.properties && !node.additional) {
    for (const [k, v] of Object.entries(value)) {
      const prop = node.properties.get(k);
      if (v === undefined) continue;
      if (prop) {
        if (v === null && !prop.nullable) continue;
        const name = escapeCelName(k);
        if (name !== undefined) out[name] = toCel(prop, v);
      } else if (node.preserveUnknown) {
        const name = escapeCelName(k);
        if (name !== undefined) out[name] = toCel(undefined, v);
      }
    }
  } else if (node?.additional && node.additional !== true) {
    // a map's keys are data (a label may be named `constructor`): a Map, which CEL takes as a map whatever its keys
    const map = new Map<string, CelInput>();
    for (const [k, v] of Object.entries(value)) if (v !== undefined) map.set(k, toCel(node.additional, v));
    return map as unknown as CelInput;
  } else {
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toCel(undefined, v);
  }
  if (root) {
    if (typeof value.apiVersion === 'string') out.apiVersion = value.apiVersion;
    if (typeof value.kind === 'string') out.kind = value.kind;
    const md = value.metadata;
    if (isPlainObject(md)) {
      const m: Record<string, CelInput> = {};
      if (typeof md.name === 'string') m.name = md.name;
      if (typeof md.generateName === 'string') m.generateName = md.generateName;
      out.metadata = m;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// JSON helpers

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isPlainObject(v)) {
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`)
      .join(',')}}`;
  }
  return typeof v === 'bigint' ? v.toString() : JSON.stringify(v) ?? 'null';
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return canonicalJson(a) === canonicalJson(b);
}
