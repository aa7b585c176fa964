// Lists the model keeps (a route's hosts and gateways, a gateway's servers and ports), built so
// that V8 gives them one hidden class whichever tier runs the code that builds them.

/**
 * `list.map(f)`, built by push. In Node 20, `Array.prototype.map` returns a packed array while its
 * caller runs in the interpreter and a holey one once TurboFan has optimized the caller, so a
 * platform's lists changed hidden class part-way through (for 1,000 teams: after a few hundred),
 * and every function already optimized for the first kind was deoptimized ("wrong map") and
 * compiled again. A list built by push stays packed in every tier.
 */
export function mapPacked<T, U>(list: readonly T[], f: (item: T, index: number) => U): U[] {
  const out: U[] = [];
  for (let i = 0; i < list.length; i++) out.push(f(list[i], i));
  return out;
}

/**
 * `{ ...parts[0], ...parts[1], ... }` for maps of strings (labels, annotations), built by
 * assignment in the same key order, later parts winning. In Node 20 an object literal that starts
 * with a spread and goes on (`{ ...labels, [key]: value }`) gives every object it makes a hidden
 * class of its own, so each team's labels had their own and so did every copy of them (the
 * metadata of each of its objects); objects built key by key share theirs.
 */
export function mergedRecord(...parts: readonly (Readonly<Record<string, string>> | undefined)[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of parts) {
    if (!part) continue;
    for (const key of Object.keys(part)) {
      // as a spread defines it: an own property even for `__proto__` (never a valid label key)
      if (key === '__proto__') Object.defineProperty(out, key, { value: part[key], enumerable: true, writable: true, configurable: true });
      else out[key] = part[key];
    }
  }
  return out;
}
