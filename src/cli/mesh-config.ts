// Reads the mesh config for `analyze --mesh-config` and the conformance runner. Accepted, so that the
// file already at hand will do: a MeshConfig YAML document (as `istioctl analyze --meshConfigFile` takes
// it), the `istio` ConfigMap holding it under data.mesh, an IstioOperator (spec.meshConfig, as
// TrimmedGatewayConfig writes it) or istiod Helm values (meshConfig).

import * as fs from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { InputError } from './load';

type Dict = Record<string, unknown>;

function isRecord(v: unknown): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const EXPECTED = 'a MeshConfig YAML mapping, the istio ConfigMap (data.mesh), an IstioOperator (spec.meshConfig) or istiod Helm values (meshConfig)';

/** The mesh config in one parsed document, or undefined when the document is not one of the accepted shapes. */
function meshConfigOf(doc: Dict, file: string): Dict | undefined {
  if (doc.kind === 'ConfigMap') {
    const mesh = isRecord(doc.data) ? doc.data.mesh : undefined;
    if (typeof mesh !== 'string') return undefined;
    return parseMeshConfig(mesh, `${file} (data.mesh)`);
  }
  if (doc.kind === 'IstioOperator') {
    const mc = isRecord(doc.spec) ? doc.spec.meshConfig : undefined;
    return isRecord(mc) ? mc : {};
  }
  if (typeof doc.kind === 'string' || typeof doc.apiVersion === 'string') return undefined;
  if (isRecord(doc.meshConfig)) return doc.meshConfig;
  return doc;
}

/** Parses mesh config text; `file` names it in errors. */
export function parseMeshConfig(text: string, file: string): Dict {
  const docs = parseAllDocuments(text);
  const values: unknown[] = [];
  for (const d of docs) {
    if (d.errors.length > 0) throw new InputError(file, `the mesh config is not YAML: ${d.errors[0].message.split('\n')[0]}`);
    const v = d.toJS();
    if (v !== null && v !== undefined) values.push(v);
  }
  if (values.length === 0) return {};
  for (const v of values) {
    if (!isRecord(v)) throw new InputError(file, `the mesh config must be ${EXPECTED}`);
    const mc = meshConfigOf(v, file);
    if (mc) return mc;
  }
  throw new InputError(file, `no mesh config found: expected ${EXPECTED}`);
}

export function loadMeshConfigSync(file: string): Dict {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(file, `cannot read the mesh config: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseMeshConfig(text, file);
}
