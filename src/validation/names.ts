// Kubernetes name and label syntax (k8s.io/apimachinery/pkg/util/validation), checked for every
// object whatever its kind: schemas say `type: string`, the apiserver says much more.

import { DNS1035_LABEL, DNS1123_LABEL, DNS1123_SUBDOMAIN } from '../names';
import { joinPath, type IssueSink } from './types';

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const IANA_SVC_NAME = /^[-a-z0-9]+$/;

/** Problems with a DNS-1123 label (Namespace names, port names...), or empty when valid. */
export function dns1123Label(v: string): string[] {
  const out: string[] = [];
  if (v.length > 63) out.push('must be no more than 63 characters');
  if (!DNS1123_LABEL.test(v)) {
    out.push("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc')");
  }
  return out;
}

/** Problems with a DNS-1123 subdomain (most object names), or empty when valid. */
export function dns1123Subdomain(v: string): string[] {
  const out: string[] = [];
  if (v.length > 253) out.push('must be no more than 253 characters');
  if (!DNS1123_SUBDOMAIN.test(v)) {
    out.push("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')");
  }
  return out;
}

/** Problems with a DNS-1035 label (Service names), or empty when valid. */
export function dns1035Label(v: string): string[] {
  const out: string[] = [];
  if (v.length > 63) out.push('must be no more than 63 characters');
  if (!DNS1035_LABEL.test(v)) {
    out.push("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name', or 'abc-123')");
  }
  return out;
}

/** Problems with a path-segment name (RBAC objects), or empty when valid. */
export function pathSegmentName(v: string): string[] {
  if (v === '.' || v === '..') return [`may not be '${v}'`];
  const out: string[] = [];
  for (const bad of ['/', '%']) if (v.includes(bad)) out.push(`may not contain '${bad}'`);
  return out;
}

/** Problems with a label or annotation key (`prefix/name`), or empty when valid. */
export function qualifiedName(v: string): string[] {
  const parts = v.split('/');
  let name = v;
  const out: string[] = [];
  if (parts.length > 2) {
    return ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"];
  }
  if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) out.push('prefix part must be non-empty');
    else for (const p of dns1123Subdomain(prefix)) out.push(`prefix part ${p}`);
  }
  if (name.length === 0) out.push('name part must be non-empty');
  else if (name.length > 63) out.push('name part must be no more than 63 characters');
  if (name.length > 0 && !QUALIFIED_NAME.test(name)) {
    out.push("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc')");
  }
  return out;
}

/** Problems with a label value, or empty when valid. */
export function labelValue(v: string): string[] {
  const out: string[] = [];
  if (v.length > 63) out.push('must be no more than 63 characters');
  if (!LABEL_VALUE.test(v)) {
    out.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345')");
  }
  return out;
}

/** Problems with a named port (IANA service name), or empty when valid. */
export function ianaServiceName(v: string): string[] {
  const out: string[] = [];
  if (v.length > 15) out.push('must be no more than 15 characters');
  if (!IANA_SVC_NAME.test(v)) out.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (v.includes('--')) out.push("must not contain consecutive hyphens");
  if (!/[a-z]/.test(v)) out.push('must contain at least one letter (a-z)');
  if (v.startsWith('-') || v.endsWith('-')) out.push('must not begin or end with a hyphen');
  return out;
}

function report(sink: IssueSink, path: string, value: string, problems: string[]): void {
  if (problems.length > 0) sink.error(path, `Invalid value: ${JSON.stringify(value)}: ${problems.join('; ')}`);
}

/** Validates a label map (metadata.labels, matchLabels, Service selector). */
export function checkLabels(labels: unknown, path: string, sink: IssueSink): void {
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) return; // the schema reports the type
  for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
    report(sink, path, k, qualifiedName(k));
    if (typeof v === 'string') report(sink, joinPath(path, k), v, labelValue(v));
    else if (v !== undefined) sink.error(joinPath(path, k), `Invalid value: ${JSON.stringify(v)}: label values must be strings`);
  }
}

const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** Validates annotation keys and their total size. */
export function checkAnnotations(annotations: unknown, path: string, sink: IssueSink): void {
  if (annotations === null || typeof annotations !== 'object' || Array.isArray(annotations)) return;
  let size = 0;
  for (const [k, v] of Object.entries(annotations as Record<string, unknown>)) {
    report(sink, path, k.toLowerCase(), qualifiedName(k.toLowerCase()));
    if (typeof v !== 'string' && v !== undefined) sink.error(joinPath(path, k), `Invalid value: ${JSON.stringify(v)}: annotation values must be strings`);
    size += k.length + (typeof v === 'string' ? v.length : 0);
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) sink.error(path, `Too long: must have at most ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes`);
}

/** How a kind's names are validated by the apiserver. */
export type NameRule = 'subdomain' | 'label' | 'dns1035' | 'path-segment';

/** Name syntax per kind: Namespaces are labels, Services DNS-1035 labels, RBAC objects path segments. */
export function nameRuleFor(group: string, kind: string): NameRule {
  if (group === '' && kind === 'Namespace') return 'label';
  if (group === '' && kind === 'Service') return 'dns1035';
  if (group === 'rbac.authorization.k8s.io' && /^(Cluster)?Role(Binding)?$/.test(kind)) return 'path-segment';
  return 'subdomain';
}

/**
 * Checks metadata.name/generateName/namespace/labels/annotations syntax. Structural checks
 * (types, unknown fields) of ObjectMeta are done with the core schemas.
 */
export function checkObjectMetaSyntax(metadata: unknown, rule: NameRule, sink: IssueSink, path = 'metadata'): void {
  if (metadata === undefined || metadata === null) {
    sink.error(path, 'Required value: name or generateName is required');
    return;
  }
  if (typeof metadata !== 'object' || Array.isArray(metadata)) return; // the schema reports the type
  const md = metadata as Record<string, unknown>;
  if (typeof md.name === 'string') {
    const check = rule === 'label' ? dns1123Label : rule === 'dns1035' ? dns1035Label : rule === 'path-segment' ? pathSegmentName : dns1123Subdomain;
    if (md.name === '') sink.error(joinPath(path, 'name'), 'Required value: name or generateName is required');
    else report(sink, joinPath(path, 'name'), md.name, check(md.name));
  } else if (md.name === undefined && (typeof md.generateName !== 'string' || md.generateName === '')) {
    sink.error(joinPath(path, 'name'), 'Required value: name or generateName is required');
  }
  if (typeof md.namespace === 'string' && md.namespace !== '') report(sink, joinPath(path, 'namespace'), md.namespace, dns1123Label(md.namespace));
  checkLabels(md.labels, joinPath(path, 'labels'), sink);
  checkAnnotations(md.annotations, joinPath(path, 'annotations'), sink);
}
