// `istio-gateway migrate`: reads Istio Gateway/VirtualService/DestinationRule YAML (files, folders,
// or `-` for stdin) and writes the equivalent Kubernetes Gateway API YAML to stdout; one line per
// construct it could not convert goes to stderr. Exit codes: 0 all converted, 1 something was not
// converted, 2 usage error or unreadable input.

import { Command } from 'commander';
import type * as Migration from '../migration';
import type * as Yaml from 'yaml';
import { ioOf, loadPaths, setExitCode } from './load';

// Loaded when the command runs, so that other commands do not pay for them (see main.ts).
const migration = (): typeof Migration => require('../migration') as typeof Migration;
const yaml = (): typeof Yaml => require('yaml') as typeof Yaml;

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('Convert Istio Gateway, VirtualService and DestinationRule YAML to Kubernetes Gateway API YAML (gateway class istio).')
    .argument('<paths...>', 'YAML/JSON files, directories (their own .yaml/.yml/.json files, as kubectl apply -f; -R for sub-folders) or - for stdin')
    .option('-R, --recursive', 'read the sub-folders of directories too (as kubectl apply -R -f)', false)
    .option('--exact-prefixes', 'keep Istio\'s string prefixes exactly (PathPrefix plus a regular expression) instead of PathPrefix alone, as Istio\'s own Gateway API samples write them')
    .addHelpText('after', '\nThe Gateway API YAML goes to stdout; each construct that could not be converted is named on stderr with the reason.\nExit codes: 0 everything converted, 1 something was not converted, 2 usage error or unreadable input.')
    .action(async (paths: string[], opts: { exactPrefixes?: boolean; recursive: boolean }, cmd: Command) => {
      const io = ioOf(cmd);
      const input = await loadPaths(paths, io, { recursive: opts.recursive });
      const { stringify } = yaml();
      const result = migration().migrate(input.objects, { prefix: opts.exactPrefixes ? 'string' : 'segment' });
      io.stdout(result.objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n'));
      for (const p of result.problems) io.stderr(`not converted: ${p}\n`);
      setExitCode(cmd, result.problems.length === 0 ? 0 : 1);
    });
}
