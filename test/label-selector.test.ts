// One reading of Kubernetes LabelSelectors for the analyzer and the validator. Before, there were
// three: the validator's accepted an unknown operator or a keyless expression as matching, the
// Gateway API route analyzer's ignored an expression that was not an object, the webhook one refused both.
import { validateObjects } from '../src';
import { labelSelectorMatches, labelSelectorVerdict } from '../src/label-selector';

const labels = { app: 'web', tier: 'front' };

describe('labelSelectorVerdict', () => {
  test.each([
    [undefined, true],
    [null, true],
    [{}, true],
    [{ matchLabels: { app: 'web' } }, true],
    [{ matchLabels: { app: 'api' } }, false],
    [{ matchLabels: { missing: 'x' } }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'In', values: ['api'] }] }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['api'] }] }, true],
    [{ matchExpressions: [{ key: 'absent', operator: 'NotIn', values: ['api'] }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, false],
    [{ matchExpressions: [{ key: 'absent', operator: 'DoesNotExist' }] }, true],
    [{ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }] }, false],
  ])('%j selects %j', (selector, expected) => {
    expect(labelSelectorVerdict(selector, labels)).toBe(expected);
    expect(labelSelectorMatches(selector, labels)).toBe(expected);
  });

  test.each([
    ['a string', 'app=web'],
    ['an expression that is not an object', { matchExpressions: ['app=web'] }],
    ['an expression without key', { matchExpressions: [{ operator: 'DoesNotExist' }] }],
    ['an unknown operator', { matchExpressions: [{ key: 'app', operator: 'Equals', values: ['web'] }] }],
    ['In without values', { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] }],
    ['NotIn without values', { matchExpressions: [{ key: 'app', operator: 'NotIn' }] }],
    ['Exists with values', { matchExpressions: [{ key: 'app', operator: 'Exists', values: ['web'] }] }],
    ['a matchLabels value that is not a string', { matchLabels: { app: 1 } }],
  ])('%s is malformed: no verdict, and it selects nothing', (_, selector) => {
    expect(labelSelectorVerdict(selector, labels)).toBeUndefined();
    expect(labelSelectorMatches(selector, labels)).toBe(false);
  });

  test('a prototype member is not a label', () => {
    expect(labelSelectorVerdict({ matchExpressions: [{ key: 'constructor', operator: 'Exists' }] }, labels)).toBe(false);
  });
});

describe('the validator compares a workload selector with its template as the apiserver does', () => {
  const deployment = (selector: unknown) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'apps' },
    spec: { selector, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
  });
  const messages = (selector: unknown) => validateObjects([deployment(selector)]).errors.map((e) => `${e.path}: ${e.message}`);

  test('matchExpressions that select the template are accepted', () => {
    expect(messages({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] })).toEqual([]);
  });

  test('an expression the template fails is refused', () => {
    expect(messages({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }))
      .toEqual(['spec.template.metadata.labels: Invalid value: {"app":"web","tier":"front"}: `selector` does not match template `labels`']);
  });

  test('an unknown operator is an invalid label selector (it used to pass as matching)', () => {
    const selector = { matchExpressions: [{ key: 'tier', operator: 'Equals', values: ['front'] }] };
    expect(messages(selector)).toContain(`spec.selector: Invalid value: ${JSON.stringify(selector)}: invalid label selector`);
    expect(messages(selector).some((m) => m.includes('does not match template'))).toBe(false);
  });
});
