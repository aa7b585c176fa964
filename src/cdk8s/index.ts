// The cdk8s front end: the constructs, the one implementation of rendering to ApiObjects.
export * from './gateway-base';
export { ImportedGateway } from './gateway-ref';
export type { GatewayAttributes, IGateway } from './gateway-ref';
export * from './ingress-gateway';
export * from './tenant-gateway';
export * from './tls-host';
export * from './tcp-gateway';
export * from './tcp-canary-route';
export { RenderedObject } from './rendered-object';
export type { DestinationInput, PodSelectorConfigLike, ResolvedDestination } from './kplus-interop';
export { suppressDiagnostic, configureSynthAnalysis, SynthCheck, WARNINGS_ENV } from './synth-check';
export type { SynthAnalysisOptions, SynthCheckResult, SynthWarnings } from './synth-check';
export * from './http-route';
export * from './canary-route';
export * from './strict-mtls';
export * from './access-log-policy';
export * from './trimmed-gateway-config';
export { prerequisitesOf, writePrerequisites, PREREQUISITES_FOLDER, PREREQUISITES_FILE } from './prerequisites';
