// Tools that compile one file at a time (ts-jest with isolatedModules, esbuild, swc, ts-node's
// transpile-only mode) cannot know that a name re-exported with `export { X } from` is a type, and
// emit a getter for it that returns undefined. Every index that re-exports names must mark types
// with `export type`, so that what such a tool emits names only values.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const SRC = path.resolve(__dirname, '..', 'src');

function indexFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...indexFiles(full));
    else if (entry.name === 'index.ts') out.push(full);
  }
  return out.sort();
}

/** The names a file-by-file compilation of `file` exports by name (not through `export *`). */
function namedExports(file: string): string[] {
  const js = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, isolatedModules: true, removeComments: true },
  }).outputText;
  const names = new Set<string>();
  for (const m of js.matchAll(/Object\.defineProperty\(exports, "([A-Za-z_$][\w$]*)"/g)) names.add(m[1]);
  for (const m of js.matchAll(/\bexports\.([A-Za-z_$][\w$]*)\s*=/g)) names.add(m[1]);
  names.delete('__esModule');
  return [...names].sort();
}

describe('exports compiled one file at a time', () => {
  const files = indexFiles(SRC);

  test('every index of src is checked, and the entry points name their exports', () => {
    expect(files.map((f) => path.relative(SRC, f))).toEqual(expect.arrayContaining(['index.ts', 'cdk8s/index.ts', 'pulumi/index.ts', 'analysis/index.ts']));
    // The scan finds the names: the root's lazy exports, the Pulumi entry's re-exports.
    expect(namedExports(path.join(SRC, 'index.ts'))).toEqual(expect.arrayContaining(['CrdSet', 'analyze', 'migrate', 'IstioGatewayError', 'TlsMode']));
    expect(namedExports(path.join(SRC, 'pulumi', 'index.ts'))).toEqual(expect.arrayContaining(['PulumiPlatform', 'fromChart']));
  });

  test.each(files.map((f) => [path.relative(SRC, f), f]))('%s names only values', (_rel, file) => {
    const names = namedExports(file);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(file) as Record<string, unknown>;
    expect(names.filter((n) => mod[n] === undefined)).toEqual([]);
  });
});
