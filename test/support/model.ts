// Helpers for the model's unit tests: a checker, a stand-in gateway and the refusal a call throws.
// No cdk8s: the model takes plain values and a gateway's facts.
import { IstioGatewayError } from '../../src/errors';
import { PropChecker } from '../../src/model/checks';
import { ServerGateway } from '../../src/model/routes';

/** A checker naming the construct as the constructs do. */
export function checker(kind = 'TlsHost', path = 'test/x'): PropChecker {
  return new PropChecker(`${kind} '${path}'`);
}

/**
 * The facts of a gateway named `gw` in `ns` whose pods run in `workloadNamespace`, whose Service
 * (named `gw`) maps client ports through `portMap` (an istioctl gateway maps 80 to 8080).
 */
export function gatewayFacts(o: { ns?: string; workloadNamespace?: string; api?: 'istio' | 'gateway-api'; portMap?: Record<number, number> } = {}): ServerGateway {
  const namespace = o.ns ?? 'payments';
  const workloadNamespace = o.workloadNamespace ?? namespace;
  const clientOf = new Map(Object.entries(o.portMap ?? {}).map(([client, target]) => [target, Number(client)]));
  return {
    namespace, workloadNamespace, ref: `${namespace}/gw`, api: o.api ?? 'istio',
    clientPort: (port) => clientOf.get(port) ?? port,
    refuseOwnService: (check, prop, host, routeNamespace) => {
      if ((host === 'gw' && routeNamespace === workloadNamespace) || host === `gw.${workloadNamespace}.svc.cluster.local`) check.fail(prop, host, 'the gateway\'s own Service');
    },
  };
}

/** The IstioGatewayError `fn` throws; fails when it throws nothing or something else. */
export function refusal(fn: () => unknown): IstioGatewayError {
  try {
    fn();
  } catch (e) {
    if (e instanceof IstioGatewayError) return e;
    throw e;
  }
  throw new Error('expected an IstioGatewayError, but the call returned');
}
