// The API version of every kind the library emits, chosen explicitly. `cdk8s import` gives the
// unsuffixed class to whichever version a CRD lists first, so we never rely on it for the
// version; test/api-versions.test.ts asserts these against the generated classes in imports/.

export interface Gvk { readonly apiVersion: string; readonly kind: string }

export const GATEWAY: Gvk = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway' };
export const VIRTUAL_SERVICE: Gvk = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' };
export const DESTINATION_RULE: Gvk = { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule' };
export const PEER_AUTHENTICATION: Gvk = { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication' };
export const TELEMETRY: Gvk = { apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry' };
export const ISTIO_OPERATOR: Gvk = { apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator' };

export const DEPLOYMENT: Gvk = { apiVersion: 'apps/v1', kind: 'Deployment' };
export const SERVICE: Gvk = { apiVersion: 'v1', kind: 'Service' };
export const SERVICE_ACCOUNT: Gvk = { apiVersion: 'v1', kind: 'ServiceAccount' };
export const ROLE: Gvk = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' };
export const ROLE_BINDING: Gvk = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' };
export const HORIZONTAL_POD_AUTOSCALER: Gvk = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' };
export const POD_DISRUPTION_BUDGET: Gvk = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' };
export const NETWORK_POLICY: Gvk = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' };
export const NAMESPACE: Gvk = { apiVersion: 'v1', kind: 'Namespace' };

/** Labels every object we emit carries, so `kubectl get -l` finds them (defined with the names every layer shares). */
export { MANAGED_BY, MANAGED_BY_LABEL } from '../names';

// Kubernetes Gateway API v1.5.1 (the version Istio 1.30.3 is built against). TCPRoute exists only
// in the experimental channel; the others are standard.
export const K8S_GATEWAY: Gvk = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway' };
export const K8S_HTTP_ROUTE: Gvk = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' };
export const K8S_TLS_ROUTE: Gvk = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'TLSRoute' };
export const K8S_TCP_ROUTE: Gvk = { apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TCPRoute' };
export const K8S_REFERENCE_GRANT: Gvk = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'ReferenceGrant' };
export const CONFIG_MAP: Gvk = { apiVersion: 'v1', kind: 'ConfigMap' };
