// The part of Kubernetes' CEL IP library that the Gateway API CRDs use: `isIP(string)`. Kubernetes
// documents it as true for a valid IPv4 or IPv6 address, refusing IPv4 octets with leading zeros,
// IPv4-mapped IPv6 addresses (::ffff:1.2.3.4) and zones (fe80::1%eth0).
import { celFunc, CelScalar, type CelFunc } from '@bufbuild/cel';
import { isKubernetesCidr, isKubernetesIp } from '../model/ip-address';

// The rules are the model's (a TenantGateway checks its addresses with them without loading CEL).
export { isKubernetesCidr, isKubernetesIp };

export const k8sIpFunctions: CelFunc[] = [
  celFunc('isIP', [CelScalar.STRING], CelScalar.BOOL, (s: string) => isKubernetesIp(s)),
];
