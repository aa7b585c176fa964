// telemetry.ProviderAnalyzer (Istio 1.30): an access-logging entry without providers is ignored when the
// mesh config names no default access-log provider (IST0157).

import { MESSAGES } from '../messages';
import { arr, rec, recs } from '../objects';
import { Analyzer } from './framework';

export const telemetryProviderAnalyzer: Analyzer = {
  name: 'telemetry.ProviderAnalyzer',
  run(ctx) {
    if (arr(rec(ctx.meshConfig.defaultProviders).accessLogging).length > 0) return;
    for (const t of ctx.index.list('Telemetry')) {
      for (const l of recs(t.spec.accessLogging)) {
        if (l.disabled === true) continue;
        if (arr(l.providers).length > 0) continue;
        ctx.report(t, MESSAGES.InvalidTelemetryProvider, [t.name, t.namespace],
          'Fix: name a provider in accessLogging[].providers (e.g. envoy), or set meshConfig.defaultProviders.accessLogging.');
      }
    }
  },
};
