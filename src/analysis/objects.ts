// Defensive readers for untyped Kubernetes objects: the analyzer never throws on odd input,
// it reads what has the expected shape and treats everything else as absent.

export type Dict = Record<string, unknown>;

export function isRecord(v: unknown): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value when it is a non-empty string... or an empty one; undefined for other types. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** A record, or an empty one when the value is not a record. */
export function rec(v: unknown): Dict {
  return isRecord(v) ? v : {};
}

/** An array, or an empty one when the value is not an array. */
export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/**
 * The records of an array, skipping other entries. Read-only: when every entry is a record (the
 * usual case) it is the input array itself, not a copy (analyzers read these lists per object; a
 * copy of each was most of what the analysis allocated).
 */
export function recs(v: unknown): readonly Dict[] {
  if (!Array.isArray(v)) return EMPTY;
  for (let i = 0; i < v.length; i++) {
    if (!isRecord(v[i])) return v.filter(isRecord);
  }
  return v as Dict[];
}

/** The strings of an array, skipping other entries. Read-only: the input array itself when it holds only strings. */
export function strs(v: unknown): readonly string[] {
  if (!Array.isArray(v)) return EMPTY;
  for (let i = 0; i < v.length; i++) {
    if (typeof v[i] !== 'string') return v.filter((x): x is string => typeof x === 'string');
  }
  return v as string[];
}

const EMPTY: readonly never[] = Object.freeze([]);
const EMPTY_MAP: Record<string, string> = Object.freeze(Object.create(null));

/** An integer from a number or a decimal string; undefined otherwise. */
export function int(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

/**
 * A string map (labels, selectors, annotations) as a prototype-less object, so that keys such as
 * `constructor` are plain data. Scalar values are turned into strings (YAML `version: 1`);
 * nested values are dropped.
 */
export function strMap(v: unknown): Record<string, string> {
  // Most objects have no annotations, many no labels: one shared empty map (frozen, so that a write
  // would throw instead of leaking into every object) instead of a prototype-less object each.
  if (!isRecord(v)) return EMPTY_MAP;
  let any = false;
  for (const _k in v) { any = true; break; }
  if (!any) return EMPTY_MAP;
  const out: Record<string, string> = Object.create(null);
  // Object.keys, not Object.entries: one array per map instead of one more per key (hot: every
  // object's labels and annotations, and every selector, are read through here).
  for (const k of Object.keys(v)) {
    const val = v[k];
    if (typeof val === 'string') out[k] = val;
    else if (typeof val === 'number' || typeof val === 'boolean') out[k] = String(val);
  }
  return out;
}

export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}
