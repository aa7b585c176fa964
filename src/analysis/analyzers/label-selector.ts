// The injector webhooks that Istio's istiod chart installs, assumed offline when the input carries
// none, and their LabelSelectors (matched by the one reading of LabelSelectors, ../../label-selector).

import { labelSelectorMatches } from '../../label-selector';
import { Dict, isRecord, recs, str } from '../objects';

export { labelSelectorMatches };

export interface InjectorWebhook {
  readonly name: string;
  readonly namespaceSelector?: Dict;
  readonly objectSelector?: Dict;
}

const expr = (key: string, operator: string, values?: string[]): Dict => (values ? { key, operator, values } : { key, operator });
const NOT_DISABLED = expr('sidecar.istio.io/inject', 'NotIn', ['false']);

/**
 * The selectors of the injector webhooks of Istio's istiod chart (1.30, default revision), with the
 * revision webhooks widened to any `istio.io/rev` value: offline, every revision named is assumed installed.
 */
export const ASSUMED_INJECTOR_WEBHOOKS: readonly InjectorWebhook[] = [
  { name: 'rev.namespace.sidecar-injector.istio.io',
    namespaceSelector: { matchExpressions: [expr('istio.io/rev', 'Exists'), expr('istio-injection', 'DoesNotExist')] },
    objectSelector: { matchExpressions: [NOT_DISABLED] } },
  { name: 'rev.object.sidecar-injector.istio.io',
    namespaceSelector: { matchExpressions: [expr('istio.io/rev', 'DoesNotExist'), expr('istio-injection', 'DoesNotExist')] },
    objectSelector: { matchExpressions: [NOT_DISABLED, expr('istio.io/rev', 'Exists')] } },
  { name: 'namespace.sidecar-injector.istio.io',
    namespaceSelector: { matchExpressions: [expr('istio-injection', 'In', ['enabled'])] },
    objectSelector: { matchExpressions: [NOT_DISABLED] } },
  { name: 'object.sidecar-injector.istio.io',
    namespaceSelector: { matchExpressions: [expr('istio-injection', 'DoesNotExist'), expr('istio.io/rev', 'DoesNotExist')] },
    objectSelector: { matchExpressions: [expr('sidecar.istio.io/inject', 'In', ['true']), expr('istio.io/rev', 'DoesNotExist')] } },
];

/** Istio's injector webhooks (names ending in `istio.io`) of the MutatingWebhookConfigurations given. */
export function istioWebhooks(configs: ReadonlyArray<{ raw: Dict }>): InjectorWebhook[] {
  const out: InjectorWebhook[] = [];
  for (const c of configs) {
    for (const wh of recs(c.raw.webhooks)) {
      const name = str(wh.name) ?? '';
      if (!name.endsWith('istio.io')) continue;
      out.push({
        name,
        namespaceSelector: isRecord(wh.namespaceSelector) ? wh.namespaceSelector : undefined,
        objectSelector: isRecord(wh.objectSelector) ? wh.objectSelector : undefined,
      });
    }
  }
  return out;
}
