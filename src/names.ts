// Kubernetes name syntax (k8s.io/apimachinery/pkg/util/validation) and Istio's host matching
// (pkg/config/host Name.Matches), shared by every layer: the prop checks, the Pulumi Input checks,
// the renderers, the schema validator and the analyzer use these and no copies of their own.

/** A DNS-1123 label (without its 63-character limit): Namespace names, port names, names from ids. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 subdomain (without its 253-character limit): most object names, Secret names. */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A DNS-1035 label (without its 63-character limit): Service names. */
export const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** `name.namespace.svc.cluster.local` with both parts DNS-1123 labels: group 1 the name, group 3 the namespace. */
export const CLUSTER_SERVICE_FQDN = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc\.cluster\.local$/;

/** The label every object the library emits carries, so `kubectl get -l` finds them (re-exported by render/api-versions). */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'istio-gateway-constructs';
/**
 * `{ [MANAGED_BY_LABEL]: MANAGED_BY }`, frozen: for models whose labels are only read (renderers copy
 * them into each object's metadata), so that a platform's thousands of constructs do not each keep a copy.
 */
export const MANAGED_LABELS: Readonly<Record<string, string>> = Object.freeze({ [MANAGED_BY_LABEL]: MANAGED_BY });

function isWildcardHost(host: string): boolean {
  return host.length > 0 && host[0] === '*';
}

/**
 * Istio's host.Name.Matches: exact, or a leading wildcard on either side covers the other (`*`
 * covers everything; of two wildcards, the shorter suffix covers the longer). Case-sensitive, as
 * Istio compares; callers that compare hosts case-insensitively pass `{ ignoreCase: true }`.
 */
export function hostMatches(a: string, b: string, opts: { ignoreCase?: boolean } = {}): boolean {
  if (opts.ignoreCase) { a = a.toLowerCase(); b = b.toLowerCase(); }
  const aw = isWildcardHost(a);
  const bw = isWildcardHost(b);
  if (aw) {
    if (bw) {
      return a.length < b.length ? b.slice(1).endsWith(a.slice(1)) : a.slice(1).endsWith(b.slice(1));
    }
    return b.endsWith(a.slice(1));
  }
  if (bw) return a.endsWith(b.slice(1));
  return a === b;
}
