// service.PortNameAnalyzer (Istio 1.30): a Service port whose protocol Istio cannot tell from its name
// (or appProtocol) is treated as unknown and sniffed (IST0118); an ExternalName Service must not have
// an unusable port name (IST0150). Control-plane Services (label `istio`, or `release: istio`) and
// Services of gateways managed by Istio's Gateway API controller are skipped.

import { MESSAGES } from '../messages';
import { int, recs, str } from '../objects';
import { Analyzer } from './framework';

const PROTOCOLS = new Set(['tcp', 'udp', 'grpc', 'grpc-web', 'http', 'http_proxy', 'http2', 'https', 'tls', 'mongo', 'redis', 'mysql']);
/** Ports Istio treats as TCP when the name says nothing (SMTP, DNS, MySQL, MongoDB). */
const WELL_KNOWN_TCP = new Set([25, 53, 3306, 27017]);
const APP_PROTOCOL_ALIASES = new Set(['kubernetes.io/h2c', 'kubernetes.io/ws', 'kubernetes.io/wss']);
const GATEWAY_MANAGED_LABEL = 'gateway.istio.io/managed';

/** Whether Istio's protocol conversion (kube ConvertProtocol) can name a protocol for this port. */
export function portProtocolKnown(port: number, name: string, protocol: string | undefined, appProtocol: string | undefined): boolean {
  if (protocol === 'UDP') return true;
  let n = name;
  if (appProtocol !== undefined) {
    if (APP_PROTOCOL_ALIASES.has(appProtocol)) return true;
    n = appProtocol;
  }
  if (n.length >= 8 && n.slice(0, 8).toLowerCase() === 'grpc-web') return true;
  const dash = n.indexOf('-');
  if (dash >= 0) n = n.slice(0, dash);
  if (PROTOCOLS.has(n.toLowerCase())) return true;
  return WELL_KNOWN_TCP.has(port);
}

export const portNameAnalyzer: Analyzer = {
  name: 'service.PortNameAnalyzer',
  run(ctx) {
    const services = ctx.index.list('Service');
    for (let i = 0; i < services.length; i++) {
      const svc = services[i];
      // What it finds is only ever reported on the Service itself, and nothing is reported on a declared
      // external (`report` drops it): skipped before reading its ports. Most Services of a synth
      // check are declared backends (4,000 of 5,000 at 1,000 teams).
      if (svc.external) continue;
      if ('istio' in svc.labels || svc.labels.release === 'istio') continue;
      // Istio's check reads `ok && v == istio.io-gateway-controller || v == mesh || v == east-west`.
      const managed = svc.labels[GATEWAY_MANAGED_LABEL];
      if (managed === 'istio.io-gateway-controller' || managed === 'istio.io-mesh-controller'
        || managed === 'istio.io-eastwest-controller') continue;
      const externalName = str(svc.spec.type) === 'ExternalName';
      const ports = recs(svc.spec.ports);
      for (let j = 0; j < ports.length; j++) {
        const p = ports[j];
        const name = str(p.name) ?? '';
        const number = int(p.port) ?? 0;
        const known = portProtocolKnown(number, name, str(p.protocol), str(p.appProtocol));
        if (known && !(name === 'tcp' && externalName)) continue;
        if (externalName) {
          ctx.report(svc, MESSAGES.ExternalNameServiceTypeInvalidPortName, [],
            `Fix: name port ${number} ("${name}") of this ExternalName Service after its protocol (e.g. "https", "http-web"); `
            + '"tcp" and names without a protocol are not forwarded correctly.');
          continue;
        }
        const target = p.targetPort === undefined ? '0' : String(p.targetPort);
        ctx.report(svc, MESSAGES.PortNameIsNotUnderNamingConvention, [name, number, target],
          `Fix: name the port <protocol>[-<suffix>] (e.g. "http-web", "grpc", "tcp-db") or set appProtocol, so Istio need not sniff the protocol.`);
      }
    }
  },
};
