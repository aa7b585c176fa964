// The subset of Istio's analysis message catalog (pkg/config/analysis/msg/messages.yaml, Istio 1.30)
// that these analyzers emit. Codes, names, levels and templates are copied by hand so that the
// package needs no data file at run time; a test checks them against the catalog.

import { Level } from './types';

/** One entry of Istio's message catalog. */
export interface MessageType {
  readonly code: string;
  readonly name: string;
  readonly level: Level;
  /** Go format string, using the verbs %s, %q, %v and %d. */
  readonly template: string;
}

function m(code: string, name: string, level: Level, template: string): MessageType {
  return { code, name, level, template };
}

export const MESSAGES = {
  Deprecated: m('IST0002', 'Deprecated', 'Warning',
    'Deprecated: %s'),
  ReferencedResourceNotFound: m('IST0101', 'ReferencedResourceNotFound', 'Error',
    'Referenced %s not found: %q'),
  NamespaceNotInjected: m('IST0102', 'NamespaceNotInjected', 'Info',
    'The namespace is not enabled for Istio injection. '
    + "Run 'kubectl label namespace %s istio-injection=enabled' to enable it, or 'kubectl label namespace %s istio-injection=disabled' to explicitly mark it as not needing injection."),
  PodMissingProxy: m('IST0103', 'PodMissingProxy', 'Warning',
    'The pod %s is missing the Istio proxy. '
    + 'This can often be resolved by restarting or redeploying the workload.'),
  ConflictingMeshGatewayVirtualServiceHosts: m('IST0109', 'ConflictingMeshGatewayVirtualServiceHosts', 'Error',
    'The VirtualServices %s associated with mesh gateway define the same host %s which can lead to undefined behavior. '
    + 'This can be fixed by merging the conflicting VirtualServices into a single resource.'),
  ConflictingSidecarWorkloadSelectors: m('IST0110', 'ConflictingSidecarWorkloadSelectors', 'Error',
    'The Sidecars %v in namespace %q select the same workload pod %q, which can lead to undefined behavior.'),
  MultipleSidecarsWithoutWorkloadSelectors: m('IST0111', 'MultipleSidecarsWithoutWorkloadSelectors', 'Error',
    'The Sidecars %v in namespace %q have no workload selector, which can lead to undefined behavior.'),
  VirtualServiceDestinationPortSelectorRequired: m('IST0112', 'VirtualServiceDestinationPortSelectorRequired', 'Error',
    'This VirtualService routes to a service %q that exposes multiple ports %v. '
    + 'Specifying a port in the destination is required to disambiguate.'),
  DeploymentAssociatedToMultipleServices: m('IST0116', 'DeploymentAssociatedToMultipleServices', 'Warning',
    'This deployment %s is associated with multiple services using port %d but different protocols: %v'),
  PortNameIsNotUnderNamingConvention: m('IST0118', 'PortNameIsNotUnderNamingConvention', 'Info',
    "Port name %s (port: %d, targetPort: %s) doesn't follow the naming convention of Istio port."),
  NamespaceMultipleInjectionLabels: m('IST0123', 'NamespaceMultipleInjectionLabels', 'Warning',
    'The namespace has more than one type of injection labels %v, which may lead to undefined behavior. '
    + 'Make sure only one injection label exists.'),
  NoMatchingWorkloadsFound: m('IST0127', 'NoMatchingWorkloadsFound', 'Warning',
    'No matching workloads for this resource with the following labels: %s'),
  NoServerCertificateVerificationDestinationLevel: m('IST0128', 'NoServerCertificateVerificationDestinationLevel', 'Warning',
    'DestinationRule %s in namespace %s has TLS mode set to %s but no caCertificates are set to validate server identity for host: %s'),
  NoServerCertificateVerificationPortLevel: m('IST0129', 'NoServerCertificateVerificationPortLevel', 'Warning',
    'DestinationRule %s in namespace %s has TLS mode set to %s but no caCertificates are set to validate server identity for host: %s at port %s'),
  VirtualServiceUnreachableRule: m('IST0130', 'VirtualServiceUnreachableRule', 'Warning',
    'VirtualService rule %v not used (%s).'),
  VirtualServiceIneffectiveMatch: m('IST0131', 'VirtualServiceIneffectiveMatch', 'Info',
    'VirtualService rule %v match %v is not used (duplicate/overlapping match in rule %v).'),
  VirtualServiceHostNotFoundInGateway: m('IST0132', 'VirtualServiceHostNotFoundInGateway', 'Warning',
    'one or more host %v defined in VirtualService %s not found in Gateway %s.'),
  DeploymentConflictingPorts: m('IST0137', 'DeploymentConflictingPorts', 'Warning',
    'This deployment %s is associated with multiple services %v using targetPort %q but different ports: %v.'),
  GatewayDuplicateCertificate: m('IST0138', 'GatewayDuplicateCertificate', 'Warning',
    'Duplicate certificate in multiple gateways %v may cause 404s if clients re-use HTTP2 connections.'),
  IngressRouteRulesNotAffected: m('IST0140', 'IngressRouteRulesNotAffected', 'Warning',
    'Subset in virtual service %s has no effect on ingress gateway %s requests'),
  ConflictingGateways: m('IST0145', 'ConflictingGateways', 'Error',
    'Conflict with gateways %s (workload selector %s, port %s, hosts %v).'),
  ImageAutoWithoutInjectionWarning: m('IST0146', 'ImageAutoWithoutInjectionWarning', 'Warning',
    '%s %s contains `image: auto` but does not match any Istio injection webhook selectors.'),
  ImageAutoWithoutInjectionError: m('IST0147', 'ImageAutoWithoutInjectionError', 'Error',
    '%s %s contains `image: auto` but does not match any Istio injection webhook selectors.'),
  NamespaceInjectionEnabledByDefault: m('IST0148', 'NamespaceInjectionEnabledByDefault', 'Info',
    'is enabled for Istio injection, as Istio is installed with enableNamespacesByDefault as true.'),
  JwtClaimBasedRoutingWithoutRequestAuthN: m('IST0149', 'JwtClaimBasedRoutingWithoutRequestAuthN', 'Error',
    'The virtual service uses the JWT claim based routing (key: %s) but found no request authentication for the gateway (%s) pod (%s). '
    + 'The request authentication must first be applied for the gateway pods to validate the JWT token and make the claims available for routing.'),
  ExternalNameServiceTypeInvalidPortName: m('IST0150', 'ExternalNameServiceTypeInvalidPortName', 'Warning',
    'Port name for ExternalName service is invalid. '
    + 'Proxy may prevent tcp named ports and unmatched traffic for ports serving TCP protocol from being forwarded correctly'),
  InvalidTelemetryProvider: m('IST0157', 'InvalidTelemetryProvider', 'Warning',
    'The Telemetry %v in namespace %q with empty providers will be ignored.'),
  PodsIstioProxyImageMismatchInNamespace: m('IST0158', 'PodsIstioProxyImageMismatchInNamespace', 'Warning',
    'The Istio proxy images of the pods running in the namespace do not match the image defined in the injection configuration (pod names: %v). '
    + 'This often happens after upgrading the Istio control-plane and can be fixed by redeploying the pods.'),
  ConflictingTelemetryWorkloadSelectors: m('IST0159', 'ConflictingTelemetryWorkloadSelectors', 'Error',
    'The Telemetries %v in namespace %q select the same workload pod %q, which can lead to undefined behavior.'),
  MultipleTelemetriesWithoutWorkloadSelectors: m('IST0160', 'MultipleTelemetriesWithoutWorkloadSelectors', 'Error',
    'The Telemetries %v in namespace %q have no workload selector, which can lead to undefined behavior.'),
  InvalidGatewayCredential: m('IST0161', 'InvalidGatewayCredential', 'Error',
    'The credential referenced by the Gateway %s in namespace %s is invalid, which can cause the traffic not to work as expected.'),
  GatewayPortNotDefinedOnService: m('IST0162', 'GatewayPortNotDefinedOnService', 'Warning',
    'The gateway is listening on a target port (port %d) that is not defined in the Service associated with its workload instances '
    + '(Pod selector %s). If you need to access the gateway port through the gateway Service, it will not be available.'),
  ReferencedInternalGateway: m('IST0165', 'ReferencedInternalGateway', 'Warning',
    'Gateway reference in VirtualService %s is to an implementation-generated internal Gateway: %s.'),
  IneffectiveSelector: m('IST0166', 'IneffectiveSelector', 'Warning',
    'Ineffective selector on Kubernetes Gateway %s. Use the TargetRef field instead.'),
  IneffectivePolicy: m('IST0167', 'IneffectivePolicy', 'Warning',
    'The policy has no impact: %s.'),
  DestinationRuleSubsetNotSelectPods: m('IST0173', 'DestinationRuleSubsetNotSelectPods', 'Error',
    'The Subset %s defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).'),
  UnknownDestinationRuleHost: m('IST0174', 'UnknownDestinationRuleHost', 'Warning',
    'The host %s defined in the DestinationRule does not match any services in the mesh.'),
  GatewayAPICRDVersionBelowMinimum: m('IST0176', 'GatewayAPICRDVersionBelowMinimum', 'Warning',
    'Gateway API CRD %q is at version %q but Istio requires at least %q; resources of this kind will not be processed. '
    + 'Upgrade the Gateway API CRDs to satisfy the minimum version.'),
} as const;

export type MessageName = keyof typeof MESSAGES;

/** Renders a value the way Go's fmt does for %v/%s: slices as `[a b]`. */
function goValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  return String(v);
}

/** A template cut at its verbs: literal text, then [verb, literal text] pairs. */
interface CutTemplate {
  readonly head: string;
  readonly verbs: readonly string[];
  readonly tails: readonly string[];
}

// Templates are the few constants above (or a caller's own): each is cut once, not scanned per finding.
const CUT = new Map<string, CutTemplate>();

function cut(template: string): CutTemplate {
  let c = CUT.get(template);
  if (c) return c;
  const verbs: string[] = [];
  const tails: string[] = [];
  const re = /%([sqvd%])/g;
  let head: string | undefined;
  let from = 0;
  for (let m = re.exec(template); m !== null; m = re.exec(template)) {
    const text = template.slice(from, m.index);
    if (head === undefined) head = text;
    else tails.push(text);
    verbs.push(m[1]);
    from = m.index + m[0].length;
  }
  if (head === undefined) head = template.slice(from);
  else tails.push(template.slice(from));
  if (CUT.size < 1000) CUT.set(template, c = { head, verbs, tails });
  else c = { head, verbs, tails };
  return c;
}

/** Fills a Go format string (verbs %s %q %v %d) with the arguments, in order. */
export function renderTemplate(template: string, args: readonly unknown[]): string {
  const { head, verbs, tails } = cut(template);
  let out = head;
  let i = 0;
  for (let v = 0; v < verbs.length; v++) {
    const verb = verbs[v];
    if (verb === '%') {
      out += '%';
    } else {
      const arg = args[i++];
      if (verb === 'q') out += JSON.stringify(String(arg));
      else if (verb === 'd') out += String(typeof arg === 'number' ? Math.trunc(arg) : arg);
      else out += goValue(arg);
    }
    out += tails[v];
  }
  return out;
}
