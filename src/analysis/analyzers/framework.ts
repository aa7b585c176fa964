// What every analyzer gets: the index, the clock, and a way to report a message about an object.

import { MessageType } from '../messages';
import { Dict } from '../objects';
import { Res, ResourceIndex } from '../resource-index';

export interface AnalysisContext {
  readonly index: ResourceIndex;
  readonly now: Date;
  /** The mesh config given to analyze() (a record, empty when none was given): Istio's defaults apply to what it omits. */
  readonly meshConfig: Dict;
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
