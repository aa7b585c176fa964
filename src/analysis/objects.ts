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
 * A string map (labels, selectors, annotations). Scalar values are turned into strings (YAML
 * `version: 1`); nested values are dropped. Read-only: a plain object whose values are all strings
 * (the usual case: every object a construct renders) is returned itself, not copied; otherwise a
 * prototype-less copy. Readers look keys up with `hasOwnProperty`, by fixed names, or by the keys
 * of another such map (whose values are strings, never a prototype's member), so a key such as
 * `constructor` is plain data either way.
 */
export function strMap(v: unknown): Record<string, string> {
  // Most objects have no annotations, many no labels: one shared empty map (frozen, so that a write
  // would throw instead of leaking into every object) instead of a prototype-less object each.
  if (!isRecord(v)) return EMPTY_MAP;
  let any = false;
  let strings = true;
  for (const k in v) {
    any = true;
    if (typeof v[k] !== 'string') { strings = false; break; }
  }
  if (!any) return EMPTY_MAP;
  // The copies were a tenth of what an analysis allocated (every object's labels and annotations),
  // and they live as long as the index: each scavenge during the analysis copied them.
  if (strings) {
    const proto = Object.getPrototypeOf(v);
    if (proto === Object.prototype || proto === null) return v as Record<string, string>;
  }
  return strMapCopy(v);
}

/** {@link strMap} as a new prototype-less object, always (also for an empty map or a non-record). */
export function strMapCopy(v: unknown): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  if (!isRecord(v)) return out;
  // Object.keys, not Object.entries: one array per map instead of one more per key.
  const keys = Object.keys(v);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const val = v[k];
    if (typeof val === 'string') out[k] = val;
    else if (typeof val === 'number' || typeof val === 'boolean') out[k] = String(val);
  }
  return out;
}

export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}
