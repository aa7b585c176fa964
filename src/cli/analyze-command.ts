// `istio-gateway analyze`: runs the static analyzer over manifests and prints istioctl-style findings.
// Like `istioctl analyze --use-kube=false` it assumes Istio's default ingress gateway exists, and it
// reads the prerequisites a synthesized App declared (`<dir>/prerequisites/`) as existing objects.

import * as path from 'node:path';
import { Command, Option } from 'commander';
import { analyze, ANALYZER_NAMES, Diagnostic, istioctlOfflineDefaults, Level } from '../analysis';
import { clip } from '../validation/yaml-files';
import { checkStdinOnce, CliIO, InputError, ioOf, LoadedObjects, loadPaths, setExitCode, STDIN_NAME, UsageError } from './load';
import { loadMeshConfigSync } from './mesh-config';
import { PREREQUISITES_DIR, prerequisiteDirs } from './read-input';

const LEVEL_RANK: Record<Level, number> = { Info: 0, Warning: 1, Error: 2 };

export { PREREQUISITES_DIR } from './read-input';

function parseLevel(value: string): Level {
  const found = (Object.keys(LEVEL_RANK) as Level[]).find((l) => l.toLowerCase() === value.trim().toLowerCase());
  if (!found) throw new UsageError(`--failure-threshold must be one of Error, Warning, Info (got "${clip(value)}")`);
  return found;
}

function parseAnalyzers(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (names.length === 0) throw new UsageError(`--analyzers needs at least one name. Valid names: ${ANALYZER_NAMES.join(', ')}`);
  return names;
}

/** What is wrong with an object that kubectl would refuse before Istio ever saw it, if anything. */
export function identityProblem(o: Record<string, unknown>): string | undefined {
  const kind = typeof o.kind === 'string' && o.kind !== '' ? o.kind : undefined;
  if (!kind) return 'the object has no kind';
  if (typeof o.apiVersion !== 'string' || o.apiVersion === '') return `the ${clip(kind)} has no apiVersion`;
  const md = o.metadata;
  const name = typeof md === 'object' && md !== null && !Array.isArray(md) ? (md as Record<string, unknown>).name : undefined;
  if (typeof name !== 'string' || name === '') return `the ${clip(kind)} has no metadata.name (kubectl refuses it: "resource name may not be empty")`;
  return undefined;
}

/** The input problems of objects that cannot be analyzed, one line each with file:line. */
export function unanalyzable(input: LoadedObjects): string[] {
  const out: string[] = [];
  for (const o of input.objects) {
    const problem = identityProblem(o);
    if (!problem) continue;
    const loc = input.locate(o);
    out.push(`${loc ? `${loc.file}:${loc.line}: ` : ''}${problem}; it is not analyzed`);
  }
  return out;
}

/** istioctl's text line for a finding, with the file and line of the object when known: `Error [IST0101] (Gateway ns/gw gw.yaml:3) ...`. */
function textLine(d: Diagnostic): string {
  return `${d.level} [${d.code}] (${d.origin}${d.path ? ` ${d.path}` : ''}) ${d.message}`;
}

/** Output is handed to stdout about a megabyte at a time: a cluster dump can have 100,000 findings. */
const PIECE = 1 << 20;

/** Writes `render(item)` of every item, in order, a piece at a time instead of as one string. */
function writeInPieces<T>(io: CliIO, items: readonly T[], render: (item: T, index: number) => string): void {
  let piece = '';
  for (let i = 0; i < items.length; i++) {
    piece += render(items[i], i);
    if (piece.length >= PIECE) {
      io.stdout(piece);
      piece = '';
    }
  }
  if (piece) io.stdout(piece);
}

/**
 * A string as `JSON.stringify` writes it. Most need no escape but for their double quotes (messages
 * quote hosts and names): without a backslash, control character or surrogate, escaping the quotes
 * is all JSON.stringify does, and replaceAll does it in a third of the time.
 */
function jsonString(s: string): string {
  if (NEEDS_ESCAPE.test(s)) return JSON.stringify(s);
  return s.includes('"') ? `"${s.replaceAll('"', '\\"')}"` : `"${s}"`;
}
const NEEDS_ESCAPE = /[\\\u0000-\u001f\ud800-\udfff]/;

/**
 * Writes exactly `JSON.stringify(findings, null, 2)` and a newline, a piece at a time. A finding's first
 * four fields come from a few message types and analyzers: their text is made once per run of equal
 * ones (a finding's fields in the order analyze() creates them: code, name, level, analyzer, origin,
 * message, path).
 */
function writeFindingsJson(io: CliIO, findings: readonly Diagnostic[]): void {
  if (findings.length === 0) {
    io.stdout('[]\n');
    return;
  }
  let code = '';
  let name = '';
  let level = '';
  let analyzer = '';
  let head = '';
  writeInPieces(io, findings, (d, i) => {
    if (d.code !== code || d.name !== name || d.level !== level || d.analyzer !== analyzer) {
      ({ code, name, level, analyzer } = d);
      head = `{\n    "code": ${jsonString(code)},\n    "name": ${jsonString(name)},\n    "level": ${jsonString(level)},\n    "analyzer": ${jsonString(analyzer)},\n    "origin": `;
    }
    return `${i === 0 ? '[\n  ' : ',\n  '}${head}${jsonString(d.origin)},\n    "message": ${jsonString(d.message)}${
      d.path !== undefined ? `,\n    "path": ${jsonString(d.path)}\n  }` : '\n  }'}`;
  });
  io.stdout('\n]\n');
}

export function registerAnalyzeCommand(program: Command): void {
  program
    .command('analyze')
    .description('Analyze Kubernetes manifests for Istio gateway and routing problems, like `istioctl analyze --use-kube=false`.')
    .argument('<paths...>', 'YAML/JSON files, directories (their own .yaml/.yml/.json files, as kubectl apply -f; -R for sub-folders) or - for stdin')
    .option('-R, --recursive', 'read the sub-folders of directories too (as kubectl apply -R -f)', false)
    .option('--analyzers <names>', `comma-separated analyzers to run (default: all): ${ANALYZER_NAMES.join(', ')}`)
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--failure-threshold <level>', 'lowest level that makes the command exit 1: Error, Warning or Info', 'Error')
    .option('--external <paths...>', 'objects that exist in the cluster but not in the input (shared gateway, Secrets, Services); '
      + 'they satisfy references but are not reported on. Put this option after the input paths.')
    .option('--mesh-config <file>', 'Istio mesh config to analyze with (MeshConfig YAML, the istio ConfigMap, an IstioOperator or istiod Helm values); '
      + 'without it Istio\'s defaults are assumed, as `istioctl analyze --use-kube=false` does')
    .option('--no-default-gateway', "do not assume Istio's default ingress gateway (Pod `istio: ingressgateway` and Service "
      + 'istio-ingressgateway in istio-system), which istioctl analyze assumes when it reads only files')
    .option('--no-prerequisites', `do not read <dir>/${PREREQUISITES_DIR}/ (what a synthesized App declared as existing) as --external`)
    .addHelpText('after', '\nExit codes: 0 no finding at or above the threshold, 1 findings, 2 usage error, unreadable input, '
      + 'objects without kind or metadata.name, or no object at all.')
    .action(async (paths: string[], opts: {
      analyzers?: string; output: 'text' | 'json'; failureThreshold: string; external?: string[]; meshConfig?: string;
      recursive: boolean; defaultGateway: boolean; prerequisites: boolean;
    }, cmd: Command) => {
      const io = ioOf(cmd);
      const threshold = parseLevel(opts.failureThreshold);
      const analyzers = parseAnalyzers(opts.analyzers);
      checkStdinOnce(paths, opts.external);
      const meshConfig = opts.meshConfig !== undefined ? loadMeshConfigSync(opts.meshConfig) : undefined;
      const prerequisites = opts.prerequisites ? prerequisiteDirs(paths) : [];
      const skip = new Set(prerequisites.map((p) => path.resolve(p)));
      const input = await loadPaths(paths, io, { recursive: opts.recursive, skipDirs: skip });
      const externalPaths = [...prerequisites, ...(opts.external ?? [])];
      const external = externalPaths.length > 0 ? await loadPaths(externalPaths, io, { recursive: opts.recursive }) : undefined;
      const what = paths.map((p) => (p === '-' ? STDIN_NAME : p)).join(', ');
      if (input.objects.length === 0) {
        throw new InputError(what, `no Kubernetes object found (${input.files.length} file(s) read${
          input.files.length === 0 ? '; a directory is read without its sub-folders unless -R is given' : ''}): nothing was analyzed`);
      }
      const problems = unanalyzable(input);
      let diagnostics: Diagnostic[];
      try {
        diagnostics = analyze(input.objects, {
          analyzers,
          // Later declarations win: what the user passes replaces istioctl's assumed gateway.
          external: [...(opts.defaultGateway ? istioctlOfflineDefaults() : []), ...(external?.objects ?? [])],
          meshConfig,
          pathOf: (o) => {
            const loc = input.locate(o);
            return loc ? `${loc.file}:${loc.line}` : undefined;
          },
        });
      } catch (e) {
        if (e instanceof Error && e.message.startsWith('Unknown analyzer')) throw new UsageError(e.message);
        throw e;
      }
      if (opts.output === 'json') {
        writeFindingsJson(io, diagnostics);
      } else if (diagnostics.length === 0) {
        io.stdout(`\u2714 No validation issues found when analyzing ${what}.\n`);
      } else {
        writeInPieces(io, diagnostics, (d) => `${textLine(d)}\n`);
      }
      for (const p of problems) io.stderr(`istio-gateway: error: ${p}\n`);
      const failed = diagnostics.some((d) => LEVEL_RANK[d.level] >= LEVEL_RANK[threshold]);
      setExitCode(cmd, problems.length > 0 ? 2 : failed ? 1 : 0);
    });
}
