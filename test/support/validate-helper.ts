// Jest helper used by every test file: asserts that objects are valid against Istio 1.30.3's
// CRDs (schemas and CEL rules) and the core Kubernetes schemas. The CRD set is loaded and
// compiled once per test file (module-level cache; jest isolates modules per file), from a
// JSON copy of the CRD file shared by all workers.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatIssue, formatSkipped, loadCrds, readManifestFile, validateObjects, type CrdSet, type ValidationResult } from '../../src/validation';

/** Istio's CRD file, kept beside the repository (../shared/istio), never copied into it. */
export const ISTIO_CRDS_PATH: string = path.resolve(__dirname, '../../../shared/istio/crd-all.gen.yaml');

/**
 * Skipped CEL rules that are tolerated although they do not use oldSelf. Empty on purpose:
 * every rule in Istio 1.30.3's CRDs is evaluated (the Kubernetes URL library they use is
 * implemented in src/validation/cel-url.ts). Add a rule text here only with a comment proving
 * that it truly cannot be evaluated.
 */
export const ALLOWED_SKIPPED_RULES: ReadonlySet<string> = new Set<string>([]);

let crds: CrdSet | undefined;
let crdsMissing = false;

/**
 * The CRD documents of ISTIO_CRDS_PATH. Jest gives every test file a fresh module registry, so a
 * module-level cache alone would parse the 18,000-line YAML file once per test file; a JSON copy
 * in the temp folder (keyed by size and mtime, written atomically) makes later loads cheap.
 */
function istioCrdDocuments(): object[] {
  const st = fs.statSync(ISTIO_CRDS_PATH);
  const cache = path.join(os.tmpdir(), `istio-gateway-constructs-crds-${st.size}-${Math.floor(st.mtimeMs)}.json`);
  try {
    return JSON.parse(fs.readFileSync(cache, 'utf8')) as object[];
  } catch {
    // no usable cache: parse the YAML and try to leave a cache behind
  }
  const docs = readManifestFile(ISTIO_CRDS_PATH).map((d) => d.value as object);
  try {
    const tmp = `${cache}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(docs));
    fs.renameSync(tmp, cache);
  } catch {
    // a read-only temp folder only costs time
  }
  return docs;
}

/** The Istio CRD set for this test file, or undefined (with one warning) when the file is absent. */
export function istioCrds(): CrdSet | undefined {
  if (crds || crdsMissing) return crds;
  if (!fs.existsSync(ISTIO_CRDS_PATH)) {
    crdsMissing = true;
    console.warn(`validate-helper: ${ISTIO_CRDS_PATH} not found; Istio objects cannot be schema-checked, validating core kinds only`);
    return undefined;
  }
  crds = loadCrds(istioCrdDocuments());
  return crds;
}

/** Validates without asserting (for tests that expect failures). */
export function validateAgainstIstio(objects: object[]): ValidationResult {
  const set = istioCrds();
  if (set) return validateObjects(objects, { crds: set });
  // Without the CRD file, only core kinds can be checked; Istio objects are left out.
  const core = objects.filter((o) => !/\.istio\.io\//.test(String((o as { apiVersion?: unknown }).apiVersion)));
  return validateObjects(core);
}

/**
 * Throws, listing every issue, unless all objects are valid and no CEL rule was skipped
 * (transition rules using oldSelf, and ALLOWED_SKIPPED_RULES, excepted).
 */
export function expectValid(objects: object[]): void {
  expectValidResult(validateAgainstIstio(objects));
}

/** The assertion behind {@link expectValid}, for results computed some other way. */
export function expectValidResult(result: ValidationResult): void {
  const badSkips = result.skipped.filter((s) => !/oldSelf/.test(s.reason) && !ALLOWED_SKIPPED_RULES.has(s.rule));
  if (result.valid && badSkips.length === 0) return;
  const lines: string[] = [];
  if (!result.valid) {
    lines.push(`${result.errors.length} schema error(s) in ${result.checked} object(s):`);
    for (const e of result.errors) lines.push(`  - ${formatIssue(e)}`);
  }
  if (badSkips.length > 0) {
    lines.push(`${badSkips.length} CEL rule(s) could not be evaluated:`);
    for (const s of badSkips) lines.push(`  - ${formatSkipped(s)}`);
  }
  throw new Error(lines.join('\n'));
}
