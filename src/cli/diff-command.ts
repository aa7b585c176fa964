// `istio-gateway diff <old> <new>`: the review of a change between two sets of manifests.

import { Command, Option } from 'commander';
import type * as Review from '../review';
import { ioOf, setExitCode, UsageError } from './load';
import { readInput, readObjects } from './read-input';

/** Loaded when the command runs, so that other commands do not pay for it (see main.ts). */
const review = (): typeof Review => require('../review') as typeof Review;

export function registerDiffCommand(program: Command): void {
  program
    .command('diff')
    .description('Review a change between two sets of manifests: hosts, listeners, certificates, traffic shifts, match rules, '
      + 'and every change that would disrupt live traffic or fail to apply, with a safe sequence.')
    .argument('<old>', 'the current manifests: a file or directory (its own files; -R for sub-folders)')
    .argument('<new>', 'the changed manifests: a file or directory')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .option('-R, --recursive', 'read the sub-folders of directories too', false)
    .option('--no-prerequisites', 'do not read <dir>/prerequisites/ (what a synthesized App declared as existing) as --external')
    .option('--fail-on <what>', 'exit 1 when the review finds this: "disruptive" (anything flagged) or "none"', 'none')
    .option('--external <paths...>', 'objects that exist in the cluster but in neither input (shared gateway, Services). '
      + 'Put this option after <old> and <new>.')
    .action(async (oldPath: string, newPath: string, opts: { output: string; failOn: string; external?: string[]; recursive: boolean; prerequisites: boolean }, cmd: Command) => {
      const io = ioOf(cmd);
      if (opts.failOn !== 'disruptive' && opts.failOn !== 'none') {
        throw new UsageError(`--fail-on must be "disruptive" or "none" (got "${opts.failOn}")`);
      }
      if (oldPath === '-' && newPath === '-') throw new UsageError('"-" (stdin) can be given only once');
      const read = { recursive: opts.recursive, prerequisites: opts.prerequisites };
      const before = await readInput([oldPath], io, read);
      const after = await readInput([newPath], io, read);
      // What exists in the cluster for either state: both states' prerequisites and --external.
      const external = [...before.prerequisites, ...after.prerequisites,
        ...(opts.external && opts.external.length > 0 ? await readObjects(opts.external, io, { recursive: opts.recursive }) : [])];
      const { formatReviewJson, formatReviewMarkdown, formatReviewText, reviewChange } = review();
      const result = reviewChange(before.objects, after.objects, { external });
      io.stdout(opts.output === 'json' ? formatReviewJson(result) : opts.output === 'markdown' ? formatReviewMarkdown(result) : formatReviewText(result));
      setExitCode(cmd, opts.failOn === 'disruptive' && result.disruptions.length > 0 ? 1 : 0);
    });
}
