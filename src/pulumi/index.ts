// The Pulumi front end: `import * as igc from 'istio-gateway-constructs/pulumi'`.
export * from './components';
export { fromChart, ChartResources, ObjectIdentity, OwnerOptions, PulumiPlatform, resourceName } from './platform';
export { IstioGatewayError } from '../errors';
export { TlsMode } from '../model/gateway';
export type {
  AutoscalingOptions, ClientTls, ConnectionPool, Destination, DisruptionBudgetOptions, FaultInjection, GatewayPort, HttpMatch,
  HttpRewrite, LoadBalancer, MirrorPolicy, ResourceOptions, RetryPolicy, ServicePort, TopologySpreadOptions,
} from '../cdk8s';
