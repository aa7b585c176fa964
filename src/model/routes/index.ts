// The validated model of routes, split by concern: request matches, per-rule options and rule
// layout, a DestinationRule's traffic policy, binding to gateways, destinations (and the readers
// of props naming constructs), a canary's subsets, HttpRoute's and CanaryRoute's own props, and
// the models the renderers take. Pure data and checks shared by the cdk8s and Pulumi front ends;
// rendering is ../../render/routes.
export * from './matches';
export * from './options';
export * from './traffic-policy';
export * from './binding';
export * from './objects';
export * from './destination';
export * from './subsets';
export * from './http-routes';
