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

