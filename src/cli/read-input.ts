// The one place `graph` and `diff` read their input (through src/cli/load.ts), as `analyze` does:
// folders without their sub-folders unless -R, and `<dir>/prerequisites/` (what a synthesized App
// declared as existing) read as external objects rather than as input.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliIO, loadPaths } from './load';

/**
 * The folder, beside the manifests `cdk8s synth` writes, holding what the App declared as existing
 * (writePrerequisites' PREREQUISITES_FOLDER; not imported from there, so the CLI never loads cdk8s).
 */
export const PREREQUISITES_DIR = 'prerequisites';

export interface ReadOptions {
  /** Read sub-folders too (-R). */
  readonly recursive?: boolean;
  /** Read `<dir>/prerequisites/` of input folders as external objects. @default true */
  readonly prerequisites?: boolean;
}

export interface Input {
  readonly objects: Array<Record<string, unknown>>;
  /** Objects of the inputs' prerequisites folders. */
  readonly prerequisites: Array<Record<string, unknown>>;
}

/** `<dir>/prerequisites` of every folder among the inputs that has one. */
export function prerequisiteDirs(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (p === '-') continue;
    try {
      const pre = path.join(p, PREREQUISITES_DIR);
      if (fs.statSync(p).isDirectory() && fs.statSync(pre).isDirectory()) out.push(pre);
    } catch {
      // an unreadable input is reported when it is read
    }
  }
  return out;
}

export async function readInput(paths: readonly string[], io: CliIO, options: ReadOptions = {}): Promise<Input> {
  const pre = options.prerequisites === false ? [] : prerequisiteDirs(paths);
  const skipDirs = new Set(pre.map((p) => path.resolve(p)));
  const objects = (await loadPaths(paths, io, { recursive: options.recursive ?? false, skipDirs })).objects;
  const prerequisites = pre.length > 0 ? (await loadPaths(pre, io, { recursive: options.recursive ?? false })).objects : [];
  return { objects, prerequisites };
}

/** Files and folders read as they are (for --external). */
export async function readObjects(paths: readonly string[], io: CliIO, options: ReadOptions = {}): Promise<Array<Record<string, unknown>>> {
  return (await loadPaths(paths, io, { recursive: options.recursive ?? false })).objects;
}
