// Kubernetes LabelSelector (matchLabels + matchExpressions) as admission webhooks use it, and the injector
// webhooks that Istio's istiod chart installs, assumed offline when the input carries none.

import { Labels } from '../labels';
import { arr, Dict, isRecord, recs, str, strMap, strs } from '../objects';

/** Whether a LabelSelector (absent: matches everything) matches the labels; a malformed selector matches nothing. */
export function labelSelectorMatches(selector: unknown, labels: Labels): boolean {
  if (selector === undefined || selector === null) return true;
  if (!isRecord(selector)) return false;
  const ml = strMap(selector.matchLabels);
  for (const k in ml) if (!Object.prototype.hasOwnProperty.call(labels, k) || labels[k] !== ml[k]) return false;
  for (const e of arr(selector.matchExpressions)) {
    if (!isRecord(e)) return false;
    const key = str(e.key);
    if (key === undefined) return false;
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    const values = strs(e.values);
    switch (str(e.operator)) {
      case 'In': if (!has || !values.includes(labels[key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

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
