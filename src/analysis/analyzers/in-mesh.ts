// Whether a workload is part of the mesh, as Istio's analyzers decide it (util/in_mesh.go): it already has
// an istio-proxy container with an image, or its labels/annotations/namespace ask for injection.

import { Labels } from '../labels';
import { Dict, rec, recs, str, strMap } from '../objects';
import { ResourceIndex, Workload } from '../resource-index';

function injectionAsked(map: Labels): boolean | undefined {
  if (!Object.prototype.hasOwnProperty.call(map, 'sidecar.istio.io/inject')) return undefined;
  return map['sidecar.istio.io/inject'] === 'true';
}

export function inMesh(index: ResourceIndex, namespace: string, labels: Labels, annotations: Labels, containers: readonly Dict[]): boolean {
  const proxy = containers.find((c) => str(c.name) === 'istio-proxy');
  if (proxy && str(proxy.image)) return true;
  const byLabel = injectionAsked(labels);
  if (byLabel !== undefined) return byLabel;
  const byAnnotation = injectionAsked(annotations);
  if (byAnnotation !== undefined) return byAnnotation;
  const ns = index.get('Namespace', '', namespace);
  if (ns) return ns.labels['istio-injection'] === 'enabled';
  return false;
}

/** A Deployment's pod template is in the mesh (Istio's DeploymentInMesh). */
export function templateInMesh(index: ResourceIndex, namespace: string, spec: Dict): boolean {
  const template = rec(spec.template);
  const meta = rec(template.metadata);
  return inMesh(index, namespace, strMap(meta.labels), strMap(meta.annotations), recs(rec(template.spec).containers));
}

export function podInAmbient(annotations: Labels): boolean {
  return annotations['ambient.istio.io/redirection'] === 'enabled';
}

/**
 * The workloads a selector picks: the Pods when any Pod matches (what Istio's analyzers see in a
 * cluster), otherwise the pod templates that stand in for them before deploy. This keeps a Deployment
 * and its own Pods in one input from being counted as two workloads.
 */
export function podsOrTemplates(index: ResourceIndex, selector: Labels, namespace?: string): Workload[] {
  const all = index.selectWorkloads(selector, namespace);
  const pods = all.filter((w) => w.res.type === 'Pod');
  return pods.length > 0 ? pods : all;
}
