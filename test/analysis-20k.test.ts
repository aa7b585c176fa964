import { analyze } from '../src/analysis';
import { generatePlatform } from './fixtures/analysis/builders';

// A generated platform of more than 20,000 objects with problems planted at known tenants: the analyzer
// must find exactly those (timing is measured by bench/analyze-20k.ts, not here).
test('a 20k-object platform: exactly the planted problems are found', () => {
  const { objects, expected } = generatePlatform(2250);
  expect(objects.length).toBeGreaterThan(20000);
  const found = analyze(objects).map((d) => `${d.code} ${d.origin}`).sort();
  expect(found).toEqual([...expected].sort());
  // Every kind of planted problem is present, so the comparison above checks each analyzer family.
  for (const code of ['IST0101', 'IST0132', 'IST0145', 'IST0160', 'IST0162', 'IST0173']) {
    expect(found.some((f) => f.startsWith(code))).toBe(true);
  }
});
