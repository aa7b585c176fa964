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

/**
 * The host a route in `routeNamespace` sees of a Gateway server host, as Istio scopes them: a
 * plain host and `*\/host` to every namespace, `ns/host` to `ns` only, `./host` to the Gateway's
 * own namespace; undefined when the route's namespace may not bind it.
 */
export function visibleHost(serverHost: string, routeNamespace: string, gatewayNamespace: string): string | undefined {
  const slash = serverHost.indexOf('/');
  if (slash < 0) return serverHost;
  const scope = serverHost.slice(0, slash);
  const host = serverHost.slice(slash + 1);
  if (scope === '*' || scope === routeNamespace || (scope === '.' && routeNamespace === gatewayNamespace)) return host;
  return undefined;
}

/** Whether a server host, scoped or not, names exactly `host` (namespace part aside). */
export function namesHost(serverHost: string, host: string): boolean {
  const slash = serverHost.indexOf('/');
  return (slash < 0 ? serverHost : serverHost.slice(slash + 1)) === host;
}
