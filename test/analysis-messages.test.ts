import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { MESSAGES } from '../src/analysis';

// Istio 1.30.3's message catalog (pkg/config/analysis/msg/messages.yaml), copied with the conformance grid.
const CATALOG = path.resolve(__dirname, 'fixtures/analysis/conformance/istio-1.30/analysis-messages.yaml');

describe('hard-coded messages match Istio\'s catalog', () => {
  const catalog = (parse(fs.readFileSync(CATALOG, 'utf8')) as { messages: Array<{ name: string; code: string; level: string; template: string }> }).messages;
  const byCode = new Map(catalog.map((m) => [m.code, m]));

  test.each(Object.values(MESSAGES).map((m) => [m.code, m] as const))('%s', (code, m) => {
    expect(byCode.has(code)).toBe(true);
    const entry = byCode.get(code)!;
    expect({ name: m.name, level: m.level, template: m.template })
      .toEqual({ name: entry.name, level: entry.level, template: entry.template });
  });
});
