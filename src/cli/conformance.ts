// Scores the analyzer against a directory of `istioctl analyze` conformance cases
// (cases.json + defaults + testdata, as in ../shared/conformance/istio-analyze):
// each case runs one analyzer over its files plus the defaults, and the (code, origin)
// multisets must be equal. Run: `npm run conformance -- <dir>`.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, ANALYZER_NAMES } from '../analysis';
import { loadPathsSync } from './load';
import { loadMeshConfigSync } from './mesh-config';

export interface ExpectedMessage {
  readonly code: string;
  readonly origin: string;
}

export interface ConformanceCase {
  readonly name: string;
  readonly analyzer: string;
  readonly inputFiles: readonly string[];
  /** Mesh config YAML the case runs with (Istio's grid `meshConfigFile`); Istio's defaults otherwise. */
  readonly meshConfigFile?: string;
  readonly expected: readonly ExpectedMessage[];
}

export interface CaseResult {
  readonly name: string;
  readonly analyzer: string;
  readonly passed: boolean;
  /** Expected `code origin` entries not reported (one per missing occurrence). */
  readonly missing: string[];
  /** Reported `code origin` entries not expected. */
  readonly extra: string[];
  /** Why the case could not run (unreadable input, unknown analyzer). */
  readonly error?: string;
}

export interface ConformanceReport {
  readonly results: CaseResult[];
  readonly passed: number;
  readonly failed: number;
}

/** Multiset difference a - b. */
function minus(a: readonly string[], b: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const x of b) counts.set(x, (counts.get(x) ?? 0) + 1);
  const out: string[] = [];
  for (const x of a) {
    const n = counts.get(x) ?? 0;
    if (n > 0) counts.set(x, n - 1);
    else out.push(x);
  }
  return out.sort();
}

/** Runs every case of a conformance directory. Throws when cases.json itself cannot be read. */
export function runConformance(dir: string): ConformanceReport {
  const casesFile = path.join(dir, 'cases.json');
  const spec = JSON.parse(fs.readFileSync(casesFile, 'utf8')) as { defaults?: string; cases?: ConformanceCase[] };
  if (!Array.isArray(spec.cases)) throw new Error(`${casesFile}: no "cases" array`);
  const defaults = spec.defaults ? loadPathsSync([path.join(dir, spec.defaults)]).objects : [];
  const results: CaseResult[] = [];
  for (const c of spec.cases) {
    const expected = (c.expected ?? []).map((m) => `${m.code} ${m.origin}`);
    let actual: string[];
    try {
      if (!ANALYZER_NAMES.includes(c.analyzer) && !isAlias(c.analyzer)) throw new Error(`analyzer ${c.analyzer} is not implemented`);
      const input = loadPathsSync((c.inputFiles ?? []).map((f) => path.join(dir, f)));
      const meshConfig = c.meshConfigFile ? loadMeshConfigSync(path.join(dir, c.meshConfigFile)) : undefined;
      actual = analyze([...input.objects, ...defaults], { analyzers: [c.analyzer], meshConfig }).map((d) => `${d.code} ${d.origin}`);
    } catch (e) {
      results.push({ name: c.name, analyzer: c.analyzer, passed: false, missing: [...expected].sort(), extra: [], error: (e as Error).message });
      continue;
    }
    const missing = minus(expected, actual);
    const extra = minus(actual, expected);
    results.push({ name: c.name, analyzer: c.analyzer, passed: missing.length === 0 && extra.length === 0, missing, extra });
  }
  const passed = results.filter((r) => r.passed).length;
  return { results, passed, failed: results.length - passed };
}

function isAlias(name: string): boolean {
  try {
    analyze([], { analyzers: [name] });
    return true;
  } catch {
    return false;
  }
}

/** One line per failing case, then `N passed, M failed`. */
export function formatConformance(report: ConformanceReport): string {
  const lines: string[] = [];
  for (const r of report.results) {
    if (r.passed) continue;
    const parts: string[] = [];
    if (r.error) parts.push(`error: ${r.error}`);
    if (r.missing.length) parts.push(`missing [${r.missing.join('; ')}]`);
    if (r.extra.length) parts.push(`extra [${r.extra.join('; ')}]`);
    lines.push(`FAIL ${r.name} (${r.analyzer}): ${parts.join(', ')}`);
  }
  lines.push(`${report.passed} passed, ${report.failed} failed`);
  return `${lines.join('\n')}\n`;
}

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: npm run conformance -- <dir with cases.json>\n');
    process.exitCode = 2;
  } else {
    try {
      const report = runConformance(dir);
      process.stdout.write(formatConformance(report));
      process.exitCode = report.failed === 0 ? 0 : 1;
    } catch (e) {
      process.stderr.write(`conformance: ${(e as Error).message.split('\n')[0]}\n`);
      process.exitCode = 2;
    }
  }
}
