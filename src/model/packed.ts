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
