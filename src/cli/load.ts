// Shared plumbing of the istio-gateway subcommands: injectable I/O, exit codes, and reading Kubernetes
// objects from files, directories (recursively, sorted) and stdin (`-`), with errors that name the
// file and, where the YAML parser knows it, the line and column.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import { isMap, isSeq, LineCounter, parseAllDocuments } from 'yaml';

/** Where a command reads and writes; tests inject their own. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads all of standard input (for the `-` path). */
  readStdin(): Promise<string>;
}

/** The real process streams. */
export function processIO(): CliIO {
  return {
    stdout: (text) => { process.stdout.write(text); },
    stderr: (text) => { process.stderr.write(text); },
    readStdin: () => new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      process.stdin.on('data', (c: Buffer | string) => chunks.push(typeof c === 'string' ? Buffer.from(c) : c));
      process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
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

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
export const STDIN_NAME = '<stdin>';

/** Files under a directory with a .yaml, .yml or .json name, recursively, sorted by path. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    const entries = fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (EXTENSIONS.has(path.extname(e.name).toLowerCase())) out.push(p);
    }
  };
  walk(dir);
  return out;
}

function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT') return 'no such file or directory';
  if (err?.code === 'EACCES') return 'permission denied';
  return err?.message ?? String(e);
}

class Collector implements LoadedObjects {
  readonly objects: Array<Record<string, unknown>> = [];
  readonly files: string[] = [];
  private readonly where = new WeakMap<object, SourceLocation>();

  locate(obj: unknown): SourceLocation | undefined {
    return typeof obj === 'object' && obj !== null ? this.where.get(obj) : undefined;
  }

  add(obj: Record<string, unknown>, loc: SourceLocation): void {
    this.objects.push(obj);
    this.where.set(obj, loc);
  }

  /** Parses multi-document YAML (JSON is YAML too) and keeps every object, flattening `kind: List`. */
  parse(text: string, file: string): void {
    this.files.push(file);
    const lineCounter = new LineCounter();
    const docs = parseAllDocuments(text, { lineCounter });
    for (const doc of docs) {
      if (doc.errors.length > 0) {
        const err = doc.errors[0];
        const pos = err.linePos?.[0];
        const reason = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
        throw new InputError(file, `invalid YAML: ${reason}`, pos?.line, pos?.col);
      }
      const contents = doc.contents;
      const offset = contents?.range?.[0] ?? doc.range[0];
      const line = lineCounter.linePos(offset).line;
      let value: unknown;
      try {
        value = doc.toJS({ maxAliasCount: 1000 });
      } catch (e) {
        throw new InputError(file, `invalid YAML: ${(e as Error).message}`, line);
      }
      if (value === null || value === undefined) continue;
      this.addValue(value, file, line, contents, lineCounter);
    }
  }

  private addValue(value: unknown, file: string, line: number, node: unknown, lc: LineCounter): void {
    if (Array.isArray(value)) {
      // A bare array of objects (e.g. a JSON file holding several objects).
      value.forEach((v, i) => this.addValue(v, file, itemLine(node, i, lc) ?? line, isSeq(node) ? node.items[i] : undefined, lc));
      return;
    }
    if (typeof value !== 'object' || value === null) {
      throw new InputError(file, `expected a Kubernetes object (a mapping with apiVersion and kind), found ${JSON.stringify(value)}`, line);
    }
    const obj = value as Record<string, unknown>;
    if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) {
      const itemsNode = isMap(node) ? node.get('items', true) : undefined;
      obj.items.forEach((item, i) =>
        this.addValue(item, file, itemLine(itemsNode, i, lc) ?? line, isSeq(itemsNode) ? itemsNode.items[i] : undefined, lc));
      return;
    }
    this.add(obj, { file, line });
  }
}

function itemLine(seq: unknown, i: number, lc: LineCounter): number | undefined {
  if (!isSeq(seq)) return undefined;
  const item = seq.items[i] as { range?: [number, number, number] } | undefined;
  return item?.range ? lc.linePos(item.range[0]).line : undefined;
}

/** Reads files and directories synchronously (no stdin). */
export function loadPathsSync(paths: readonly string[]): LoadedObjects {
  const c = new Collector();
  for (const p of paths) loadPathInto(c, p);
  return c;
}

function loadPathInto(c: Collector, p: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch (e) {
    throw new InputError(p, `cannot read: ${describeFsError(e)}`);
  }
  const files = stat.isDirectory() ? filesUnder(p) : [p];
  for (const f of files) {
    let text: string;
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch (e) {
      throw new InputError(f, `cannot read: ${describeFsError(e)}`);
    }
    c.parse(text, f);
  }
}

/** Reads files, directories and `-` (stdin, at most once). */
export async function loadPaths(paths: readonly string[], io: CliIO): Promise<LoadedObjects> {
  const c = new Collector();
  let stdinRead = false;
  for (const p of paths) {
    if (p === '-') {
      if (stdinRead) throw new UsageError('"-" (stdin) can be given only once');
      stdinRead = true;
      c.parse(await io.readStdin(), STDIN_NAME);
    } else {
      loadPathInto(c, p);
    }
  }
  return c;
}
