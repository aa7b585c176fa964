// Equality-based label selectors (Kubernetes `labels.SelectorFromSet`), as Istio's analyzers use them.

export type Labels = Record<string, string>;

/** True when every key of the selector is present in the labels with the same value. An empty selector matches everything. */
export function selectorMatches(selector: Labels, labels: Labels): boolean {
  for (const k in selector) {
    if (!Object.prototype.hasOwnProperty.call(labels, k) || labels[k] !== selector[k]) return false;
  }
  return true;
}

/** Kubernetes' string form of a set selector: keys sorted, `k=v` joined by commas; empty for an empty selector. */
export function selectorString(selector: Labels): string {
  return Object.keys(selector).sort().map((k) => `${k}=${selector[k]}`).join(',');
}

export function isEmptySelector(selector: Labels): boolean {
  for (const _k in selector) return false;
  return true;
}

/** Union of two selectors; undefined when they require different values for the same key (nothing can match both). */
export function mergeSelectors(a: Labels, b: Labels): Labels | undefined {
  const out: Labels = Object.create(null);
  for (const k in a) out[k] = a[k];
  for (const k in b) {
    if (Object.prototype.hasOwnProperty.call(out, k) && out[k] !== b[k]) return undefined;
    out[k] = b[k];
  }
  return out;
}

/** Istio's selectorSubset: every pair of x is in y (an empty x is a subset of anything). */
export function selectorSubset(x: Labels, y: Labels): boolean {
  for (const k in x) {
    if (!Object.prototype.hasOwnProperty.call(y, k) || y[k] !== x[k]) return false;
  }
  return true;
}

/** Index key of one label pair. */
export function pairKey(k: string, v: string): string {
  return `${k}\u0000${v}`;
}
