#!/usr/bin/env node
// The `istio-gateway` command's entry point. It loads the command line (program.ts) only when it runs
// the command in this process: a large `analyze` input runs in a child process with a larger heap
// (heap.ts), and this process, which then only waits, loads nothing else.

import type { CliIO } from './load';
import type * as Program from './program';
import { relaunchWithHeap } from './heap';

const program = (): typeof Program => require('./program') as typeof Program;

/** Runs the CLI with `argv` (arguments after the program name) and returns the exit code; never throws. */
export function main(argv: readonly string[], io?: CliIO): Promise<number> {
  return program().main(argv, io);
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  // Else, or when the child cannot be started, here.
  void (async () => {
    const relaunched = await relaunchWithHeap(argv, __filename);
    process.exitCode = relaunched ?? await main(argv);
  })().catch(() => {
    process.exitCode = 2;
  });
}
