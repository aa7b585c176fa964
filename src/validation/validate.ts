// validateObjects: routes each object to its schema (a CRD from the CrdSet, or a core kind from
// kubernetes-models), checks metadata syntax for all, and gathers errors and skipped CEL rules.

import { hasCoreSchema, coreVersionsOf, validateCoreObject, validateObjectMetaSchema } from './core';
import { loadBundledCrds, type CrdSet } from './crd-schemas';
import { checkObjectMetaSyntax, nameRuleFor } from './names';
import { validateCustomObject } from './structural';
import { flattenLists, isDict, originOf } from '../manifests';
import type { IssueSink, SkippedRule, ValidationIssue, ValidationResult } from './types';

export interface ValidateOptions {
  /**
   * Schemas of custom resources (see `loadCrds`); a custom resource whose kind is not in the set is
   * an error. Pass `new CrdSet()` to check core kinds only.
   * @default - the schemas bundled with the package: Istio 1.30.3 and Gateway API v1.5.1 (standard channel)
   */
  crds?: CrdSet;
  /**
   * Validate core Kubernetes kinds (Deployment, Service, ...) with kubernetes-models' schemas.
   * When false, core kinds have no schema and are reported as errors like any unknown kind.
   * @default true
   */
  core?: boolean;
}

type Obj = Record<string, unknown>;


function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

function noSchemaMessage(apiVersion: string, kind: string, options: ValidateOptions, core: boolean): string {
  const { group } = splitApiVersion(apiVersion);
  const known = new Set<string>();
  for (const v of options.crds?.versionsOf(group, kind) ?? []) known.add(`${group}/${v}`);
  if (core) for (const v of coreVersionsOf(group, kind)) known.add(group === '' ? v : `${group}/${v}`);
  let msg = `no schema for ${apiVersion} ${kind}; known versions: `;
  if (known.size > 0) return msg + [...known].join(', ');
  msg += 'none';
  const where: string[] = [];
  if (options.crds) where.push(`the ${options.crds.size} CRD kind(s) loaded`);
  else where.push('no CRDs were given');
  if (core) where.push('the core Kubernetes schemas');
  else where.push('core kinds disabled');
  return `${msg} (looked in: ${where.join('; ')})`;
}

// The bundled schemas, loaded and compiled once per process on first use.
let bundled: CrdSet | undefined;
function defaultCrds(): CrdSet {
  return (bundled ??= loadBundledCrds());
}

/**
 * Validates Kubernetes objects as the apiserver would with `kubectl apply --validate=strict`:
 * custom resources against their CRD's OpenAPI schema and CEL rules, core kinds against
 * kubernetes-models' schemas plus the apiserver's port/selector rules, and everyone's
 * metadata (name, namespace, label and annotation syntax). Unknown fields are errors.
 * An object whose apiVersion/kind has no schema is an error. CEL rules that cannot be
 * evaluated are returned in `skipped`, never counted as passed.
 */
export function validateObjects(objects: readonly object[], givenOptions: ValidateOptions = {}): ValidationResult {
  const options: ValidateOptions = givenOptions.crds ? givenOptions : { ...givenOptions, crds: defaultCrds() };
  const core = options.core !== false;
  const errors: ValidationIssue[] = [];
  const skipped: SkippedRule[] = [];
  const all = flattenLists(objects);
  all.forEach((obj, index) => {
    const origin = originOf(obj, index);
    const scrub = messageScrubber(obj);
    const sink: IssueSink = {
      error: (path, message, rule) => {
        const m = scrub(path, message);
        errors.push(rule === undefined ? { origin, path, message: m } : { origin, path, message: m, rule });
      },
      skip: (path, rule, reason) => skipped.push({ origin, path, rule, reason }),
    };
    if (!isDict(obj)) {
      sink.error('', `Invalid value: not a Kubernetes object (got ${Array.isArray(obj) ? 'array' : obj === null ? 'null' : typeof obj})`);
      return;
    }
    const apiVersion = obj.apiVersion;
    const kind = obj.kind;
    if (typeof apiVersion !== 'string' || apiVersion === '') sink.error('apiVersion', 'Required value: apiVersion must be set');
    if (typeof kind !== 'string' || kind === '') sink.error('kind', 'Required value: kind must be set');
    if (typeof apiVersion !== 'string' || apiVersion === '' || typeof kind !== 'string' || kind === '') return;

    const crd = options.crds?.lookup(apiVersion, kind);
    if (crd) {
      validateObjectMetaSchema(obj.metadata, sink);
      checkObjectMetaSyntax(obj.metadata, 'subdomain', sink);
      if (crd.schema) validateCustomObject(crd.schema, obj, sink);
      return;
    }
    if (core && hasCoreSchema(apiVersion, kind)) {
      validateCoreObject(obj, sink);
      checkObjectMetaSyntax(obj.metadata, nameRuleFor(splitApiVersion(apiVersion).group, kind), sink);
      return;
    }
    sink.error('', noSchemaMessage(apiVersion, kind, options, core));
  });
  return { valid: errors.length === 0, errors, skipped, checked: all.length };
}

const LONG_STRING = /"((?:[^"\\]|\\.){48,})"/g;

/**
 * Messages quote the values at fault; this keeps them short and keeps secrets out: a quoted string
 * longer than 48 characters is clipped to its first 32, and every issue under a Secret's `data` or
 * `stringData` has the value replaced by its size (a malformed tls.key must not end up in CI logs).
 */
function messageScrubber(obj: unknown): (path: string, message: string) => string {
  const o = isDict(obj) ? obj : {};
  const isSecret = o.kind === 'Secret' && (o.apiVersion === 'v1' || o.apiVersion === undefined);
  return (path, message) => {
    let m = message;
    if (isSecret && /^(?:data|stringData)(?:[.[]|$)/.test(path)) {
      for (const field of ['data', 'stringData']) {
        const values = isDict(o[field]) ? Object.values(o[field] as Obj) : [o[field]];
        for (const v of values) {
          if (v === undefined || v === null) continue;
          const raw = typeof v === 'string' ? v : JSON.stringify(v) ?? '';
          m = redact(redact(m, raw), JSON.stringify(raw).slice(1, -1));
          if (raw.length > 0) m = m.split(JSON.stringify(raw)).join(`"<redacted: ${raw.length} characters>"`);
        }
      }
    }
    return m.replace(LONG_STRING, (_all, inner: string) => `"${inner.slice(0, 32)}..." (${inner.length} characters)`);
  };
}

/** Removes every run of at least 6 characters of `m` that is a piece of `value` starting at its beginning. */
function redact(m: string, value: string): string {
  if (value.length < 6) return m;
  const head = value.slice(0, 6);
  let out = m;
  for (let i = out.indexOf(head); i >= 0; i = out.indexOf(head, i + 1)) {
    let n = 6;
    while (i + n < out.length && n < value.length && out[i + n] === value[n]) n++;
    const marker = `<redacted: ${value.length} characters>`;
    out = out.slice(0, i) + marker + out.slice(i + n);
    i += marker.length - 1;
  }
  return out;
}

/** One line per issue: `Kind ns/name: path: message [rule: ...]`. */
export function formatIssue(issue: ValidationIssue): string {
  return `${issue.origin}: ${issue.path ? `${issue.path}: ` : ''}${issue.message}${issue.rule !== undefined && !issue.message.includes(issue.rule) ? ` [rule: ${issue.rule}]` : ''}`;
}

/** One line per skipped rule. */
export function formatSkipped(s: SkippedRule): string {
  return `${s.origin}: ${s.path ? `${s.path}: ` : ''}${s.rule} (${s.reason})`;
}
