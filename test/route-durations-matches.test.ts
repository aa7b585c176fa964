// Route durations and HTTP matches as the model checks them: which are accepted, which refused and with
// what, whichever way the check decides (one whole number of h, m, s or ms is decided without the exact
// nanosecond sum; a match's absent fields are not checked at all).
import { normalizeHttpMatch, routeDuration } from '../src/model/routes';
import { checker, refusal } from './support/model';

const WHOLE_MS = 'expected a duration of whole milliseconds, at least 1ms';
const POSITIVE = 'expected a positive duration';

describe('routeDuration', () => {
  test.each(['2s', '1h', '3m', '250ms', '007ms', '1500ms', '1.5s', '1000us', '1000µs', '1000000ns', '1h30m', '0h1ms', '0.001s', '99999999999999999999s'])('accepts %s as given', (d) => {
    expect(routeDuration(checker('HttpRoute'), 'timeout', d)).toBe(d);
  });

  test.each(['1500us', '0.5ms', '1ns', '0.0001s', '10µs'])('refuses %s: not whole milliseconds', (d) => {
    const e = refusal(() => routeDuration(checker('HttpRoute'), 'timeout', d));
    expect(e.problems[0]).toMatchObject({ prop: 'timeout', value: d });
    expect(e.problems[0].expected).toContain(WHOLE_MS);
  });

  test.each(['0s', '00ms', '5', 's', '-5s', '5S', ' 5s', '1e3ms', ''])('refuses %s: not a positive duration', (d) => {
    const e = refusal(() => routeDuration(checker('HttpRoute'), 'retries.perTryTimeout', d));
    expect(e.problems[0]).toMatchObject({ prop: 'retries.perTryTimeout', value: d });
    expect(e.problems[0].expected).toContain(POSITIVE);
  });

  test('absent: undefined', () => {
    expect(routeDuration(checker('HttpRoute'), 'timeout', undefined)).toBeUndefined();
  });
});

describe('normalizeHttpMatch', () => {
  const match = (m: object, mesh = false) => normalizeHttpMatch(checker('HttpRoute'), 'match[0]', m as any, { mesh });

  test('the given fields, in the model\'s order, and nothing for absent ones', () => {
    expect(Object.keys(match({ port: 80, uri: { prefix: '/a' }, name: 'n', ignoreUriCase: true }))).toEqual(['name', 'uri', 'ignoreUriCase', 'port']);
    expect(match({ uri: { exact: '/a' }, ignoreUriCase: false })).toEqual({ uri: { kind: 'exact', value: '/a' } });
    expect(match({ sourceNamespace: 'web', sourceLabels: { app: 'a' } }, true)).toEqual({ sourceLabels: { app: 'a' }, sourceNamespace: 'web' });
  });

  test('a field given as undefined is absent', () => {
    expect(match({ uri: { exact: '/a' }, method: undefined, headers: undefined, port: undefined })).toEqual({ uri: { kind: 'exact', value: '/a' } });
  });

  test('refusals come in field order: the first invalid field is named', () => {
    expect(refusal(() => match({ port: 0, method: 5, uri: { exact: 'a' } })).problems[0].prop).toBe('match[0].uri.exact');
    expect(refusal(() => match({ port: 0, method: 5 })).problems[0].prop).toBe('match[0].method');
    expect(refusal(() => match({ port: 0, headers: {} })).problems[0].prop).toBe('match[0].headers');
  });

  test('a match of a name, or of ignoreUriCase alone, has no condition', () => {
    expect(refusal(() => match({ name: 'n' })).problems[0]).toMatchObject({ prop: 'match[0]', expected: expect.stringContaining('a match without conditions') });
    expect(refusal(() => match({ ignoreUriCase: true })).problems[0]).toMatchObject({ prop: 'match[0].ignoreUriCase' });
    expect(refusal(() => match({})).problems[0]).toMatchObject({ prop: 'match[0]', expected: expect.stringContaining('a match without conditions') });
  });

  test('mesh-only fields at a gateway', () => {
    expect(refusal(() => match({ sourceNamespace: 'web' })).problems[0].prop).toBe('match[0].sourceNamespace');
    expect(refusal(() => match({ sourceLabels: { app: 'a' } })).problems[0].prop).toBe('match[0].sourceLabels');
  });
});
