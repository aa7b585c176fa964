// The shipped JavaScript: each entry point of the package as one CommonJS file made by esbuild from
// tsc's output (lib/src/**/*.js), in lib/bundle/. `npm run build` runs it after tsc.
//   lib/bundle/index.js              the root (`istio-gateway-constructs`)
//   lib/bundle/pulumi.js             `istio-gateway-constructs/pulumi`: its own modules only; every other
//                                    module it uses is the root bundle's (one copy of each class)
//   lib/bundle/cli.js                the `istio-gateway` bin
//   lib/bundle/yaml-split-worker.js  the CLI's second reading thread (beside the files that start it)
//   lib/bundle/tools.js              the root's parts loaded on first use (the validator, the routing graph,
//                                    the change review, the migration): their own modules only, every
//                                    other module the root bundle's; a synthesis never reads this file
// Why: `cdk8s synth` runs a process per synthesis, and Node resolves, reads and compiles a module
// file by file; one file loads faster (see docs/performance-history.md, fourteenth round (h1)), and
// what it does not run it need not parse (tools.js: fifteenth round).
// The bundles keep each module in a function of its own that runs on its first require, in the
// order Node would run it: what loads on first use (the validator, CEL, ...) still does. Packages
// (cdk8s, constructs, yaml, @bufbuild/cel, ...) stay external. tsc's per-module files stay in lib/src
// for the tests and benchmarks that load one module, but are not shipped (package.json "files").
//   node scripts/bundle.js   (after tsc)
'use strict';
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const ROOT = path.resolve(__dirname, '..');
const SRC = path.join(ROOT, 'lib', 'src');
const OUT = path.join(ROOT, 'lib', 'bundle');
/** The root bundle's hidden export: the pulumi bundle asks it for the modules they share. */
const SHARED = 'Symbol.for("istio-gateway-constructs.module")';

const common = {
  absWorkingDir: ROOT, bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external',
  charset: 'utf8', legalComments: 'inline', logLevel: 'warning', metafile: true,
};

/** The module file a relative require from `dir` names, resolved by Node itself. */
function resolveRelative(dir, request) {
  return require.resolve(path.resolve(dir, request));
}

/** The names Node's ES module loader finds in a CommonJS file (cjs-module-lexer), read by importing it. */
async function esmNames(file) {
  const ns = await import(require('url').pathToFileURL(file).href);
  return Object.keys(ns).filter((k) => k !== 'default');
}

/**
 * Node finds the names of a CommonJS module for `import { X } from` with cjs-module-lexer, which
 * cannot see through a bundle's module functions: this footer names them (the form esbuild writes
 * for its own ES module entries; never evaluated).
 */
const namesFooter = (names) => `0 && (module.exports = { ${names.join(', ')} });`;

/** The root's parts loaded on first use (src/index.ts's `lazy` getters), by their request in lib/src/index.js: lib/bundle/tools.js. */
const ON_DEMAND = ['./migration', './validation', './graph', './review'];
/** The tools bundle's hidden export: the root bundle asks it for those parts. */
const TOOLS = 'Symbol.for("istio-gateway-constructs.tools")';

/** A module's id: its path under lib/src, with forward slashes (as esbuild's metafile names it, less `lib/src/`). */
const idOf = (file) => path.relative(SRC, file).split(path.sep).join('/');

/**
 * Modules in esbuild's namespace `ns` are held by another bundle file: each is loaded as a stand-in that hands over
 * that bundle's copy, by its id (the path under lib/src) through the bundle's hidden export `key` (see `table` in
 * main), and the stand-in's require of that bundle stays external. Registered before a plugin's own resolver.
 */
function fromBundle(build, ns, bundle, key) {
  build.onResolve({ filter: /^\.\// }, (args) => args.namespace === ns ? { path: `./${bundle}`, external: true } : undefined);
  build.onLoad({ filter: /.*/, namespace: ns }, (args) => ({
    contents: `module.exports = require("./${bundle}")[${key}](${JSON.stringify(args.path)});\n`, loader: 'js', resolveDir: OUT,
  }));
}

/**
 * A plugin for a bundle that holds its own modules (`own(file)`) and takes every other module of the package from the
 * root bundle, by id through the root's hidden export; the ids taken are added to `taken`.
 */
function takeFromRoot(own, taken) {
  return {
    name: 'shared-with-root',
    setup(build) {
      fromBundle(build, 'root-module', 'index.js', SHARED);
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        const file = resolveRelative(args.resolveDir, args.path);
        if (own(file)) return { path: file };
        const id = idOf(file);
        taken.add(id);
        return { path: id, namespace: 'root-module' };
      });
    },
  };
}

/** The modules (lib/src/...) of a bundle, from its metafile. */
const modulesOf = (result) => Object.keys(result.metafile.inputs).filter((input) => input.startsWith('lib/src/'));

async function main() {
  fs.rmSync(OUT, { recursive: true, force: true });
  const rootIndex = path.join(SRC, 'index.js');
  const rootNames = await esmNames(rootIndex);
  const pulumiNames = await esmNames(path.join(SRC, 'pulumi', 'index.js'));

  // The parts loaded on first use: their entry modules, and a plugin that sends the root's requests of them to the tools bundle.
  const onDemand = new Map(ON_DEMAND.map((request) => [request, idOf(resolveRelative(SRC, request))]));
  const toTools = {
    name: 'on-demand-in-tools',
    setup(build) {
      fromBundle(build, 'tools-module', 'tools.js', TOOLS);
      build.onResolve({ filter: /^\.\// }, (args) => args.importer === rootIndex && onDemand.has(args.path)
        ? { path: onDemand.get(args.path), namespace: 'tools-module' } : undefined);
    },
  };

  // What the root loads without those parts (at once or on first use): the root bundle's modules.
  const eagerRun = await esbuild.build({ ...common, entryPoints: [rootIndex], write: false, plugins: [toTools] });
  const eager = new Set(modulesOf(eagerRun));
  const inRoot = (file) => eager.has(`lib/src/${idOf(file)}`);

  // The pulumi entry: its own modules, and a require of the root bundle for every other one.
  const pulumiDir = path.join(SRC, 'pulumi');
  const shared = new Set();
  const pulumi = await esbuild.build({
    ...common, entryPoints: [path.join(pulumiDir, 'index.js')], outfile: path.join(OUT, 'pulumi.js'),
    footer: { js: namesFooter(pulumiNames) }, plugins: [takeFromRoot((file) => file.startsWith(pulumiDir + path.sep), shared)],
  });

  // The tools: the parts loaded on first use with every module of theirs the root does not hold, and the root's for the rest.
  /** A table `name` of the modules `ids` (each required on first use), and the hidden export `key` that gives one by id. */
  const table = (name, ids, key) => `const ${name} = {\n${[...ids].sort().map((id) => `  ${JSON.stringify(id)}: () => require(${JSON.stringify(`./${id}`)}),`).join('\n')}\n};\n`
    + `Object.defineProperty(exports, ${key}, { value: (id) => ${name}[id]() });\n`;
  const tools = await esbuild.build({
    ...common, outfile: path.join(OUT, 'tools.js'),
    stdin: {
      contents: `// The parts of istio-gateway-constructs loaded on first use (see lib/bundle/index.js), by their path under lib/src.\n${table('modules', onDemand.values(), TOOLS)}`,
      resolveDir: SRC, sourcefile: 'tools-entry.js', loader: 'js',
    },
    plugins: [takeFromRoot((file) => !inRoot(file), shared)],
  });

  // The root entry, with the modules the other bundles ask for behind a symbol-keyed, non-enumerable property.
  const root = await esbuild.build({
    ...common, entryPoints: [rootIndex], outfile: path.join(OUT, 'index.js'),
    footer: { js: namesFooter(rootNames) },
    plugins: [toTools, {
      name: 'shared-table',
      setup(build) {
        build.onLoad({ filter: /[\\/]lib[\\/]src[\\/]index\.js$/ }, (args) => args.path !== rootIndex ? undefined : {
          contents: `${fs.readFileSync(rootIndex, 'utf8')}\n// The modules the pulumi entry (lib/bundle/pulumi.js) and the tools (lib/bundle/tools.js) share with this one, by their path under lib/src.\n`
            + table('sharedModules', shared, SHARED),
          loader: 'js',
        });
      },
    }],
  });
  // Each module in one bundle: the root holds the modules it loads itself and no more (its table pulls in nothing new).
  const rootModules = modulesOf(root);
  const added = rootModules.filter((m) => !eager.has(m));
  if (added.length > 0) throw new Error(`the root bundle holds ${added.join(', ')}, which only the pulumi entry or the tools load`);
  const inBundle = new Map();
  for (const [name, result] of [['index.js', root], ['pulumi.js', pulumi], ['tools.js', tools]]) {
    for (const m of modulesOf(result)) {
      if (inBundle.has(m)) throw new Error(`${m} is in both ${inBundle.get(m)} and ${name}`);
      inBundle.set(m, name);
    }
  }

  await esbuild.build({ ...common, entryPoints: [path.join(SRC, 'cli', 'main.js')], outfile: path.join(OUT, 'cli.js') });
  await esbuild.build({ ...common, entryPoints: [path.join(SRC, 'validation', 'yaml-split-worker.js')], outfile: path.join(OUT, 'yaml-split-worker.js') });
}

main().catch((e) => { console.error(e); process.exit(1); });
