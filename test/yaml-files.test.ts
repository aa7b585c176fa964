// The one manifest reader (src/validation/yaml-files.ts): documents cut at column-0 markers, each
// parsed alone, with the line where its content starts; List items at their own line; errors with
// file and line; YAML 1.2 core types as Kubernetes reads them.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { forEachDocument, forEachDocumentInFile, objectsOfDocument, parseManifestText, type SourcedObject } from '../src/validation/yaml-files';

function objects(text: string): Array<[number, unknown]> {
  const out: Array<[number, unknown]> = [];
  forEachDocument(text, 'f.yaml', (d, lineOf) => objectsOfDocument(d, lineOf, (o: SourcedObject) => out.push([o.line, o.value])));
  return out;
}

describe('documents and their lines', () => {
  test('split at --- and ..., each with the line of its first content', () => {
    expect(objects('a: 1\n---\nb: 2\n')).toEqual([[1, { a: 1 }], [3, { b: 2 }]]);
    expect(objects('# c\n%YAML 1.2\n---\nb: |\n  x\n---\n\n  # x\nc: 3\n...\n# after\n')).toEqual([[4, { b: 'x\n' }], [9, { c: 3 }]]);
    expect(objects('--- {a: 1}\n--- |\n  text\n')).toEqual([[1, { a: 1 }], [2, 'text\n']]);
    expect(objects('---\n---\n\n---\na: 1')).toEqual([[5, { a: 1 }]]);
  });

  test('a marker in column 0 ends a block scalar; an indented one does not', () => {
    expect(objects('a: |\n  x\n  ---\n  y\n---\nb: 1\n')).toEqual([[1, { a: 'x\n---\ny\n' }], [6, { b: 1 }]]);
    // ... and a quoted one, which YAML forbids: the quoted scalar is then unterminated.
    expect(() => objects('a: "x\n---\nb: 1\n')).toThrow(/^f\.yaml:2:1: invalid YAML: unexpected end of the stream within a double quoted scalar/);
  });

  test('--- followed by other characters is not a marker', () => {
    expect(objects('a: 1\n---x: 2\n')).toEqual([[1, { a: 1, '---x': 2 }]]);
  });

  test('List items and bare arrays, YAML and JSON, at their own lines', () => {
    expect(objects('apiVersion: v1\nkind: List\nitems:\n- kind: A\n  x: 1\n- kind: B\n  y:\n  - 1\n\n-   kind: C\n'))
      .toEqual([[4, { kind: 'A', x: 1 }], [6, { kind: 'B', y: [1] }], [10, { kind: 'C' }]]);
    expect(objects('{\n "kind": "List",\n "items": [\n  {"kind": "A"},\n\n  {"kind": "B"}\n ]\n}\n')).toEqual([[4, { kind: 'A' }], [6, { kind: 'B' }]]);
    expect(objects('[\n {"kind": "A"},\n {"kind": "B"}]')).toEqual([[2, { kind: 'A' }], [3, { kind: 'B' }]]);
    expect(objects('- kind: A\n- kind: B\n')).toEqual([[1, { kind: 'A' }], [2, { kind: 'B' }]]);
    expect(objects('apiVersion: v1\nkind: PodList\nitems:\n- kind: Pod\n')).toEqual([[4, { kind: 'Pod' }]]);
  });

  test('YAML 1.2 core types, merge keys; no timestamps', () => {
    expect(objects('a: &x [1, 2]\nb: *x\nc: 2024-01-01\nd: yes\ne: 0x1F\n<<: {m: 1}\n')).toEqual([[1, { a: [1, 2], b: [1, 2], c: '2024-01-01', d: 'yes', e: 31, m: 1 }]]);
  });
});

describe('errors name the file and line', () => {
  test.each([
    ['a: 1\n---\nb: [1\nc: 2\n', 4, 'invalid YAML: '],
    ['a: 1\na: 2\n', 2, 'duplicated mapping key'],
    ['x: 1\n---\nb: *nope\n', 3, 'unidentified alias'],
  ])('%j', (text, line, reason) => {
    expect(() => parseManifestText(text, 'f.yaml')).toThrow(new RegExp(`^f\\.yaml:${line}:\\d+: .*${reason}`));
  });

  test('an alias bomb is refused', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    expect(() => parseManifestText(`${bomb.join('\n')}\n`, 'f.yaml')).toThrow(/^f\.yaml:1: invalid YAML: the document contains excessive aliasing/);
  });
});

describe('files are streamed', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yaml-files-')); });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  test('documents that straddle the 1 MiB read chunks come out whole, with the right lines', () => {
    const doc = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  v: "${'x'.repeat(997)}"\n`;
    const n = 3000; // about 3 MB
    const f = path.join(dir, 'big.yaml');
    fs.writeFileSync(f, Array.from({ length: n }, (_, i) => doc(i)).join('---\n'));
    const seen: Array<[number, string]> = [];
    forEachDocumentInFile(f, (d) => seen.push([d.line, (d.value as { metadata: { name: string } }).metadata.name]));
    expect(seen).toHaveLength(n);
    seen.forEach(([line, name], i) => {
      expect(name).toBe(`c${i}`);
      expect(line).toBe(i * 7 + 1);
    });
  });

  test('lines longer than a read chunk, with a byte order mark and multi-byte characters, come out whole', () => {
    const f = path.join(dir, 'long-lines.yaml');
    const long = 'é'.repeat(700_000) + 'x'.repeat(1_100_000); // 2.5 MB in one line, over three chunks
    fs.writeFileSync(f, `\ufeffa: ${long}\n---\nb: 1\n---\nc: ${long}\n---\nd: 2`);
    const seen: Array<[number, unknown]> = [];
    forEachDocumentInFile(f, (d) => seen.push([d.line, d.value]));
    expect(seen).toEqual([[1, { a: long }], [3, { b: 1 }], [5, { c: long }], [7, { d: 2 }]]);
  });

  test('a multi-byte character split by a chunk boundary is decoded', () => {
    const f = path.join(dir, 'utf8.yaml');
    const pad = 'a'.repeat((1 << 20) - 'k: '.length - 1);
    fs.writeFileSync(f, `k: ${pad}é\n`);
    const [d] = (() => { const out: unknown[] = []; forEachDocumentInFile(f, (x) => out.push(x.value)); return out; })();
    expect((d as { k: string }).k.endsWith('aé')).toBe(true);
  });
});

describe('documents read several at a time', () => {
  // Documents of every form the reader treats apart (JSON, Lists, `...` ends, directives, comment-only
  // and empty documents, anchors, block scalars, `--- # comment` markers) between plain ones, each with
  // the values and lines it must give; enough of them for several batches of 256 kB and, as a file,
  // several 1 MiB chunks.
  type Snippet = { text: string; objects: Array<[number, unknown]> };
  const snippets: Array<(i: number) => Snippet> = [
    (i) => ({ text: `---\nkind: A\nn: ${i}\n`, objects: [[1, { kind: 'A', n: i }]] }),
    (i) => ({ text: `--- # c\nname: "q${i}"\nlong: ${'v'.repeat(300)}\n`, objects: [[1, { name: `q${i}`, long: 'v'.repeat(300) }]] }),
    (i) => ({ text: `---\n# comment\n\nlong: ${'x'.repeat(20)}${i}\n`, objects: [[3, { long: `${'x'.repeat(20)}${i}` }]] }),
    (i) => ({ text: `---\n{"kind": "J", "n": ${i}}\n`, objects: [[1, { kind: 'J', n: i }]] }),
    (i) => ({ text: `---\nb: &a {x: ${i}}\nc: *a\n`, objects: [[1, { b: { x: i }, c: { x: i } }]] }),
    () => ({ text: '---\n# only a comment\n', objects: [] }),
    () => ({ text: '---\n', objects: [] }),
    (i) => ({ text: `---\ns: |\n  text ${i}\n  ---\n`, objects: [[1, { s: `text ${i}\n---\n` }]] }),
    (i) => ({ text: `---\nk: ${i}\n...\n`, objects: [[1, { k: i }]] }),
    (i) => ({ text: `---\ne: ${i}\n...\n%YAML 1.2\n---\nd: ${i}\n`, objects: [[1, { e: i }], [5, { d: i }]] }),
    (i) => ({ text: `---\napiVersion: v1\nkind: List\nitems:\n- kind: I\n  n: ${i}\n`, objects: [[4, { kind: 'I', n: i }]] }),
    (i) => ({ text: `---\n- kind: B\n  n: ${i}\n`, objects: [[1, { kind: 'B', n: i }]] }),
    (i) => ({ text: `---\npad: ${'p'.repeat(2000)}\n`, objects: [[1, { pad: 'p'.repeat(2000) }]] }),
  ];

  function generate(seed: number, n: number): { text: string; expected: Array<[number, unknown]> } {
    let state = seed;
    const next = (k: number): number => { state = (state * 1103515245 + 12345) % 2147483648; return state % k; };
    const parts = ['first: 0\n'];
    const expected: Array<[number, unknown]> = [[1, { first: 0 }]];
    let line = 2;
    for (let i = 0; i < n; i++) {
      const s = snippets[next(snippets.length)](i);
      parts.push(s.text);
      for (const [offset, value] of s.objects) expected.push([line + offset, value]);
      line += s.text.split('\n').length - 1;
    }
    return { text: parts.join(''), expected };
  }

  test.each([1, 2, 3])('give every value at its line, as documents read one at a time (seed %i)', (seed) => {
    const { text, expected } = generate(seed, 6000);
    expect(text.length).toBeGreaterThan(1 << 20);
    expect(objects(text)).toEqual(expected);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yaml-batch-'));
    try {
      const f = path.join(dir, 'many.yaml');
      fs.writeFileSync(f, text);
      const out: Array<[number, unknown]> = [];
      forEachDocumentInFile(f, (d, lineOf) => objectsOfDocument(d, lineOf, (o) => out.push([o.line, o.value])));
      expect(out).toEqual(expected);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an invalid document among plain ones: the documents before it are given, then its error at its line', () => {
    const plain = Array.from({ length: 50 }, (_, i) => `---\nkind: A\nn: ${i}\n`).join('');
    const text = `${plain}---\nbad: [1,\n---\nkind: A\nn: 50\n`;
    const seen: unknown[] = [];
    expect(() => forEachDocument(text, 'f.yaml', (d) => seen.push(d.value))).toThrow(/^f\.yaml:153:1: invalid YAML: unexpected end of the stream within a flow collection/);
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => ({ kind: 'A', n: i })));
  });

  test('a document that is not an object stops the reading at that document', () => {
    const text = `${Array.from({ length: 20 }, (_, i) => `---\nn: ${i}\n`).join('')}---\njust text\n---\nn: 20\n`;
    const seen: unknown[] = [];
    expect(() => forEachDocument(text, 'f.yaml', (d) => {
      if (typeof d.value !== 'object') throw new Error(`not an object at line ${d.line}`);
      seen.push(d.value);
    })).toThrow('not an object at line 42');
    expect(seen).toHaveLength(20);
  });
});
