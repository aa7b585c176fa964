// An independent statement of how Istio binds route hosts to server hosts, used as the oracle of
// the property tests (deliberately not the library's own hostsIntersect).

/** Whether two hosts overlap as Istio binds routes to servers (case-insensitive, leading wildcards). */
export function intersects(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y || x === '*' || y === '*') return true;
  const wx = x.startsWith('*.') ? x.slice(1) : undefined;
  const wy = y.startsWith('*.') ? y.slice(1) : undefined;
  if (wx && wy) return wx.endsWith(wy) || wy.endsWith(wx);
  if (wx) return y.endsWith(wx);
  if (wy) return x.endsWith(wy);
  return false;
}
