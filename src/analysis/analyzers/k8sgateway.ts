// Gateway API checks of Istio 1.30 (pkg/config/analysis/analyzers/k8sgateway): policies that select a
// Gateway API gateway's pods by label instead of targetRef (IST0166), and Gateway API CRDs older than
// this Istio version processes (IST0176).

import { selectorMatches } from '../labels';
import { MESSAGES } from '../messages';
import { isRecord, rec, recs, strMap } from '../objects';
import { ResType } from '../resource-index';
import { Analyzer } from './framework';

const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
const POLICY_TYPES: readonly ResType[] = ['AuthorizationPolicy', 'RequestAuthentication', 'Telemetry', 'WasmPlugin'];

export const k8sGatewaySelectorAnalyzer: Analyzer = {
  name: 'k8sgateway.SelectorAnalyzer',
  run(ctx) {
    // Pods, and pod templates of controllers (before deploy there are no Pods), carrying a Gateway API gateway's label.
    const gatewayWorkloads = ctx.index.workloads.filter((w) => GATEWAY_NAME_LABEL in w.labels);
    if (gatewayWorkloads.length === 0) return;
    for (const type of POLICY_TYPES) {
      for (const p of ctx.index.list(type)) {
        if (isRecord(p.spec.targetRef) || recs(p.spec.targetRefs).length > 0) continue;
        if (!isRecord(p.spec.selector)) continue;
        const selector = strMap(rec(p.spec.selector).matchLabels);
        for (const w of gatewayWorkloads) {
          if (w.namespace !== p.namespace || !selectorMatches(selector, w.labels)) continue;
          const gateway = w.labels[GATEWAY_NAME_LABEL];
          ctx.report(p, MESSAGES.IneffectiveSelector, [gateway],
            `Fix: replace spec.selector with spec.targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: ${gateway}}].`);
        }
      }
    }
  },
};

/** Minimum Gateway API bundle version per CRD that Istio 1.30 processes (pkg/config/schema/gatewayapi). */
const MINIMUM_CRD_VERSIONS: ReadonlyMap<string, [number, number, number]> = new Map([
  ['grpcroutes.gateway.networking.k8s.io', [1, 1, 0]],
  ['backendtlspolicies.gateway.networking.k8s.io', [1, 4, 0]],
  ['tlsroutes.gateway.networking.k8s.io', [1, 5, 0]],
]);
const BUNDLE_VERSION_ANNOTATION = 'gateway.networking.k8s.io/bundle-version';
const SEMVER = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export const crdVersionAnalyzer: Analyzer = {
  name: 'k8sgateway.CRDVersionAnalyzer',
  run(ctx) {
    for (const crd of ctx.index.list('CustomResourceDefinition')) {
      const minimum = MINIMUM_CRD_VERSIONS.get(crd.name);
      if (!minimum) continue;
      const bundle = crd.annotations[BUNDLE_VERSION_ANNOTATION];
      if (bundle === undefined) continue;
      const m = SEMVER.exec(bundle.trim());
      if (!m) continue;
      // A pre-release of a version counts as that version (Istio strips the pre-release before comparing).
      const installed: [number, number, number] = [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
      if (compare(installed, minimum) >= 0) continue;
      const shown = `${installed.join('.')}${m[4] ? `-${m[4]}` : ''}`;
      ctx.report(crd, MESSAGES.GatewayAPICRDVersionBelowMinimum, [crd.name, shown, minimum.join('.')],
        `Fix: install the Gateway API CRDs of bundle v${minimum.join('.')} or later (kubectl apply the standard or experimental channel).`);
    }
  },
};

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
