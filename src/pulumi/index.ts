// The Pulumi front end: `import * as igc from 'istio-gateway-constructs/pulumi'`.
export * from './components';
export { fromChart, ChartResources, PulumiPlatform, resourceName } from './platform';
export type { ObjectIdentity, OwnerOptions, SameAs } from './platform';
export { IstioGatewayError } from '../errors';
export type { IstioGatewayErrorDetails } from '../errors';
export { TlsMode } from '../model/gateway';
// Every type a component's signature names (through the construct it wraps) is exported here too.
export type {
  AccessLogMode, AccessLogPolicyOptions, AutoscalingOptions, CanarySubset, CanaryTarget, ClientTls, ConnectionPool, ConsistentHash, DeploymentStrategyOptions,
  Destination, DisruptionBudgetOptions, FaultAbort, FaultDelay, FaultInjection, GatewayApi, GatewayApiChannel, GatewayAttributes,
  GatewayBase, GatewayBaseProps, GatewayPort, GatewayServer, HashCookie, HttpHostsOptions, HttpMatch, HttpRewrite, HttpRouteOptions,
  IGateway, IngressInstaller, IstioProfile, K8sGatewayShape, KubeObject, ListenerModel, LoadBalancer, MirrorPolicy, NamespaceOptions,
  ObjectMeta, OutlierDetection, ServerProtocol, ServerTls,
  PodSelectorConfigLike, RenderedObject, ResolvedDestination, ResourceOptions, RetryPolicy, RouteBase, RouteBindingProps,
  RouteDestination, ScalingRules, ServicePort, ServicePortModel, ServiceType, StringMatch, TcpCanaryTarget, TolerationModel,
  TopologySpreadOptions, TrafficPolicy,
} from '../index';
/**
 * The cdk8s API's types, for the ones a component of the same name shadows: `cdk8s.IngressGatewayProps`
 * is the construct's props that `IngressGatewayProps` (its Pulumi form, with Inputs) is derived from.
 */
import type * as cdk8s from '../index';
export type { cdk8s };
