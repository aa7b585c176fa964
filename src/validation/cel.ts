// Evaluates CRD `x-kubernetes-validations` rules with @bufbuild/cel, the way the apiserver does:
// `self` is the value at the rule's schema node. Each distinct rule text is parsed and planned
// once per process. A rule we cannot evaluate (transition rule, unknown function, parse error)
// is reported as skipped with the reason, never counted as passed.

import type * as Cel from '@bufbuild/cel';
import type { CelEnv, CelInput, CelResult } from '@bufbuild/cel';
import type * as CelExt from '@bufbuild/cel/ext';
import type * as CelUrl from './cel-url';
import type * as CelIp from './cel-ip';

let cel: typeof Cel | undefined;

/**
 * @bufbuild/cel, loaded when the first rule is compiled: its index loads CEL's protobuf
 * descriptors (about 90 ms of a fresh process), and the package root, which every cdk8s synthesis
 * requires, exports the validator without running it.
 */
function celLib(): typeof Cel {
  return cel ??= require('@bufbuild/cel') as typeof Cel;
}

/** One `x-kubernetes-validations` entry as written in a CRD. */
export interface RawRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  fieldPath?: string;
  reason?: string;
  optionalOldSelf?: boolean;
}

/** A rule ready to run, or the reason it cannot run. */
export interface CompiledRule {
  readonly rule: string;
  readonly message?: string;
  readonly fieldPath?: string;
  /** Set when the rule cannot be evaluated; then `run` is undefined. */
  readonly skipReason?: string;
  readonly run?: (self: CelInput) => CelResult;
  readonly runMessage?: (self: CelInput) => CelResult;
}

/** Outcome of one rule on one value. */
export type RuleOutcome =
  | { readonly kind: 'pass' }
  | { readonly kind: 'fail'; readonly message: string }
  | { readonly kind: 'skip'; readonly reason: string };

let env: CelEnv | undefined;

/**
 * The CEL environment: the standard library, the strings extension (`substring`, `indexOf`, ...,
 * which Kubernetes also enables), the Kubernetes URL library and its `isIP` (the Gateway API CRDs
 * use it). Kubernetes' other libraries (`ip`, `cidr`, `quantity`, `format`, lists, regex `find`) are
 * not provided: no Istio or Gateway API rule uses them, and a rule that does is reported as skipped.
 */
function celEnvironment(): CelEnv {
  env ??= celLib().celEnv({
    funcs: [
      ...(require('@bufbuild/cel/ext') as typeof CelExt).strings,
      ...(require('./cel-url') as typeof CelUrl).k8sUrlFunctions,
      ...(require('./cel-ip') as typeof CelIp).k8sIpFunctions,
    ],
  });
  return env;
}

// Names that look like calls in a parsed expression but are macros or operators the planner
// handles itself (operators are spelled `_+_`, `@in`, ... and never match NAME below).
const BUILTIN_CALLS = new Set(['has', 'all', 'exists', 'exists_one', 'map', 'filter', 'dyn', 'type']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface ExprFacts {
  calls: Set<string>;
  idents: Set<string>;
}

/** Collects function names and identifiers from a parsed expression (protobuf Expr messages). */
function collectFacts(node: unknown, facts: ExprFacts, depth = 0): void {
  if (node === null || typeof node !== 'object' || depth > 200) return;
  if (Array.isArray(node)) {
    for (const n of node) collectFacts(n, facts, depth + 1);
    return;
  }
  const kind = (node as { exprKind?: { case?: string; value?: Record<string, unknown> } }).exprKind;
  if (kind?.case === 'callExpr' && typeof kind.value?.function === 'string') facts.calls.add(kind.value.function);
  if (kind?.case === 'identExpr' && typeof kind.value?.name === 'string') facts.idents.add(kind.value.name);
  for (const [k, v] of Object.entries(node)) {
    if (k !== '$typeName' && v !== null && typeof v === 'object') collectFacts(v, facts, depth + 1);
  }
}

function compileExpression(text: string): { run?: (self: CelInput) => CelResult; skipReason?: string } {
  const celEnvNow = celEnvironment();
  let parsed: ReturnType<typeof Cel.parse>;
  try {
    parsed = celLib().parse(text);
  } catch (e) {
    return { skipReason: `cannot be parsed by @bufbuild/cel: ${(e as Error).message.split('\n')[0]}` };
  }
  const facts: ExprFacts = { calls: new Set(), idents: new Set() };
  collectFacts(parsed.expr, facts);
  if (facts.idents.has('oldSelf')) return { skipReason: 'transition rule (uses oldSelf)' };
  const missing = [...facts.calls].filter((f) => NAME.test(f) && !BUILTIN_CALLS.has(f) && celEnvNow.funcs.find(f) === undefined);
  if (missing.length > 0) {
    return { skipReason: `uses CEL function(s) not available in this validator: ${missing.sort().join(', ')}` };
  }
  try {
    const planned = celLib().plan(celEnvNow, parsed);
    return { run: (self: CelInput) => planned({ self }) };
  } catch (e) {
    return { skipReason: `cannot be planned by @bufbuild/cel: ${(e as Error).message}` };
  }
}

const ruleCache = new Map<string, CompiledRule>();

/** Compiles a rule once per distinct (rule, message, messageExpression, fieldPath). */
export function compileRule(raw: RawRule): CompiledRule {
  const key = JSON.stringify([raw.rule, raw.message, raw.messageExpression, raw.fieldPath, raw.optionalOldSelf]);
  const cached = ruleCache.get(key);
  if (cached) return cached;
  const compiled = compileExpression(String(raw.rule));
  let runMessage: CompiledRule['runMessage'];
  if (raw.messageExpression) {
    const m = compileExpression(raw.messageExpression);
    runMessage = m.run;
  }
  const result: CompiledRule = {
    rule: String(raw.rule),
    message: raw.message,
    fieldPath: raw.fieldPath,
    skipReason: raw.optionalOldSelf ? 'transition rule (optionalOldSelf)' : compiled.skipReason,
    run: raw.optionalOldSelf ? undefined : compiled.run,
    runMessage,
  };
  ruleCache.set(key, result);
  return result;
}

/** Runs a compiled rule on one value (already converted with the schema's CEL types). */
export function evaluateRule(rule: CompiledRule, self: CelInput): RuleOutcome {
  if (!rule.run) return { kind: 'skip', reason: rule.skipReason ?? 'not compiled' };
  let result: CelResult;
  try {
    result = rule.run(self);
  } catch (e) {
    result = e as CelResult;
  }
  if (result === true) return { kind: 'pass' };
  if (celLib().isCelError(result) || result instanceof Error) {
    const msg = (result as Error).message;
    // Belt and braces: the static check above should already have caught missing functions.
    if (/unbound function/.test(msg)) return { kind: 'skip', reason: `evaluation needs a missing function: ${msg}` };
    return { kind: 'fail', message: `${failureMessage(rule, self)} (evaluation error: ${msg})` };
  }
  if (result !== false) {
    return { kind: 'fail', message: `rule did not evaluate to a bool (got ${typeof result}): ${rule.rule}` };
  }
  return { kind: 'fail', message: failureMessage(rule, self) };
}

function failureMessage(rule: CompiledRule, self: CelInput): string {
  if (rule.runMessage) {
    try {
      const m = rule.runMessage(self);
      if (typeof m === 'string' && m.trim() !== '') return m;
    } catch {
      // fall back to the static message, as the apiserver does
    }
  }
  return rule.message ?? `failed rule: ${rule.rule}`;
}

/** Every rule compiled so far (for tests and reports). */
export function compiledRules(): CompiledRule[] {
  return [...ruleCache.values()];
}
