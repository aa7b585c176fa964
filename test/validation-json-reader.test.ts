// Documents written as JSON (`kubectl get -o json`, one `{...}` per document) are parsed with
// JSON.parse when that reads exactly what js-yaml reads (src/validation/yaml-files.ts); everything
// else goes through js-yaml. These tests hold the two readings equal: values, the lines of List
// items, and the errors js-yaml gives for what JSON.parse would accept.
import * as jsyaml from 'js-yaml';
import { forEachDocument, objectsOfDocument, type SourcedObject } from '../src/validation/yaml-files';

const SCHEMA = jsyaml.CORE_SCHEMA.extend({ implicit: [(jsyaml as unknown as { types: { merge: jsyaml.Type } }).types.merge] });

function objects(text: string): Array<[number, unknown]> {
  const out: Array<[number, unknown]> = [];
  forEachDocument(text, 'f.json', (d, lineOf) => objectsOfDocument(d, lineOf, (o: SourcedObject) => out.push([o.line, o.value])));
  return out;
}

const pod = (name: string, extra = ''): string => `{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "${name}", "namespace": "a"}${extra}}`;
const podValue = (name: string): object => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'a' } });

describe('JSON documents', () => {
  test('kubectl get -o json: one List document, each item at the line of its opening brace', () => {
    const list = { apiVersion: 'v1', items: ['a', 'b', 'c'].map(podValue), kind: 'List', metadata: { resourceVersion: '' } };
    const text = `${JSON.stringify(list, null, 4)}\n`;
    const braces = text.split('\n').flatMap((l, i) => (l === '        {' ? [i + 1] : []));
    expect(braces).toEqual([4, 12, 20]);
    const parse = jest.spyOn(JSON, 'parse');
    try {
      expect(objects(text)).toEqual(braces.map((line, k) => [line, list.items[k]]));
      // ... read by JSON.parse, not js-yaml (which would not call it).
      expect(parse).toHaveBeenCalledTimes(1);
    } finally {
      parse.mockRestore();
    }
  });

  test('items on one line, across lines, after a comma on its own line, and after a preamble', () => {
    // Items get lines of their own when the List's kind has a line of its own (as the YAML reader decides).
    expect(objects(`{"kind": "List", "apiVersion": "v1", "items": [${pod('a')}, ${pod('b')}]}`)).toEqual([[1, podValue('a')], [1, podValue('b')]]);
    expect(objects(`{"items": [${pod('a')},\n  ${pod('b')},\n\n${pod('c')}\n,${pod('d')}],\n"kind": "PodList",\n"apiVersion": "v1"}`))
      .toEqual([[1, podValue('a')], [2, podValue('b')], [4, podValue('c')], [5, podValue('d')]]);
    expect(objects(`# head\n---\n{"apiVersion": "v1", "items": [\n${pod('a')},\n${pod('b')}],\n"kind": "List"\n}\n---\n${pod('c')}\n`))
      .toEqual([[4, podValue('a')], [5, podValue('b')], [9, podValue('c')]]);
    expect(objects(`{\r\n  "kind": "List",\r\n  "apiVersion": "v1",\r\n  "items": [\r\n${pod('a')},\r\n${pod('b')}]\r\n}\r\n`)).toEqual([[5, podValue('a')], [6, podValue('b')]]);
  });

  test('a bare JSON array and a nested List: each item at its own line, as js-yaml locates them', () => {
    // (Items of items are located by js-yaml's listener: the JSON path leaves such documents to it.)
    expect(objects(`[\n${pod('a')},\n${pod('b')}\n]`)).toEqual([[2, podValue('a')], [3, podValue('b')]]);
    const nested = { kind: 'List', apiVersion: 'v1', items: [{ kind: 'List', apiVersion: 'v1', items: [podValue('x')] }, podValue('y')] };
    expect(objects(JSON.stringify(nested, null, 2))).toEqual([[9, podValue('x')], [19, podValue('y')]]);
  });

  test('values are what js-yaml reads: numbers, escapes, __proto__ and << as plain keys, key order', () => {
    const text = pod('a', ', "spec": {"n": [1.0, 1e5, -1.5E-3, 0, 0.0, 123456789012345678901234567890, 9007199254740993, true, false, null], '
      + '"s": "\\u0000\\/\\ud83d\\ude00\\"\\\\é", "__proto__": {"x": 1}, "<<": {"y": 2}, "10": "ten", "b": 1, "a": 2}');
    const [[line, value]] = objects(text);
    const reference = jsyaml.load(text, { schema: SCHEMA });
    expect(line).toBe(1);
    expect(value).toEqual(reference);
    expect(JSON.stringify(value)).toBe(JSON.stringify(reference));
    expect(Object.keys((value as { spec: object }).spec)).toEqual(['10', 'n', 's', '__proto__', '<<', 'b', 'a']);
    expect(Object.getPrototypeOf((value as { spec: object }).spec)).toBe(Object.prototype);
  });

  test('where JSON.parse and js-yaml differ, js-yaml decides', () => {
    // -0 is the integer 0 to js-yaml; a number too large for a double stays a string.
    expect(objects(pod('a', ', "spec": {"x": -0, "y": 1e400}'))).toEqual([[1, { ...podValue('a'), spec: { x: 0, y: '1e400' } }]]);
    expect(Object.is((objects(pod('a', ', "spec": {"x": -0}'))[0][1] as { spec: { x: number } }).spec.x, 0)).toBe(true);
    // A duplicated key is an error (JSON.parse would keep the last value).
    expect(() => objects(`{"apiVersion": "v1",\n "kind": "Pod", "metadata": {"name": "a", "name": "b"}}`)).toThrow(/^f\.json:2:\d+: invalid YAML: duplicated mapping key/);
    expect(() => objects(`{"kind": "List", "apiVersion": "v1", "items": [], "items": [${pod('a')}]}`)).toThrow(/duplicated mapping key/);
    // Characters js-yaml allows in quoted scalars only.
    const odd = pod('a', ', "data": {"s": "x\u007f\u0085\ufffe\ud800y"}');
    expect(objects(odd)).toEqual([[1, jsyaml.load(odd, { schema: SCHEMA })]]);
    expect(objects(`${pod('a')}\n# x\u007f\n`)).toEqual([[1, podValue('a')]]);
    // Nesting deeper than js-yaml's limit.
    expect(() => objects(`{"a": ${'['.repeat(150)}${']'.repeat(150)}}`)).toThrow(/nesting exceeded maxDepth/);
  });

  test('tabs, comments and unquoted flow mappings are read by js-yaml as before', () => {
    expect(objects(`{\n\t"apiVersion": "v1",\n\t"kind": "Pod",\n\t"metadata": {"name": "a", "namespace": "a"}\n}`)).toEqual([[1, podValue('a')]]);
    expect(objects(`${pod('a')}\n# trailing comment\n`)).toEqual([[1, podValue('a')]]);
    expect(objects('{apiVersion: v1, kind: Pod, metadata: {name: a, namespace: a}}')).toEqual([[1, podValue('a')]]);
    expect(objects(`--- ${pod('a')}\n`)).toEqual([[1, podValue('a')]]);
  });
});
