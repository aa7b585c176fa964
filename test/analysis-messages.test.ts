import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { MESSAGES } from '../src/analysis';

// Istio's message catalog, kept beside the repository (not copied into it).
const CATALOG = path.resolve(__dirname, '../../shared/istio/analysis-messages.yaml');
const present = fs.existsSync(CATALOG);
if (!present) {
  // eslint-disable-next-line no-console
  console.log(`analysis-messages.test: skipped, Istio message catalog not found at ${CATALOG}`);
}

(present ? describe : describe.skip)('hard-coded messages match Istio\'s catalog', () => {
  const catalog = present
    ? (parse(fs.readFileSync(CATALOG, 'utf8')) as { messages: Array<{ name: string; code: string; level: string; template: string }> }).messages
    : [];
  const byCode = new Map(catalog.map((m) => [m.code, m]));

  test.each(Object.values(MESSAGES).map((m) => [m.code, m] as const))('%s', (code, m) => {
    expect(byCode.has(code)).toBe(true);
    const entry = byCode.get(code)!;
    expect({ name: m.name, level: m.level, template: m.template })
      .toEqual({ name: entry.name, level: entry.level, template: entry.template });
  });
});
