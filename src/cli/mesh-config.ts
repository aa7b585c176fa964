// Reads the mesh config for `analyze --mesh-config` and the conformance runner: a MeshConfig YAML document
// (as `istioctl analyze --meshConfigFile` takes it), or the `istio` ConfigMap that holds it under data.mesh.

import * as fs from 'node:fs';
import { parse } from 'yaml';
import { InputError } from './load';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses mesh config text; `file` names it in errors. */
export function parseMeshConfig(text: string, file: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new InputError(file, `the mesh config is not YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return {};
  if (!isRecord(doc)) throw new InputError(file, 'the mesh config must be a YAML mapping (MeshConfig fields, or the istio ConfigMap)');
  if (doc.kind === 'ConfigMap') {
    const mesh = isRecord(doc.data) ? doc.data.mesh : undefined;
    if (typeof mesh !== 'string') throw new InputError(file, 'this ConfigMap has no data.mesh to read the mesh config from');
    return parseMeshConfig(mesh, `${file} (data.mesh)`);
  }
  return doc;
}

export function loadMeshConfigSync(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(file, `cannot read the mesh config: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseMeshConfig(text, file);
}
