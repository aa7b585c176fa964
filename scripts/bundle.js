// The shipped JavaScript: each entry point of the package as one CommonJS file made by esbuild from
// tsc's output (lib/src/**/*.js), in lib/bundle/. `npm run build` runs it after tsc.
//   lib/bundle/index.js              the root (`istio-gateway-constructs`)
//   lib/bundle/pulumi.js             `istio-gateway-constructs/pulumi`: its own modules only; every other
//                                    module it uses is the root bundle's (one copy of each class)
//   lib/bundle/cli.js                the `istio-gateway` bin
//   lib/bundle/yaml-split-worker.js  the CLI's second reading thread (beside the files that start it)
// Why: `cdk8s synth` runs a process per synthesis, and Node resolves, reads and compiles a module
// file by file; one file loads faster (see docs/performance-history.md, fourteenth round (h1)).
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

async function main() {
  fs.rmSync(OUT, { recursive: true, force: true });
  const rootNames = await esmNames(path.join(SRC, 'index.js'));
  const pulumiNames = await esmNames(path.join(SRC, 'pulumi', 'index.js'));

  // The pulumi entry: its own modules, and a require of the root bundle for every other one.
  const pulumiDir = path.join(SRC, 'pulumi');
  const shared = new Set();
  const pulumi = await esbuild.build({
    ...common, entryPoints: [path.join(pulumiDir, 'index.js')], outfile: path.join(OUT, 'pulumi.js'),
    footer: { js: namesFooter(pulumiNames) },
    plugins: [{
      name: 'shared-with-root',
      setup(build) {
        build.onResolve({ filter: /^\.\.?\// }, (args) => {
          if (args.namespace === 'root-module') return { path: './index.js', external: true };
          const file = resolveRelative(args.resolveDir, args.path);
          if (file.startsWith(pulumiDir + path.sep)) return { path: file };
          const id = path.relative(SRC, file).split(path.sep).join('/');
          shared.add(id);
          return { path: id, namespace: 'root-module' };
        });
        build.onLoad({ filter: /.*/, namespace: 'root-module' }, (args) => ({
          contents: `module.exports = require("./index.js")[${SHARED}](${JSON.stringify(args.path)});\n`, loader: 'js', resolveDir: OUT,
        }));
      },
    }],
  });

  // The root entry, with the modules the pulumi entry asks for behind a symbol-keyed, non-enumerable property.
  const rootIndex = path.join(SRC, 'index.js');
  const table = [...shared].sort().map((id) => `  ${JSON.stringify(id)}: () => require(${JSON.stringify(`./${id}`)}),`).join('\n');
  const root = await esbuild.build({
    ...common, entryPoints: [rootIndex], outfile: path.join(OUT, 'index.js'),
    footer: { js: namesFooter(rootNames) },
    plugins: [{
      name: 'shared-table',
      setup(build) {
        build.onLoad({ filter: /[\\/]lib[\\/]src[\\/]index\.js$/ }, (args) => args.path !== rootIndex ? undefined : {
          contents: `${fs.readFileSync(rootIndex, 'utf8')}\n// The modules the pulumi entry (lib/bundle/pulumi.js) shares with this one, by their path under lib/src.\n`
            + `const sharedModules = {\n${table}\n};\nObject.defineProperty(exports, ${SHARED}, { value: (id) => sharedModules[id]() });\n`,
          loader: 'js',
        });
      },
    }],
  });
  const rootInputs = new Set(Object.keys(root.metafile.inputs));
  for (const input of Object.keys(pulumi.metafile.inputs)) {
    if (!input.startsWith('root-module:') && rootInputs.has(input)) throw new Error(`${input} is in both the root and the pulumi bundle`);
  }

  await esbuild.build({ ...common, entryPoints: [path.join(SRC, 'cli', 'main.js')], outfile: path.join(OUT, 'cli.js') });
  await esbuild.build({ ...common, entryPoints: [path.join(SRC, 'validation', 'yaml-split-worker.js')], outfile: path.join(OUT, 'yaml-split-worker.js') });
}

main().catch((e) => { console.error(e); process.exit(1); });
