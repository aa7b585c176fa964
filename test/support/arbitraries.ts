// fast-check generators for construct props: mostly valid values with a share of invalid ones
// (wrong types, bad syntax, out-of-range numbers), so properties cover both acceptance and refusal.
import * as fc from 'fast-check';

/** Seeded and sized from the environment so a failure is reproducible: FC_SEED=... FC_RUNS=... */
export const FC_SEED = Number(process.env.FC_SEED ?? 20261121);
export const FC_RUNS = Number(process.env.FC_RUNS ?? 1000);
export const fcParams = { seed: FC_SEED, numRuns: FC_RUNS };

export const dnsLabel = fc.stringMatching(/^[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,6})?$/);

export const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(undefined), fc.constant(null), fc.integer(), fc.double(), fc.boolean(), fc.string({ maxLength: 12 }),
  fc.constant(''), fc.constant('UPPER'), fc.constant('has space'), fc.array(fc.integer(), { maxLength: 2 }), fc.object({ maxDepth: 1 }),
);

/** Mostly `valid`, sometimes junk. */
export function maybeBad<T>(valid: fc.Arbitrary<T>, badWeight = 1): fc.Arbitrary<T | unknown> {
  return fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: junk, weight: badWeight });
}

export const hostName = fc.oneof(
  { arbitrary: fc.tuple(dnsLabel, dnsLabel, fc.constantFrom('com', 'io', 'dev', 'example')).map(([a, b, c]) => `${a}.${b}.${c}`), weight: 8 },
  { arbitrary: fc.tuple(dnsLabel, fc.constantFrom('com', 'io')).map(([a, c]) => `*.${a}.${c}`), weight: 2 },
  { arbitrary: fc.constantFrom('foo.*.com', 'http://x.com', 'x.com:80', '-bad.com', 'a..b'), weight: 1 },
);

export const hostList = fc.uniqueArray(hostName, { minLength: 1, maxLength: 3, selector: (h) => String(h).toLowerCase() });

export const port = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 65535 }), weight: 10 },
  { arbitrary: fc.constantFrom(0, -1, 70000, 1.5, 15021, 15090), weight: 1 },
);

export const labels = fc.dictionary(
  fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/),
  fc.stringMatching(/^[a-z0-9]([a-z0-9.-]{0,8}[a-z0-9])?$/),
  { maxKeys: 3 },
);
