// TlsHost's props and their validated model: the TLS (or HTTPS) server and its optional redirect
// server for a gateway, and the route to the destination. Pure: the construct (../cdk8s/tls-host)
// adds the servers to its gateway and renders the route.
import { PropChecker } from './checks';
import { isTerminating, nameFragment, needsCredential, TLS_MODES, TlsMode } from './gateway';
import { DestinationProp, PortDestinationModel, PropReaders, ServerGateway, ServerRequest } from './routes';
import { DNS1123_SUBDOMAIN } from '../names';

/**
 * TlsHost's props besides its gateway, as the model reads them (documented on `TlsHostProps` in
 * ../cdk8s/tls-host, which types the destination's Service construct).
 */
export interface TlsHostInput {
  readonly hosts: string[];
  readonly credentialName?: string;
  readonly mode?: TlsMode;
  readonly port?: number;
  readonly httpsRedirect?: boolean;
  readonly redirectPort?: number;
  readonly destination?: DestinationProp;
  readonly name?: string;
  readonly namespace?: string;
  readonly minProtocolVersion?: 'TLSV1_2' | 'TLSV1_3';
  readonly subjectAltNames?: string[];
}

/** The props TlsHost knows, its gateway first. */
export const TLS_HOST_PROPS = ['gateway', 'hosts', 'credentialName', 'mode', 'port', 'httpsRedirect', 'redirectPort', 'destination', 'name', 'namespace', 'minProtocolVersion', 'subjectAltNames'];

/** A validated TlsHost. */
export interface TlsHostModel {
  /** Names the route and the servers' port names. */
  readonly name: string;
  /** The hosts without their namespace part (the route's hosts). */
  readonly hosts: string[];
  readonly mode: TlsMode;
  readonly port: number;
  readonly credentialName?: string;
  /** Namespace of the route. */
  readonly routeNamespace: string;
  /** Where the route sends the traffic; none: no route. */
  readonly destination?: PortDestinationModel;
  /** The TLS server, then (with `httpsRedirect`) the redirect server. */
  readonly servers: readonly ServerRequest[];
  /** True when `servers` holds the redirect server. */
  readonly httpsRedirect: boolean;
}

/** Validates TlsHost's props (all but `gateway`, which the front end resolves) for `gateway`. */
export function normalizeTlsHost(check: PropChecker, props: TlsHostInput, gateway: ServerGateway, id: string, readers: PropReaders): TlsHostModel {
  // Server hosts may be namespace-scoped (`ns/host`, `./host`, `*/host`); the route's hosts are the plain names.
  const { hosts, scopes } = check.serverHosts('hosts', props.hosts);
  const mode = check.oneOf('mode', props.mode, TLS_MODES) ?? TlsMode.SIMPLE;
  const port = check.port('port', props.port) ?? 443;
  const name = check.name('name', props.name ?? nameFragment(id))!;
  const routeNamespace = check.namespace('namespace', props.namespace) ?? gateway.namespace;

  const credentialName = check.string('credentialName', props.credentialName);
  if (credentialName !== undefined && (!DNS1123_SUBDOMAIN.test(credentialName) || credentialName.length > 253)) {
    check.fail('credentialName', credentialName, `expected the name of a Secret in namespace "${gateway.workloadNamespace}" (where the gateway pods run): lower-case letters, digits, "-" and "."`);
  }
  if (needsCredential(mode) && credentialName === undefined) {
    check.fail('credentialName', credentialName, `mode ${mode} terminates TLS with a certificate: name the Secret holding it (in namespace "${gateway.workloadNamespace}", where the gateway pods run)`);
  }
  if (!needsCredential(mode) && credentialName !== undefined) {
    check.fail('credentialName', credentialName, `mode ${mode} uses no certificate Secret (${mode === TlsMode.PASSTHROUGH ? 'the backend terminates TLS' : 'Istio\'s mesh certificates are used'}): remove credentialName or choose SIMPLE/MUTUAL`);
  }
  const minProtocolVersion = check.oneOf('minProtocolVersion', props.minProtocolVersion, ['TLSV1_2', 'TLSV1_3'] as const);
  const sans = check.array('subjectAltNames', props.subjectAltNames)?.map((s, i) => check.string(`subjectAltNames[${i}]`, s, { nonEmpty: true })!);
  if (sans && sans.length > 0 && mode !== TlsMode.MUTUAL && mode !== TlsMode.OPTIONAL_MUTUAL && mode !== TlsMode.ISTIO_MUTUAL) {
    check.fail('subjectAltNames', sans, 'subjectAltNames verify client certificates: use them with MUTUAL, OPTIONAL_MUTUAL or ISTIO_MUTUAL');
  }
  if (minProtocolVersion && mode === TlsMode.PASSTHROUGH) {
    check.fail('minProtocolVersion', minProtocolVersion, 'a PASSTHROUGH server does not terminate TLS, so the backend decides the protocol version: remove it');
  }
  const redirectPort = check.port('redirectPort', props.redirectPort) ?? 80;
  // Envoy's redirect changes only the scheme: the client keeps the host and port it used, so
  // the redirect works only from the default HTTP port (80) to the default HTTPS port (443),
  // as the clients reach them (a shared gateway's Service port, not its targetPort).
  const clientTlsPort = gateway.clientPort(port);
  const clientRedirectPort = gateway.clientPort(redirectPort);
  const redirectWorks = clientTlsPort === 443 && clientRedirectPort === 80;
  const httpsRedirect = check.boolean('httpsRedirect', props.httpsRedirect) ?? (isTerminating(mode) && (redirectWorks || props.redirectPort !== undefined));
  if (httpsRedirect && !redirectWorks) {
    const [prop, value, clientPort, expected] = clientTlsPort !== 443
      ? ['port', port, clientTlsPort, 443] : ['redirectPort', redirectPort, clientRedirectPort, 80];
    const via = clientPort !== value ? ` (clients reach it as port ${clientPort})` : '';
    check.fail(prop, value,
      `httpsRedirect needs the TLS port to be 443 and the redirect port 80${via}: Envoy's redirect swaps only the scheme and keeps the host and port, ` +
      `so http://host:${clientRedirectPort} would be sent to https://host:${clientRedirectPort}, a plain-text port; ` +
      `use ${prop} ${expected}, or set httpsRedirect: false`);
  }
  if (props.redirectPort !== undefined && !httpsRedirect) {
    check.fail('redirectPort', props.redirectPort, 'redirectPort applies only with httpsRedirect: true');
  }
  if (httpsRedirect && redirectPort === port) {
    check.fail('redirectPort', redirectPort, `the redirect is served over plain HTTP and cannot share the TLS port ${port}`);
  }

  let destination: PortDestinationModel | undefined;
  if (props.destination !== undefined) {
    destination = readers.destination(check, 'destination', props.destination, true);
    gateway.refuseOwnService(check, 'destination.host', destination.host, routeNamespace);
    // The route this TlsHost writes must be admitted by every host's namespace part, or it would not bind.
    scopes.forEach((scope, i) => {
      const admits = scope === undefined || scope === '*' || scope === routeNamespace || (scope === '.' && routeNamespace === gateway.namespace);
      if (!admits) {
        check.fail(`hosts[${i}]`, props.hosts[i], `the host admits routes only from namespace "${scope === '.' ? gateway.namespace : scope}", but this TlsHost's route (destination) is in namespace "${routeNamespace}": ` +
          'set namespace to match, or scope the host to the route\'s namespace');
      }
    });
  }
  const hostScopes = scopes.some((x) => x !== undefined) ? { hostScopes: scopes } : {};

  const protocol = mode === TlsMode.PASSTHROUGH ? 'TLS' : 'HTTPS';
  const servers: ServerRequest[] = [{
    server: {
      port,
      portName: `${protocol.toLowerCase()}-${port}-${name}`,
      protocol,
      hosts,
      ...hostScopes,
      tls: { mode, credentialName, minProtocolVersion, subjectAltNames: sans },
    },
    prop: 'hosts',
  }];
  if (httpsRedirect) {
    servers.push({
      server: { port: redirectPort, portName: `http-${redirectPort}-redirect-${name}`, protocol: 'HTTP', hosts, ...hostScopes, tls: { httpsRedirect: true } },
      prop: 'httpsRedirect',
    });
  }
  return {
    name, hosts, mode, port, routeNamespace, servers, httpsRedirect,
    ...(credentialName !== undefined ? { credentialName } : {}),
    ...(destination ? { destination } : {}),
  };
}
