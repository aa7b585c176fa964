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
  ReferencedResourceNotFound: m('IST0101', 'ReferencedResourceNotFound', 'Error',
    'Referenced %s not found: %q'),
  ConflictingMeshGatewayVirtualServiceHosts: m('IST0109', 'ConflictingMeshGatewayVirtualServiceHosts', 'Error',
    'The VirtualServices %s associated with mesh gateway define the same host %s which can lead to undefined behavior. '
    + 'This can be fixed by merging the conflicting VirtualServices into a single resource.'),
  VirtualServiceDestinationPortSelectorRequired: m('IST0112', 'VirtualServiceDestinationPortSelectorRequired', 'Error',
    'This VirtualService routes to a service %q that exposes multiple ports %v. '
    + 'Specifying a port in the destination is required to disambiguate.'),
  VirtualServiceHostNotFoundInGateway: m('IST0132', 'VirtualServiceHostNotFoundInGateway', 'Warning',
    'one or more host %v defined in VirtualService %s not found in Gateway %s.'),
  GatewayDuplicateCertificate: m('IST0138', 'GatewayDuplicateCertificate', 'Warning',
    'Duplicate certificate in multiple gateways %v may cause 404s if clients re-use HTTP2 connections.'),
  IngressRouteRulesNotAffected: m('IST0140', 'IngressRouteRulesNotAffected', 'Warning',
    'Subset in virtual service %s has no effect on ingress gateway %s requests'),
  ConflictingGateways: m('IST0145', 'ConflictingGateways', 'Error',
    'Conflict with gateways %s (workload selector %s, port %s, hosts %v).'),
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
  DestinationRuleSubsetNotSelectPods: m('IST0173', 'DestinationRuleSubsetNotSelectPods', 'Error',
    'The Subset %s defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).'),
  UnknownDestinationRuleHost: m('IST0174', 'UnknownDestinationRuleHost', 'Warning',
    'The host %s defined in the DestinationRule does not match any services in the mesh.'),
} as const;

export type MessageName = keyof typeof MESSAGES;

/** Renders a value the way Go's fmt does for %v/%s: slices as `[a b]`. */
function goValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  return String(v);
}

/** Fills a Go format string (verbs %s %q %v %d) with the arguments, in order. */
export function renderTemplate(template: string, args: readonly unknown[]): string {
  let i = 0;
  return template.replace(/%([sqvd%])/g, (_all, verb: string) => {
    if (verb === '%') return '%';
    const arg = args[i++];
    switch (verb) {
      case 'q': return JSON.stringify(String(arg));
      case 'd': return String(typeof arg === 'number' ? Math.trunc(arg) : arg);
      default: return goValue(arg);
    }
  });
}
