// Reading a large file on two threads (forEachDocumentInFileSplit) gives what reading it in one pass
// gives: the same documents in the same order, the same lines for documents and List items, and the
// same first error. A Worker runs compiled JavaScript, so these tests use the compiled package in
// lib/ (`npm test` builds it first), a threshold of 1 byte so that small files are split, and two CPUs
// whatever the machine has.

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const LIB = path.join(__dirname, '..', 'lib', 'src');
const YAML_FILES = path.join(LIB, 'validation', 'yaml-files.js');
if (!fs.existsSync(path.join(LIB, 'validation', 'yaml-split-worker.js'))) {
  throw new Error(`${LIB} has no yaml-split-worker.js: run \`npm run build\` before these tests`);
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const reader = require(YAML_FILES) as typeof import('../src/validation/yaml-files');

let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yaml-split-')); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

function write(name: string, text: string | Buffer): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
}

/** Each document's value, line, and the lines of the objects it holds (List items), or the error. */
interface Reading { readonly docs: string[]; readonly error?: string }

function record(docs: string[]): import('../src/validation/yaml-files').DocumentSink {
  return (doc, lineOf) => {
    const lines: number[] = [];
    reader.objectsOfDocument(doc, lineOf, (o) => lines.push(o.line));
    docs.push(JSON.stringify([doc.value, doc.file, doc.line, lines]));
  };
}

function onePass(file: string): Reading {
  const docs: string[] = [];
  try {
    reader.forEachDocumentInFile(file, record(docs));
    return { docs };
  } catch (e) {
    return { docs, error: (e as Error).message };
  }
}

async function split(file: string, workerFile?: string): Promise<Reading & { at?: number }> {
  const docs: string[] = [];
  try {
    const at = await reader.forEachDocumentInFileSplit(file, record(docs), { minBytes: 1, workerFile, parallelism: 2 });
    return { docs, at };
  } catch (e) {
    return { docs, error: (e as Error).message };
  }
}

/** A document of each kind the reader treats apart, `i` making each different. */
function doc(i: number): string {
  switch (i % 7) {
    case 0: return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  script: |\n    echo ${i}\n    ---\n    still the script\n`;
    case 1: return `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: s-${i}}\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: t-${i}\n`;
    case 2: return `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "json-${i}"}, "data": {"k": "v"}}\n`;
    case 3: return `# a comment before\napiVersion: v1\r\nkind: Secret\r\nmetadata:\r\n  name: crlf-${i}\r\nstringData:\r\n  k: "é ${i}"\r\n`;
    case 4: return `{"apiVersion": "v1",\n "kind": "List",\n "items": [\n  {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p-${i}"}},\n  {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "q-${i}"}}\n]}\n`;
    case 5: return `base: &b {apiVersion: v1, kind: ConfigMap}\nmerged:\n  <<: *b\n  metadata: {name: merge-${i}}\n`;
    default: return `apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: gw-${i}\nspec:\n  selector: {istio: ingressgateway}\n  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]\n`;
  }
}

function manyDocs(n: number, at?: (i: number) => string | undefined): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(`---\n${at?.(i) ?? doc(i)}`);
  return parts.join('');
}

describe('reading a file on two threads', () => {
  test('gives the documents, lines and item lines of one pass, the worker starting past the middle', async () => {
    const text = `\uFEFF%YAML 1.2\n${manyDocs(700)}`;
    const file = write('many.yaml', text);
    const one = onePass(file);
    const two = await split(file);
    expect(one.error).toBeUndefined();
    expect(two.error).toBeUndefined();
    expect(two.at).toBeGreaterThan(Buffer.byteLength(text) / 2);
    expect(two.docs).toEqual(one.docs);
    // The items of a List past the split keep their own lines.
    const late = JSON.parse(one.docs[one.docs.length - 3]) as [unknown, string, number, number[]];
    expect(late[3]).toHaveLength(2);
    expect(late[3]).toEqual([late[2] + 3, late[2] + 4]);
  });

  test('a YAML error in the second half is the error of one pass (file, line, column), after the same documents', async () => {
    const file = write('bad-late.yaml', manyDocs(700, (i) => (i === 650 ? 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n' : undefined)));
    const one = onePass(file);
    const two = await split(file);
    expect(one.error).toMatch(/^.*bad-late\.yaml:\d+:\d+: invalid YAML/);
    expect(two.error).toBe(one.error);
    expect(two.docs).toEqual(one.docs);
  });

  test('an error in each half: the first half\'s is thrown', async () => {
    const file = write('bad-both.yaml', manyDocs(700, (i) => (i === 10 || i === 650 ? 'a: [1\n' : undefined)));
    const one = onePass(file);
    const two = await split(file);
    expect(two.error).toBe(one.error);
    expect(two.docs).toEqual(one.docs);
  });

  test('a document that is not an object, in the second half, reaches the caller in its place', async () => {
    const file = write('scalar-late.yaml', manyDocs(700, (i) => (i === 600 ? 'just a string\n' : undefined)));
    const one = onePass(file);
    const two = await split(file);
    // the worker read it: the split point comes before the string document
    expect(two.at).toBeLessThan(fs.readFileSync(file).indexOf('just a string'));
    expect(two.docs).toEqual(one.docs);
    expect(two.docs.some((d) => d.startsWith('["just a string"'))).toBe(true);
  });

  test('values JSON would not keep, in the second half, come back as one pass reads them: -0, NaN, infinities, one object in two places', async () => {
    const odd = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: odd}\nspec:\n  zero: -0.0\n  nan: .nan\n  inf: .inf\n'
      + '  list: [-0.0, -.inf]\n  a: &shared {k: v}\n  b: *shared\n';
    const file = write('odd-late.yaml', manyDocs(700, (i) => (i === 600 ? odd : i === 650 ? '-0.0\n' : undefined)));
    const values = (): { out: unknown[]; sink: import('../src/validation/yaml-files').DocumentSink } => {
      const out: unknown[] = [];
      return { out, sink: (d) => { out.push(d.value); } };
    };
    const one = values();
    reader.forEachDocumentInFile(file, one.sink);
    const two = values();
    const at = await reader.forEachDocumentInFileSplit(file, two.sink, { minBytes: 1, parallelism: 2 });
    expect(at).toBeLessThan(fs.readFileSync(file).indexOf('name: odd'));
    expect(two.out).toEqual(one.out);
    const spec = (two.out.find((v) => (v as { metadata?: { name?: string } }).metadata?.name === 'odd') as { spec: Record<string, unknown> }).spec;
    expect(Object.is(spec.zero, -0)).toBe(true);
    expect(spec.nan).toBeNaN();
    expect([spec.inf, (spec.list as number[])[1]]).toEqual([Infinity, -Infinity]);
    expect(Object.is((spec.list as number[])[0], -0)).toBe(true);
    expect(spec.a).toBe(spec.b);
    expect(two.out.some((v) => Object.is(v, -0))).toBe(true);
  });

  test('invalid UTF-8 in the second half: read on one thread, with the error of one pass', async () => {
    const text = Buffer.from(manyDocs(700));
    text[Math.floor(text.length * 0.9)] = 0xff;
    const file = write('latin1.yaml', text);
    const one = onePass(file);
    const two = await split(file);
    expect(one.error).toMatch(/invalid UTF-8/);
    expect(two.at).toBeUndefined();
    expect(two.error).toBe(one.error);
    expect(two.docs).toEqual(one.docs);
  });

  test('documents ended with `...` (no two `---` lines in a row): read on one thread', async () => {
    const text = Array.from({ length: 400 }, (_, i) => `---\n${doc(i)}...\n`).join('');
    const file = write('ended.yaml', text);
    const two = await split(file);
    expect(two.at).toBeUndefined();
    expect(two.docs).toEqual(onePass(file).docs);
  });

  test('a process that can run only one thread at once reads on one thread, as one pass', async () => {
    const file = write('one-cpu.yaml', manyDocs(700));
    const docs: string[] = [];
    const at = await reader.forEachDocumentInFileSplit(file, record(docs), { minBytes: 1, parallelism: 1 });
    expect(at).toBeUndefined();
    expect(docs).toEqual(onePass(file).docs);
    expect(await reader.forEachDocumentInFileSplit(file, record([]), { minBytes: 1, parallelism: 2 })).toBeGreaterThan(0);
  });

  test('a worker that throws, or ends without a word, changes nothing: this thread reads the rest', async () => {
    const file = write('fallback.yaml', manyDocs(700));
    const one = onePass(file);
    const throwing = write('throwing-worker.js', 'throw new Error("worker broke");\n');
    const silent = write('silent-worker.js', 'process.exit(0);\n');
    for (const w of [throwing, silent]) {
      const two = await split(file, w);
      expect(two.error).toBeUndefined();
      expect(two.at).toBeUndefined();
      expect(two.docs).toEqual(one.docs);
    }
  });

  test('the CLI from lib/bundle reads a file above the threshold on two threads with the line of an object in the second half', () => {
    // Above SPLIT_MIN_BYTES, as users run it: a string document near the end is refused naming its line.
    const docs: string[] = [];
    let bytes = 0;
    let i = 0;
    while (bytes < reader.SPLIT_MIN_BYTES + (1 << 20)) {
      const d = `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i++}\n  namespace: default\ndata:\n  key: "${'v'.repeat(200)}"\n`;
      docs.push(d);
      bytes += d.length;
    }
    const bad = docs.length - 100;
    docs[bad] = '---\njust a string\n';
    const line = docs.slice(0, bad).join('').split('\n').length + 1;
    const file = write('large.yaml', docs.join(''));
    const r = spawnSync(process.execPath, [path.join(LIB, '..', 'bundle', 'cli.js'), 'validate', file], { encoding: 'utf8' }); // the shipped bin
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file}:${line}: expected a Kubernetes object (a mapping with apiVersion and kind), found a string (13 characters)`);
  });
});
