// The public API as a consumer sees it: the declarations `npm run build` emits (tsconfig.json,
// stripInternal) are generated in memory, then a consumer file that uses every export of both
// entry points, and builds the main constructs, is type-checked against them alone.
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..');
/** Where the in-memory declarations pretend to live (inside the repo, so node_modules resolve). */
const OUT = path.join(ROOT, '.public-api-dts');
const ENTRIES = { root: 'src/index', pulumi: 'src/pulumi/index' } as const;
/** Plumbing that must not reach a consumer (issue 12). */
const PLUMBING = ['addServers', 'refuseOwnService', 'servesHttpHostVerbatim', 'workloadKey', 'appProblems', 'externalObjects', 'visitedInPass', 'PropChecker', 'requireGateway', 'normalizeSubset', 'checkDisjoint'];

function emitDeclarations(): Map<string, string> {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.json'), { outDir: OUT, declaration: true, emitDeclarationOnly: true, sourceMap: false, noEmit: false }, {
    ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); },
  })!;
  expect(config.options.stripInternal).toBe(true);
  const files = new Map<string, string>();
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
  const result = program.emit(undefined, (name, text) => { files.set(path.resolve(name), text); }, undefined, true);
  expect(result.diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  return files;
}

/** Every export of an entry (values and types), as the emitted declarations give them. */
function exportsOf(program: ts.Program, file: string): ts.Symbol[] {
  const checker = program.getTypeChecker();
  const sf = program.getSourceFile(file)!;
  return checker.getExportsOfModule(checker.getSymbolAtLocation(sf)!);
}

function compile(files: Map<string, string>, consumer: string, oldProgram?: ts.Program): { program: ts.Program; errors: string[] } {
  const consumerPath = path.join(OUT, 'consumer.ts');
  const all = new Map(files);
  all.set(consumerPath, consumer);
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, lib: ['lib.es2022.d.ts'], types: ['node'],
    strict: true, noEmit: true, skipLibCheck: false, esModuleInterop: true, typeRoots: [path.join(ROOT, 'node_modules/@types')],
  };
  const host = ts.createCompilerHost(options);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (d) => path.resolve(d).startsWith(OUT) || OUT.startsWith(path.resolve(d) + path.sep) || (directoryExists ? directoryExists(d) : true);
  host.fileExists = (f) => all.has(path.resolve(f)) || (!path.resolve(f).startsWith(OUT) && fileExists(f));
  host.readFile = (f) => all.get(path.resolve(f)) ?? readFile(f);
  host.getSourceFile = (f, lang, onError) => {
    const text = all.get(path.resolve(f));
    return text !== undefined ? ts.createSourceFile(f, text, lang) : getSourceFile(f, lang, onError);
  };
  const program = ts.createProgram({ rootNames: [consumerPath], options, host, oldProgram });
  const errors = ts.getPreEmitDiagnostics(program)
    .filter((d) => !d.file || path.resolve(d.file.fileName).startsWith(OUT))
    .map((d) => `${d.file ? path.relative(OUT, d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  return { program, errors };
}

describe('public API', () => {
  let files: Map<string, string>;
  let probe: { program: ts.Program; errors: string[] };
  beforeAll(() => {
    files = emitDeclarations();
    probe = compile(files, `import * as root from './src/index';\nimport * as pulumi from './src/pulumi/index';\nexport { root, pulumi };\n`);
  }, 300_000);

  test('no @internal declaration reaches the emitted declarations', () => {
    const dts = [...files.entries()].filter(([f]) => f.endsWith('.d.ts'));
    expect(dts.length).toBeGreaterThan(20);
    for (const entry of Object.values(ENTRIES)) expect(files.has(path.join(OUT, `${entry}.d.ts`))).toBe(true);
    expect(dts.filter(([, text]) => text.includes('@internal')).map(([f]) => path.relative(OUT, f))).toEqual([]);
  });

  test('the App-wide check plumbing is in no emitted declaration, not even as an interface member', () => {
    const plumbing = /\b(appProblems|externalObjects|addServers|refuseOwnService|servesHttpHostVerbatim|workloadKey|visitedInPass)\b/;
    const dts = [...files.entries()].filter(([f]) => f.endsWith('.d.ts'));
    expect(dts.filter(([, text]) => plumbing.test(text)).map(([f]) => path.relative(OUT, f))).toEqual([]);
  });

  test('no plumbing among the exports of the entry points or the members of their classes', () => {
    const { program, errors } = probe;
    expect(errors).toEqual([]);
    const checker = program.getTypeChecker();
    const found: string[] = [];
    for (const [alias, entry] of Object.entries(ENTRIES)) {
      for (const s of exportsOf(program, path.join(OUT, `${entry}.d.ts`))) {
        if (PLUMBING.includes(s.name)) found.push(`${alias}.${s.name}`);
        const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
        if (!(target.flags & ts.SymbolFlags.Class)) continue;
        const decl = target.declarations![0];
        const instance = checker.getDeclaredTypeOfSymbol(target);
        const statics = checker.getTypeOfSymbolAtLocation(target, decl);
        for (const m of [...checker.getPropertiesOfType(instance), ...checker.getPropertiesOfType(statics)]) {
          if (PLUMBING.includes(m.name)) found.push(`${alias}.${s.name}.${m.name}`);
        }
      }
    }
    expect(found).toEqual([]);
  });

  /** Names of the types a public signature of `entry` references that the entry does not export. */
  /** `type X = M.X`: a re-export of M's type X under its own name, as `export { X } from` is. */
  const isReexportAlias = (d: ts.TypeAliasDeclaration): boolean =>
    ts.isTypeReferenceNode(d.type) && !d.type.typeArguments && d.name.text === d.type.typeName.getText().replace(/^.*\./, '');

  function unexportedTypes(entry: string): string[] {
    const { program } = probe;
    const checker = program.getTypeChecker();
    const resolve = (s: ts.Symbol) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
    const exported = new Set<ts.Symbol>();
    const entrySymbols = exportsOf(program, path.join(OUT, `${entry}.d.ts`));
    const names = new Set(entrySymbols.map((s) => s.name));
    for (const s of entrySymbols) {
      const t = resolve(s);
      exported.add(t);
      // `export type CrdSet = Validation.CrdSet` beside the lazily loaded value (src/index.ts): the
      // class it names is exported by that name.
      for (const d of t.declarations ?? []) {
        if (ts.isTypeAliasDeclaration(d) && isReexportAlias(d)) {
          const named = checker.getSymbolAtLocation((d.type as ts.TypeReferenceNode).typeName);
          if (named) exported.add(resolve(named));
        }
      }
      // `export * as apiVersions`: its members are reachable as apiVersions.X. The Pulumi entry's
      // `export type * as cdk8s` counts only for the construct types a component of the same name
      // shadows (IngressGatewayProps...): every other type must be exported by name.
      if (t.flags & ts.SymbolFlags.ValueModule) {
        for (const m of checker.getExportsOfModule(t)) if (s.name !== 'cdk8s' || names.has(m.name)) exported.add(resolve(m));
      }
    }
    const missing = new Set<string>();
    const seen = new Set<ts.Symbol>();
    const visit = (node: ts.Node, owner: string): void => {
      if ((ts.isTypeReferenceNode(node) && !(ts.isTypeAliasDeclaration(node.parent) && isReexportAlias(node.parent))) || ts.isExpressionWithTypeArguments(node)) {
        const sym = checker.getSymbolAtLocation(ts.isTypeReferenceNode(node) ? node.typeName : node.expression);
        const t = sym && resolve(sym);
        const decl = t?.declarations?.[0];
        if (t && decl && path.resolve(decl.getSourceFile().fileName).startsWith(OUT) && !(t.flags & ts.SymbolFlags.TypeParameter) && !exported.has(t)) {
          // `declare const X_base: ...; class X extends X_base`: the emitted base of a class built
          // by a function; what counts is the types its declaration names.
          if (ts.isExpressionWithTypeArguments(node) && t.flags & ts.SymbolFlags.Variable) {
            if (!seen.has(t)) { seen.add(t); visit(decl, owner); }
          } else {
            missing.add(`${t.name} (in ${owner})`);
          }
        }
      }
      ts.forEachChild(node, (c) => visit(c, owner));
    };
    for (const t of exported) for (const d of t.declarations ?? []) if (path.resolve(d.getSourceFile().fileName).startsWith(OUT)) visit(d, t.name);
    return [...missing].sort();
  }

  test('every type in a public signature of the root entry is exported from it', () => {
    expect(unexportedTypes(ENTRIES.root)).toEqual([]);
  });

  test('every type in a public signature of the Pulumi entry is exported from it', () => {
    expect(unexportedTypes(ENTRIES.pulumi)).toEqual([]);
  });

  test('a consumer using every export of both entry points and the main constructs type-checks against the declarations alone', () => {
    // The probe program gives the exports, to reference each one.
    expect(probe.errors).toEqual([]);
    const lines: string[] = [];
    for (const [alias, entry] of Object.entries(ENTRIES)) {
      const symbols = exportsOf(probe.program, path.join(OUT, `${entry}.d.ts`));
      expect(symbols.length).toBeGreaterThan(alias === 'root' ? 40 : 5);
      for (const s of symbols) {
        const target = s.flags & ts.SymbolFlags.Alias ? probe.program.getTypeChecker().getAliasedSymbol(s) : s;
        const typeOnly = (s.declarations ?? []).some((d) => (ts.isNamespaceExport(d) && ts.isExportDeclaration(d.parent) && d.parent.isTypeOnly)
          || (ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly)));
        const namespace = (target.flags & ts.SymbolFlags.ValueModule) !== 0;
        if (target.flags & ts.SymbolFlags.Value && !typeOnly) lines.push(`export const ${alias}_value_${s.name} = ${alias}.${s.name};`);
        if (typeOnly && namespace) lines.push(`export type ${alias}_namespace_${s.name} = ${alias}.${s.name}.IngressGatewayProps;`);
        else if (target.flags & (ts.SymbolFlags.Type & ~ts.SymbolFlags.TypeParameter)) {
          const params = (target.declarations ?? []).flatMap((d) => ((d as ts.InterfaceDeclaration).typeParameters ?? []).filter((p) => !p.default)).length;
          lines.push(`export type ${alias}_type_${s.name} = ${alias}.${s.name}${params > 0 ? `<${Array(params).fill('any').join(', ')}>` : ''};`);
        }
      }
    }
    const consumer = `import * as root from './src/index';
import * as pulumi from './src/pulumi/index';
import { App, Chart } from 'cdk8s';
import { TenantGateway, IngressGateway, TlsHost, TcpGateway, TcpCanaryRoute, HttpRoute, CanaryRoute, StrictMtls, AccessLogPolicy, IstioGatewayError, analyze, validateObjects } from './src/index';

const app = new App();
const chart = new Chart(app, 'platform');
const shared = new IngressGateway(chart, 'shared', { name: 'public', namespace: 'istio-ingress' });
const team = new TenantGateway(chart, 'payments', { namespace: 'payments', name: 'payments-gw' });
new TlsHost(chart, 'shop', { gateway: shared, hosts: ['shop.example.com'], credentialName: 'shop-cert' });
new TcpGateway(chart, 'echo', { gateway: team, port: 31400, destination: { host: 'tcp-echo', port: 9000 } });
new TcpCanaryRoute(chart, 'echo-canary', { gateway: team, port: 31401, destination: { host: 'tcp-echo', port: 9000 }, stable: { subset: 'v1', labels: { version: 'v1' } }, canary: { subset: 'v2', labels: { version: 'v2' }, weight: 20 } });
const route = new HttpRoute(chart, 'web', { hosts: ['shop.example.com'], gateways: [shared], destination: { host: 'web', port: 80 } });
new CanaryRoute(chart, 'reviews', { hosts: ['reviews'], destination: { host: 'reviews', port: 9080 }, stable: { subset: 'v1', labels: { version: 'v1' } }, canary: { subset: 'v2', labels: { version: 'v2' }, weight: 10 } });
new StrictMtls(chart, 'mtls', { namespace: 'payments' });
new AccessLogPolicy(chart, 'logs', { gateway: team });
const host: string = route.destination.host;
const selector: Record<string, string> = team.selectorLabels;
const err: IstioGatewayError | undefined = undefined;
const diagnostics = analyze([]);
const issues = validateObjects([]);
export { host, selector, err, diagnostics, issues, root, pulumi };
${lines.join('\n')}
`;
    const { errors } = compile(files, consumer, probe.program);
    expect(errors).toEqual([]);
  });
});
