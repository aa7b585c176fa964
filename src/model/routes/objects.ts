// The validated models the route renderers (../../render/routes) take: a VirtualService on one
// gateway with a single TLS, TCP or HTTP rule, a VirtualService with HTTP rules, a DestinationRule.
import { HttpRuleModel } from './options';
import { TrafficPolicyModel } from './traffic-policy';

/** Identity and labels of one routing object. */
export interface RouteBinding {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
}

/** A VirtualService bound to one gateway by host, port and destination. */
export interface GatewayRouteModel extends RouteBinding {
  readonly hosts: readonly string[];
  /** `namespace/name` of the Gateway. */
  readonly gateway: string;
  readonly destination: { readonly host: string; readonly port: number };
}

/** A gateway route on one port (TLS by SNI, TCP). */
export interface GatewayPortRouteModel extends GatewayRouteModel {
  readonly port: number;
}

/** A TCP route on one port split by weight between subsets of its destination. */
export interface WeightedTcpRouteModel extends GatewayPortRouteModel {
  readonly split: readonly { readonly subset: string; readonly weight: number }[];
}

/** A VirtualService with HTTP rules, for gateways and/or the mesh. */
export interface VirtualServiceModel extends RouteBinding {
  readonly hosts: readonly string[];
  /** `namespace/name` of each Gateway, plus `mesh`; none = mesh only (Istio's default). */
  readonly gateways?: readonly string[];
  readonly http: readonly HttpRuleModel[];
}

/** A named group of a destination's endpoints, selected by pod labels. */
export interface DestinationRuleSubset {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface DestinationRuleModel extends RouteBinding {
  readonly host: string;
  readonly subsets: readonly DestinationRuleSubset[];
  readonly trafficPolicy?: TrafficPolicyModel;
}
