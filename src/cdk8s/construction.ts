// How every construct of this library starts: a PropChecker that names it `[Kind 'path']`, and a
// refusal while constructing detaches the construct again, so a refused construct leaves no node.
import { Construct } from 'constructs';
import { describeConstruct, PropChecker } from '../model/checks';
import { AppState } from './app-state';

/**
 * The checker for `self`, which has just joined `scope` as `id`. Call `check.constructed()` at the
 * end of the constructor.
 * @internal
 */
export function constructionChecker(self: Construct, scope: Construct, id: string, className: string): PropChecker {
  AppState.of(self).stamp(self); // first: nothing has been created since `self` joined `scope`
  const check = new PropChecker(describeConstruct(className, self.node.path));
  check.whileConstructing(() => scope.node.tryRemoveChild(id));
  return check;
}
