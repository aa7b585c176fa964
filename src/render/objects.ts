// Plain Kubernetes object shapes shared by the renderers. Renderers return these; the cdk8s
// constructs wrap them in ApiObjects, and the analyzer and validator read them as they are.
import { Gvk } from './api-versions';

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A rendered Kubernetes object: apiVersion, kind, metadata, then the kind's own fields. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export function meta(name: string, namespace: string | undefined, labels?: Record<string, string>, annotations?: Record<string, string>): ObjectMeta {
  const m: ObjectMeta = { name };
  if (namespace !== undefined) m.namespace = namespace;
  if (labels && Object.keys(labels).length > 0) m.labels = { ...labels };
  if (annotations && Object.keys(annotations).length > 0) m.annotations = { ...annotations };
  return m;
}

export function object(gvk: Gvk, metadata: ObjectMeta, body: Record<string, unknown>): KubeObject {
  return { apiVersion: gvk.apiVersion, kind: gvk.kind, metadata, ...body };
}

/**
 * What {@link object} gives for a body with the top-level `fields`, without the body: apiVersion,
 * kind, metadata, and each field present with no value. A construct reads this when it declares an
 * object (its identity and field names), and renders the body at synthesis: declaring a platform
 * then does not render every object a first time only to keep its name.
 */
export function identity(gvk: Gvk, metadata: ObjectMeta, fields: readonly string[]): KubeObject {
  const o: KubeObject = { apiVersion: gvk.apiVersion, kind: gvk.kind, metadata };
  for (let i = 0; i < fields.length; i++) o[fields[i]] = undefined;
  return o;
}

/** The body of most kinds: `spec` alone. */
export const SPEC_ONLY: readonly string[] = ['spec'];

/**
 * `r` with its keys sorted: a copy in key order, sorted only when they are not already (labels and
 * selectors usually are: one or two keys).
 */
export function sortedByKey(r: Readonly<Record<string, string>>): Record<string, string> {
  const keys = Object.keys(r);
  let inOrder = true;
  for (let i = 1; i < keys.length && inOrder; i++) inOrder = keys[i - 1] <= keys[i];
  if (!inOrder) keys.sort();
  const out: Record<string, string> = {};
  for (const k of keys) {
    // An own `__proto__` key is a property to define, which an assignment would not make.
    if (k === '__proto__') return Object.fromEntries(keys.map((key) => [key, r[key]]));
    out[k] = r[k];
  }
  return out;
}
