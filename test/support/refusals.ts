// What a refusal must look like, for the property tests: the library's own IstioGatewayError
// (never a TypeError or a crash from deep inside) whose message names the construct, the prop and
// the bad value, and whose reported value is the one the caller actually gave at that prop.
import { IstioGatewayError } from '../../src';
import { showValue } from '../../src/errors';

/** Message prefix of refusals raised by the synth-time analyzer (they name an istioctl code, not a prop). */
export const ANALYZER_REFUSAL = 'Synthesis refused by the Istio analyzer';

/** With FC_REFUSALS=1, every refused prop, to tune generators (see {@link refusalSummary}). */
export const refusalLog: string[] = [];

/** Counts of refused props, most frequent first (for FC_REFUSALS=1 runs). */
export function refusalSummary(): string {
  const counts = new Map<string, number>();
  for (const r of refusalLog) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n}\t${k}`).join('\n');
}

/** Segments of a prop path such as `canary.match[0].headers['End-User']`, or undefined if it does not parse. */
export function propPath(prop: string): (string | number)[] | undefined {
  const out: (string | number)[] = [];
  // a quoted key may itself hold quotes (`labels[''']` is the key "'")
  const re = /(?:^|\.)([A-Za-z_$][\w$]*)|\[(\d+)\]|\['((?:[^']|'(?!\]))*)'\]/y;
  let i = 0;
  while (i < prop.length) {
    re.lastIndex = i;
    const m = re.exec(prop);
    if (!m) return undefined;
    out.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : m[3]));
    i = re.lastIndex;
  }
  return out;
}

/** The value at `path` in `input`; `found: false` when some step does not exist. */
function resolve(input: unknown, path: (string | number)[]): { found: boolean; value?: unknown } {
  let cur: unknown = input;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, seg)) return { found: false };
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return { found: true, value: cur };
}

/**
 * Asserts that `e` is a well-formed refusal by `construct` (e.g. "CanaryRoute 'test/route'" or a
 * construct path). With `input` (the props given), each problem's prop must be one of them (or
 * `props`), and where the prop resolves to a primitive in `input`, the reported value must be it
 * (or, for a map key such as a header name, the key).
 */
export function expectRefusal(e: unknown, construct: string, input?: unknown): IstioGatewayError {
  if (!(e instanceof IstioGatewayError)) {
    throw new Error(`expected an IstioGatewayError, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.stack ?? String(e)}`);
  }
  if (e.problems.length === 0) throw new Error(`refusal without problems: ${e.message}`);
  const analyzer = e.message.startsWith(ANALYZER_REFUSAL);
  // construction-time checks name the construct by class and path; App-wide ones and the analyzer by path
  const path = /'([^']*)'/.exec(construct)?.[1] ?? construct;
  if (!e.message.includes(construct) && !e.message.includes(`'${path}'`) && !e.message.includes(`[${path}]`)) {
    throw new Error(`refusal does not name ${construct}:\n${e.message}`);
  }
  if (process.env.FC_REFUSALS) refusalLog.push(...e.problems.map((p) => `${construct.split(' ')[0]} ${p.prop.replace(/\[\d+\]/g, '[]').replace(/\['[^']*'\]/g, "['']")}`));
  for (const p of e.problems) {
    if (typeof p.prop !== 'string' || p.prop.length === 0) throw new Error(`problem without prop: ${e.message}`);
    if (typeof p.expected !== 'string' || p.expected.length < 10) throw new Error(`problem without a description of what is valid: ${e.message}`);
    if (analyzer) {
      if (!/^IST\d{4}$/.test(p.prop) || !e.message.includes(p.prop)) throw new Error(`analyzer refusal without its code: ${e.message}`);
      continue;
    }
    const shown = `${p.prop}: invalid value ${showValue(p.value)}`;
    if (!e.message.includes(shown)) throw new Error(`message does not show "${shown}":\n${e.message}`);
    if (input === undefined || p.prop === 'props') continue;
    const path = propPath(p.prop.replace(/ \(.*\)$/, ''));
    if (!path) throw new Error(`prop "${p.prop}" is not a prop path:\n${e.message}`);
    const r = resolve(input, path);
    // absent (or undefined) in the input: a required prop left out, or a default the construct derived
    if (!r.found || r.value === undefined) continue;
    if (r.value !== null && typeof r.value === 'object') continue;
    const last = path[path.length - 1];
    if (!Object.is(p.value, r.value) && p.value !== last) {
      throw new Error(`"${p.prop}" holds ${showValue(r.value)} in the input but the refusal reports ${showValue(p.value)}:\n${e.message}`);
    }
  }
  return e;
}
