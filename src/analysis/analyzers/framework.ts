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

/**
 * What an analyzer does per object of the kinds most objects are (Gateways, VirtualServices): analyze()
 * walks each of those lists once and calls every analyzer's step for each object, in list order, then
 * each `finish`. One loop per kind instead of one per analyzer: fewer functions hot enough for V8 to
 * compile (each analyzer's `run` was compiled on the stack, with its helpers inlined again) and fewer
 * walks over the lists.
 */
export interface AnalyzerSteps {
  /** Called for each Istio Gateway, in input order (each Gateway goes through every analyzer's step before the next). */
  gateway?(gw: Res): void;
  /** Called for each VirtualService, in input order, after every Gateway has been through `gateway`. */
  virtualService?(vs: Res): void;
  /** Called once after both walks. */
  finish?(): void;
}

export interface Analyzer {
  /** Istio's name, `package.TypeName`. */
  readonly name: string;
  /** Other names Istio uses for the same analyzer (e.g. its Metadata().Name when it differs from the type name). */
  readonly aliases?: readonly string[];
  /** The whole analysis in one call (an analyzer has `run` or `start`). */
  run?(ctx: AnalysisContext): void;
  /** Per-object analysis: what to do before the walks (returns the steps the walks call). */
  start?(ctx: AnalysisContext): AnalyzerSteps;
}
