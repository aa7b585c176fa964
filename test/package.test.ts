// The package as a library declares it: frameworks as peers, every runtime dependency used, every
// module the shipped code imports declared; and the schema reduction behind schemas/.
import * as fs from 'fs';
import { builtinModules } from 'module';
import * as path from 'path';
import { crdList } from '../scripts/schemas';

const ROOT = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  files: string[];
  scripts: Record<string, string>;
};

/** Every bare module specifier imported by the files under dir (package name only). */
function importsUnder(dir: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) {
        const text = fs.readFileSync(p, 'utf8');
        for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^'.][^']*)'|require(?:\.resolve)?\('([^'.][^']*)'\)/g)) {
          const spec = m[1] ?? m[2];
          if (spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0])) continue;
          const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
          found.set(name, [...(found.get(name) ?? []), path.relative(ROOT, p)]);
        }
      }
    }
  };
  walk(dir);
  return found;
}

describe('package.json', () => {
  const shipped = new Map([...importsUnder(path.join(ROOT, 'src')), ...importsUnder(path.join(ROOT, 'imports'))]);

  test('cdk8s and constructs are peers, Pulumi and cdk8s-plus optional peers, all pinned exactly for our own tests', () => {
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(['@pulumi/kubernetes', '@pulumi/pulumi', 'cdk8s', 'cdk8s-plus-28', 'constructs']);
    expect(pkg.peerDependenciesMeta).toEqual({
      '@pulumi/pulumi': { optional: true }, '@pulumi/kubernetes': { optional: true }, 'cdk8s-plus-28': { optional: true },
    });
    for (const name of Object.keys(pkg.peerDependencies)) {
      expect(pkg.dependencies[name]).toBeUndefined();
      expect(pkg.devDependencies[name]).toMatch(/^\d+\.\d+\.\d+$/);
      // the range starts at a version CI tests (the consumer check installs the lowest) and stops before the next major
      expect(pkg.peerDependencies[name]).toMatch(/^\^\d+\.\d+\.\d+$/);
    }
  });

  test('every runtime dependency is imported by the shipped code, and every import is declared', () => {
    const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)]);
    const undeclared = [...shipped.keys()].filter((n) => !declared.has(n));
    expect(undeclared).toEqual([]);
    // @bufbuild/protobuf is @bufbuild/cel's peer, declared so that npm installs it in every npm version
    const unused = Object.keys(pkg.dependencies).filter((n) => !shipped.has(n) && n !== '@bufbuild/protobuf');
    expect(unused).toEqual([]);
  });

  test('only src/pulumi imports Pulumi, so the package root never loads it', () => {
    const pulumiUsers = [...(shipped.get('@pulumi/pulumi') ?? []), ...(shipped.get('@pulumi/kubernetes') ?? [])];
    expect(pulumiUsers.length).toBeGreaterThan(0);
    expect(pulumiUsers.filter((f) => !f.startsWith(`src${path.sep}pulumi${path.sep}`))).toEqual([]);
    expect(fs.readFileSync(path.join(ROOT, 'src/index.ts'), 'utf8')).not.toMatch(/from '\.\/pulumi/);
  });

  test('the tarball is built on pack and ships the license, notice and schemas', () => {
    expect(pkg.scripts.prepack).toMatch(/npm run build/);
    expect(pkg.files).toEqual(expect.arrayContaining(['lib/bundle', 'lib/src/**/*.d.ts', 'schemas', 'NOTICE']));
    expect(fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0, January 2004/);
    expect(fs.readFileSync(path.join(ROOT, 'NOTICE'), 'utf8')).toMatch(/Istio[\s\S]*Gateway API/);
  });
});

describe('schema reduction (npm run schemas)', () => {
  const crd = (name: string, versions: object[]): object => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name, labels: { app: 'x' }, annotations: { 'helm.sh/resource-policy': 'keep', 'gateway.networking.k8s.io/channel': 'standard' } },
    spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets', listKind: 'WidgetList', categories: ['all'] }, scope: 'Namespaced', versions },
  });
  const schema = {
    description: 'A widget.',
    type: 'object',
    properties: {
      spec: {
        description: 'The spec.',
        type: 'object',
        properties: {
          description: { description: 'A field named description.', type: 'string', maxLength: 64 },
          items: { type: 'array', items: { description: 'one', type: 'string', example: 'x' } },
        },
        'x-kubernetes-validations': [{ rule: 'self.description != "no"', message: 'not no' }],
      },
    },
  };
  const input = [
    crd('widgets.example.com', [
      { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema }, additionalPrinterColumns: [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }], subresources: { status: {} } },
      { name: 'v1alpha1', served: false, storage: false, schema: { openAPIV3Schema: schema } },
    ]),
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'not-a-crd' } },
    crd('a.example.com', [{ name: 'v1', served: true, storage: true }]),
  ];

  test('keeps served versions, structure and CEL rules; drops documentation, unserved versions and printing', () => {
    const out = crdList(input) as { kind: string; items: Array<{ metadata: object; spec: { names: object; versions: Array<{ name: string; schema?: { openAPIV3Schema: unknown } }> } }> };
    expect(out.kind).toBe('List');
    expect(out.items.map((i) => (i.metadata as { name: string }).name)).toEqual(['a.example.com', 'widgets.example.com']);
    const w = out.items[1];
    expect(w.metadata).toEqual({ name: 'widgets.example.com', annotations: { 'gateway.networking.k8s.io/channel': 'standard' } });
    expect(w.spec.names).toEqual({ kind: 'Widget', plural: 'widgets', listKind: 'WidgetList' });
    expect(w.spec.versions.map((v) => v.name)).toEqual(['v1']);
    expect(w.spec.versions[0]).toEqual({
      name: 'v1', served: true, storage: true,
      schema: { openAPIV3Schema: {
        type: 'object',
        properties: { spec: {
          type: 'object',
          properties: { description: { type: 'string', maxLength: 64 }, items: { type: 'array', items: { type: 'string' } } },
          'x-kubernetes-validations': [{ rule: 'self.description != "no"', message: 'not no' }],
        } },
      } },
    });
    expect(out.items[0].spec.versions[0]).toEqual({ name: 'v1', served: true, storage: true });
  });

  test('deterministic: the same input gives the same bytes', () => {
    expect(JSON.stringify(crdList(input))).toBe(JSON.stringify(crdList(structuredClone(input).reverse())));
  });

  test('a file with no CRD, or a CRD serving no version, is refused', () => {
    expect(() => crdList([{ kind: 'ConfigMap' }])).toThrow('no CustomResourceDefinition found');
    expect(() => crdList([crd('w.example.com', [{ name: 'v1', served: false }])])).toThrow('w.example.com serves no version');
  });
});
