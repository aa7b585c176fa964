// The one reader of Kubernetes manifests (YAML or JSON, one or many documents per file) used by the
// CLI and by the CRD loader. It streams: a file is read in chunks, decoded as strict UTF-8, cut into
// documents at `---`/`...` lines in column 0 (YAML's document markers, which also end block scalars),
// and each document is parsed with js-yaml as soon as it is complete, so the whole source text, a
// parse tree and the objects are never held at once. Every error names the file and line.

import { isUtf8 } from 'buffer';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import * as jsyaml from 'js-yaml';
import { CORE_SCHEMA, loadAll, YAMLException, type State, type Type } from 'js-yaml';
import { isListObject } from '../manifests';

/** A file that cannot be read or parsed. `message` names the file (and line, column when known). */
export class ManifestReadError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${file}${line !== undefined ? `:${line}${column !== undefined ? `:${column}` : ''}` : ''}: ${reason}`);
    this.name = 'ManifestReadError';
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** One YAML document with where it came from. */
export interface SourcedDocument {
  readonly value: unknown;
  readonly file: string;
  /** 1-based line where the document's content starts. */
  readonly line: number;
}

/** Line (1-based) where an object inside a document starts, when the reader recorded it. */
export type LineOf = (obj: object) => number | undefined;

/** Receives each parsed document, with the lines of the objects inside it when recorded (Lists, arrays). */
export type DocumentSink = (doc: SourcedDocument, lineOf?: LineOf) => void;

/** One Kubernetes object (the items of a `kind: List` are objects of their own) with where it came from. */
export interface SourcedObject {
  readonly value: unknown;
  readonly file: string;
  /** 1-based line where the object starts. */
  readonly line: number;
}

export interface ExpandOptions {
  /**
   * Read sub-folders of a folder too. `kubectl apply -f dir` reads only the folder's own files
   * (`-R` for more); the CLI follows it. The CRD loader reads CRD folders recursively.
   * @default true
   */
  readonly recursive?: boolean;
  /** Folders (absolute paths) not to descend into. @default none */
  readonly skipDirs?: ReadonlySet<string>;
}

const MANIFEST_EXT = /\.(ya?ml|json)$/i;

/** Short, single-line rendering of a value or text for messages: never more than `max` characters of it. */
export function clip(text: string, max = 40): string {
  const oneLine = text.replace(/[\r\n\t]+/g, ' ');
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max)}... (${text.length} chars)`;
}

/** `read()`, with a file system failure on `p` turned into a ManifestReadError naming it. */
function readingFs<T>(p: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw new ManifestReadError(p, `cannot read: ${fsReason(e)}`);
  }
}

function fsReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT') return 'no such file or directory';
  if (err?.code === 'EACCES') return 'permission denied';
  if (err?.code === 'ELOOP') return 'too many levels of symbolic links';
  return err?.code ?? (err as Error)?.message ?? String(e);
}

/**
 * Expands files and folders to file paths. A folder yields its `.yaml`, `.yml` and `.json` files,
 * sorted by name, and (when recursive) then those of its sub-folders. Symbolic links are followed;
 * a folder reached twice through links (a loop) is read once. A file named explicitly is read
 * whatever its extension.
 */
export function expandManifestPaths(inputs: readonly string[], options: ExpandOptions = {}): string[] {
  const recursive = options.recursive ?? true;
  const skip = options.skipDirs ?? new Set<string>();
  const out: string[] = [];
  const visited = new Set<string>();
  const walk = (dir: string): void => {
    const real = readingFs(dir, () => fs.realpathSync(dir));
    if (visited.has(real) || skip.has(path.resolve(dir)) || skip.has(real)) return;
    visited.add(real);
    const names = readingFs(dir, () => fs.readdirSync(dir)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const nested: string[] = [];
    for (const name of names) {
      const p = path.join(dir, name);
      // statSync follows symbolic links; a dangling one is refused (kubectl reports it too).
      const st = readingFs(p, () => fs.statSync(p));
      if (st.isDirectory()) nested.push(p);
      else if (st.isFile() && MANIFEST_EXT.test(name)) out.push(p);
    }
    if (recursive) for (const n of nested) walk(n);
  };
  for (const input of inputs) {
    if (readingFs(input, () => fs.statSync(input)).isDirectory()) walk(input);
    else out.push(input);
  }
  return out;
}

// YAML 1.2 core types (as the `yaml` package and Kubernetes read them: no timestamps, no binary),
// plus merge keys (`<<: *base`), which kubectl's YAML reader accepts.
// (js-yaml exports its types at run time; @types/js-yaml does not declare them.)
const SCHEMA = CORE_SCHEMA.extend({ implicit: [(jsyaml as unknown as { types: { merge: Type } }).types.merge] });

/** A document's raw text and the 1-based line of its first line. */
interface RawDocument {
  readonly text: string;
  readonly line: number;
  /** Whether the document ends with a `...` line. */
  readonly ended: boolean;
  /** The piece of text fed to the splitter that holds the whole document, at [from, to). */
  readonly piece?: string;
  readonly from?: number;
  readonly to?: number;
}

const MARKERS = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;
const PREAMBLE_LINE = /^(?:[ \t]*(?:#.*)?|%.*)\r?$/;

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** Whether the text holds only blank lines, comments and directives (what may precede a `---`). */
function onlyPreamble(text: string): boolean {
  let from = 0;
  while (from < text.length) {
    let nl = text.indexOf('\n', from);
    if (nl < 0) nl = text.length;
    if (!PREAMBLE_LINE.test(text.slice(from, nl))) return false;
    from = nl + 1;
  }
  return true;
}

/**
 * Cuts YAML text into documents at marker lines in column 0 (`---` starts a document, `...` ends
 * one). Text before a `---` that holds only comments, blank lines or directives (`%YAML`) stays
 * with the document that follows. Fed complete lines, chunk by chunk. A document within one piece
 * of text is a slice of it, not a copy; only a document continued from an earlier piece is joined.
 */
class DocumentSplitter {
  /** The current document's text from earlier pieces. */
  private parts: string[] = [];
  /** Line of the current document's first character. */
  private startLine = 1;
  /** Whether the current document began with a `---` line. */
  private marked = false;

  constructor(private readonly emit: (doc: RawDocument) => void) {}

  /** Line (1-based) where the text fed next starts, once the text fed so far has been ended (end()). */
  get line(): number {
    return this.startLine;
  }

  /** Feeds text made of complete lines (the last may lack its `\n` only at the end of input). */
  lines(text: string): void {
    MARKERS.lastIndex = 0;
    // The current document's text in this piece starts at `from`.
    let from = 0;
    for (let m = MARKERS.exec(text); m !== null; m = MARKERS.exec(text)) {
      const at = m.index;
      const eol = text.indexOf('\n', at);
      const end = eol < 0 ? text.length : eol + 1;
      if (m[0] === '---') {
        if ((this.parts.length > 0 || at > from) && (this.marked || !onlyPreamble(this.current(text, from, at)))) {
          this.close(text, from, at, false);
          from = at;
        }
        this.marked = true;
      } else {
        if (this.parts.length > 0 || end > from) this.close(text, from, end, true);
        this.marked = false;
        from = end;
      }
      MARKERS.lastIndex = end;
    }
    if (from < text.length) this.parts.push(text.slice(from));
  }

  /** The current document's text up to `to` in this piece. */
  private current(text: string, from: number, to: number): string {
    return this.parts.length === 0 ? text.slice(from, to) : this.parts.join('') + text.slice(from, to);
  }

  /** Ends the current document at `to` in this piece: emitted when marked or holding more than a preamble. */
  private close(piece: string, from: number, to: number, ended: boolean): void {
    const whole = this.parts.length === 0;
    const text = this.current(piece, from, to);
    if (this.marked || !onlyPreamble(text)) {
      this.emit(whole ? { text, line: this.startLine, ended, piece, from, to } : { text, line: this.startLine, ended });
    }
    this.startLine += countNewlines(text);
    this.parts = [];
  }

  end(): void {
    if (this.parts.length > 0) {
      const text = this.parts.join('');
      if (this.marked || !onlyPreamble(text)) this.emit({ text, line: this.startLine, ended: false });
      this.startLine += countNewlines(text);
      this.parts = [];
    }
    this.marked = false;
  }
}

/**
 * The first line that holds content (not blank, a comment, a directive or a bare `---`): its line
 * (1-based, within `text`) and the offset where it starts.
 */
function contentAt(text: string): { line: number; offset: number } {
  let line = 0;
  let from = 0;
  while (from < text.length) {
    let nl = text.indexOf('\n', from);
    if (nl < 0) nl = text.length;
    const s = text.slice(from, nl);
    if (!/^(?:[ \t]*(?:#.*)?|%.*|---[ \t]*(?:#.*)?)\r?$/.test(s)) return { line: line + 1, offset: from };
    line++;
    from = nl + 1;
  }
  return { line: 1, offset: text.length };
}

// A document whose text looks like a List (or a bare array) is parsed with a listener that records
// the line of each item, so that findings about an item point at it rather than at the List.
const LIST_LINE = /^[ \t]*["']?kind["']?[ \t]*:[ \t]*["']?[A-Za-z0-9]*List["']?[ \t]*,?$/;
const ARRAY_HINT = /^(?:[ \t]*(?:#.*)?\r?\n)*[ \t]*(?:\[|- )/;

function isLineEnd(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/**
 * Whether a line of the text (lines end where a multiline regular expression's `$` matches) is a
 * `kind: ...List` line. Only the lines holding `List` are tested: one expression over every line
 * start of a 45 MB `kubectl get -o json` List took 143 ms.
 */
function hasListKindLine(text: string): boolean {
  for (let i = text.indexOf('List'); i >= 0; i = text.indexOf('List', i + 4)) {
    let start = i;
    while (start > 0 && !isLineEnd(text.charCodeAt(start - 1))) start--;
    let end = i + 4;
    while (end < text.length && !isLineEnd(text.charCodeAt(end))) end++;
    if (LIST_LINE.test(text.slice(start, end))) return true;
    i = end;
  }
  return false;
}

/**
 * A js-yaml listener recording the 0-based line where each mapping starts (js-yaml reports nodes
 * as they open and close; the innermost report of a node is the one at its first character).
 */
function mappingLineListener(out: Map<object, number>): (event: string, state: State) => void {
  const opened: number[] = [];
  return (event, state) => {
    if (event === 'open') {
      opened.push(state.line);
    } else {
      const line = opened.pop()!;
      const r = state.result as unknown;
      if (state.kind === 'mapping' && typeof r === 'object' && r !== null && !out.has(r)) out.set(r, line);
    }
  };
}

/** Guard against alias bombs: a document may not expand to more nodes than twice its text allows. */
function checkAliasExpansion(value: unknown, budget: number): boolean {
  let left = budget;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (--left < 0) return false;
    if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (v !== null && typeof v === 'object') for (const k in v) stack.push((v as Record<string, unknown>)[k]);
  }
  return true;
}

// js-yaml's test for characters a YAML stream may not hold (it refuses them; JSON.parse does not).
const NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;
/** Deeper JSON is left to js-yaml, which refuses nesting deeper than its `maxDepth` (100). */
const MAX_JSON_DEPTH = 64;

interface JsonDocument {
  readonly value: unknown;
  /** Line (0-based, within the document's text) of each item object, when items are wanted. */
  readonly lines?: Map<object, number>;
}

/**
 * A document written as JSON (`kubectl get -o json`, or one `{...}` per document) parsed with
 * `JSON.parse`, several times faster than js-yaml, when that gives exactly what js-yaml gives: the
 * same values and, for the items of a List or an array, the same lines. Anything js-yaml might read
 * differently or refuse (a duplicated key, `-0`, a number too large for a double, a tab, a lone
 * carriage return, characters YAML does not allow, directives, nesting deeper than 64) returns
 * undefined, and the document is parsed by js-yaml as before; so are documents that are not JSON.
 */
function parseJsonDocument(text: string, start: number, wantItems: boolean): JsonDocument | undefined {
  const first = text.charCodeAt(start);
  if (first !== 0x7b && first !== 0x5b) return undefined; // { or [
  const preamble = text.slice(0, start);
  if (preamble.includes('%') || NON_PRINTABLE.test(preamble)) return undefined;
  let line = countNewlines(preamble);
  // One pass over the text: pairs (a `:` outside strings; JSON.parse checks the rest of the
  // grammar), lines, and where the elements of the top-level array, or of the top-level object's
  // `items` array, start.
  let pairs = 0;
  let depth = 0;
  let wide = false;
  const starts: number[] = [];
  let itemsDepth = first === 0x5b ? 1 : -1;
  let expectElement = false;
  let keyIsItems = false;
  let itemsKeyPending = false;
  const n = text.length;
  for (let i = start; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const from = i;
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
        else if (d < 0x20) return undefined;
        else if (d >= 0x7f) wide = true;
      }
      if (i >= n) return undefined;
      if (expectElement) { starts.push(-1); expectElement = false; }
      if (depth === 1 && first === 0x7b) keyIsItems = i - from === 6 && text.startsWith('"items"', from);
      continue;
    }
    switch (c) {
      case 0x0a: line++; break;
      case 0x0d: if (text.charCodeAt(i + 1) !== 0x0a) return undefined; break;
      case 0x20: break;
      case 0x3a: // :
        pairs++;
        itemsKeyPending = depth === 1 && keyIsItems;
        keyIsItems = false;
        break;
      case 0x7b: case 0x5b: // { [
        if (expectElement) { starts.push(c === 0x7b ? line : -1); expectElement = false; }
        if (++depth > MAX_JSON_DEPTH) return undefined;
        if (c === 0x5b && itemsKeyPending && depth === 2) itemsDepth = 2;
        itemsKeyPending = false;
        if (depth === itemsDepth) expectElement = true;
        break;
      case 0x7d: case 0x5d: // } ]
        if (depth === itemsDepth) { expectElement = false; itemsDepth = -1; }
        depth--;
        break;
      case 0x2c: // ,
        if (depth === itemsDepth) expectElement = true;
        itemsKeyPending = false;
        break;
      default:
        // Tabs and anything else outside strings and literals: js-yaml's reading may differ.
        if (c === 0x09 || c >= 0x7f) return undefined;
        if (expectElement) { starts.push(-1); expectElement = false; }
        itemsKeyPending = false;
    }
  }
  if (wide && NON_PRINTABLE.test(text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(start === 0 ? text : text.slice(start));
  } catch {
    return undefined;
  }
  // Every key once (js-yaml refuses a duplicated key; JSON.parse keeps the last), and numbers js-yaml reads alike.
  let keys = 0;
  const stack: object[] = [value as object];
  const sameNumber = (v: number): boolean => (v === 0 ? 1 / v > 0 : Number.isFinite(v));
  while (stack.length > 0) {
    const o = stack.pop()!;
    if (Array.isArray(o)) {
      for (const x of o) {
        if (typeof x === 'object') { if (x !== null) stack.push(x); } else if (typeof x === 'number' && !sameNumber(x)) return undefined;
      }
    } else {
      for (const k in o) {
        keys++;
        const x = (o as Record<string, unknown>)[k];
        if (typeof x === 'object') { if (x !== null) stack.push(x); } else if (typeof x === 'number' && !sameNumber(x)) return undefined;
      }
    }
  }
  if (keys !== pairs) return undefined;
  if (!wantItems) return { value };
  const items = first === 0x5b ? value : isListObject(value) ? value.items : undefined;
  const lines = new Map<object, number>();
  if (Array.isArray(items)) {
    if (items.length !== starts.length) return undefined;
    for (let k = 0; k < items.length; k++) {
      const item: unknown = items[k];
      // Items of items take js-yaml's listener.
      if (Array.isArray(item) || isListObject(item)) return undefined;
      if (typeof item === 'object' && item !== null && starts[k] >= 0) lines.set(item, starts[k]);
    }
  }
  return { value, lines };
}

/** What parseDocument needs beyond the text: the first content line, and whether items' lines are wanted. */
interface Prepared {
  readonly raw: RawDocument;
  readonly content: { line: number; offset: number };
  readonly wantItems: boolean;
}

function prepare(raw: RawDocument): Prepared {
  return { raw, content: contentAt(raw.text), wantItems: ARRAY_HINT.test(raw.text) || hasListKindLine(raw.text) };
}

function parseDocument(doc: Prepared, file: string, sink: DocumentSink): void {
  const { raw, content, wantItems } = doc;
  const json = parseJsonDocument(raw.text, content.offset, wantItems);
  if (json) {
    if (json.value === null) return;
    const jsonLines = json.lines;
    sink({ value: json.value, file, line: raw.line + content.line - 1 },
      wantItems ? (o) => { const l = jsonLines?.get(o); return l === undefined ? undefined : raw.line + l; } : undefined);
    return;
  }
  const lines = new Map<object, number>();
  const values: unknown[] = [];
  try {
    loadAll(raw.text, (v) => { values.push(v); }, {
      schema: SCHEMA,
      filename: file,
      ...(wantItems ? { listener: mappingLineListener(lines) } : {}),
    });
  } catch (e) {
    if (e instanceof YAMLException) {
      // The reason only: js-yaml's message quotes the source around the error, which may be a secret.
      const mark = e.mark as { line?: number; column?: number } | undefined;
      const line = mark?.line !== undefined ? raw.line + mark.line : raw.line;
      const column = mark?.column !== undefined ? mark.column + 1 : undefined;
      throw new ManifestReadError(file, `invalid YAML: ${clip(e.reason ?? 'parse error', 80)}`, line, column);
    }
    throw e;
  }
  for (const value of values) {
    if (value === null || value === undefined) continue;
    sinkYamlValue(doc, value, file, sink, wantItems ? (o) => { const l = lines.get(o); return l === undefined ? undefined : raw.line + l; } : undefined);
  }
}

/** Hands one value js-yaml read from a document to the sink, after the alias-expansion guard. */
function sinkYamlValue(doc: Prepared, value: unknown, file: string, sink: DocumentSink, lineOf: LineOf | undefined): void {
  const { raw, content } = doc;
  const line = raw.line + content.line - 1;
  // An alias (`*a`) needs an anchor (`&a`) before it in the same document (js-yaml refuses it
  // otherwise), so a document without both characters cannot expand.
  if (raw.text.includes('&') && raw.text.includes('*') && !checkAliasExpansion(value, 2 * raw.text.length + 10_000)) {
    throw new ManifestReadError(file, 'invalid YAML: the document contains excessive aliasing', line);
  }
  sink({ value, file, line }, lineOf);
}

/** Documents of at most this many characters in all are read by one js-yaml call (see DocumentParser). */
const BATCH_CHARS = 1 << 18;

/**
 * Parses the documents the splitter cuts, in order. Plain YAML documents that follow one another in
 * one piece of text are read several at a time, by one js-yaml `loadAll` of that stretch of the text:
 * js-yaml copies its input (to append a NUL) and the strings it reads are slices of the copy, so per
 * document the copy was a young object that the parsed objects kept alive and the scavenger copied
 * twice; a stretch of up to 256 kB is copied once, most of it straight into large-object space. Each
 * document of a batch is exactly one js-yaml document (each begins with `---`, or the batch with it;
 * none ends with `...`, after which a document may begin without `---`), which is checked: when
 * js-yaml returns another count, or throws, the batch is parsed again one document at a time as
 * before, so values, lines, errors and the order of sink calls are the same. Documents whose items'
 * lines are recorded (Lists, arrays), JSON documents and documents after a directive are parsed
 * alone. The batch is flushed before any other document and at the end of each piece of text fed to
 * the splitter, so an error is met at the same point of the input as before.
 */
class DocumentParser {
  private batch: Prepared[] = [];
  private chars = 0;

  constructor(private readonly file: string, private readonly sink: DocumentSink) {}

  readonly add = (raw: RawDocument): void => {
    const doc = prepare(raw);
    if (doc.wantItems || raw.ended || raw.piece === undefined || !isPlainYaml(raw.text, doc.content.offset)) {
      this.flush();
      parseDocument(doc, this.file, this.sink);
      return;
    }
    const last = this.batch.length > 0 ? this.batch[this.batch.length - 1].raw : undefined;
    if (last !== undefined && (last.piece !== raw.piece || last.to !== raw.from)) this.flush();
    this.batch.push(doc);
    this.chars += raw.text.length;
    if (this.chars >= BATCH_CHARS) this.flush();
  };

  flush(): void {
    const batch = this.batch;
    if (batch.length === 0) return;
    this.batch = [];
    this.chars = 0;
    if (batch.length > 1) {
      const values: unknown[] = [];
      let ok = true;
      try {
        const first = batch[0].raw;
        loadAll(first.piece!.slice(first.from, batch[batch.length - 1].raw.to), (v) => { values.push(v); }, { schema: SCHEMA, filename: this.file });
      } catch {
        ok = false;
      }
      if (ok && values.length === batch.length) {
        for (let i = 0; i < batch.length; i++) {
          const value = values[i];
          if (value !== null && value !== undefined) sinkYamlValue(batch[i], value, this.file, this.sink, undefined);
        }
        return;
      }
    }
    for (const doc of batch) parseDocument(doc, this.file, this.sink);
  }
}

/** Whether a document is YAML that is neither JSON-looking (`{`/`[` first) nor preceded by a directive (`%`). */
function isPlainYaml(text: string, contentOffset: number): boolean {
  const first = text.charCodeAt(contentOffset);
  if (first === 0x7b || first === 0x5b) return false;
  return contentOffset === 0 || !text.slice(0, contentOffset).includes('%');
}

/** Position (1-based line and column, in bytes) of the first byte that is not valid UTF-8, if any. */
function invalidUtf8At(buf: Uint8Array): { line: number; column: number } | undefined {
  let line = 1;
  let lineStart = 0;
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    if (b === 0x0a) { line++; lineStart = i + 1; i++; continue; }
    if (b < 0x80) { i++; continue; }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) { need = 1; min = 0x80; }
    else if (b >= 0xe0 && b <= 0xef) { need = 2; min = 0x800; }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; min = 0x10000; }
    else return { line, column: i - lineStart + 1 };
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return { line, column: i - lineStart + 1 };
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return { line, column: i - lineStart + 1 };
    i += need + 1;
  }
  return undefined;
}

function utf8Error(file: string, bytes: Uint8Array): ManifestReadError {
  const at = invalidUtf8At(bytes);
  return new ManifestReadError(file, 'invalid UTF-8: the file is not UTF-8 text (kubectl and istioctl refuse it too)', at?.line, at?.column);
}

/** Decodes bytes as strict UTF-8 (a leading byte order mark is dropped); refuses invalid UTF-8 naming the line. */
export function decodeManifest(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw utf8Error(file, bytes);
  }
}

/** Parses all documents of a YAML (or JSON) text, calling `sink` with each as soon as it is parsed. */
export function forEachDocument(text: string, file: string, sink: DocumentSink): void {
  const parser = new DocumentParser(file, sink);
  const splitter = new DocumentSplitter(parser.add);
  splitter.lines(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  parser.flush();
  splitter.end();
  parser.flush();
}

/** Parses all documents of a YAML (or JSON) text; empty documents are dropped. */
export function parseManifestText(text: string, file: string): SourcedDocument[] {
  const out: SourcedDocument[] = [];
  forEachDocument(text, file, (d) => out.push(d));
  return out;
}

const CHUNK = 1 << 20;

/** Length of the prefix of `b[0, len)` that does not end inside a multi-byte UTF-8 character. */
function completeUtf8Length(b: Uint8Array, len: number): number {
  for (let k = 1; k <= 3 && k <= len; k++) {
    const c = b[len - k];
    if (c < 0x80) return len;
    if (c >= 0xc0) {
      const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
      return k < need ? len - k : len;
    }
  }
  return len;
}

/**
 * Reads a file's text into a splitter 1 MiB at a time, from its start: chunks start at multiples of
 * 1 MiB in the file, so a file read in two calls of feed() meets its errors at the points it meets
 * them read in one.
 */
class ChunkReader {
  // Node's native UTF-8 check and decoding (much faster than a fatal TextDecoder); a character cut
  // by the chunk boundary is carried over to the next chunk.
  private readonly buf = Buffer.allocUnsafe(CHUNK + 4);
  private pos = 0;
  private carry = 0;
  private pending = '';
  private first = true;

  constructor(
    private readonly fd: number,
    private readonly file: string,
    private readonly splitter: DocumentSplitter,
    private readonly parser: DocumentParser,
  ) {}

  /** Feeds the rest of the file and ends the last document. */
  finish(): void {
    this.feed();
    this.splitter.end();
    this.parser.flush();
  }

  /** Feeds the text up to byte `end` (the start of a line), or to the end of the file when undefined. */
  feed(end?: number): void {
    const { buf, file, splitter, parser } = this;
    for (;;) {
      const want = end === undefined ? CHUNK : Math.min(CHUNK, end - this.pos);
      // From the file's current position, not a given one: a pipe (`analyze <(kubectl get ...)`) has none.
      const n = readingFs(file, () => fs.readSync(this.fd, buf, this.carry, want, null));
      this.pos += n;
      const len = this.carry + n;
      const complete = n === 0 ? len : completeUtf8Length(buf, len);
      const bytes = buf.subarray(0, complete);
      if (!isUtf8(bytes)) throw utf8Error(file, fs.readFileSync(file));
      let text = bytes.toString('utf8');
      this.carry = len - complete;
      buf.copy(buf, 0, complete, len);
      if (this.first && text.length > 0) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        this.first = false;
      }
      text = this.pending + text;
      if (n === 0) {
        this.pending = '';
        splitter.lines(text);
        parser.flush();
        return;
      }
      const cut = text.lastIndexOf('\n') + 1;
      splitter.lines(text.slice(0, cut));
      parser.flush();
      this.pending = text.slice(cut);
      if (end !== undefined && this.pos >= end) return;
    }
  }
}

/**
 * Reads one file as a stream of documents: 1 MiB at a time, each document parsed when its text is
 * complete and then dropped. Calls `sink` with each document in file order.
 */
export function forEachDocumentInFile(file: string, sink: DocumentSink): void {
  const fd = readingFs(file, () => fs.openSync(file, 'r'));
  try {
    const parser = new DocumentParser(file, sink);
    const splitter = new DocumentSplitter(parser.add);
    new ChunkReader(fd, file, splitter, parser).finish();
  } finally {
    fs.closeSync(fd);
  }
}

/** Files of at least this many bytes are read on two threads by forEachDocumentInFileSplit. */
export const SPLIT_MIN_BYTES = 8 * 1024 * 1024;
/**
 * Where in the file the second thread's part starts: past the middle, since the worker starts about
 * 50 ms later and the main thread then turns the worker's objects into its own (about 0.3 of their
 * parsing time).
 */
const SPLIT_AT = 0.55;
/** Bytes read at SPLIT_AT to find where to split; a file without two `---` lines there is read on one thread. */
const SPLIT_WINDOW = 256 * 1024;
/** Documents per message from the worker. */
export const SPLIT_BATCH = 256;

/** What the worker posts: a batch of documents, then `done` or the error that stopped it. */
export type SplitMessage =
  | { readonly docs: ReadonlyArray<SplitDocument> }
  | { readonly done: true }
  | { readonly error: { readonly reason: string; readonly line?: number; readonly column?: number } };

/** A document parsed by the worker: its value, its line and, for a List or an array, the lines of its items. */
export type SplitDocument = readonly [value: unknown, line: number, items: number[] | undefined];

/** Calls `fn` with each object a List or an array holds, in the order objectsOfDocument asks their lines. */
function forEachItem(value: unknown, fn: (item: object) => void): void {
  const items = Array.isArray(value) ? value : isListObject(value) ? value.items : undefined;
  if (items === undefined) return;
  for (const x of items) {
    if (typeof x === 'object' && x !== null) fn(x);
    forEachItem(x, fn);
  }
}

/** The lines `lineOf` gives the items of a document (-1 for none), in forEachItem's order: what a worker posts. */
export function itemLines(value: unknown, lineOf: LineOf): number[] {
  const out: number[] = [];
  forEachItem(value, (o) => { out.push(lineOf(o) ?? -1); });
  return out;
}

/** lineOf for a document copied from a worker: the lines itemLines gave, moved down by `base` lines. */
function lineOfCopy(value: unknown, lines: readonly number[], base: number): LineOf {
  const at = new Map<object, number>();
  let k = 0;
  forEachItem(value, (o) => {
    const l = lines[k++];
    if (l >= 0 && !at.has(o)) at.set(o, l + base);
  });
  return (o) => at.get(o);
}

/**
 * Where the second thread may start: the start of a `---` line near SPLIT_AT whose nearest marker
 * line before it is also `---`. The splitter then always ends a document there (the document before
 * began with `---`), so the two parts cut into the documents one pass cuts. Markers are found as the
 * splitter finds them (the same expression, one per line, from the start of a line).
 */
function findSplit(fd: number, size: number): number | undefined {
  const from = Math.floor(size * SPLIT_AT);
  const buf = Buffer.allocUnsafe(Math.min(SPLIT_WINDOW, size - from));
  const win = buf.subarray(0, fs.readSync(fd, buf, 0, buf.length, from));
  const lineStart = win.indexOf(10) + 1;
  const lastEnd = win.lastIndexOf(10) + 1;
  if (lineStart === 0 || lastEnd <= lineStart) return undefined;
  const text = win.toString('utf8', lineStart, lastEnd);
  let previous = '';
  MARKERS.lastIndex = 0;
  for (let m = MARKERS.exec(text); m !== null; m = MARKERS.exec(text)) {
    if (m[0] === '---' && previous === '---') return from + lineStart + Buffer.byteLength(text.slice(0, m.index));
    previous = m[0];
    const eol = text.indexOf('\n', m.index);
    MARKERS.lastIndex = eol < 0 ? text.length : eol + 1;
  }
  return undefined;
}

export interface SplitOptions {
  /** @default SPLIT_MIN_BYTES */
  readonly minBytes?: number;
  /** The worker's script (tests give a failing one). @default the compiled yaml-split-worker.js beside this file */
  readonly workerFile?: string;
  /** How many threads the process can run at once; under 2, one. @default os.availableParallelism() */
  readonly parallelism?: number;
}

/** What a worker gave: its documents, and the error that stopped it, if one did. */
interface WorkerResult {
  readonly docs: SplitDocument[];
  readonly error?: { readonly reason: string; readonly line?: number; readonly column?: number };
}

/** Runs the worker on the text of `tail`; the result is undefined when it failed (it crashed, ran out of memory or threw other than a read error). */
function runWorker(workerFile: string, file: string, tail: Buffer): { result: Promise<WorkerResult | undefined>; stop: () => void } {
  const worker = new Worker(workerFile, { workerData: { file, bytes: tail }, transferList: [tail.buffer as ArrayBuffer] });
  const docs: SplitDocument[] = [];
  const result = new Promise<WorkerResult | undefined>((resolve) => {
    worker.on('message', (m: SplitMessage) => {
      if ('docs' in m) for (const d of m.docs) docs.push(d);
      else if ('done' in m) resolve({ docs });
      else resolve({ docs, error: m.error });
    });
    worker.on('error', () => resolve(undefined));
    worker.on('exit', () => resolve(undefined));
  });
  return { result, stop: () => { void worker.terminate(); } };
}

/**
 * forEachDocumentInFile, on two threads for a large file: a worker thread parses the text after a
 * point past the middle (see findSplit) while this thread parses the text before it; then this
 * thread hands on the worker's documents (copied into its heap by the message channel) with their
 * lines moved to the whole file's. The documents, their lines, the items' lines and the first error
 * are those of one pass: the worker's part is checked as UTF-8 before it starts (else the file is
 * read on one thread), this thread reads its part in the same chunks as one pass, and the worker's
 * documents are handed on, or its error thrown, only after this thread's. A worker that fails
 * otherwise (it crashes, runs out of memory, or cannot start) changes nothing but the time: this
 * thread reads the rest itself. Files under `minBytes`, pipes, files with no safe point to split
 * at, and a process that can run only one thread at once are read on one thread. Resolves with the byte offset the worker started at, if one did.
 */
export async function forEachDocumentInFileSplit(file: string, sink: DocumentSink, options: SplitOptions = {}): Promise<number | undefined> {
  const workerFile = options.workerFile ?? path.join(__dirname, 'yaml-split-worker.js');
  const fd = readingFs(file, () => fs.openSync(file, 'r'));
  let stop: (() => void) | undefined;
  try {
    const st = readingFs(file, () => fs.fstatSync(fd));
    // With one CPU the worker only takes turns with this thread, and its start-up and the copy of
    // its documents are CPU time spent for nothing: without it, `analyze` of the 45 MB bench shapes
    // on one CPU took 0.86-0.89 of the CPU time and 0.81-0.88 of the wall time.
    const cpus = options.parallelism ?? os.availableParallelism();
    const at = cpus >= 2 && st.isFile() && st.size >= (options.minBytes ?? SPLIT_MIN_BYTES) && fs.existsSync(workerFile)
      ? readingFs(file, () => findSplit(fd, st.size)) : undefined;
    // The worker's part, read at its offset (the file's own position stays at 0 for the reader below);
    // a file that is not read whole (it shrank) is read on one thread.
    let tail = at === undefined ? undefined : Buffer.allocUnsafeSlow(st.size - at);
    if (tail !== undefined && readingFs(file, () => fs.readSync(fd, tail!, 0, tail!.length, at!)) !== tail.length) tail = undefined;
    const parser = new DocumentParser(file, sink);
    const splitter = new DocumentSplitter(parser.add);
    const reader = new ChunkReader(fd, file, splitter, parser);
    if (tail === undefined || !isUtf8(tail)) {
      reader.finish();
      return undefined;
    }
    const worker = runWorker(workerFile, file, tail);
    stop = worker.stop;
    reader.feed(at);
    const result = await worker.result;
    if (result === undefined) {
      reader.finish();
      return undefined;
    }
    splitter.end();
    parser.flush();
    const base = splitter.line - 1;
    for (const [value, line, items] of result.docs) {
      sink({ value, file, line: line + base }, items === undefined ? undefined : lineOfCopy(value, items, base));
    }
    const e = result.error;
    if (e !== undefined) throw new ManifestReadError(file, e.reason, e.line === undefined ? undefined : e.line + base, e.column);
    return at;
  } finally {
    stop?.();
    fs.closeSync(fd);
  }
}

/** Reads and parses one file. */
export function readManifestFile(file: string): SourcedDocument[] {
  const out: SourcedDocument[] = [];
  forEachDocumentInFile(file, (d) => out.push(d));
  return out;
}

/**
 * The objects of a document: a List (or a bare array, as a JSON file may hold) gives its items, each
 * with its own line when known; anything else is one object.
 */
export function objectsOfDocument(doc: SourcedDocument, lineOf: LineOf | undefined, sink: (o: SourcedObject) => void): void {
  const lineFor = (v: unknown, fallback: number): number =>
    (lineOf && typeof v === 'object' && v !== null ? lineOf(v) : undefined) ?? fallback;
  const visit = (v: unknown, line: number): void => {
    if (Array.isArray(v)) v.forEach((x) => visit(x, lineFor(x, line)));
    else if (isListObject(v)) v.items.forEach((x) => visit(x, lineFor(x, line)));
    else sink({ value: v, file: doc.file, line });
  };
  visit(doc.value, doc.line);
}
