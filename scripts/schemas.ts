// `npm run schemas`: generates schemas/ (shipped in the package) from the upstream CRD files kept
// beside the repository in ../shared, the way `npm run import` generates imports/. Each artifact is
// a Kubernetes `List` of CustomResourceDefinitions reduced to what validation needs: group, names,
// scope and, for each served version, the structural schema with its CEL rules
// (`x-kubernetes-validations`); descriptions, printer columns, subresources and unserved versions
// are dropped. A List is also what `istio-gateway validate --crds` reads, so an artifact can be
// passed back explicitly. `npm run schemas -- --check` (run by .ci/run) fails when a committed
// artifact differs from what the upstream files give.

import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

const ROOT = path.resolve(__dirname, '..');
const SHARED = path.resolve(ROOT, '../shared');

interface Artifact {
  /** Output path, relative to the repository root. */
  readonly out: string;
  /** Upstream file, relative to ../shared. */
  readonly from: string;
  readonly build: (docs: unknown[]) => unknown;
}

const ARTIFACTS: Artifact[] = [
  { out: 'schemas/istio-1.30.3.json', from: 'istio/crd-all.gen.yaml', build: crdList },
  { out: 'schemas/gateway-api-v1.5.1-standard.json', from: 'gateway-api/standard-install-v1.5.1.yaml', build: crdList },
  { out: 'schemas/gateway-api-v1.5.1-experimental.json', from: 'gateway-api/experimental-install-v1.5.1.yaml', build: crdList },
];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

function isObject(v: unknown): v is JsonObject {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Schema keywords whose value is a schema, a list of schemas, or a map of name to schema. */
const SUBSCHEMA = new Set(['items', 'additionalProperties', 'not']);
const SUBSCHEMA_LIST = new Set(['allOf', 'anyOf', 'oneOf']);
const SUBSCHEMA_MAP = new Set(['properties', 'patternProperties', 'definitions']);
/** Keywords that only document: dropped. (`example` and `externalDocs` never change validation.) */
const DOC_ONLY = new Set(['description', 'example', 'externalDocs', 'title']);

/**
 * A schema without its documentation. Only schema positions are walked, so a property that is
 * itself named `description` (a field of the object being described) is kept.
 */
export function stripSchema(schema: Json): Json {
  if (!isObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(schema)) {
    if (DOC_ONLY.has(k)) continue;
    if (SUBSCHEMA.has(k) && isObject(v)) out[k] = stripSchema(v);
    else if (SUBSCHEMA_LIST.has(k) && Array.isArray(v)) out[k] = v.map(stripSchema);
    else if (SUBSCHEMA_MAP.has(k) && isObject(v)) out[k] = Object.fromEntries(Object.entries(v).map(([n, s]) => [n, stripSchema(s)]));
    else out[k] = v;
  }
  return out;
}

/** Annotations worth keeping: which Gateway API release and channel a CRD comes from. */
const KEPT_ANNOTATIONS = ['gateway.networking.k8s.io/bundle-version', 'gateway.networking.k8s.io/channel'];

export function reduceCrd(crd: JsonObject, file: string): JsonObject {
  const spec = crd.spec as JsonObject;
  const meta = crd.metadata as JsonObject;
  const names = spec.names as JsonObject;
  const versions = (spec.versions as JsonObject[]).filter((v) => v.served !== false);
  if (versions.length === 0) throw new Error(`${file}: ${String(meta.name)} serves no version`);
  const annotations = Object.fromEntries(
    Object.entries((meta.annotations as JsonObject | undefined) ?? {}).filter(([k]) => KEPT_ANNOTATIONS.includes(k)),
  );
  const metadata: JsonObject = { name: meta.name };
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  const reducedNames: JsonObject = { kind: names.kind, plural: names.plural };
  if (names.listKind !== undefined) reducedNames.listKind = names.listKind;
  return {
    apiVersion: crd.apiVersion,
    kind: 'CustomResourceDefinition',
    metadata,
    spec: {
      group: spec.group,
      names: reducedNames,
      scope: spec.scope,
      versions: versions.map((v) => {
        const out: JsonObject = { name: v.name, served: true, storage: v.storage ?? false };
        const schema = (v.schema as JsonObject | undefined)?.openAPIV3Schema;
        if (schema !== undefined) out.schema = { openAPIV3Schema: stripSchema(schema) };
        return out;
      }),
    },
  };
}

export function crdList(docs: unknown[]): unknown {
  const items = docs
    .filter((d): d is JsonObject => isObject(d) && d.kind === 'CustomResourceDefinition')
    .map((d) => reduceCrd(d, 'crd'))
    .sort((a, b) => String((a.metadata as JsonObject).name).localeCompare(String((b.metadata as JsonObject).name)));
  if (items.length === 0) throw new Error('no CustomResourceDefinition found');
  return { apiVersion: 'v1', kind: 'List', items };
}

function render(a: Artifact): string {
  const file = path.join(SHARED, a.from);
  const docs = parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => {
    if (d.errors.length > 0) throw new Error(`${file}: ${d.errors[0].message}`);
    return d.toJS() as unknown;
  });
  // Minified, one trailing newline: compact, and byte-identical on every run.
  return `${JSON.stringify(a.build(docs))}\n`;
}

function main(): void {
  const check = process.argv.includes('--check');
  if (!fs.existsSync(SHARED)) {
    console.error(`schemas: ${SHARED} not found; the upstream CRD files are needed to generate schemas/`);
    process.exitCode = 2;
    return;
  }
  let stale = 0;
  for (const a of ARTIFACTS) {
    const text = render(a);
    const out = path.join(ROOT, a.out);
    if (check) {
      const current = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : undefined;
      if (current !== text) {
        stale++;
        console.error(`schemas: ${a.out} is ${current === undefined ? 'missing' : 'out of date'} (from ../shared/${a.from}); run npm run schemas`);
      } else {
        console.log(`schemas: ${a.out} up to date`);
      }
    } else {
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, text);
      console.log(`schemas: wrote ${a.out} (${text.length} bytes) from ../shared/${a.from}`);
    }
  }
  if (stale > 0) process.exitCode = 1;
}

if (require.main === module) main();
