// The manifest reader on YAML written as an outside checker would write it (bench/read-checker.ts):
// js-yaml `dump` with its default options (folded `>-` scalars, anchors for shared values) and
// hand-written templates (quoted strings with escapes, flow collections, anchors and aliases, a
// comment after `---`). The reader must give exactly what js-yaml's own `loadAll` of the whole text
// gives, each object at the line where its document's content starts.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as jsyaml from 'js-yaml';
import { CHECKER_SHAPES, generateCheckerShape } from '../bench/read-checker';
import { generateMeshShape, MESH_SHAPES } from '../bench/read-mesh';
import { analyze } from '../src/analysis';
import { forEachDocumentInFile, objectsOfDocument, readManifestFile } from '../src/validation/yaml-files';

const SCHEMA = jsyaml.CORE_SCHEMA.extend({ implicit: [(jsyaml as unknown as { types: { merge: jsyaml.Type } }).types.merge] });

let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'checker-shapes-')); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

describe.each(CHECKER_SHAPES)('the %s shape', (shape) => {
  test('reads as js-yaml loadAll of the whole text, each object at its first content line', () => {
    const file = path.join(dir, `${shape}.yaml`);
    const { objects } = generateCheckerShape(shape, file, 0.2);
    const text = fs.readFileSync(file, 'utf8');
    const expected = jsyaml.loadAll(text, undefined, { schema: SCHEMA }).filter((v) => v !== null && v !== undefined);
    const read: Array<{ value: unknown; line: number }> = [];
    for (const doc of readManifestFile(file)) objectsOfDocument(doc, undefined, (o) => read.push({ value: o.value, line: o.line }));
    expect(read).toHaveLength(objects);
    expect(read.map((o) => o.value)).toEqual(expected);
    const lines = text.split('\n');
    expect(read.every((o) => /^apiVersion: /.test(lines[o.line - 1]))).toBe(true);
  });
});

test('the shapes hold what they promise: anchors, folded scalars, escapes and flow collections', () => {
  const mixed = path.join(dir, 'm.yaml');
  const tiny = path.join(dir, 't.yaml');
  generateCheckerShape('mixed', mixed, 0.2);
  generateCheckerShape('tiny', tiny, 0.2);
  const m = fs.readFileSync(mixed, 'utf8');
  const t = fs.readFileSync(tiny, 'utf8');
  expect(m).toMatch(/: >-\n/);
  expect(m).toMatch(/&ref_0\n/);
  expect(m).toMatch(/^ {4}- name: /m);
  expect(t).toMatch(/^--- # settings$/m);
  expect(t).toContain('*labels');
  expect(t).toContain('\\u00e9');
  expect(t).toContain("'it''s");
});

// The mesh-heavy shapes of bench/read-mesh.ts (issue 16, eleventh round): kubectl's layout, as documents and as one List.
describe('the mesh shapes', () => {
  test('mesh reads as js-yaml loadAll of the whole text; meshlist as the items of its one List, each at its `- ` line', () => {
    for (const shape of MESH_SHAPES) {
      const file = path.join(dir, `${shape}.yaml`);
      const { objects } = generateMeshShape(shape, file, 0.3);
      const text = fs.readFileSync(file, 'utf8');
      const docs = jsyaml.loadAll(text, undefined, { schema: SCHEMA }).filter((v) => v !== null && v !== undefined);
      const expected = shape === 'meshlist' ? (docs[0] as { items: unknown[] }).items : docs;
      const read: Array<{ value: unknown; line: number }> = [];
      // As the CLI reads (src/cli/load.ts): List items get their own lines through the sink's lineOf.
      forEachDocumentInFile(file, (doc, lineOf) => objectsOfDocument(doc, lineOf, (o) => read.push({ value: o.value, line: o.line })));
      expect(read).toHaveLength(objects);
      expect(read.map((o) => o.value)).toEqual(expected);
      const lines = text.split('\n');
      expect(read.every((o) => (shape === 'meshlist' ? /^- apiVersion: / : /^apiVersion: /).test(lines[o.line - 1]))).toBe(true);
    }
  });

  test('mesh holds the findings it promises: subsets, hosts, ports, secrets, matches, policies', () => {
    const file = path.join(dir, 'mesh-findings.yaml');
    generateMeshShape('mesh', file, 0.3);
    const objs = jsyaml.loadAll(fs.readFileSync(file, 'utf8')) as object[];
    const codes = new Set(analyze(objs).map((d) => d.code));
    for (const c of ['IST0101', 'IST0173', 'IST0112', 'IST0118', 'IST0131', 'IST0127', 'IST0161']) expect(codes).toContain(c);
    const kinds = new Set(objs.map((o) => (o as { kind: string }).kind));
    for (const k of ['Sidecar', 'AuthorizationPolicy', 'EnvoyFilter', 'ServiceEntry', 'RequestAuthentication', 'PeerAuthentication']) expect(kinds).toContain(k);
  });
});
