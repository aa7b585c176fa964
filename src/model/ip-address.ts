// Kubernetes' CEL IP rules as plain functions (`isIP`, `isCIDR`): the model checks a TenantGateway's
// loadBalancerIP and loadBalancerSourceRanges with them, and the validator's CEL library
// (../validation/cel-ip) wraps them. Kubernetes documents `isIP` as true for a valid IPv4 or IPv6
// address, refusing IPv4 octets with leading zeros, IPv4-mapped IPv6 addresses (::ffff:1.2.3.4) and
// zones (fe80::1%eth0). Apart from the CEL wrapper so that the model loads no CEL evaluator.
import { isIP } from 'net';

/** Kubernetes' `isIP` rules over Node's address parser. */
export function isKubernetesIp(s: string): boolean {
  if (s.includes('%')) return false; // zones
  const family = isIP(s);
  if (family === 4) return !s.split('.').some((octet) => octet.length > 1 && octet.startsWith('0'));
  if (family === 6) return !s.includes('.'); // IPv4-mapped or -embedded forms
  return false;
}

/**
 * A CIDR as Kubernetes' `isCIDR` takes it: an address {@link isKubernetesIp} accepts, "/", and a
 * prefix length without leading zeros up to the family's bits (32 or 128). Host bits may be set,
 * as the API server allows them in `loadBalancerSourceRanges`.
 */
export function isKubernetesCidr(s: string): boolean {
  const slash = s.lastIndexOf('/');
  if (slash < 0) return false;
  const address = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  if (!isKubernetesIp(address) || !/^(0|[1-9]\d{0,2})$/.test(bits)) return false;
  return Number(bits) <= (isIP(address) === 4 ? 32 : 128);
}
