// Times analyze() on a generated platform of about 20,000 objects (run by the lead:
// `npx ts-node --transpile-only bench/analyze-20k.ts [tenants]`). Prints the object count,
// the findings and the time of each run.
import { analyze } from '../src/analysis';
import { generatePlatform } from '../test/fixtures/analysis/builders';

const tenants = Number(process.argv[2] ?? 2250);
const { objects, expected } = generatePlatform(tenants);
const runs: number[] = [];
let found = 0;
for (let i = 0; i < 5; i++) {
  const t0 = process.hrtime.bigint();
  found = analyze(objects).length;
  runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
const sorted = [...runs].sort((a, b) => a - b);
process.stdout.write(
  `analyze: ${objects.length} objects, ${found} findings (${expected.length} planted)\n`
  + `runs (ms): ${runs.map((r) => r.toFixed(0)).join(', ')}; first ${runs[0].toFixed(0)} ms, median ${sorted[2].toFixed(0)} ms\n`,
);
