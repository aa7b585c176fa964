// TcpGateway's and TcpCanaryRoute's models, called directly: props in, the TCP server, the route's
// split and how the versions are selected out, or the refusal. No cdk8s.
import { PLAIN_READERS } from '../src/model/routes';
import { normalizeTcpCanaryRoute, normalizeTcpGateway, TcpCanaryRouteInput, TcpGatewayInput } from '../src/model/tcp';
import { checker, gatewayFacts, refusal } from './support/model';

const V1 = { subset: 'v1', labels: { version: 'v1' } };
const V2 = { subset: 'v2', labels: { version: 'v2' } };
const tcp = (props: TcpGatewayInput, gw = gatewayFacts()) => normalizeTcpGateway(checker('TcpGateway'), props, gw, 'ledger', PLAIN_READERS);
const canary = (props: Partial<TcpCanaryRouteInput>, gw = gatewayFacts()) => normalizeTcpCanaryRoute(checker('TcpCanaryRoute'),
  { port: 31400, destination: { host: 'tcp-echo', port: 9000 }, stable: V1, canary: { ...V2, weight: 20 }, ...props }, gw, 'tcp-echo', PLAIN_READERS);

describe('normalizeTcpGateway', () => {
  test('a TCP server on the port, for any host, named after the id, with the route in the gateway namespace', () => {
    const m = tcp({ port: 7000, destination: { host: 'ledger', port: 7000 } });
    expect(m).toEqual({
      port: 7000, destination: { host: 'ledger', port: 7000 }, hosts: ['*'], name: 'ledger', routeNamespace: 'payments',
      server: { server: { port: 7000, portName: 'tcp-7000-ledger', protocol: 'TCP', hosts: ['*'] }, prop: 'port' },
    });
  });

  test('name, namespace and hosts as given', () => {
    const m = tcp({ port: 7000, destination: { host: 'ledger', port: 7000 }, name: 'books', namespace: 'finance', hosts: ['ledger.example.com'] });
    expect([m.name, m.routeNamespace, m.hosts, m.server.server.portName]).toEqual(['books', 'finance', ['ledger.example.com'], 'tcp-7000-books']);
  });

  test.each([
    ['a missing port', { destination: { host: 'ledger', port: 7000 } }, 'port', undefined, 'the port the gateway listens on (1-65535)'],
    ['a port out of range', { port: 70000, destination: { host: 'ledger', port: 7000 } }, 'port', 70000, 'an integer from 1 to 65535'],
    ['a destination without a port', { port: 7000, destination: { host: 'ledger' } }, 'destination.port', undefined, 'this prop is required'],
    ['the gateway\'s own Service', { port: 7000, destination: { host: 'gw.payments.svc.cluster.local', port: 80 } }, 'destination.host', 'gw.payments.svc.cluster.local', 'own Service'],
    ['an invalid namespace', { port: 7000, destination: { host: 'ledger', port: 7000 }, namespace: 'Finance' }, 'namespace', 'Finance', ''],
  ])('refuses %s', (_what, props, prop, value, expected) => {
    const e = refusal(() => tcp(props as TcpGatewayInput));
    expect([e.construct, e.prop, e.value]).toEqual(["TcpGateway 'test/x'", prop, value]);
    expect(e.message).toContain(expected);
  });
});

describe('normalizeTcpCanaryRoute', () => {
  test("Istio's tcp-echo task: the split 80/20, a DestinationRule in the route's namespace", () => {
    const m = canary({});
    expect(m.split).toEqual([{ subset: 'v1', weight: 80 }, { subset: 'v2', weight: 20 }]);
    expect(m.versions.weight).toBe(20);
    expect(m.selection).toEqual({ api: 'istio' });
    expect(m.destinationRuleNamespace).toBe('payments');
    expect(m.server.server).toEqual({ port: 31400, portName: 'tcp-31400-tcp-echo', protocol: 'TCP', hosts: ['*'] });
  });

  test('both subsets stay in the split at 0 and 100', () => {
    expect(canary({ canary: { ...V2, weight: 0 } }).split).toEqual([{ subset: 'v1', weight: 100 }, { subset: 'v2', weight: 0 }]);
    expect(canary({ canary: { ...V2, weight: 100 } }).split).toEqual([{ subset: 'v1', weight: 0 }, { subset: 'v2', weight: 100 }]);
  });

  test('a fully qualified destination puts the DestinationRule in its namespace', () => {
    expect(canary({ destination: { host: 'tcp-echo.echo.svc.cluster.local', port: 9000 } }).destinationRuleNamespace).toBe('echo');
  });

  test('on a Gateway API gateway the versions are selected by the destination selector, when given', () => {
    const m = canary({ destinationSelector: { app: 'tcp-echo' } }, gatewayFacts({ api: 'gateway-api' }));
    expect(m.selection).toEqual({ api: 'gateway-api', destinationSelector: { app: 'tcp-echo' } });
  });

  test('a traffic policy goes to the DestinationRule', () => {
    const m = canary({ trafficPolicy: { connectionPool: { tcp: { maxConnections: 10 } } } });
    expect(m.selection).toEqual({ api: 'istio', trafficPolicy: { connectionPool: { tcp: { maxConnections: 10 } } } });
  });

  test.each([
    ['a weight above 100', { canary: { ...V2, weight: 101 } }, 'canary.weight', 101, 'an integer from 0 to 100'],
    ['a missing weight', { canary: { ...V2 } }, 'canary.weight', undefined, 'the canary\'s percentage of new connections; stable gets the rest'],
    ['one subset name twice', { canary: { ...V1, labels: { version: 'v2' }, weight: 5 } }, 'canary.subset', 'v1', 'give each subset its own name'],
    ['canary labels that stable pods carry too', { canary: { subset: 'v2', labels: {}, weight: 5 } }, 'canary.labels', {}, 'an empty set would select every pod'],
    ['overlapping labels', { canary: { subset: 'v2', labels: { version: 'v1', track: 'canary' }, weight: 5 } }, 'canary.labels', { version: 'v1', track: 'canary' }, 'the stable subset would select canary pods too'],
    ['a workload without the cdk8s front end', { stable: { subset: 'v1', workload: {} as never } }, 'stable.workload', {}, 'give the subset\'s labels instead'],
    ['an unknown canary prop', { canary: { ...V2, weight: 5, match: [] } as never }, 'canary.match', [], ''],
  ])('refuses %s', (_what, props, prop, value, expected) => {
    const e = refusal(() => canary(props as Partial<TcpCanaryRouteInput>));
    expect([e.construct, e.prop, e.value]).toEqual(["TcpCanaryRoute 'test/x'", prop, value]);
    expect(e.message).toContain(expected);
  });

  test('each API refuses the other\'s way of selecting versions, naming the gateway', () => {
    const policy = refusal(() => canary({ trafficPolicy: { connectionPool: { tcp: { maxConnections: 10 } } } }, gatewayFacts({ api: 'gateway-api' })));
    expect([policy.prop, policy.message]).toEqual(['trafficPolicy', expect.stringContaining("remove trafficPolicy, or use a gateway with api 'istio'")]);
    const selector = refusal(() => canary({ destinationSelector: { app: 'tcp-echo' } }));
    expect([selector.prop, selector.message]).toEqual(['destinationSelector', expect.stringContaining("applies only on a gateway with api 'gateway-api'")]);
  });
});
