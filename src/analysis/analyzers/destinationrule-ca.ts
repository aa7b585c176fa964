// destinationrule.CaCertificateAnalyzer (Istio 1.30): a DestinationRule originating TLS (SIMPLE or MUTUAL)
// without caCertificates does not verify the server's identity (IST0128 for the rule's traffic policy,
// IST0129 per port-level setting). A credentialName counts as a CA only when the rule has a
// workloadSelector (only then is it read from the workload's namespace by the sidecar).

import { MESSAGES } from '../messages';
import { int, isRecord, rec, recs, str } from '../objects';
import { Analyzer } from './framework';

function unverified(tls: Record<string, unknown>, hasWorkloadSelector: boolean): string | undefined {
  const mode = str(tls.mode);
  if (mode !== 'SIMPLE' && mode !== 'MUTUAL') return undefined;
  if (str(tls.caCertificates)) return undefined;
  if (str(tls.credentialName) && hasWorkloadSelector) return undefined;
  return mode;
}

export const caCertificateAnalyzer: Analyzer = {
  name: 'destinationrule.CaCertificateAnalyzer',
  run(ctx) {
    const drs = ctx.index.list('DestinationRule');
    for (let i = 0; i < drs.length; i++) {
      const dr = drs[i];
      const host = str(dr.spec.host) ?? '';
      const policy = rec(dr.spec.trafficPolicy);
      const hasWorkloadSelector = isRecord(dr.spec.workloadSelector);
      const mode = unverified(rec(policy.tls), hasWorkloadSelector);
      if (mode) {
        ctx.report(dr, MESSAGES.NoServerCertificateVerificationDestinationLevel, [dr.fullName, dr.namespace, mode, host],
          'Fix: set trafficPolicy.tls.caCertificates (or, with a workloadSelector, a credentialName holding the CA) '
          + 'so that the proxy verifies the server certificate.');
      }
      for (const p of recs(policy.portLevelSettings)) {
        const portMode = unverified(rec(p.tls), hasWorkloadSelector);
        if (!portMode) continue;
        const n = int(rec(p.port).number);
        ctx.report(dr, MESSAGES.NoServerCertificateVerificationPortLevel,
          [dr.fullName, dr.namespace, portMode, host, n === undefined ? '' : `number:${n}`],
          `Fix: set tls.caCertificates on the port-level setting for port ${n ?? '?'} so that the proxy verifies the server certificate.`);
      }
    }
  },
};
