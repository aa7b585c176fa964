// deprecation.FieldAnalyzer (Istio 1.30, reported as deprecation.DeprecationAnalyzer): deprecated fields in
// VirtualServices and Sidecars and removed custom resource types (IST0002).

import { MESSAGES } from '../messages';
import { isRecord, rec, recs, str } from '../objects';
import { Analyzer } from './framework';

const REMOVED_CRDS: ReadonlyArray<[string, string]> = [
  ['rbac.istio.io', 'ClusterRbacConfig'], ['rbac.istio.io', 'RbacConfig'],
  ['rbac.istio.io', 'ServiceRole'], ['rbac.istio.io', 'ServiceRoleBinding'],
];

export const deprecationAnalyzer: Analyzer = {
  name: 'deprecation.FieldAnalyzer',
  aliases: ['deprecation.DeprecationAnalyzer'],
  run(ctx) {
    const vss = ctx.index.list('VirtualService');
    for (let i = 0; i < vss.length; i++) {
      const vs = vss[i];
      const http = recs(vs.spec.http);
      for (let j = 0; j < http.length; j++) {
        const percent = rec(rec(http[j].fault).delay).percent;
        if (typeof percent === 'number' && percent > 0) {
          ctx.report(vs, MESSAGES.Deprecated, ['HTTPRoute.fault.delay.percent is deprecated; use HTTPRoute.fault.delay.percentage'],
            'Fix: replace fault.delay.percent: N with fault.delay.percentage: {value: N}.');
        }
      }
    }
    for (const sc of ctx.index.list('Sidecar')) {
      if (isRecord(rec(sc.spec.outboundTrafficPolicy).egressProxy)) {
        ctx.report(sc, MESSAGES.Deprecated, ['OutboundTrafficPolicy.EgressProxy ignored'],
          'Fix: remove outboundTrafficPolicy.egressProxy; route egress through an egress gateway instead.');
      }
    }
    for (const crd of ctx.index.list('CustomResourceDefinition')) {
      const group = str(crd.spec.group);
      const kind = str(rec(crd.spec.names).kind);
      for (const [g, k] of REMOVED_CRDS) {
        if (group === g && kind === k) {
          ctx.report(crd, MESSAGES.Deprecated, [`Custom resource type ${g} ${k} is removed`],
            'Fix: delete this CustomResourceDefinition and migrate to security.istio.io AuthorizationPolicy.');
        }
      }
    }
  },
};
