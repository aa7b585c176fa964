// Input checks shared by every construct. Each check either returns the normalized value or
// throws an IstioGatewayError naming the construct, the prop, the bad value and what is valid.
// Kept free of cdk8s and Pulumi so both front ends and the model share one set of rules.
import { IstioGatewayError } from '../errors';
import { DNS1035_LABEL, DNS1123_LABEL, DNS1123_SUBDOMAIN } from '../names';
import { mapPacked } from './packed';

// Istio accepts upper case in host labels (dns1123LabelFmt is case-insensitive there).
const HOST_LABEL = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9a-zA-Z]+$/;

/**
 * Checks the props of one construct. `construct` is how errors name it, e.g.
 * `TenantGateway 'platform/payments'` (class and construct path).
 */
export class PropChecker {
  private undo?: () => void;

  constructor(public readonly construct: string) {}

  /**
   * Until {@link constructed}, a refusal first runs `undo` (a construct that joined the tree
   * before validating detaches itself, so a refused input leaves nothing behind).
   */
  whileConstructing(undo: () => void): void {
    this.undo = undo;
  }

  /** The construct is built: later refusals (methods called on it) leave it in place. */
  constructed(): void {
    this.undo = undefined;
  }

  /** Throws for `prop` holding `value`; `expected` says what would be valid. */
  fail(prop: string, value: unknown, expected: string): never {
    const undo = this.undo;
    this.undo = undefined;
    undo?.();
    throw new IstioGatewayError({ construct: this.construct, prop, value, expected });
  }

  object<T>(prop: string, value: T | undefined, required: true): T;
  object<T>(prop: string, value: T | undefined, required?: false): T | undefined;
  object<T>(prop: string, value: T | undefined, required = false): T | undefined {
    if (value === undefined) {
      if (required) this.fail(prop, value, 'this prop is required');
      return undefined;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail(prop, value, 'expected an object');
    }
    return value;
  }

  array<T>(prop: string, value: readonly T[] | undefined, opts: { required?: boolean; nonEmpty?: boolean } = {}): readonly T[] | undefined {
    if (value === undefined) {
      if (opts.required) this.fail(prop, value, 'this prop is required (a list)');
      return undefined;
    }
    if (!Array.isArray(value)) this.fail(prop, value, 'expected a list');
    if (opts.nonEmpty && value.length === 0) this.fail(prop, value, 'expected at least one entry');
    this.noHoles(prop, value);
    return value;
  }

  /** Refuses a sparse list (`[, 'a']`): `map` and `forEach` skip its empty slots, so they would escape every check. */
  private noHoles(prop: string, value: readonly unknown[]): void {
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) this.fail(`${prop}[${i}]`, undefined, 'expected a value: the list has an empty slot here (two commas in a row?)');
    }
  }

  boolean(prop: string, value: unknown): boolean | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') this.fail(prop, value, 'expected true or false');
    return value;
  }

  string(prop: string, value: unknown, opts: { required?: boolean; nonEmpty?: boolean } = {}): string | undefined {
    if (value === undefined) {
      if (opts.required) this.fail(prop, value, 'this prop is required (a string)');
      return undefined;
    }
    if (typeof value !== 'string') this.fail(prop, value, 'expected a string');
    if (opts.nonEmpty && value.trim() === '') this.fail(prop, value, 'expected a non-empty string');
    return value;
  }

  oneOf<T extends string>(prop: string, value: unknown, allowed: readonly T[]): T | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.fail(prop, value, `expected one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
    }
    return value as T;
  }

  integer(prop: string, value: unknown, min: number, max: number): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(prop, value, `expected an integer from ${min} to ${max}`);
    }
    return value;
  }

  /** A TCP/UDP port number, 1..65535. */
  port(prop: string, value: unknown): number | undefined {
    return this.integer(prop, value, 1, 65535);
  }

  /** A Kubernetes object name usable for every kind we emit (DNS-1123 label, max 63). */
  name(prop: string, value: unknown): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.length > 63 || !DNS1123_LABEL.test(value)) {
      this.fail(prop, value, 'expected a DNS-1123 label: at most 63 characters of lower-case letters, digits and \'-\', starting and ending with a letter or digit (e.g. "payments-gw")');
    }
    return value;
  }

  /**
   * A name that also names a Service (DNS-1035 label: starts with a letter, max 63), as the API
   * server requires of Service names; `fix` is appended to the message.
   */
  serviceName(prop: string, value: unknown, fix = ''): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.length > 63 || !DNS1035_LABEL.test(value)) {
      const letterFix = typeof value === 'string' && /^[0-9]/.test(value) && DNS1123_LABEL.test(value) && value.length < 63
        ? `; a Service name may not start with a digit, e.g. "gw-${value}"` : '';
      this.fail(prop, value, 'expected a DNS-1035 label, as a Service name must be: at most 63 characters of lower-case letters, digits and \'-\', ' +
        `starting with a letter and ending with a letter or digit (e.g. "payments-gw")${letterFix}${fix}`);
    }
    return value;
  }

  /** A label key or other qualified name (toleration key, topology key): optional DNS subdomain prefix and "/", then a name. */
  qualifiedName(prop: string, value: unknown, opts: { required?: boolean } = {}): string | undefined {
    if (value === undefined) {
      if (opts.required) this.fail(prop, value, 'this prop is required: a label key such as "topology.kubernetes.io/zone"');
      return undefined;
    }
    if (typeof value !== 'string' || !isLabelKey(value)) {
      this.fail(prop, value, 'expected a label key (qualified name): an optional DNS subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit (e.g. "topology.kubernetes.io/zone")');
    }
    return value;
  }

  /** A namespace name (DNS-1123 label). */
  namespace(prop: string, value: unknown, required = false): string | undefined {
    if (value === undefined) {
      if (required) this.fail(prop, value, 'this prop is required: a namespace name such as "payments"');
      return undefined;
    }
    if (typeof value !== 'string' || value.length > 63 || !DNS1123_LABEL.test(value)) {
      this.fail(prop, value, 'expected a namespace name: a DNS-1123 label of at most 63 lower-case letters, digits and \'-\' (e.g. "istio-system")');
    }
    return value;
  }

  /**
   * A host as Istio accepts it in a Gateway server or VirtualService: `*`, or a DNS name whose
   * first label may be `*` (`*.example.com`); no scheme, port, path or namespace prefix.
   */
  host(prop: string, value: unknown): string {
    if (typeof value !== 'string' || !isValidHost(value)) {
      this.fail(prop, value, 'expected a host name such as "shop.example.com", "*.example.com" or "*" (wildcards only as a leading "*." or a lone "*"; no scheme, port or path; at most 253 characters)');
    }
    return value;
  }

  /**
   * Gateway server hosts as Istio accepts them: `host`, or namespace-scoped `ns/host`, `./host`
   * (the Gateway's namespace) or `*\/host` (any namespace). Returns the plain hosts and, by index,
   * the namespace part (undefined when none was given).
   */
  serverHosts(prop: string, value: unknown): { hosts: string[]; scopes: (string | undefined)[] } {
    if (!Array.isArray(value)) this.fail(prop, value, 'expected a list of host names, e.g. ["shop.example.com"]');
    if (value.length === 0) this.fail(prop, value, 'expected at least one host name');
    this.noHoles(prop, value);
    const plain: unknown[] = [];
    const scopes: (string | undefined)[] = [];
    value.forEach((h, i) => {
      if (typeof h === 'string' && h.includes('/')) {
        const slash = h.indexOf('/');
        const scope = h.slice(0, slash);
        if (scope !== '.' && scope !== '*' && (scope.length > 63 || !DNS1123_LABEL.test(scope))) {
          this.fail(`${prop}[${i}]`, h, 'expected "namespace/host", "./host" or "*/host" (the part before "/" is a namespace name, "." for the Gateway\'s namespace or "*" for any)');
        }
        scopes.push(scope);
        plain.push(h.slice(slash + 1));
      } else {
        scopes.push(undefined);
        plain.push(h);
      }
    });
    const seen = new Set<string>();
    const hosts = mapPacked(plain, (h, i) => {
      if (typeof h !== 'string' || !isValidHost(h)) {
        this.fail(`${prop}[${i}]`, value[i], 'expected a host name such as "shop.example.com", "*.example.com" or "*", optionally scoped to the namespaces whose routes may bind it ("team/shop.example.com", "./shop.example.com", "*/shop.example.com")');
      }
      const key = h.toLowerCase();
      if (seen.has(key)) this.fail(`${prop}[${i}]`, value[i], 'each host may be listed once (whatever namespace it is scoped to); remove the duplicate');
      seen.add(key);
      return h;
    });
    return { hosts, scopes };
  }

  /** A list of hosts: non-empty, each valid, no duplicates. */
  hosts(prop: string, value: unknown, opts: { allowEmpty?: boolean } = {}): string[] {
    if (!Array.isArray(value)) this.fail(prop, value, 'expected a list of host names, e.g. ["shop.example.com"]');
    if (value.length === 0 && !opts.allowEmpty) this.fail(prop, value, 'expected at least one host name');
    this.noHoles(prop, value);
    const seen = new Set<string>();
    return mapPacked(value, (h, i) => {
      const host = this.host(`${prop}[${i}]`, h);
      const key = host.toLowerCase();
      if (seen.has(key)) this.fail(`${prop}[${i}]`, h, 'each host may be listed once; remove the duplicate');
      seen.add(key);
      return host;
    });
  }

  /** A DNS-1123 subdomain, e.g. a Service host `reviews` or `reviews.bookinfo.svc.cluster.local`. */
  serviceHost(prop: string, value: unknown): string {
    if (typeof value !== 'string' || value.length > 253 || !DNS1123_SUBDOMAIN.test(value)) {
      this.fail(prop, value, 'expected a Kubernetes Service host: a short name ("reviews") or a fully qualified one ("reviews.bookinfo.svc.cluster.local"), lower-case');
    }
    return value;
  }

  /**
   * A route destination `{ host, port }`: a Service host and, when `portRequired` or given, a port.
   */
  destination(prop: string, value: unknown, portRequired: true): { host: string; port: number };
  destination(prop: string, value: unknown, portRequired?: false): { host: string; port?: number };
  destination(prop: string, value: unknown, portRequired = false): { host: string; port?: number } {
    const d = this.object<{ host?: unknown; port?: unknown }>(prop, value as { host?: unknown; port?: unknown }, true);
    this.knownProps(prop, d, ['host', 'port']);
    const host = this.serviceHost(`${prop}.host`, d.host);
    const port = this.port(`${prop}.port`, d.port);
    if (port === undefined && portRequired) this.fail(`${prop}.port`, d.port, 'this prop is required: the Service port to send traffic to (1-65535)');
    return port === undefined ? { host } : { host, port };
  }

  /** Kubernetes labels (or a selector): valid keys and values, copied. */
  labels(prop: string, value: unknown, opts: { nonEmpty?: boolean } = {}): Record<string, string> {
    if (value === undefined) {
      if (opts.nonEmpty) this.fail(prop, value, 'expected at least one label, e.g. { version: "v1" }');
      return {};
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail(prop, value, 'expected an object of label keys to string values, e.g. { app: "web" }');
    }
    const out: Record<string, string> = {};
    const keys = Object.keys(value).sort();
    if (opts.nonEmpty && keys.length === 0) this.fail(prop, value, 'expected at least one label, e.g. { version: "v1" }');
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const v = (value as Record<string, unknown>)[k];
      if (!isLabelKey(k)) {
        this.fail(`${prop}['${k}']`, k, 'expected a label key: an optional DNS subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or "."');
      }
      if (typeof v !== 'string' || !isLabelValue(v)) {
        this.fail(`${prop}['${k}']`, v, 'expected a label value: a string of at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit');
      }
      out[k] = v;
    }
    return out;
  }

  /** Annotations: valid keys, string values. */
  annotations(prop: string, value: unknown): Record<string, string> {
    if (value === undefined) return {};
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail(prop, value, 'expected an object of annotation keys to string values');
    }
    const out: Record<string, string> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (!isLabelKey(k)) this.fail(`${prop}['${k}']`, k, 'expected an annotation key: an optional DNS subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or "."');
      if (typeof v !== 'string') this.fail(`${prop}['${k}']`, v, 'expected a string value');
      out[k] = v;
    }
    return out;
  }

  /** An HTTP header name as Envoy matches it: lower-case token characters. */
  headerName(prop: string, value: unknown): string {
    if (typeof value !== 'string' || !HEADER_NAME.test(value)) {
      this.fail(prop, value, 'expected an HTTP header name (token characters only, e.g. "end-user")');
    }
    if (value !== value.toLowerCase()) {
      this.fail(prop, value, `header names must be lower-case, because Envoy lower-cases them and the rule would never match; use "${value.toLowerCase()}"`);
    }
    return value;
  }

  /** A Kubernetes resource quantity such as `100m`, `1`, `128Mi`. */
  quantity(prop: string, value: unknown): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return String(value);
    if (typeof value !== 'string' || !/^(\d+(\.\d+)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][-+]?\d+)?$/.test(value)) {
      this.fail(prop, value, 'expected a Kubernetes quantity such as "100m", "2", "128Mi" or "1Gi"');
    }
    return value;
  }

  /** A duration as Istio takes it (`1.5s`, `300ms`, `1m`, `2h`). */
  duration(prop: string, value: unknown): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !/^(\d+(\.\d+)?(h|m|s|ms|us|µs|ns))+$/.test(value) || !/[1-9]/.test(value)) {
      this.fail(prop, value, 'expected a positive duration such as "300ms", "1.5s", "1m" or "2h"');
    }
    return value;
  }

  /** Rejects props the construct does not know, so a typo is never dropped silently. */
  knownProps(prop: string, value: object | undefined, known: readonly string[]): void {
    if (value === undefined || value === null || typeof value !== 'object') return;
    // An index loop: every construct runs this while cold, where a for-of step allocates.
    const keys = Object.keys(value);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if ((value as Record<string, unknown>)[k] !== undefined && !known.includes(k)) {
        // a key that is not a name (empty, with spaces or dots) is shown quoted, so the path stays readable
        const path = /^[A-Za-z_$][\w$]*$/.test(k) ? (prop ? `${prop}.${k}` : k) : `${prop}[${JSON.stringify(k).replace(/^"|"$/g, "'")}]`;
        this.fail(path, (value as Record<string, unknown>)[k], `unknown prop; valid props are ${known.join(', ')}`);
      }
    }
  }
}

/**
 * The same props as `props`, read from an object whose hidden class depends on its keys alone. A
 * props object made by a spread (`{ ...defaults, api: 'gateway-api' }`) can get a hidden class of
 * its own at every call (V8), and each read of a prop from a hidden class not seen before, present
 * or not, is a lookup in the runtime: a model reading dozens of absent props paid dozens of them
 * per construct. Copied only when that changes nothing a read sees: a plain object (its prototype
 * Object.prototype, as the copy's) whose own props are all enumerable (no symbol is a prop). A
 * getter is called once, here.
 */
export function ownPropsCopy<T extends object>(props: T): T {
  if (Object.getPrototypeOf(props) !== Object.prototype) return props;
  const keys = Object.keys(props);
  if (Object.getOwnPropertyNames(props).length !== keys.length) return props;
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) out[keys[i]] = (props as Record<string, unknown>)[keys[i]];
  return out as T;
}

export function isValidHost(host: string): boolean {
  if (host === '*') return true;
  if (host.length === 0 || host.length > 253) return false;
  const labels = host.split('.');
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (i === 0 && l === '*') continue;
    if (l.length === 0 || l.length > 63 || !HOST_LABEL.test(l)) return false;
  }
  // a bare TLD-less wildcard such as "*." is caught above; a lone label is fine ("reviews")
  return true;
}

/** A label value: empty, or at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit. */
export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

export function isLabelKey(key: string): boolean {
  const slash = key.indexOf('/');
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) return false;
  return name.length > 0 && name.length <= 63 && LABEL_NAME.test(name);
}

/** How errors name a construct: class and construct path. */
export function describeConstruct(className: string, path: string): string {
  return `${className} '${path}'`;
}
