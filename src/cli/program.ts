// The `istio-gateway` command line (main.ts is its entry point). Each subcommand lives in its own `<name>-command.ts` exporting
// `register<Name>Command(program)`; adding one is an import and a call below. A command file declares
// its options here but loads its implementation (validation, graph, review, ...) when it runs: start-up
// is paid on every run, and `analyze` of a cluster dump is held to a multiple of a bare YAML parse.
// Exit codes: 0 clean, 1 findings at or above the failure threshold, 2 usage or input error.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError } from 'commander';
import { registerAnalyzeCommand } from './analyze-command';
import { registerDiffCommand } from './diff-command';
import { registerGraphCommand } from './graph-command';
import { registerMigrateCommand } from './migrate-command';
import { registerValidateCommand } from './validate-command';
import { attachIO, CliIO, exitCodeOf, InputError, processIO, UsageError } from './load';

const PROGRAM = 'istio-gateway';

/** The package version, from the nearest package.json above this file (the build layout may vary). */
function version(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'istio-gateway-constructs' && pkg.version) return pkg.version;
    } catch {
      // keep looking
    }
    if (path.dirname(dir) === dir) return '0.0.0';
  }
}

/** Runs the CLI with `argv` (arguments after the program name) and returns the exit code; never throws. */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const program = new Command(PROGRAM)
    .description('Check Istio ingress gateway configuration.')
    .version(version())
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .showHelpAfterError(false);
  attachIO(program, io);
  registerAnalyzeCommand(program);
  registerValidateCommand(program);
  registerMigrateCommand(program);
  registerGraphCommand(program);
  registerDiffCommand(program);

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCodeOf(program);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander has already printed its message (or the help/version text).
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UsageError || e instanceof InputError) {
      io.stderr(`${PROGRAM}: error: ${e.message}\n`);
      return 2;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.stderr(`${PROGRAM}: internal error: ${message.split('\n')[0]}\n`);
    return 2;
  }
}
