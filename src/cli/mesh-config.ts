// Reads the mesh config for `analyze --mesh-config` and the conformance runner. Accepted, so that the
// file already at hand will do: a MeshConfig YAML document (as `istioctl analyze --meshConfigFile` takes
// it), the `istio` ConfigMap holding it under data.mesh, an IstioOperator (spec.meshConfig, as
// TrimmedGatewayConfig writes it) or istiod Helm values (meshConfig).

import * as fs from 'node:fs';
import { isDict } from '../manifests';
import { decodeManifest, ManifestReadError, parseManifestText } from '../validation/yaml-files';
import { InputError } from './load';

type Dict = Record<string, unknown>;

const EXPECTED = 'a MeshConfig YAML mapping, the istio ConfigMap (data.mesh), an IstioOperator (spec.meshConfig) or istiod Helm values (meshConfig)';

/** The mesh config in one parsed document, or undefined when the document is not one of the accepted shapes. */
function meshConfigOf(doc: Dict, file: string): Dict | undefined {
  if (doc.kind === 'ConfigMap') {
    const mesh = isDict(doc.data) ? doc.data.mesh : undefined;
    if (typeof mesh !== 'string') return undefined;
    return parseMeshConfig(mesh, `${file} (data.mesh)`);
  }
  if (doc.kind === 'IstioOperator') {
    const mc = isDict(doc.spec) ? doc.spec.meshConfig : undefined;
    return isDict(mc) ? mc : {};
  }
  if (typeof doc.kind === 'string' || typeof doc.apiVersion === 'string') return undefined;
  if (isDict(doc.meshConfig)) return doc.meshConfig;
  return doc;
}

/** Parses mesh config text; `file` names it in errors. */
export function parseMeshConfig(text: string, file: string): Dict {
  // The one manifest reader (src/validation/yaml-files.ts): same YAML rules, errors with the line.
  let values: unknown[];
  try {
    values = parseManifestText(text, file).map((d) => d.value);
  } catch (e) {
    if (e instanceof ManifestReadError) throw new InputError(file, `the mesh config is not YAML: ${e.reason.replace(/^invalid YAML: /, '')}`, e.line, e.column);
    throw e;
  }
  if (values.length === 0) return {};
  for (const v of values) {
    if (!isDict(v)) throw new InputError(file, `the mesh config must be ${EXPECTED}`);
    const mc = meshConfigOf(v, file);
    if (mc) return mc;
  }
  throw new InputError(file, `no mesh config found: expected ${EXPECTED}`);
}

export function loadMeshConfigSync(file: string): Dict {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new InputError(file, `cannot read the mesh config: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let text: string;
  try {
    text = decodeManifest(bytes, file);
  } catch (e) {
    if (e instanceof ManifestReadError) throw new InputError(file, e.reason, e.line, e.column);
    throw e;
  }
  return parseMeshConfig(text, file);
}
