// The analyzers added for issue 15 (analyzer breadth): our own output must never trigger any of them.
export const BREADTH_ANALYZERS: ReadonlySet<string> = new Set([
  'schema.ValidationAnalyzer.VirtualService', 'destinationrule.CaCertificateAnalyzer', 'service.PortNameAnalyzer',
  'deployment.ServiceAssociationAnalyzer', 'injection.Analyzer', 'injection.ImageAnalyzer', 'injection.ImageAutoAnalyzer',
  'virtualservice.JWTClaimRouteAnalyzer', 'telemetry.ProviderAnalyzer', 'sidecar.SelectorAnalyzer',
  'authz.AuthorizationPoliciesAnalyzer', 'deprecation.FieldAnalyzer', 'k8sgateway.SelectorAnalyzer', 'k8sgateway.CRDVersionAnalyzer',
]);

/** The findings of those analyzers, as `code origin` lines (empty when our output is clean). */
export function breadthFindings(diagnostics: ReadonlyArray<{ analyzer: string; code: string; origin: string }>): string[] {
  return diagnostics.filter((d) => BREADTH_ANALYZERS.has(d.analyzer)).map((d) => `${d.code} ${d.origin}`);
}
