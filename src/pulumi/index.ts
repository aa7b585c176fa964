// The Pulumi front end: `import * as igc from 'istio-gateway-constructs/pulumi'`.
export * from './components';
export { fromChart, ChartResources, PulumiPlatform, resourceName } from './platform';
export { IstioGatewayError } from '../errors';
export { TlsMode } from '../model/gateway';
