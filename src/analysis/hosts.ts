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

/**
 * Hosts, for "does any of them match this one" (`hostMatches`, which is symmetric) and "the positions of
 * those a wildcard host matches, in order" without a scan: the plain hosts in a set; each wildcard host's
 * suffix (the host without its `*`) with its positions, and the suffixes' lengths; and every plain host
 * and wildcard suffix reversed and sorted (with its position), so that a prefix search finds those ending
 * with a given suffix. Scans of every host of a gateway or of the mesh, once per VirtualService,
 * DestinationRule or scoped wildcard mesh host, were quadratic in large meshes.
 */
export class HostSet {
  private readonly plain = new Set<string>();
  private readonly suffixAt = new Map<string, number[]>();
  private readonly lengths: number[];
  /** Reversed plain hosts and wildcard suffixes, sorted, with their positions beside them. */
  private readonly reversed: string[];
  private readonly reversedAt: number[];

  /** `hosts` in the order whose positions {@link matchingWildcard} gives. */
  constructor(hosts: Iterable<string>) {
    const keyed: Array<[string, number]> = [];
    const lengths = new Set<number>();
    let i = 0;
    for (const h of hosts) {
      if (isWildcard(h)) {
        const suffix = h.slice(1);
        const list = this.suffixAt.get(suffix);
        if (list) list.push(i);
        else this.suffixAt.set(suffix, [i]);
        lengths.add(suffix.length);
        keyed.push([reverse(suffix), i]);
      } else {
        this.plain.add(h);
        keyed.push([reverse(h), i]);
      }
      i++;
    }
    keyed.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] - y[1]));
    this.reversed = keyed.map((k) => k[0]);
    this.reversedAt = keyed.map((k) => k[1]);
    this.lengths = [...lengths];
  }

  /** Whether `hostMatches(h, host)` for some host h of the set. */
  anyMatches(host: string): boolean {
    if (isWildcard(host)) {
      const suffix = host.slice(1);
      // A plain host ending with the suffix, or a wildcard whose suffix ends with it (or equals it).
      if (hasPrefix(this.reversed, reverse(suffix))) return true;
      // A wildcard whose suffix ends this one.
      return this.endsWithSuffix(suffix);
    }
    return this.plain.has(host) || this.endsWithSuffix(host);
  }

  /** The positions of the hosts h with `hostMatches(wildcard, h)`, ascending; `wildcard` starts with `*`. */
  matchingWildcard(wildcard: string): number[] {
    const suffix = wildcard.slice(1);
    const found: number[] = [];
    // Plain hosts and wildcard suffixes that end with the suffix.
    const prefix = reverse(suffix);
    for (let i = lowerBound(this.reversed, prefix); i < this.reversed.length && this.reversed[i].startsWith(prefix); i++) found.push(this.reversedAt[i]);
    // Wildcards whose suffix ends the query's (equal suffixes were found above).
    for (let l = 0; l < this.lengths.length; l++) {
      const len = this.lengths[l];
      if (len >= suffix.length) continue;
      const list = this.suffixAt.get(suffix.slice(suffix.length - len));
      if (list) for (let k = 0; k < list.length; k++) found.push(list[k]);
    }
    return found.sort((x, y) => x - y);
  }

  /** Whether some wildcard suffix of the set ends `s`. */
  private endsWithSuffix(s: string): boolean {
    for (let i = 0; i < this.lengths.length; i++) {
      const len = this.lengths[i];
      if (len <= s.length && this.suffixAt.has(s.slice(s.length - len))) return true;
    }
    return false;
  }
}

/** A string's UTF-16 code units in reverse order (`endsWith` becomes `startsWith`). */
export function reverse(s: string): string {
  let out = '';
  for (let i = s.length - 1; i >= 0; i--) out += s[i];
  return out;
}

/** Whether some string of `sorted` (ascending by code units) starts with `prefix`: the first one not below it does, if any. */
export function hasPrefix(sorted: readonly string[], prefix: string): boolean {
  const at = lowerBound(sorted, prefix);
  return at < sorted.length && sorted[at].startsWith(prefix);
}

/** The first position of `sorted` (ascending by code units) not below `s`. */
function lowerBound(sorted: readonly string[], s: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
