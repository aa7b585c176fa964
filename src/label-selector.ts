// Kubernetes LabelSelector (matchLabels + matchExpressions), read once for the analyzer (admission
// webhooks' selectors, Gateway API allowedRoutes) and the validator (a workload's selector against
// its pod template). A selector Kubernetes cannot parse (metav1.LabelSelectorAsSelector fails) has
// no verdict: the apiserver refuses it, and Istio admits nothing with it.

import { isDict } from './manifests';

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/**
 * Whether `selector` selects `labels`: true or false, or undefined when the selector is malformed
 * (not a mapping, a matchLabels value that is not a string, an expression that is not one or has no string key, an unknown operator, In or
 * NotIn without values, Exists or DoesNotExist with values). An absent selector (undefined, null)
 * selects everything. Key and value syntax are not checked here.
 */
export function labelSelectorVerdict(selector: unknown, labels: Readonly<Record<string, unknown>>): boolean | undefined {
  if (selector === undefined || selector === null) return true;
  if (!isDict(selector)) return undefined;
  let selected = true;
  if (isDict(selector.matchLabels)) {
    for (const k of Object.keys(selector.matchLabels)) {
      const v = selector.matchLabels[k];
      if (typeof v !== 'string') return undefined;
      if (!has(labels, k) || labels[k] !== v) selected = false;
    }
  }
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  for (const e of expressions) {
    if (!isDict(e) || typeof e.key !== 'string') return undefined;
    const values: unknown[] = Array.isArray(e.values) ? e.values : [];
    const present = has(labels, e.key);
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) return undefined;
        if ((e.operator === 'In') !== (present && values.includes(labels[e.key]))) selected = false;
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) return undefined;
        if ((e.operator === 'Exists') !== present) selected = false;
        break;
      default:
        return undefined;
    }
  }
  return selected;
}

/** {@link labelSelectorVerdict} for a reader that must decide: a malformed selector selects nothing. */
export function labelSelectorMatches(selector: unknown, labels: Readonly<Record<string, unknown>>): boolean {
  return labelSelectorVerdict(selector, labels) === true;
}
