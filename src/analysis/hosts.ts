// Host name rules of Istio's analyzers (pkg/config/host, pkg/config/analysis/analyzers/util/hosts.go):
// short names become FQDNs in a given namespace, wildcards match by suffix.

export const CLUSTER_DOMAIN = 'svc.cluster.local';
export const EXPORT_TO_ALL = '*';
export const EXPORT_TO_LOCAL = '.';

/** A short name (no dot, no wildcard) becomes `name.ns.svc.cluster.local`; anything else is kept as is. */
export function toFqdn(namespace: string, host: string): string {
  if (!host.startsWith('*') && !host.includes('.')) return `${host}.${namespace}.${CLUSTER_DOMAIN}`;
  return host;
}

/** `scope/fqdn`: a host as seen from the namespaces in scope (`*` for all). */
export function scopedFqdn(scope: string, namespace: string, host: string): string {
  return `${scope}/${toFqdn(namespace, host)}`;
}

export function isWildcard(host: string): boolean {
  return host.length > 0 && host[0] === '*';
}

/** Istio's host.Name.Matches (case-sensitive): one implementation, in ../names. */
export { hostMatches } from '../names';

const FQDN_PATTERN = /^(.+)\.(.+)\.svc\.cluster\.local$/;
const FQDN_SUFFIX = '.svc.cluster.local';

/** `namespace/name` of a Kubernetes service host given as FQDN or short name (Istio's GetResourceNameFromHost). */
export function resourceNameFromHost(defaultNamespace: string, host: string): string {
  // The pattern can only match a host with the cluster suffix: short names (most route hosts) skip it.
  const m = host.endsWith(FQDN_SUFFIX) ? FQDN_PATTERN.exec(host) : null;
  if (m) return `${m[2]}/${m[1]}`;
  return `${defaultNamespace}/${host}`;
}

/**
 * `resourceNameFromHost(namespace, toFqdn(namespace, host))` (a DestinationRule's host as `ns/name`):
 * `namespace/host` for a short host in a namespace without a dot, which is what the FQDN pattern reads
 * back, without building the FQDN and matching it (2,000 DestinationRules in a synth check).
 */
export function fqdnResourceName(namespace: string, host: string): string {
  if (host.length > 0 && namespace.length > 0 && !host.includes('.') && !host.startsWith('*') && !namespace.includes('.')) return `${namespace}/${host}`;
  return resourceNameFromHost(namespace, toFqdn(namespace, host));
}

/** Splits `ns/name` (or `name`, resolved in `namespace`) like Istio's resource.NewShortOrFullName. */
export function shortOrFullName(namespace: string, ref: string): { namespace: string; name: string } {
  const i = ref.indexOf('/');
  if (i >= 0) return { namespace: ref.slice(0, i), name: ref.slice(i + 1) };
  return { namespace, name: ref };
}
