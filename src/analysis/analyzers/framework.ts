// What every analyzer gets: the index, the clock, and a way to report a message about an object.

import { MessageType } from '../messages';
import { Res, ResourceIndex } from '../resource-index';

export interface AnalysisContext {
  readonly index: ResourceIndex;
  readonly now: Date;
  /**
   * Reports a message about `subject` (dropped when the subject is an external object).
   * `args` fill Istio's template; `hint` is appended as the fix.
   */
  report(subject: Res, type: MessageType, args: readonly unknown[], hint: string): void;
}

export interface Analyzer {
  /** Istio's name, `package.TypeName`. */
  readonly name: string;
  /** Other names Istio uses for the same analyzer (e.g. its Metadata().Name when it differs from the type name). */
  readonly aliases?: readonly string[];
  run(ctx: AnalysisContext): void;
}
