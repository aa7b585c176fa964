// `istio-gateway validate`: schema-checks manifests (files, folders, or `-` for stdin) against the
// CRDs given with --crds (by default the schemas bundled in schemas/) and the core Kubernetes schemas, as `kubectl apply --validate=strict`
// would, without a cluster. Exit codes: 0 all valid, 1 some object invalid, 2 usage error or
// unreadable input (named by main.ts, never a stack trace). Skipped CEL rules are listed, not failed.

import { Command, Option } from 'commander';
import type * as Validation from '../validation';
import type { CrdSet, SkippedRule, ValidationIssue } from '../validation';
import { InputError, ioOf, loadPaths, setExitCode, STDIN_NAME } from './load';

/** Loaded when the command runs (the CEL runtime and the schemas' code are a sixth of a second), so that `analyze` does not pay for it. */
const validation = (): typeof Validation => require('../validation') as typeof Validation;

interface Located {
  /** `file:line` of the object's document. */
  readonly location: string;
}

function readCrds(paths: readonly string[] | undefined): CrdSet {
  const { CrdLoadError, loadCrds } = validation();
  try {
    // Without --crds: the schemas bundled with the package (Istio 1.30.3, Gateway API v1.5.1 standard).
    if (!paths || paths.length === 0) return loadCrds();
    return loadCrds(paths);
  } catch (e) {
    if (e instanceof CrdLoadError) throw new InputError(e.source, `--crds: ${e.reason}`, e.line);
    throw e;
  }
}

export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description(
      'Validate manifests against CRD schemas (OpenAPI and CEL rules) and the core Kubernetes schemas, as `kubectl apply --validate=strict` would (offline). Unknown fields are errors.',
    )
    .argument('<paths...>', 'YAML/JSON files, directories (their own .yaml/.yml/.json files, as kubectl apply -f; -R for sub-folders) or - for stdin')
    .option('-R, --recursive', 'read the sub-folders of directories too (as kubectl apply -R -f)', false)
    .option(
      '--crds <paths...>',
      "CRD files or directories, e.g. `kubectl get crd -o yaml` of your cluster; they replace the bundled schemas (Istio 1.30.3 and Gateway API v1.5.1 standard channel), which are used when this option is absent. " +
        'Repeatable. Put this option after the input paths.',
    )
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', '\nExit codes: 0 all objects valid, 1 some object invalid, 2 usage error, unreadable input or no object at all.\nCEL rules that cannot be evaluated are listed as skipped; they do not fail the run.')
    .action(async (paths: string[], opts: { crds?: string[]; output: 'text' | 'json'; recursive: boolean }, cmd: Command) => {
      const io = ioOf(cmd);
      const { formatIssue, formatSkipped, validateObjects } = validation();
      const crds = readCrds(opts.crds);
      const input = await loadPaths(paths, io, { recursive: opts.recursive });
      if (input.objects.length === 0) {
        const what = paths.map((p) => (p === '-' ? STDIN_NAME : p)).join(', ');
        throw new InputError(what, `no Kubernetes object found (${input.files.length} file(s) read${
          input.files.length === 0 ? '; a directory is read without its sub-folders unless -R is given' : ''}): nothing was validated`);
      }

      const errors: (ValidationIssue & Located)[] = [];
      const skipped: (SkippedRule & Located)[] = [];
      let invalid = 0;
      for (const obj of input.objects) {
        // One object at a time, so that every issue names the file and line it came from.
        const result = validateObjects([obj], { crds });
        const loc = input.locate(obj);
        const location = loc ? `${loc.file}:${loc.line}` : '';
        if (!result.valid) invalid++;
        for (const e of result.errors) errors.push({ location, ...e });
        for (const s of result.skipped) skipped.push({ location, ...s });
      }
      const checked = input.objects.length;

      if (opts.output === 'json') {
        io.stdout(`${JSON.stringify({ valid: invalid === 0, checked, invalid, crds: crds.sources, errors, skipped }, null, 2)}\n`);
      } else {
        const lines = errors.map((e) => `${e.location ? `${e.location}: ` : ''}${formatIssue(e)}`);
        const what = paths.map((p) => (p === '-' ? STDIN_NAME : p)).join(', ');
        if (invalid === 0) {
          lines.push(`\u2714 ${checked} object(s) valid in ${what}.`);
        } else {
          lines.push(`\u2718 ${invalid} of ${checked} object(s) invalid (${errors.length} error(s)) in ${what}.`);
        }
        if (skipped.length > 0) {
          lines.push(`${skipped.length} CEL rule evaluation(s) skipped (neither passed nor failed):`);
          for (const s of skipped) lines.push(`  ${s.location ? `${s.location}: ` : ''}${formatSkipped(s)}`);
        }
        io.stdout(`${lines.join('\n')}\n`);
      }
      setExitCode(cmd, invalid === 0 ? 0 : 1);
    });
}
