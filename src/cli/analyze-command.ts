// `istio-gateway analyze`: runs the static analyzer over manifests and prints istioctl-style findings.

import { Command, Option } from 'commander';
import { analyze, ANALYZER_NAMES, Diagnostic, formatDiagnostic, Level } from '../analysis';
import { ioOf, loadPaths, setExitCode, STDIN_NAME, UsageError } from './load';
import { loadMeshConfigSync } from './mesh-config';

const LEVEL_RANK: Record<Level, number> = { Info: 0, Warning: 1, Error: 2 };

function parseLevel(value: string): Level {
  const found = (Object.keys(LEVEL_RANK) as Level[]).find((l) => l.toLowerCase() === value.trim().toLowerCase());
  if (!found) throw new UsageError(`--failure-threshold must be one of Error, Warning, Info (got "${value}")`);
  return found;
}

function parseAnalyzers(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (names.length === 0) throw new UsageError(`--analyzers needs at least one name. Valid names: ${ANALYZER_NAMES.join(', ')}`);
  return names;
}

export function registerAnalyzeCommand(program: Command): void {
  program
    .command('analyze')
    .description('Analyze Kubernetes manifests for Istio gateway and routing problems, like `istioctl analyze` (offline).')
    .argument('<paths...>', 'YAML/JSON files, directories (searched recursively) or - for stdin')
    .option('--analyzers <names>', `comma-separated analyzers to run (default: all): ${ANALYZER_NAMES.join(', ')}`)
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--failure-threshold <level>', 'lowest level that makes the command exit 1: Error, Warning or Info', 'Error')
    .option('--external <paths...>', 'objects that exist in the cluster but not in the input (shared gateway, Secrets, Services); '
      + 'they satisfy references but are not reported on. Put this option after the input paths.')
    .option('--mesh-config <file>', 'Istio mesh config to analyze with (MeshConfig YAML, the istio ConfigMap, an IstioOperator or istiod Helm values); '
      + 'without it Istio\'s defaults are assumed, as `istioctl analyze --use-kube=false` does')
    .action(async (paths: string[], opts: { analyzers?: string; output: 'text' | 'json'; failureThreshold: string; external?: string[]; meshConfig?: string }, cmd: Command) => {
      const io = ioOf(cmd);
      const threshold = parseLevel(opts.failureThreshold);
      const analyzers = parseAnalyzers(opts.analyzers);
      const meshConfig = opts.meshConfig !== undefined ? loadMeshConfigSync(opts.meshConfig) : undefined;
      const input = await loadPaths(paths, io);
      const external = opts.external && opts.external.length > 0 ? await loadPaths(opts.external, io) : undefined;
      let diagnostics: Diagnostic[];
      try {
        diagnostics = analyze(input.objects, {
          analyzers,
          external: external?.objects,
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
        io.stdout(`${JSON.stringify(diagnostics, null, 2)}\n`);
      } else if (diagnostics.length === 0) {
        const what = paths.map((p) => (p === '-' ? STDIN_NAME : p)).join(', ');
        io.stdout(`\u2714 No validation issues found when analyzing ${what}.\n`);
      } else {
        io.stdout(diagnostics.map((d) => `${formatDiagnostic(d)}\n`).join(''));
      }
      const failed = diagnostics.some((d) => LEVEL_RANK[d.level] >= LEVEL_RANK[threshold]);
      setExitCode(cmd, failed ? 1 : 0);
    });
}
