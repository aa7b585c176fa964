// Schema validation of Kubernetes and Istio objects: CRD OpenAPI schemas with CEL rules,
// core kinds via kubernetes-models, and metadata syntax. Pure: no cdk8s or Pulumi imports.

export type { ValidationIssue, SkippedRule, ValidationResult } from './types';
export { CrdSet, CrdLoadError, loadCrds, loadBundledCrds, bundledCrdPath, BUNDLED_CRDS, DEFAULT_BUNDLED_CRDS, type BundledCrds, type CrdVersion } from './crd-schemas';
export { validateObjects, formatIssue, formatSkipped, type ValidateOptions } from './validate';
export { flattenLists, originOf } from '../manifests';
export { ManifestReadError, parseManifestText, readManifestFile, expandManifestPaths, type SourcedDocument } from './yaml-files';
export { compiledRules, type CompiledRule } from './cel';
