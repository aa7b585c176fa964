// Loads CustomResourceDefinitions (objects, YAML files or folders) into a CrdSet: one schema per
// group/version/kind, compiled on first use and cached, so thousands of objects cost one compile.

import * as fs from 'fs';
import * as path from 'path';
import { compileSchema, type SchemaNode } from './structural';
import { flattenLists } from '../manifests';
import { expandManifestPaths, ManifestReadError, readManifestFile } from './yaml-files';

/** A CRD source that could not be used (unreadable file, bad YAML, no CRD in it, bad CRD). */
export class CrdLoadError extends Error {
  /**
   * @param source the file, folder or `<object>` at fault
   * @param reason what is wrong with it
   * @param line 1-based line in `source`, when known
   */
  constructor(
    readonly source: string,
    readonly reason: string,
    readonly line?: number,
  ) {
    super(`${source}${line !== undefined ? `:${line}` : ''}: ${reason}`);
    this.name = 'CrdLoadError';
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

interface VersionEntry {
  readonly name: string;
  readonly served: boolean;
  readonly schema: object | undefined;
}

interface KindEntry {
  readonly group: string;
  readonly kind: string;
  readonly scope: string;
  readonly source: string;
  readonly versions: Map<string, VersionEntry>;
}

/** The schema of one served group/version/kind. */
export interface CrdVersion {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** Compiled schema (undefined when the CRD has none: every object is then accepted as is). */
  readonly schema: SchemaNode | undefined;
}

/** Schemas from a set of CRDs. Build one with {@link loadCrds}. */
export class CrdSet {
  private readonly kinds = new Map<string, KindEntry>();
  private readonly compiled = new Map<string, CrdVersion | null>();
  /** Where the CRDs came from (file paths, or `<object>`). */
  readonly sources: string[] = [];

  /** Adds one CustomResourceDefinition object. Later definitions of the same group/kind replace earlier ones. */
  add(crd: unknown, source = '<object>'): void {
    const c = crd as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown }; spec?: Record<string, unknown> };
    const crdName = `CustomResourceDefinition ${typeof c?.metadata?.name === 'string' ? c.metadata.name : '(unnamed)'}`;
    if (!c || c.kind !== 'CustomResourceDefinition' || typeof c.apiVersion !== 'string' || !c.apiVersion.startsWith('apiextensions.k8s.io/')) {
      throw new CrdLoadError(source, 'not a CustomResourceDefinition');
    }
    const spec = c.spec;
    const names = spec?.names as { kind?: unknown } | undefined;
    if (!spec || typeof spec.group !== 'string' || typeof names?.kind !== 'string') {
      throw new CrdLoadError(source, `${crdName}: spec.group and spec.names.kind are required`);
    }
    const versions = new Map<string, VersionEntry>();
    // apiextensions.k8s.io/v1beta1 kept one schema for all versions in spec.validation.
    const legacySchema = (spec.validation as { openAPIV3Schema?: object } | undefined)?.openAPIV3Schema;
    const rawVersions = Array.isArray(spec.versions)
      ? (spec.versions as Record<string, unknown>[])
      : typeof spec.version === 'string'
        ? [{ name: spec.version, served: true }]
        : [];
    for (const v of rawVersions) {
      if (typeof v?.name !== 'string') throw new CrdLoadError(source, `${crdName}: a version has no name`);
      const schema = (v.schema as { openAPIV3Schema?: object } | undefined)?.openAPIV3Schema ?? legacySchema;
      if (schema !== undefined && (schema === null || typeof schema !== 'object')) {
        throw new CrdLoadError(source, `${crdName}: version ${v.name} has an openAPIV3Schema that is not an object`);
      }
      versions.set(v.name, { name: v.name, served: v.served !== false, schema });
    }
    if (versions.size === 0) throw new CrdLoadError(source, `${crdName}: no versions`);
    const key = `${spec.group}/${names.kind}`;
    this.kinds.set(key, { group: spec.group, kind: names.kind, scope: String(spec.scope ?? 'Namespaced'), source, versions });
    for (const v of versions.keys()) this.compiled.delete(`${spec.group}/${v}/${names.kind}`);
  }

  /** Number of kinds (group/kind pairs) in the set. */
  get size(): number {
    return this.kinds.size;
  }

  /** Whether the set defines this group/kind in any version. */
  hasKind(group: string, kind: string): boolean {
    return this.kinds.has(`${group}/${kind}`);
  }

  /** The served versions of a group/kind, in the CRD's order (empty when unknown). */
  versionsOf(group: string, kind: string): string[] {
    const e = this.kinds.get(`${group}/${kind}`);
    return e ? [...e.versions.values()].filter((v) => v.served).map((v) => v.name) : [];
  }

  /** Every group/version/kind the set serves, e.g. `networking.istio.io/v1 Gateway`. */
  list(): string[] {
    const out: string[] = [];
    for (const e of this.kinds.values()) for (const v of e.versions.values()) if (v.served) out.push(`${e.group}/${v.name} ${e.kind}`);
    return out.sort();
  }

  /** The compiled schema for an apiVersion/kind, or undefined when the set does not serve it. @internal */
  lookup(apiVersion: string, kind: string): CrdVersion | undefined {
    const slash = apiVersion.indexOf('/');
    if (slash < 0) return undefined; // core group: never a CRD
    const group = apiVersion.slice(0, slash);
    const version = apiVersion.slice(slash + 1);
    const key = `${group}/${version}/${kind}`;
    const hit = this.compiled.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const entry = this.kinds.get(`${group}/${kind}`);
    const v = entry?.versions.get(version);
    if (!entry || !v || !v.served) {
      this.compiled.set(key, null);
      return undefined;
    }
    const result: CrdVersion = {
      group,
      version,
      kind,
      namespaced: entry.scope !== 'Cluster',
      schema: v.schema ? compileSchema(v.schema) : undefined,
    };
    this.compiled.set(key, result);
    return result;
  }
}

// Parsed CRD files are shared by every CrdSet in the process (keyed by path, size and mtime):
// test files that each call loadCrds on Istio's 18,000-line file parse it once.
const fileCache = new Map<string, { stamp: string; crds: { value: unknown; where: string }[] }>();

function crdsInFile(file: string): { value: unknown; where: string }[] {
  let stamp = '';
  try {
    const st = fs.statSync(file);
    stamp = `${st.size}:${st.mtimeMs}`;
  } catch {
    // readManifestFile reports it
  }
  const key = path.resolve(file);
  const cached = fileCache.get(key);
  if (cached && cached.stamp === stamp) return cached.crds;
  const crds: { value: unknown; where: string }[] = [];
  for (const doc of readManifestFile(file)) {
    for (const item of flattenLists([doc.value])) {
      if (isCrd(item)) crds.push({ value: item, where: `${file}:${doc.line}` });
    }
  }
  fileCache.set(key, { stamp, crds });
  return crds;
}

function isCrd(v: unknown): boolean {
  const o = v as { kind?: unknown; apiVersion?: unknown } | null;
  return !!o && typeof o === 'object' && o.kind === 'CustomResourceDefinition' && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('apiextensions.k8s.io/');
}

function asLoadError(e: unknown, source: string): CrdLoadError {
  if (e instanceof CrdLoadError) return e;
  if (e instanceof ManifestReadError) return new CrdLoadError(e.file, e.reason, e.line);
  return new CrdLoadError(source, (e as Error).message);
}

/**
 * The CRD schemas shipped in the package's `schemas/` folder, generated by `npm run schemas` from
 * the upstream CRD files (descriptions stripped, served versions only): Istio 1.30.3, and the
 * Kubernetes Gateway API v1.5.1 (the release Istio 1.30 is built against) in its two channels.
 */
export const BUNDLED_CRDS = {
  istio: 'istio-1.30.3.json',
  'gateway-api-standard': 'gateway-api-v1.5.1-standard.json',
  'gateway-api-experimental': 'gateway-api-v1.5.1-experimental.json',
} as const;

/** A name of {@link BUNDLED_CRDS}. */
export type BundledCrds = keyof typeof BUNDLED_CRDS;

/** What {@link loadCrds} loads when given no sources: Istio and the Gateway API standard channel. */
export const DEFAULT_BUNDLED_CRDS: readonly BundledCrds[] = ['istio', 'gateway-api-standard'];

let schemasDir: string | undefined;

/**
 * The package's schemas/ folder: two levels up from src/validation, three from lib/src/validation,
 * four from the benchmark's compiled copy (bench/.out/src/validation).
 */
function bundledSchemasDir(): string {
  if (schemasDir) return schemasDir;
  for (const up of ['../..', '../../..', '../../../..']) {
    const dir = path.resolve(__dirname, up, 'schemas');
    if (fs.existsSync(path.join(dir, BUNDLED_CRDS.istio))) return (schemasDir = dir);
  }
  throw new CrdLoadError('schemas/', `the bundled CRD schemas are missing from the package (looked beside ${__dirname})`);
}

/** Absolute path of a bundled artifact: a JSON `List` of CRDs, also usable as a `--crds` file. */
export function bundledCrdPath(name: BundledCrds): string {
  const file = BUNDLED_CRDS[name];
  if (file === undefined) throw new CrdLoadError(String(name), `not a bundled CRD set; valid: ${Object.keys(BUNDLED_CRDS).join(', ')}`);
  return path.join(bundledSchemasDir(), file);
}

// Parsed artifacts, shared by every CrdSet in the process; they are never mutated (CrdSet.add keeps references).
const bundledCache = new Map<BundledCrds, object>();

function bundledList(name: BundledCrds): object {
  let list = bundledCache.get(name);
  if (!list) {
    const file = bundledCrdPath(name);
    try {
      list = JSON.parse(fs.readFileSync(file, 'utf8')) as object;
    } catch (e) {
      throw new CrdLoadError(file, `unreadable bundled CRD schemas: ${(e as Error).message}`);
    }
    bundledCache.set(name, list);
  }
  return list;
}

/**
 * A CrdSet of bundled schemas, by default {@link DEFAULT_BUNDLED_CRDS} (Istio 1.30.3 and the
 * Gateway API v1.5.1 standard channel). Pass `'gateway-api-experimental'` instead of
 * `'gateway-api-standard'` for a cluster running the experimental channel.
 */
export function loadBundledCrds(names: readonly BundledCrds[] = DEFAULT_BUNDLED_CRDS): CrdSet {
  const set = new CrdSet();
  for (const name of names) {
    const list = bundledList(name);
    for (const item of flattenLists([list])) set.add(item, `bundled:${BUNDLED_CRDS[name]}`);
    set.sources.push(`bundled:${BUNDLED_CRDS[name]}`);
  }
  return set;
}

/**
 * Builds a CrdSet from CRD objects, YAML/JSON files, and folders of them (read recursively).
 * Documents that are not CRDs are ignored, but a file or folder with no CRD at all is an error
 * (it is almost always a wrong path). Throws {@link CrdLoadError} naming the source.
 * Without sources, loads the schemas bundled with the package ({@link loadBundledCrds}).
 */
export function loadCrds(sources?: readonly (string | object)[]): CrdSet {
  if (sources === undefined) return loadBundledCrds();
  const set = new CrdSet();
  for (const source of sources) {
    if (typeof source === 'string') {
      let files: string[];
      try {
        files = expandManifestPaths([source]);
      } catch (e) {
        throw asLoadError(e, source);
      }
      let found = 0;
      for (const file of files) {
        let crds: { value: unknown; where: string }[];
        try {
          crds = crdsInFile(file);
        } catch (e) {
          throw asLoadError(e, file);
        }
        for (const c of crds) set.add(c.value, c.where);
        found += crds.length;
      }
      if (found === 0) throw new CrdLoadError(source, 'no CustomResourceDefinition found');
      set.sources.push(source);
    } else {
      const items = flattenLists([source]);
      for (const item of items) set.add(item, '<object>');
      set.sources.push('<object>');
    }
  }
  return set;
}
