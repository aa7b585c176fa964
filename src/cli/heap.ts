// `istio-gateway analyze` of a large input runs in a child Node.js process started with a larger
// initial old generation (`--initial-old-space-size`), a flag a process cannot give itself once it runs.
//
// Why: V8 starts with a small old-generation limit, and shrinks it further from the survival rate of
// the first young-generation collections (low while modules load). Reading a 45 MB cluster dump keeps
// 200-350 MB of parsed objects, so the heap passes limit after limit and V8 marks the whole heap each
// time (at about 15, 75 and 260 MB on a 45 MB Istio dump), the last one tracing every parsed object
// while the analyzers run. Started with room for what the input will need, the process does none of
// those full collections: 4-6% of the command's CPU time on Istio-heavy and mixed dumps, measured
// with the cost of starting the second process included (docs/performance-history.md, "`analyze`
// with a margin, seventh round"). The young generation keeps V8's defaults (`--initial-heap-size` also
// starts it at its largest, which measured worse). A dump of 240,000 small objects gains nothing (its
// full collections are not what costs) and pays the second process, about 1%. The price is 35-75 MiB
// more peak memory, and one more process (about 40 MiB, waiting).

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Set in the child's environment (and by a user who wants no second process: any value). */
export const HEAP_ENV = 'ISTIO_GATEWAY_HEAP';

/** Below this input size, starting a second process costs more than the collections it spares. */
export const MIN_INPUT_BYTES = 32 * 1024 * 1024;

/** What the old generation is started with: 12 bytes per input byte (a dump's parsed objects take 5-13), 256-640 MiB. */
export function initialOldSpaceMiB(inputBytes: number): number {
  return Math.min(640, Math.max(256, Math.ceil((inputBytes * 12) / (1024 * 1024))));
}

/** What relaunchPlan looks at, passed in so that tests can give their own. */
export interface ProcessFacts {
  /** Node.js options the process was started with (`process.execArgv`). */
  readonly execArgv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Size in bytes of what `arg` names when it is a file or a folder of manifests, else 0. */
  readonly inputBytes: (arg: string) => number;
}

/**
 * The Node.js arguments to run `argv` (the CLI's arguments) with in a child process, or undefined to
 * run it here: only `analyze`, only for inputs of MIN_INPUT_BYTES or more, and never when the user
 * chose the process's Node.js options (options on the command line, or a heap or space size in
 * NODE_OPTIONS) or set ISTIO_GATEWAY_HEAP (which the child has).
 */
export function relaunchPlan(argv: readonly string[], script: string, facts: ProcessFacts): string[] | undefined {
  if (argv[0] !== 'analyze' || facts.env[HEAP_ENV] !== undefined || facts.execArgv.length > 0) return undefined;
  if (/heap|space-size|semi-space/.test(facts.env.NODE_OPTIONS ?? '')) return undefined;
  // Every argument that names a file or folder counts (input paths, --external, --mesh-config): all are read.
  let bytes = 0;
  for (const a of argv.slice(1)) if (a === '-' || !a.startsWith('-')) bytes += facts.inputBytes(a);
  if (bytes < MIN_INPUT_BYTES) return undefined;
  return [`--initial-old-space-size=${initialOldSpaceMiB(bytes)}`, script, ...argv];
}

/** Bytes of a file, of a folder's own manifests (as read without -R), or of stdin when it is a file; 0 when unknown. */
export function inputBytesOf(arg: string): number {
  try {
    const st = arg === '-' ? fs.fstatSync(0) : fs.statSync(arg);
    if (st.isFile()) return st.size;
    if (!st.isDirectory() || arg === '-') return 0;
    let sum = 0;
    for (const e of fs.readdirSync(arg, { withFileTypes: true })) {
      if (e.isFile() && /\.(ya?ml|json)$/i.test(e.name)) sum += fs.statSync(path.join(arg, e.name)).size;
    }
    return sum;
  } catch {
    return 0;
  }
}

const FORWARDED: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs `nodeArgs` in a child Node.js process sharing this one's standard streams, and resolves with
 * its exit code. Signals sent to this process are passed on; a child ended by a signal ends this
 * process with the same signal. Rejects when the child cannot be started (the caller then runs the
 * command itself).
 */
export function runChild(nodeArgs: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs, { stdio: 'inherit', env });
    const forward = (signal: NodeJS.Signals): void => { child.kill(signal); };
    const stopForwarding = (): void => { for (const s of FORWARDED) process.removeListener(s, forward); };
    for (const s of FORWARDED) process.on(s, forward);
    child.once('error', (e) => {
      stopForwarding();
      reject(e);
    });
    child.once('exit', (code, signal) => {
      stopForwarding();
      if (signal) {
        // End as the child ended (the default action of these signals); should this process survive
        // it, the shell's code for a signal.
        process.kill(process.pid, signal);
        resolve(128 + (os.constants.signals[signal] ?? 0));
        return;
      }
      resolve(code ?? 2);
    });
  });
}

/**
 * Runs the CLI's `argv` in a child process with a larger heap when relaunchPlan says so, and resolves
 * with its exit code; undefined when the command is to run in this process.
 */
export function relaunchWithHeap(argv: readonly string[], script: string): Promise<number | undefined> | undefined {
  const nodeArgs = relaunchPlan(argv, script, { execArgv: process.execArgv, env: process.env, inputBytes: inputBytesOf });
  if (nodeArgs === undefined) return undefined;
  const mib = nodeArgs[0].slice(nodeArgs[0].indexOf('=') + 1);
  return runChild(nodeArgs, { ...process.env, [HEAP_ENV]: mib }).catch(() => undefined);
}
