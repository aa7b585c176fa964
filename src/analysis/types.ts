// Public types of the static analyzer: what a finding looks like and how a run is configured.

/** Severity of a finding, as Istio assigns it per message code. */
export type Level = 'Error' | 'Warning' | 'Info';

/** One finding, shaped like an `istioctl analyze` message. */
export interface Diagnostic {
  /** Istio's code, e.g. `IST0162`. */
  readonly code: string;
  /** Istio's message name, e.g. `GatewayPortNotDefinedOnService`. */
  readonly name: string;
  /** Istio's level for that code. */
  readonly level: Level;
  /** Istio's analyzer name, e.g. `gateway.IngressGatewayPortAnalyzer`. */
  readonly analyzer: string;
  /** `Kind namespace/name`, or `Kind name` when the object carries no namespace. */
  readonly origin: string;
  /** Istio's template text filled in, followed by a short hint on how to fix it. */
  readonly message: string;
  /** Construct path of the object at fault, when {@link AnalyzeOptions.pathOf} gives one. */
  readonly path?: string;
}

/** Options of {@link analyze}. */
export interface AnalyzeOptions {
  /**
   * Run only these analyzers (Istio names, e.g. `gateway.SecretAnalyzer`).
   * @default - every analyzer in ANALYZER_NAMES
   */
  readonly analyzers?: readonly string[];
  /**
   * Objects that exist in the cluster but are not part of the input: the shared ingress gateway's
   * Deployment/Pod and Service, a Secret managed by cert-manager, a destination Service.
   * They satisfy references and selectors but are never reported on, and Secrets among them are
   * trusted (no key, PEM or expiry checks). A Service here without a selector only proves that
   * its host and ports exist: subset pod-selection checks are skipped for it.
   * @default []
   */
  readonly external?: readonly object[];
  /**
   * Construct path of an input object, copied to {@link Diagnostic.path}. Asked once per object
   * with findings (the answer is reused for its other findings).
   * @default - no path
   */
  readonly pathOf?: (obj: any) => string | undefined;
  /**
   * Istio's mesh config (the `mesh` key of the `istio` ConfigMap in istio-system, or the `meshConfig`
   * of an IstioOperator / istiod Helm values), as a plain object. Offline, `istioctl analyze` assumes
   * Istio's defaults; so does this analyzer for every field not given here: `rootNamespace: istio-system`,
   * no `defaultProviders`, no `defaultConfig.image.imageType`.
   * @default {} (Istio's defaults)
   */
  readonly meshConfig?: object;
  /**
   * Clock used for certificate validity checks.
   * @default new Date()
   */
  readonly now?: Date;
}
