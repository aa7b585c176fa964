// Result types shared by every validator in this folder (CRD schemas, CEL rules, core kinds).

/** One reason an object is invalid. */
export interface ValidationIssue {
  /** The object at fault: `Kind namespace/name`, or `Kind name` when it has no namespace. */
  origin: string;
  /** Where in the object, e.g. `spec.servers[0].port.number` (empty for the object itself). */
  path: string;
  /** What is wrong and, where known, what would be valid. */
  message: string;
  /** The CEL rule text, when a `x-kubernetes-validations` rule failed. */
  rule?: string;
}

/** A CEL rule that was not evaluated, so it neither passed nor failed. */
export interface SkippedRule {
  origin: string;
  path: string;
  rule: string;
  /** Why it was not evaluated, e.g. `transition rule (uses oldSelf)`. */
  reason: string;
}

export interface ValidationResult {
  /** True when no object has an error. Skipped rules do not make a result invalid. */
  valid: boolean;
  errors: ValidationIssue[];
  skipped: SkippedRule[];
  /** Number of objects checked (after `kind: List` flattening). */
  checked: number;
}

/** Collects issues for one object while a validator walks it. */
export interface IssueSink {
  error(path: string, message: string, rule?: string): void;
  skip(path: string, rule: string, reason: string): void;
}

/**
 * Renders a path from segments: identifiers join with dots, numbers become `[i]`,
 * anything else (label keys, port numbers as map keys) becomes `["key"]`.
 */
export function joinPath(base: string, seg: string | number): string {
  if (typeof seg === 'number') return `${base}[${seg}]`;
  if (/^[A-Za-z_$][\w$-]*$/.test(seg)) return base ? `${base}.${seg}` : seg;
  return `${base}[${JSON.stringify(seg)}]`;
}

/** Short description of a JSON value for messages: type plus a clipped rendering. */
export function describeValue(value: unknown): string {
  const t = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  let shown: string;
  try {
    shown = JSON.stringify(value) ?? String(value);
  } catch {
    shown = String(value);
  }
  if (shown.length > 80) shown = shown.slice(0, 77) + '...';
  return `${t} ${shown}`;
}
