#!/usr/bin/env bash
# Consumer check: installs the packed package the way a user does and uses it there.
#  1. `npm pack` (prepack builds lib/); the tarball has LICENSE, NOTICE, lib/, schemas/, docs/,
#     no source maps, and every README link to a file of the package names a shipped file.
#  2. A fresh cdk8s-only project with cdk8s/constructs at the LOWEST versions the peer ranges admit
#     (read from package.json, so the range and the check cannot drift apart): the README quick
#     start (copied out of README.md) compiles and synthesizes; no @pulumi package is installed; the
#     root entry loads from CommonJS and ESM; the bin runs (`--help`, `validate` without --crds),
#     also through `npx -p <tarball>` outside any project.
#  3. A fresh Pulumi project (@pulumi at the lowest versions of their optional peer ranges):
#     `import ... from 'istio-gateway-constructs/pulumi'` type-checks under moduleResolution
#     node, node16 and bundler, and the components register their resources under Pulumi mocks.
# Versions can be overridden for experiments: CDK8S_VERSION, CONSTRUCTS_VERSION, PULUMI_VERSION,
# PULUMI_K8S_VERSION. Needs only the npm registry. Run from anywhere: bash .ci/consumer-check.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say() { printf '\n== consumer check (%ss): %s\n' "$SECONDS" "$*"; }
fail() { echo "consumer check FAILED: $*" >&2; exit 1; }

# Lowest version a `^x.y.z` / `>=x.y.z` peer range admits.
lowest() { node -e 'const r = require(process.argv[1]).peerDependencies[process.argv[2]]; const m = /^(?:\^|>=\s*)(\d+\.\d+\.\d+)/.exec(r); if (!m) { console.error(`cannot read the lowest version of ${process.argv[2]} from "${r}"`); process.exit(1); } console.log(m[1]);' "$root/package.json" "$1"; }
CDK8S_VERSION=${CDK8S_VERSION:-$(lowest cdk8s)}
CONSTRUCTS_VERSION=${CONSTRUCTS_VERSION:-$(lowest constructs)}
PULUMI_VERSION=${PULUMI_VERSION:-$(lowest @pulumi/pulumi)}
PULUMI_K8S_VERSION=${PULUMI_K8S_VERSION:-$(lowest @pulumi/kubernetes)}
TS_VERSION=$(node -p "require('$root/package.json').devDependencies.typescript")
TYPES_NODE_VERSION=$(node -p "require('$root/package.json').devDependencies['@types/node']")
npm_i() { npm install --no-audit --no-fund --ignore-scripts --loglevel=error "$@"; }

say "pack"
(cd "$root" && npm pack --silent --pack-destination "$work" >/dev/null)
tarball=$(ls "$work"/istio-gateway-constructs-*.tgz)
tar tzf "$tarball" | sed 's#^package/##' | sort > "$work/files.txt"
for f in LICENSE NOTICE README.md package.json lib/bundle/index.js lib/bundle/pulumi.js lib/bundle/cli.js lib/bundle/yaml-split-worker.js lib/bundle/tools.js lib/src/index.d.ts lib/src/pulumi/index.d.ts schemas/istio-1.30.3.json schemas/gateway-api-v1.5.1-standard.json schemas/gateway-api-v1.5.1-experimental.json; do
  grep -qx "$f" "$work/files.txt" || fail "the tarball lacks $f"
done
if grep -E '\.map$|^src/|^test/|^examples/|^bench/|^\.ci/' "$work/files.txt"; then fail "the tarball ships source maps or development files (above)"; fi
# The JavaScript is one bundle per entry point (lib/bundle/); tsc's per-module files are not shipped.
if grep -E '^lib/src/.*\.js$' "$work/files.txt"; then fail "the tarball ships per-module JavaScript beside the bundles (above)"; fi
mkdir "$work/unpacked" && tar xzf "$tarball" -C "$work/unpacked"
if grep -rl 'sourceMappingURL' "$work/unpacked/package/lib" >/dev/null; then fail "compiled files point at source maps that are not shipped"; fi
# README links to files of the package (not http, not anchors) must name shipped files.
FILES="$work/files.txt" README="$work/unpacked/package/README.md" node -e '
const fs = require("fs");
const files = new Set(fs.readFileSync(process.env.FILES, "utf8").split("\n"));
const bad = [];
for (const m of fs.readFileSync(process.env.README, "utf8").matchAll(/\]\(([^)\s]+)\)/g)) {
  const target = m[1];
  const pkgFile = /^https:\/\/unpkg\.com\/istio-gateway-constructs\/(.+?)(#.*)?$/.exec(target);
  if (pkgFile) { if (!files.has(pkgFile[1])) bad.push(target); continue; }
  if (/^(https?:|mailto:|#)/.test(target)) continue;
  bad.push(`${target} (relative: breaks on the npm package page)`);
}
if (bad.length) { console.error("README links that do not resolve in the package:\n  " + bad.join("\n  ")); process.exit(1); }'
echo "tarball: $(wc -l < "$work/files.txt") files, LICENSE and NOTICE present, no source maps, README links resolve"

say "cdk8s-only project: cdk8s@$CDK8S_VERSION constructs@$CONSTRUCTS_VERSION"
app="$work/cdk8s-app"
mkdir "$app" && cd "$app"
echo '{ "name": "consumer", "version": "1.0.0", "private": true }' > package.json
npm_i "$tarball" "cdk8s@$CDK8S_VERSION" "constructs@$CONSTRUCTS_VERSION" "typescript@$TS_VERSION" "@types/node@$TYPES_NODE_VERSION"
[ "$(node -p 'require("cdk8s/package.json").version')" = "$CDK8S_VERSION" ] || fail "cdk8s is not at $CDK8S_VERSION"
[ "$(node -p 'require("constructs/package.json").version')" = "$CONSTRUCTS_VERSION" ] || fail "constructs is not at $CONSTRUCTS_VERSION"
# One copy of each framework: a nested copy under the package would break construct identity.
if [ -e node_modules/istio-gateway-constructs/node_modules/cdk8s ] || [ -e node_modules/istio-gateway-constructs/node_modules/constructs ]; then fail "a second copy of cdk8s or constructs was installed"; fi
if [ -e node_modules/@pulumi ]; then ls node_modules/@pulumi; fail "a cdk8s-only project got @pulumi packages"; fi
echo "no @pulumi package installed; one copy of cdk8s and constructs"

# The quick start, exactly as README.md shows it (the first ts block after '## Quick start').
README="$root/README.md" node -e '
const text = require("fs").readFileSync(process.env.README, "utf8");
const m = /## Quick start\s+```ts\n([\s\S]*?)```/.exec(text);
if (!m) { console.error("README.md has no ts block under ## Quick start"); process.exit(1); }
require("fs").writeFileSync("main.ts", m[1]);'
cat > tsconfig.json <<'EOF'
{ "compilerOptions": { "target": "ES2022", "module": "commonjs", "moduleResolution": "node", "strict": true, "esModuleInterop": true, "outDir": "out", "types": ["node"] }, "files": ["main.ts"] }
EOF
npx tsc -p tsconfig.json
node out/main.js
ls dist/*.yaml >/dev/null || fail "the quick start wrote no YAML"
for kind in Deployment Service Gateway VirtualService; do grep -q "^kind: $kind\$" dist/*.yaml || fail "the quick start output has no $kind"; done
echo "quick start synthesized: $(grep -c '^kind:' dist/*.yaml) objects in $(ls dist | tr '\n' ' ')(${SECONDS}s)"

node -e 'const m = require("istio-gateway-constructs"); for (const k of ["TenantGateway", "TlsHost", "analyze", "loadCrds", "validateObjects"]) if (typeof m[k] !== "function") throw new Error(`CommonJS: ${k} missing`); if (Object.keys(require.cache).some((f) => f.includes("@pulumi"))) throw new Error("the root entry loaded @pulumi"); const r = m.validateObjects([{ apiVersion: "networking.istio.io/v1", kind: "Gateway", metadata: { name: "g", namespace: "n" }, spec: { servers: [{ port: { number: "x" } }] } }], m.loadBundledCrds()); if (r.valid || !r.errors.some((e) => e.path === "spec.servers[0].port.number")) throw new Error("validateObjects with the bundled schemas: " + JSON.stringify(r));'
node --input-type=module -e 'import { TenantGateway, analyze } from "istio-gateway-constructs"; import * as all from "istio-gateway-constructs"; if (typeof TenantGateway !== "function" || typeof analyze !== "function" || typeof all.validateObjects !== "function") throw new Error("ESM import incomplete");'
echo "root entry: CommonJS require and ESM import work, without @pulumi"

npx --no-install istio-gateway --help > help.txt && grep -q 'validate' help.txt || fail "istio-gateway --help"
npx --no-install istio-gateway validate dist/ || fail "validate dist/ (bundled schemas, no --crds) found errors"
printf 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: typo, namespace: web}\nspec:\n  selector: {istio: ingressgateway}\n  servers:\n  - port: {number: 80, name: http, protocl: HTTP}\n    hosts: ["*"]\n' > typo.yaml
set +e; npx --no-install istio-gateway validate typo.yaml > typo.out; code=$?; set -e
[ "$code" = 1 ] && grep -q 'unknown field "protocl"' typo.out || { cat typo.out; fail "validate must exit 1 on a Gateway with an unknown field (got $code)"; }
set +e; npx --no-install istio-gateway analyze dist/ > analyze.out; code=$?; set -e
# The quick start writes its prerequisites (dist/prerequisites/), which analyze reads: no finding may fail it.
[ "$code" = 0 ] || { cat analyze.out; fail "analyze dist/ exited $code on the quick start's output"; }
echo "bin: --help, validate (exit 0 on dist/, 1 on an unknown field), analyze dist/ (exit 0) work"

say "npx -p (no project)"
mkdir "$work/npx" && cd "$work/npx"
cp "$app/typo.yaml" .
set +e; npx --yes -p "$tarball" istio-gateway validate typo.yaml > typo.out 2>&1; code=$?; set -e
[ "$code" = 1 ] && grep -q 'unknown field "protocl"' typo.out || { cat typo.out; fail "npx -p <package> istio-gateway validate (got $code)"; }
echo "npx -p <package> istio-gateway validate: works outside a project"

say "Pulumi project: @pulumi/pulumi@$PULUMI_VERSION @pulumi/kubernetes@$PULUMI_K8S_VERSION"
pulumi_app="$work/pulumi-app"
mkdir "$pulumi_app" && cd "$pulumi_app"
echo '{ "name": "consumer-pulumi", "version": "1.0.0", "private": true }' > package.json
npm_i "$tarball" "cdk8s@$CDK8S_VERSION" "constructs@$CONSTRUCTS_VERSION" "@pulumi/pulumi@$PULUMI_VERSION" "@pulumi/kubernetes@$PULUMI_K8S_VERSION" "typescript@$TS_VERSION" "@types/node@$TYPES_NODE_VERSION"
if [ -e node_modules/istio-gateway-constructs/node_modules/@pulumi ]; then fail "a second copy of @pulumi was installed under the package"; fi
cat > index.ts <<'EOF'
import * as igc from 'istio-gateway-constructs/pulumi';
import { TlsMode, type IstioGatewayError } from 'istio-gateway-constructs';

const gw = new igc.TenantGateway('payments', { namespace: 'payments', name: 'payments-gw' });
new igc.TlsHost('shop', { gateway: gw, hosts: ['shop.payments.example.com'], credentialName: 'shop-cert', destination: { host: 'storefront', port: 8080 } });
new igc.TlsHost('legacy', { gateway: gw, hosts: ['legacy.payments.example.com'], mode: TlsMode.PASSTHROUGH, destination: { host: 'legacy', port: 8443 } });
export const address = gw.address;
export type Refusal = IstioGatewayError;
EOF
for mode in node:commonjs node16:node16 bundler:esnext; do
  res=${mode%%:*}; mod=${mode##*:}
  printf '{ "compilerOptions": { "target": "ES2022", "module": "%s", "moduleResolution": "%s", "strict": true, "noEmit": true, "types": ["node"] }, "files": ["index.ts"] }\n' "$mod" "$res" > "tsconfig.$res.json"
  npx tsc -p "tsconfig.$res.json" || fail "the Pulumi entry does not type-check under moduleResolution $res"
  echo "moduleResolution $res (module $mod): type-checks (${SECONDS}s)"
done
# And it runs: the components register the objects with Pulumi (under mocks, no engine needed).
cat > mocks.js <<'JS'
const pulumi = require('@pulumi/pulumi');
const registered = [];
pulumi.runtime.setMocks({
  newResource: (a) => { registered.push(`${a.type} ${a.name}`); return { id: `${a.name}-id`, state: a.inputs }; },
  call: (a) => a.inputs,
}, 'project', 'stack', false);
const igc = require('istio-gateway-constructs/pulumi');
const gw = new igc.TenantGateway('payments', { namespace: 'payments', name: 'payments-gw' });
const host = new igc.TlsHost('shop', { gateway: gw, hosts: ['shop.payments.example.com'], credentialName: 'shop-cert', destination: { host: 'storefront', port: 8080 } });
Promise.all([gw, host].map((r) => new Promise((ok) => r.urn.apply(ok)))).then(async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  const kinds = new Set(registered.map((r) => r.split(' ')[0]));
  for (const want of ['kubernetes:networking.istio.io/v1:Gateway', 'kubernetes:networking.istio.io/v1:VirtualService', 'kubernetes:apps/v1:Deployment', 'kubernetes:core/v1:Service']) {
    if (!kinds.has(want)) { console.error(`nothing of type ${want} registered; registered:\n  ${registered.join('\n  ')}`); process.exit(1); }
  }
  console.log(`Pulumi components under mocks: ${registered.length} resources registered`);
});
JS
node mocks.js || fail "the Pulumi components do not register under @pulumi/pulumi@$PULUMI_VERSION"

say "passed"
