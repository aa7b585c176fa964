// A DestinationRule's traffic policy (load balancer, connection pool, outlier detection, client
// TLS): props and checks.
import { PropChecker } from '../checks';
import { routeDuration } from './options';

/** The cookie a consistent hash is keyed on. */
export interface HashCookie {
  /** Cookie name. */
  readonly name: string;
  /** Lifetime of a cookie Envoy generates, e.g. `1h`. */
  readonly ttl: string;
  /** @default - no Path attribute */
  readonly path?: string;
}

/** Load balancing by a hash of the request, keeping a client on one endpoint. Exactly one key. */
export interface ConsistentHash {
  /** @default - none */
  readonly httpHeaderName?: string;
  /** A cookie; Envoy generates it with `ttl` when absent. @default - none */
  readonly httpCookie?: HashCookie;
  /** @default - none */
  readonly useSourceIp?: boolean;
  /** @default - none */
  readonly httpQueryParameterName?: string;
}

/** The load-balancing algorithm: `simple` or `consistentHash`, not both. */
export interface LoadBalancer {
  /** @default - Istio's default (LEAST_REQUEST) */
  readonly simple?: 'ROUND_ROBIN' | 'LEAST_REQUEST' | 'RANDOM' | 'PASSTHROUGH';
  /** @default - none */
  readonly consistentHash?: ConsistentHash;
}

/** Connection limits towards the destination (circuit breaking). */
export interface ConnectionPool {
  /** @default - Istio's defaults */
  readonly tcp?: {
    /** @default 2^32-1 */
    readonly maxConnections?: number;
    /** @default '10s' */
    readonly connectTimeout?: string;
  };
  /** @default - Istio's defaults */
  readonly http?: {
    /** Requests queued while waiting for a connection. @default 2^32-1 */
    readonly http1MaxPendingRequests?: number;
    /** Concurrent requests. @default 2^32-1 */
    readonly http2MaxRequests?: number;
    /** 1 disables keep-alive. @default 0 (unlimited) */
    readonly maxRequestsPerConnection?: number;
    /** Concurrent retries across all endpoints. @default 2^32-1 */
    readonly maxRetries?: number;
    /** @default '1h' */
    readonly idleTimeout?: string;
  };
}

/** Ejection of failing endpoints from the load-balancing pool. */
export interface OutlierDetection {
  /** @default 5 */
  readonly consecutive5xxErrors?: number;
  /** 502, 503 and 504 only. @default - off */
  readonly consecutiveGatewayErrors?: number;
  /** Time between analysis sweeps. @default '10s' */
  readonly interval?: string;
  /** @default '30s' */
  readonly baseEjectionTime?: string;
  /** @default 10 */
  readonly maxEjectionPercent?: number;
  /** @default 0 */
  readonly minHealthPercent?: number;
}

/** TLS from the client proxy to the destination. */
export interface ClientTls {
  /** `ISTIO_MUTUAL` for mesh mTLS; `SIMPLE`/`MUTUAL` for a TLS backend; `DISABLE` for plain text. */
  readonly mode: 'DISABLE' | 'SIMPLE' | 'MUTUAL' | 'ISTIO_MUTUAL';
  /** Secret with the client certificate (MUTUAL, required) or the CA (SIMPLE). @default - none */
  readonly credentialName?: string;
  /** @default - the destination host */
  readonly sni?: string;
  /** @default - any */
  readonly subjectAltNames?: string[];
}

/**
 * A typed subset of a DestinationRule's traffic policy.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#TrafficPolicy
 */
export interface TrafficPolicy {
  /** @default - Istio's default */
  readonly loadBalancer?: LoadBalancer;
  /** @default - Istio's defaults */
  readonly connectionPool?: ConnectionPool;
  /** @default - no outlier detection */
  readonly outlierDetection?: OutlierDetection;
  /** @default - Istio's auto mTLS */
  readonly tls?: ClientTls;
}

export type TrafficPolicyModel = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Traffic policy
// ---------------------------------------------------------------------------------------------

const INT32 = 2147483647;
const UINT32 = 4294967295;

export function normalizeTrafficPolicy(check: PropChecker, prop: string, t: TrafficPolicy | undefined): TrafficPolicyModel | undefined {
  if (t === undefined) return undefined;
  check.object(prop, t, true);
  check.knownProps(prop, t, ['loadBalancer', 'connectionPool', 'outlierDetection', 'tls']);
  const out: TrafficPolicyModel = {};

  if (t.connectionPool !== undefined) {
    const p = `${prop}.connectionPool`;
    check.object(p, t.connectionPool, true);
    check.knownProps(p, t.connectionPool, ['tcp', 'http']);
    const pool: Record<string, unknown> = {};
    const tcp = check.object(`${p}.tcp`, t.connectionPool.tcp);
    if (tcp) {
      check.knownProps(`${p}.tcp`, tcp, ['maxConnections', 'connectTimeout']);
      pool.tcp = compact({
        maxConnections: check.integer(`${p}.tcp.maxConnections`, tcp.maxConnections, 1, INT32),
        connectTimeout: routeDuration(check, `${p}.tcp.connectTimeout`, tcp.connectTimeout),
      });
    }
    const http = check.object(`${p}.http`, t.connectionPool.http);
    if (http) {
      check.knownProps(`${p}.http`, http, ['http1MaxPendingRequests', 'http2MaxRequests', 'maxRequestsPerConnection', 'maxRetries', 'idleTimeout']);
      pool.http = compact({
        http1MaxPendingRequests: check.integer(`${p}.http.http1MaxPendingRequests`, http.http1MaxPendingRequests, 1, INT32),
        http2MaxRequests: check.integer(`${p}.http.http2MaxRequests`, http.http2MaxRequests, 1, INT32),
        maxRequestsPerConnection: check.integer(`${p}.http.maxRequestsPerConnection`, http.maxRequestsPerConnection, 0, INT32),
        maxRetries: check.integer(`${p}.http.maxRetries`, http.maxRetries, 0, INT32),
        idleTimeout: routeDuration(check, `${p}.http.idleTimeout`, http.idleTimeout),
      });
    }
    if (Object.keys(pool).length === 0) check.fail(p, t.connectionPool, 'expected tcp or http settings, or leave it out');
    out.connectionPool = pool;
  }

  if (t.loadBalancer !== undefined) {
    const p = `${prop}.loadBalancer`;
    check.object(p, t.loadBalancer, true);
    check.knownProps(p, t.loadBalancer, ['simple', 'consistentHash']);
    const simple = check.oneOf(`${p}.simple`, t.loadBalancer.simple, ['ROUND_ROBIN', 'LEAST_REQUEST', 'RANDOM', 'PASSTHROUGH'] as const);
    const ch = check.object(`${p}.consistentHash`, t.loadBalancer.consistentHash);
    if ((simple === undefined) === (ch === undefined)) check.fail(p, t.loadBalancer, 'expected exactly one of simple or consistentHash');
    if (simple) out.loadBalancer = { simple };
    if (ch) {
      const cp = `${p}.consistentHash`;
      check.knownProps(cp, ch, ['httpHeaderName', 'httpCookie', 'useSourceIp', 'httpQueryParameterName']);
      const hash: Record<string, unknown> = {};
      if (ch.httpHeaderName !== undefined) hash.httpHeaderName = check.headerName(`${cp}.httpHeaderName`, ch.httpHeaderName);
      if (ch.httpCookie !== undefined) {
        check.object(`${cp}.httpCookie`, ch.httpCookie, true);
        check.knownProps(`${cp}.httpCookie`, ch.httpCookie, ['name', 'ttl', 'path']);
        const name = check.string(`${cp}.httpCookie.name`, ch.httpCookie.name, { required: true, nonEmpty: true })!;
        const ttl = check.duration(`${cp}.httpCookie.ttl`, ch.httpCookie.ttl);
        if (ttl === undefined) check.fail(`${cp}.httpCookie.ttl`, ch.httpCookie.ttl, 'this prop is required: the lifetime of the generated cookie, e.g. "1h"');
        const path = check.string(`${cp}.httpCookie.path`, ch.httpCookie.path, { nonEmpty: true });
        hash.httpCookie = compact({ name, path, ttl });
      }
      if (ch.useSourceIp !== undefined) {
        if (check.boolean(`${cp}.useSourceIp`, ch.useSourceIp) !== true) check.fail(`${cp}.useSourceIp`, ch.useSourceIp, 'expected true, or leave it out');
        hash.useSourceIp = true;
      }
      if (ch.httpQueryParameterName !== undefined) hash.httpQueryParameterName = check.string(`${cp}.httpQueryParameterName`, ch.httpQueryParameterName, { nonEmpty: true });
      if (Object.keys(hash).length !== 1) check.fail(cp, ch, 'expected exactly one of httpHeaderName, httpCookie, useSourceIp, httpQueryParameterName');
      out.loadBalancer = { consistentHash: hash };
    }
  }

  if (t.outlierDetection !== undefined) {
    const p = `${prop}.outlierDetection`;
    const o = check.object(p, t.outlierDetection, true);
    check.knownProps(p, o, ['consecutive5xxErrors', 'consecutiveGatewayErrors', 'interval', 'baseEjectionTime', 'maxEjectionPercent', 'minHealthPercent']);
    out.outlierDetection = compact({
      consecutive5xxErrors: check.integer(`${p}.consecutive5xxErrors`, o.consecutive5xxErrors, 0, UINT32),
      consecutiveGatewayErrors: check.integer(`${p}.consecutiveGatewayErrors`, o.consecutiveGatewayErrors, 0, UINT32),
      interval: routeDuration(check, `${p}.interval`, o.interval),
      baseEjectionTime: routeDuration(check, `${p}.baseEjectionTime`, o.baseEjectionTime),
      maxEjectionPercent: check.integer(`${p}.maxEjectionPercent`, o.maxEjectionPercent, 0, 100),
      minHealthPercent: check.integer(`${p}.minHealthPercent`, o.minHealthPercent, 0, 100),
    });
  }

  if (t.tls !== undefined) {
    const p = `${prop}.tls`;
    const tls = check.object(p, t.tls, true);
    check.knownProps(p, tls, ['mode', 'credentialName', 'sni', 'subjectAltNames']);
    const mode = check.oneOf(`${p}.mode`, tls.mode, ['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL'] as const);
    if (mode === undefined) check.fail(`${p}.mode`, tls.mode, "this prop is required: 'ISTIO_MUTUAL', 'SIMPLE', 'MUTUAL' or 'DISABLE'");
    const credentialName = check.string(`${p}.credentialName`, tls.credentialName, { nonEmpty: true });
    if (credentialName !== undefined && mode !== 'SIMPLE' && mode !== 'MUTUAL') {
      check.fail(`${p}.credentialName`, credentialName, `mode ${mode} uses no certificate Secret: remove credentialName or use SIMPLE/MUTUAL`);
    }
    if (mode === 'MUTUAL' && credentialName === undefined) {
      check.fail(`${p}.credentialName`, credentialName, 'mode MUTUAL presents a client certificate: name the Secret holding it');
    }
    const sni = check.string(`${p}.sni`, tls.sni, { nonEmpty: true });
    const sans = check.array(`${p}.subjectAltNames`, tls.subjectAltNames)?.map((s, i) => check.string(`${p}.subjectAltNames[${i}]`, s, { nonEmpty: true })!);
    if ((sni !== undefined || (sans && sans.length > 0)) && mode === 'DISABLE') {
      check.fail(`${p}.mode`, mode, 'sni and subjectAltNames need TLS: remove them or choose another mode');
    }
    out.tls = compact({ mode, credentialName, sni, subjectAltNames: sans && sans.length > 0 ? sans : undefined });
  }
  if (Object.keys(out).length === 0) check.fail(prop, t, 'expected at least one of loadBalancer, connectionPool, outlierDetection, tls; or leave it out');
  return out;
}

function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) if (o[k] !== undefined) out[k] = o[k];
  return out as Partial<T>;
}
