// Shared plumbing of the istio-gateway subcommands: injectable I/O, exit codes, and reading Kubernetes
// objects from files, directories (as `kubectl apply -f`: the folder's own files, sorted; sub-folders
// with -R) and stdin (`-`) through the one manifest reader (src/validation/yaml-files.ts), with
// errors that name the file and line.

import { Command } from 'commander';
import {
  decodeManifest, expandManifestPaths, forEachDocument, forEachDocumentInFile, forEachDocumentInFileSplit, ManifestReadError,
  objectsOfDocument,
  type DocumentSink,
} from '../validation/yaml-files';

/** Where a command reads and writes; tests inject their own. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads all of standard input (for the `-` path): bytes (decoded as strict UTF-8) or text. */
  readStdin(): Promise<Buffer | string>;
}

/** The real process streams. */
export function processIO(): CliIO {
  // A reader that stops early (`istio-gateway graph ... | head`) closes the pipe: end quietly, as
  // Unix tools do, instead of an unhandled EPIPE stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.listenerCount('error') === 0) {
      stream.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0); else throw e; });
    }
  }
  return {
    stdout: (text) => { process.stdout.write(text); },
    stderr: (text) => { process.stderr.write(text); },
    readStdin: () => new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      process.stdin.on('data', (c: Buffer | string) => chunks.push(typeof c === 'string' ? Buffer.from(c) : c));
      process.stdin.on('end', () => resolve(Buffer.concat(chunks)));
      process.stdin.on('error', reject);
    }),
  };
}

interface CliState {
  readonly io: CliIO;
  exitCode: number;
}
const STATE = new WeakMap<Command, CliState>();

/** Attaches the I/O of one run to the root command (main.ts does this before registering subcommands). */
export function attachIO(program: Command, io: CliIO): void {
  STATE.set(program, { io, exitCode: 0 });
}

function stateOf(cmd: Command): CliState {
  for (let c: Command | null = cmd; c; c = c.parent) {
    const s = STATE.get(c);
    if (s) return s;
  }
  throw new Error('istio-gateway: no I/O attached to the command tree');
}

/** The I/O of the run a (sub)command belongs to. */
export function ioOf(cmd: Command): CliIO {
  return stateOf(cmd).io;
}

/** Sets the process exit code a (sub)command's action decided on (0 success, 1 findings, 2 usage or input error). */
export function setExitCode(cmd: Command, code: number): void {
  stateOf(cmd).exitCode = code;
}

export function exitCodeOf(cmd: Command): number {
  return stateOf(cmd).exitCode;
}

/** Wrong flags or values: exit code 2, no stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Unreadable or unparsable input: exit code 2, the message names the file (and line/column when known). */
export class InputError extends Error {
  constructor(readonly file: string, readonly reason: string, readonly line?: number, readonly column?: number) {
    super(`${file}${line !== undefined ? `:${line}${column !== undefined ? `:${column}` : ''}` : ''}: ${reason}`);
    this.name = 'InputError';
  }
}

/** Where an object was read from. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
}

export interface LoadedObjects {
  /** Every object read, `kind: List` flattened, in file order. */
  readonly objects: Array<Record<string, unknown>>;
  /** Files read, in order (`<stdin>` for `-`). */
  readonly files: string[];
  /** Where an object of `objects` was read from. */
  locate(obj: unknown): SourceLocation | undefined;
}

export interface LoadOptions {
  /** Read the sub-folders of a folder too (`-R`), as `kubectl apply -R -f`. @default false */
  readonly recursive?: boolean;
  /** Folders (absolute paths) not to read, e.g. a prerequisites folder read as --external instead. */
  readonly skipDirs?: ReadonlySet<string>;
}

export const STDIN_NAME = '<stdin>';

class Collector implements LoadedObjects {
  readonly objects: Array<Record<string, unknown>> = [];
  readonly files: string[] = [];
  /** Object -> file index * 2^32 + line: a number, not an object per input object (less for the GC to trace). */
  private readonly where = new Map<object, number>();

  locate(obj: unknown): SourceLocation | undefined {
    const at = typeof obj === 'object' && obj !== null ? this.where.get(obj) : undefined;
    if (at === undefined) return undefined;
    return { file: this.files[Math.floor(at / 2 ** 32)], line: at % 2 ** 32 };
  }

  readonly sink: DocumentSink = (doc, lineOf) => {
    objectsOfDocument(doc, lineOf, (o) => {
      const v = o.value;
      if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        // The type only: the value may be key material piped in by mistake (`analyze - < tls.key`).
        const what = v === null ? 'null' : typeof v === 'string' ? `a string (${v.length} characters)` : typeof v;
        throw new InputError(o.file, `expected a Kubernetes object (a mapping with apiVersion and kind), found ${what}`, o.line);
      }
      this.objects.push(v as Record<string, unknown>);
      if (!this.where.has(v)) this.where.set(v, (this.files.length - 1) * 2 ** 32 + o.line);
    });
  };

  readText(text: string, file: string): void {
    this.files.push(file);
    forEachDocument(text, file, this.sink);
  }

  readFile(file: string): void {
    this.files.push(file);
    forEachDocumentInFile(file, this.sink);
  }

  /** readFile, on two threads when the file is large (see forEachDocumentInFileSplit). */
  async readFileSplit(file: string): Promise<void> {
    this.files.push(file);
    await forEachDocumentInFileSplit(file, this.sink);
  }
}

function asInputError(e: unknown): unknown {
  return e instanceof ManifestReadError ? new InputError(e.file, e.reason, e.line, e.column) : e;
}

/** Reads files and directories synchronously (no stdin). */
export function loadPathsSync(paths: readonly string[], options: LoadOptions = {}): LoadedObjects {
  const c = new Collector();
  try {
    for (const f of expandManifestPaths(paths, { recursive: options.recursive ?? false, skipDirs: options.skipDirs })) c.readFile(f);
  } catch (e) {
    throw asInputError(e);
  }
  return c;
}

/** Refuses `-` (stdin) given more than once across all the path lists of one command. */
export function checkStdinOnce(...lists: ReadonlyArray<readonly string[] | undefined>): void {
  const n = lists.reduce((sum, l) => sum + (l ?? []).filter((p) => p === '-').length, 0);
  if (n > 1) throw new UsageError('"-" (stdin) can be given only once across the inputs and --external');
}

/** Reads files, directories and `-` (stdin, at most once: see checkStdinOnce for several lists). */
export async function loadPaths(paths: readonly string[], io: CliIO, options: LoadOptions = {}): Promise<LoadedObjects> {
  checkStdinOnce(paths);
  const c = new Collector();
  try {
    for (const p of paths) {
      if (p === '-') {
        const input = await io.readStdin();
        c.readText(typeof input === 'string' ? input : decodeManifest(input, STDIN_NAME), STDIN_NAME);
      } else {
        for (const f of expandManifestPaths([p], { recursive: options.recursive ?? false, skipDirs: options.skipDirs })) await c.readFileSplit(f);
      }
    }
  } catch (e) {
    throw asInputError(e);
  }
  return c;
}
