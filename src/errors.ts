// The one error class users catch. Every refusal names where (construct path), which prop,
// the bad value and what would be valid, so a failed synth in CI points at the fix.

/** Details carried by every {@link IstioGatewayError}. */
export interface IstioGatewayErrorDetails {
  /** Construct path (cdk8s) or resource name (Pulumi) of the construct that refused the input. */
  readonly construct: string;
  /** The prop (or method argument) that holds the bad value, e.g. `hosts[1]`. */
  readonly prop: string;
  /** The offending value, as given. */
  readonly value: unknown;
  /** What would be valid instead. */
  readonly expected: string;
}

/**
 * Thrown for every input the library refuses, at construction or at synthesis.
 * Never thrown for internal faults: those keep their own type.
 */
export class IstioGatewayError extends Error {
  /** One entry per refused input (synthesis can report several at once). */
  public readonly problems: readonly IstioGatewayErrorDetails[];

  constructor(problems: IstioGatewayErrorDetails | readonly IstioGatewayErrorDetails[], message?: string) {
    const list = Array.isArray(problems) ? problems : [problems as IstioGatewayErrorDetails];
    super(message ?? list.map(formatProblem).join('\n'));
    this.name = 'IstioGatewayError';
    this.problems = list;
    Object.setPrototypeOf(this, new.target.prototype);
  }

  /** Path of the first construct at fault. */
  get construct(): string { return this.problems[0]?.construct ?? ''; }
  /** Prop of the first problem. */
  get prop(): string { return this.problems[0]?.prop ?? ''; }
  /** Value of the first problem. */
  get value(): unknown { return this.problems[0]?.value; }
}

/** Renders a value for an error message: strings quoted, objects as compact JSON. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return '[function]';
  try {
    const s = JSON.stringify(value);
    return s === undefined ? String(value) : (s.length > 200 ? s.slice(0, 197) + '...' : s);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

export function formatProblem(p: IstioGatewayErrorDetails): string {
  return `[${p.construct}] ${p.prop}: invalid value ${showValue(p.value)}; ${p.expected}`;
}
