// Reads Kubernetes manifests from YAML/JSON files and folders for the CRD loader: every
// document of every file, with errors that name the file and line instead of a stack trace.

import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

/** A file that cannot be read or parsed. `message` names the file (and line when known). */
export class ManifestReadError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly line?: number,
  ) {
    super(`${file}${line !== undefined ? `:${line}` : ''}: ${reason}`);
    this.name = 'ManifestReadError';
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** One YAML document with where it came from. */
export interface SourcedDocument {
  readonly value: unknown;
  readonly file: string;
  /** 1-based line where the document starts. */
  readonly line: number;
}

const MANIFEST_EXT = /\.(ya?ml|json)$/i;

/** Expands files and folders (recursively, sorted, `.yaml`/`.yml`/`.json` only) to file paths. */
export function expandManifestPaths(inputs: readonly string[]): string[] {
  const out: string[] = [];
  for (const input of inputs) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch (e) {
      throw new ManifestReadError(input, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (stat.isDirectory()) {
      const entries = fs.readdirSync(input, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const nested: string[] = [];
      for (const e of entries) {
        const p = path.join(input, e.name);
        if (e.isDirectory()) nested.push(p);
        else if (MANIFEST_EXT.test(e.name)) out.push(p);
      }
      out.push(...expandManifestPaths(nested));
    } else {
      out.push(input);
    }
  }
  return out;
}

/** Parses all documents of a YAML (or JSON) text; empty documents are dropped. */
export function parseManifestText(text: string, file: string): SourcedDocument[] {
  const docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true });
  const lineOf = lineIndex(text);
  const out: SourcedDocument[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    const firstError = doc.errors[0];
    if (firstError) {
      const line = firstError.linePos?.[0]?.line ?? lineOf(firstError.pos[0]);
      throw new ManifestReadError(file, `invalid YAML: ${firstError.message.split('\n')[0]}`, line);
    }
    const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (value === null || value === undefined) continue;
    const start = doc.contents?.range?.[0] ?? doc.range[0];
    out.push({ value, file, line: lineOf(start) });
  }
  return out;
}

/** Reads and parses one file. */
export function readManifestFile(file: string): SourcedDocument[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ManifestReadError(file, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseManifestText(text, file);
}

function lineIndex(text: string): (offset: number) => number {
  const starts: number[] = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}
