// Static analysis of Istio gateway and routing configuration: pure functions over plain Kubernetes
// objects that report what `istioctl analyze` would (same codes, names, levels and analyzer names).

import { Analyzer } from './analyzers/framework';
import {
  certificateAnalyzer, conflictingGatewayAnalyzer, ingressGatewayPortAnalyzer, secretAnalyzer,
} from './analyzers/gateway';
import { podNotSelectedAnalyzer } from './analyzers/destinationrule';
import { telemetryDefaultSelectorAnalyzer, telemetrySelectorAnalyzer } from './analyzers/telemetry';
import {
  conflictingMeshGatewayHostsAnalyzer, destinationHostAnalyzer, destinationRuleAnalyzer, gatewayAnalyzer,
} from './analyzers/virtualservice';
import { authorizationPoliciesAnalyzer } from './analyzers/authz';
import { serviceAssociationAnalyzer } from './analyzers/deployment';
import { deprecationAnalyzer } from './analyzers/deprecation';
import { caCertificateAnalyzer } from './analyzers/destinationrule-ca';
import { imageAnalyzer, imageAutoAnalyzer, injectionAnalyzer } from './analyzers/injection';
import { crdVersionAnalyzer, k8sGatewaySelectorAnalyzer } from './analyzers/k8sgateway';
import { gatewayApiRouteBackendAnalyzer, gatewayApiRouteParentAnalyzer } from './analyzers/gateway-api-routes';
import { portNameAnalyzer } from './analyzers/service';
import { sidecarSelectorAnalyzer } from './analyzers/sidecar';
import { telemetryProviderAnalyzer } from './analyzers/telemetry-provider';
import { jwtClaimRouteAnalyzer } from './analyzers/virtualservice-jwt';
import { virtualServiceRulesAnalyzer } from './analyzers/virtualservice-rules';
import { MessageType, renderTemplate } from './messages';
import { isRecord } from './objects';
import { originOfRes, Res, ResourceIndex } from './resource-index';
import { AnalyzeOptions, Diagnostic } from './types';

export type { AnalyzeOptions, Diagnostic, Level } from './types';
export { MESSAGES, renderTemplate } from './messages';
export type { MessageType } from './messages';
export { istioctlOfflineDefaults } from './defaults';

const ANALYZERS: readonly Analyzer[] = [
  ingressGatewayPortAnalyzer,
  secretAnalyzer,
  conflictingGatewayAnalyzer,
  certificateAnalyzer,
  gatewayAnalyzer,
  destinationRuleAnalyzer,
  destinationHostAnalyzer,
  conflictingMeshGatewayHostsAnalyzer,
  podNotSelectedAnalyzer,
  telemetrySelectorAnalyzer,
  telemetryDefaultSelectorAnalyzer,
  virtualServiceRulesAnalyzer,
  caCertificateAnalyzer,
  portNameAnalyzer,
  serviceAssociationAnalyzer,
  injectionAnalyzer,
  imageAnalyzer,
  imageAutoAnalyzer,
  jwtClaimRouteAnalyzer,
  telemetryProviderAnalyzer,
  sidecarSelectorAnalyzer,
  authorizationPoliciesAnalyzer,
  deprecationAnalyzer,
  k8sGatewaySelectorAnalyzer,
  crdVersionAnalyzer,
  // This library's own (istioctl has no Gateway API host analyzers): Istio's codes, our names.
  gatewayApiRouteParentAnalyzer,
  gatewayApiRouteBackendAnalyzer,
];

/**
 * Names of the available analyzers (Istio's `package.TypeName`; `gatewayapi.*` are this library's own,
 * with no istioctl counterpart), in the order their findings are listed.
 */
export const ANALYZER_NAMES: readonly string[] = Object.freeze(ANALYZERS.map((a) => a.name));

const BY_NAME = new Map<string, Analyzer>();
for (const a of ANALYZERS) {
  BY_NAME.set(a.name, a);
  for (const alias of a.aliases ?? []) BY_NAME.set(alias, a);
}

function selectAnalyzers(names: readonly string[] | undefined): Analyzer[] {
  if (names === undefined) return [...ANALYZERS];
  const unknown = names.filter((n) => !BY_NAME.has(n));
  if (unknown.length > 0) {
    throw new Error(`Unknown analyzer(s): ${unknown.join(', ')}. Valid names: ${ANALYZER_NAMES.join(', ')}`);
  }
  const wanted = new Set(names.map((n) => BY_NAME.get(n)!));
  return ANALYZERS.filter((a) => wanted.has(a));
}

/**
 * Analyzes Kubernetes objects (Istio Gateways, VirtualServices, DestinationRules, ServiceEntries,
 * Telemetries, Sidecars, AuthorizationPolicies, RequestAuthentications, WasmPlugins, Services, Secrets,
 * Pods, Nodes, Namespaces, ConfigMaps, CustomResourceDefinitions, MutatingWebhookConfigurations and pod
 * templates of Deployments, StatefulSets, DaemonSets and ReplicaSets; `kind: List` is flattened) and returns the findings, sorted by analyzer,
 * origin, code and message. Never throws on odd objects: what cannot be read is skipped.
 * @throws Error when `options.analyzers` names an unknown analyzer.
 */
export function analyze(objects: readonly object[], opts?: AnalyzeOptions): Diagnostic[] {
  const options: AnalyzeOptions = opts ?? {};
  const analyzers = selectAnalyzers(options.analyzers);
  const index = new ResourceIndex(Array.isArray(objects) ? objects : [], Array.isArray(options.external) ? options.external : []);
  const now = options.now instanceof Date ? options.now : new Date();
  const pathOf = options.pathOf;
  const meshConfig = isRecord(options.meshConfig) ? options.meshConfig : {};

  // An object with findings usually has several (a cluster dump: four IST0140 per VirtualService): its
  // path is asked for once.
  const paths = new Map<Res, string | undefined>();
  const pathOfSubject = (subject: Res): string | undefined => {
    if (paths.has(subject)) return paths.get(subject);
    let path: string | undefined;
    try {
      path = pathOf!(subject.raw);
    } catch {
      path = undefined;
    }
    paths.set(subject, path);
    return path;
  };

  // An object's origin is written for its first finding and reused for the findings that follow it
  // (an analyzer reports an object's findings one after another).
  let originSubject: Res | undefined;
  let subjectOrigin = '';
  const originOf = (subject: Res): string => {
    if (subject !== originSubject) {
      originSubject = subject;
      subjectOrigin = originOfRes(subject);
    }
    return subjectOrigin;
  };

  const out: Diagnostic[] = [];
  // istioctl prints a message once even when two analyzers find it (e.g. a gateway selector matching nothing).
  // Most codes come from one analyzer only: nothing is kept per finding for them. Once a second analyzer
  // reports a code, that code's findings are keyed origin -> message -> the first analyzer to report it.
  const byCode = new Map<string, CodeReporters>();
  // Findings are listed by analyzer (in ANALYZERS order, the order they run in), then origin, code and
  // message: each analyzer's findings are sorted on their own, the same order as one sort of them all
  // by analyzer first (a stable sort, and the analyzers' findings already follow one another).
  for (const analyzer of analyzers) {
    const first = out.length;
    const report = (subject: Res, type: MessageType, args: readonly unknown[], hint: string): void => {
      if (subject.external) return;
      const text = renderTemplate(type.template, args);
      const last = text.length > 0 ? text.charCodeAt(text.length - 1) : 0;
      const message = clipTokens(`${text}${last === 46 || last === 33 || last === 63 ? ' ' : '. '}${hint}`); // . ! ?
      const origin = originOf(subject);
      const code = type.code;
      const reporters = byCode.get(code);
      let firsts: Map<string, ReportedBy | Diagnostic> | undefined;
      if (reporters === undefined) {
        byCode.set(code, { analyzer: analyzer.name });
      } else if (reporters.analyzer !== analyzer.name || reporters.firsts !== undefined) {
        firsts = reporters.firsts ??= firstsOf(out, code);
        const seen = firstReport(firsts, origin, message, analyzer.name);
        if (seen === DROP) return;
        if (seen === KEEP) firsts = undefined;
      }
      const path = pathOf ? pathOfSubject(subject) : undefined;
      const d: Diagnostic = path !== undefined
        ? { code, name: type.name, level: type.level, analyzer: analyzer.name, origin, message, path }
        : { code, name: type.name, level: type.level, analyzer: analyzer.name, origin, message };
      out.push(d);
      // The first finding of an origin stands for its own record (no record object per finding).
      if (firsts !== undefined) firsts.set(origin, d);
    };
    analyzer.run({ index, now, meshConfig, report });
    if (out.length - first > 1) {
      const mine = out.slice(first).sort((a, b) => cmp(a.origin, b.origin) || cmp(a.code, b.code) || cmp(a.message, b.message));
      for (let i = 0; i < mine.length; i++) out[first + i] = mine[i];
    }
  }
  return out;
}

/**
 * Who reported one code: the first analyzer, and once another analyzer reports it too, origin -> who
 * reported what for that origin (built then from the findings so far). Nothing is kept per finding for
 * a code only one analyzer reports (most codes); a Map per origin was kept before.
 */
interface CodeReporters {
  readonly analyzer: string;
  firsts?: Map<string, ReportedBy | Diagnostic>;
}

/** Origin -> who reported what, for the findings of one code listed so far (in the order reported). */
function firstsOf(out: readonly Diagnostic[], code: string): Map<string, ReportedBy | Diagnostic> {
  const firsts = new Map<string, ReportedBy | Diagnostic>();
  for (const d of out) if (d.code === code && firstReport(firsts, d.origin, d.message, d.analyzer) === KEEP_NEW) firsts.set(d.origin, d);
  return firsts;
}

/**
 * Who reported what for one code and origin. Messages are keyed (hashed) only once a second analyzer
 * reports for the same code and origin: hashing every message (hundreds of characters) was a third of
 * the cost of reporting 128,000 findings. An origin with one finding so far is recorded by that
 * finding itself (its analyzer and message), and gets a record when a second finding comes.
 */
interface ReportedBy {
  readonly analyzer: string;
  readonly messages: string[];
  /** Message -> the first analyzer that reported it, built when another analyzer reports. */
  byMessage?: Map<string, string>;
}

/** firstReport's answers: drop the finding; keep it (recorded); keep it, the first of its origin (the caller records it). */
const DROP = 0;
const KEEP = 1;
const KEEP_NEW = 2;

/**
 * Whether a finding is to be kept: not when another analyzer already reported the same code, origin
 * and message (the same analyzer may report a message twice; both are kept, as before). Records it,
 * but for the first finding of an origin (KEEP_NEW), which the caller records.
 */
function firstReport(seen: Map<string, ReportedBy | Diagnostic>, origin: string, message: string, analyzer: string): typeof DROP | typeof KEEP | typeof KEEP_NEW {
  const found = seen.get(origin);
  if (found === undefined) return KEEP_NEW;
  let r: ReportedBy;
  if (isDiagnostic(found)) seen.set(origin, r = { analyzer: found.analyzer, messages: [found.message] });
  else r = found;
  if (!r.byMessage) {
    if (r.analyzer === analyzer) {
      r.messages.push(message);
      return KEEP;
    }
    r.byMessage = new Map();
    for (const m of r.messages) if (!r.byMessage.has(m)) r.byMessage.set(m, r.analyzer);
  }
  const first = r.byMessage.get(message);
  if (first !== undefined) return first === analyzer ? KEEP : DROP;
  r.byMessage.set(message, analyzer);
  return KEEP;
}

function isDiagnostic(v: ReportedBy | Diagnostic): v is Diagnostic {
  return (v as ReportedBy).messages === undefined;
}

/**
 * Messages quote hosts, selectors and names from the input; a value no real configuration has
 * (a 10 kB host) is clipped to its first 64 characters, so no message echoes more than a prefix.
 */
function clipTokens(message: string): string {
  // A quick look first: no stretch of 97 characters without a space means no token to clip. Such a
  // stretch covers one of the positions 96, 193, 290, ... (97 apart), so only the stretches through
  // those positions are measured (with indexOf/lastIndexOf, the messages being hundreds of characters of
  // short words), not every word. A stretch without a space may still hold other white space: the exact
  // pass below decides.
  let long = false;
  for (let at = 96; at < message.length; at += 97) {
    if (message.charCodeAt(at) === 32) continue;
    const next = message.indexOf(' ', at);
    if ((next < 0 ? message.length : next) - message.lastIndexOf(' ', at) > 97) {
      long = true;
      break;
    }
  }
  if (!long) return message;
  // What `message.replace(/\S{97,}/g, clip)` returns, in one pass: that expression tries up to 97
  // characters at every position, which made a message listing thousands of short names (IST0145
  // with many conflicting gateways) cost milliseconds each.
  // Only the space-free stretches of 97 characters or more are scanned character by character (for
  // other white space): a shorter stretch holds no such token. A message quoting one long list is
  // mostly short words (21,000 IST0145 of 1,250 characters on a cluster dump), scanned in full before.
  let out = '';
  let from = 0;
  for (let seg = 0; seg < message.length;) {
    let end = message.indexOf(' ', seg);
    if (end < 0) end = message.length;
    if (end - seg >= 97) {
      let start = -1;
      for (let i = seg; i <= end; i++) {
        if (i < end && !isSpace(message.charCodeAt(i))) {
          if (start < 0) start = i;
        } else if (start >= 0) {
          if (i - start >= 97) {
            const t = message.slice(start, i);
            out += `${message.slice(from, start)}${t.slice(0, 64)}...(${t.length} chars)`;
            from = i;
          }
          start = -1;
        }
      }
    }
    seg = end + 1;
  }
  return out + message.slice(from);
}

/** Whether a UTF-16 code unit is white space as a regular expression's `\s` means it. */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029
    || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** istioctl's line format: `Error [IST0145] (Gateway ns/name) message`. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.level} [${d.code}] (${d.origin}) ${d.message}`;
}
