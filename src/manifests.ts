// Plain Kubernetes manifests as kubectl reads them, shared by the analyzer, the validator, the
// CLI, graph, review, migrate and the synth check: which objects are Lists to flatten, and how
// messages name an object. One copy of each rule, so every command reads one input the same way.

type Dict = Record<string, unknown>;

/** A mapping: an object that is neither null nor an array (the analyzer keeps its own, isRecord in analysis/objects). */
export function isDict(v: unknown): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * True for a List kubectl flattens: `kind: List` (v1) or any `<Kind>List` (`ServiceList`,
 * `VirtualServiceList`, ...) whose `items` is an array. A List without an `items` array is not
 * one: it stays an object, so the validator reports it and nothing vanishes silently.
 */
export function isListObject(v: unknown): v is Dict & { items: unknown[] } {
  return isDict(v) && typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items);
}

/**
 * Calls `fn` with every value of `objects`, Lists (see {@link isListObject}) replaced by their items,
 * at any depth; anything else (objects of other kinds, and values that are not objects at all) is
 * passed as it is. Builds no array: the input may hold hundreds of thousands of objects.
 */
export function forEachListItem(objects: Iterable<unknown>, fn: (o: unknown) => void): void {
  for (const o of objects) {
    if (isListObject(o)) forEachListItem(o.items, fn);
    else fn(o);
  }
}

/** {@link forEachListItem} as an array. */
export function flattenLists(objects: Iterable<unknown>): unknown[] {
  const out: unknown[] = [];
  forEachListItem(objects, (o) => out.push(o));
  return out;
}

/** {@link flattenLists}, keeping only the values that are objects (what the readers of kinds and names can use). */
export function flattenObjects(objects: Iterable<unknown>): Dict[] {
  const out: Dict[] = [];
  forEachListItem(objects, (o) => { if (isDict(o)) out.push(o); });
  return out;
}

/**
 * How a message names an object: `Kind namespace/name`, or `Kind name` when it names no namespace
 * (istioctl's form). Never throws on odd input: a value that is not an object is
 * `<document #n>`, a missing kind `<no kind>`, a missing name the `generateName` followed by `*`
 * or `<unnamed #n>` (`n` counts from 1 when `index`, the value's 0-based position, is given).
 */
export function originOf(obj: unknown, index?: number): string {
  const at = index !== undefined ? ` #${index + 1}` : '';
  if (!isDict(obj)) return `<document${at}>`;
  const kind = typeof obj.kind === 'string' && obj.kind !== '' ? obj.kind : '<no kind>';
  const md = isDict(obj.metadata) ? obj.metadata : {};
  const name = typeof md.name === 'string' && md.name !== '' ? md.name
    : typeof md.generateName === 'string' && md.generateName !== '' ? `${md.generateName}*` : `<unnamed${at}>`;
  return typeof md.namespace === 'string' && md.namespace !== '' ? `${kind} ${md.namespace}/${name}` : `${kind} ${name}`;
}
