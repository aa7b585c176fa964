// `analyze` of a large input runs in a child process with a larger initial heap (src/cli/heap.ts):
// when it does, with what, and that the child's output, exit code and signals pass through.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HEAP_ENV, initialOldSpaceMiB, inputBytesOf, MIN_INPUT_BYTES, relaunchPlan, runChild } from '../src/cli/heap';

const MiB = 1024 * 1024;
const facts = (sizes: Record<string, number>, over: { execArgv?: string[]; env?: Record<string, string> } = {}) => ({
  execArgv: over.execArgv ?? [],
  env: over.env ?? {},
  inputBytes: (a: string) => sizes[a] ?? 0,
});

describe('relaunchPlan', () => {
  test('a large analyze input runs in a child with an initial old generation of 12 bytes per input byte', () => {
    expect(relaunchPlan(['analyze', 'dump.yaml'], '/x/main.js', facts({ 'dump.yaml': 45 * MiB })))
      .toEqual(['--initial-old-space-size=540', '/x/main.js', 'analyze', 'dump.yaml']);
  });

  test('every file argument counts (inputs, --external, stdin), options do not', () => {
    const sizes = { 'a.yaml': 20 * MiB, 'ext.yaml': 8 * MiB, '-': 5 * MiB, '-o': 100 * MiB, json: 100 * MiB };
    expect(relaunchPlan(['analyze', 'a.yaml', '-o', '-', '--external', 'ext.yaml'], 'm.js', facts(sizes))?.[0])
      .toBe(`--initial-old-space-size=${initialOldSpaceMiB(33 * MiB)}`);
    expect(relaunchPlan(['analyze', 'a.yaml'], 'm.js', facts(sizes))).toBeUndefined();
  });

  test('not below the threshold, not for other commands', () => {
    expect(relaunchPlan(['analyze', 'a.yaml'], 'm.js', facts({ 'a.yaml': MIN_INPUT_BYTES - 1 }))).toBeUndefined();
    // At the threshold (32 MiB) the child runs, its old generation started at 12 x 32 MiB.
    expect(relaunchPlan(['analyze', 'a.yaml'], 'm.js', facts({ 'a.yaml': MIN_INPUT_BYTES })))
      .toEqual([`--initial-old-space-size=${initialOldSpaceMiB(MIN_INPUT_BYTES)}`, 'm.js', 'analyze', 'a.yaml']);
    expect(initialOldSpaceMiB(MIN_INPUT_BYTES)).toBe(384);
    expect(relaunchPlan(['validate', 'a.yaml'], 'm.js', facts({ 'a.yaml': 45 * MiB }))).toBeUndefined();
    expect(relaunchPlan(['graph', 'a.yaml'], 'm.js', facts({ 'a.yaml': 45 * MiB }))).toBeUndefined();
  });

  test('never when the user chose Node.js options, or in the child (ISTIO_GATEWAY_HEAP set)', () => {
    const big = { 'a.yaml': 45 * MiB };
    expect(relaunchPlan(['analyze', 'a.yaml'], 'm.js', facts(big, { execArgv: ['--inspect'] }))).toBeUndefined();
    expect(relaunchPlan(['analyze', 'a.yaml'], 'm.js', facts(big, { env: { NODE_OPTIONS: '--max-old-space-size=300' } }))).toBeUndefined();
    expect(relaunchPlan(['analyze', 'a.yaml'], 'm.js', facts(big, { env: { NODE_OPTIONS: '--max-semi-space-size=64' } }))).toBeUndefined();
    // NODE_OPTIONS that set no heap or space size do not stop it.
    expect(relaunchPlan(['analyze', 'a.yaml'], 'm.js', facts(big, { env: { NODE_OPTIONS: '--enable-source-maps' } })))
      .toEqual(['--initial-old-space-size=540', 'm.js', 'analyze', 'a.yaml']);
    expect(relaunchPlan(['analyze', 'a.yaml'], 'm.js', facts(big, { env: { [HEAP_ENV]: '540' } }))).toBeUndefined();
    expect(relaunchPlan(['analyze', 'a.yaml'], 'm.js', facts(big, { env: { [HEAP_ENV]: '' } }))).toBeUndefined();
  });

  test('the initial old generation is 256-640 MiB', () => {
    expect(initialOldSpaceMiB(MIN_INPUT_BYTES)).toBe(384);
    expect(initialOldSpaceMiB(MiB)).toBe(256);
    expect(initialOldSpaceMiB(500 * MiB)).toBe(640);
  });
});

describe('inputBytesOf', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-heap-'));
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'x'.repeat(300));
    fs.writeFileSync(path.join(dir, 'b.json'), 'y'.repeat(40));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'z'.repeat(1000));
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub', 'c.yaml'), 'w'.repeat(5000));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a file, a folder\'s own manifests (not its sub-folders or other files), nothing for what is missing', () => {
    expect(inputBytesOf(path.join(dir, 'a.yaml'))).toBe(300);
    expect(inputBytesOf(dir)).toBe(340);
    expect(inputBytesOf(path.join(dir, 'missing.yaml'))).toBe(0);
  });
});

describe('runChild', () => {
  let dir: string;
  beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-heap-run-')); });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the child gets the heap flag and the environment, and its exit code comes back', async () => {
    const script = path.join(dir, 'child.js');
    const out = path.join(dir, 'out.json');
    fs.writeFileSync(script, `require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify({ execArgv: process.execArgv, argv: process.argv.slice(2), env: process.env.${HEAP_ENV} })); process.exitCode = 3;\n`);
    const code = await runChild(['--initial-old-space-size=300', script, 'analyze', 'x.yaml'], { ...process.env, [HEAP_ENV]: '300' });
    expect(code).toBe(3);
    const seen = JSON.parse(fs.readFileSync(out, 'utf8')) as { execArgv: string[]; argv: string[]; env: string };
    expect(seen.execArgv).toEqual(['--initial-old-space-size=300']);
    expect(seen.argv).toEqual(['analyze', 'x.yaml']);
    expect(seen.env).toBe('300');
  });

  test('the child writes to the same stdout; a child ended by a signal ends the parent with it', () => {
    const child = path.join(dir, 'signal.js');
    fs.writeFileSync(child, "process.stdout.write('from the child\\n'); process.kill(process.pid, 'SIGTERM');\n");
    const root = path.resolve(__dirname, '..');
    const script = `require(${JSON.stringify(path.join(root, 'src/cli/heap.ts'))}).runChild([${JSON.stringify(child)}], process.env)`
      + ".then((code) => process.stdout.write('parent resolved ' + code + '\\n'))";
    const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script],
      { cwd: root, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.json') } });
    expect(r.stdout).toBe('from the child\n');
    expect(r.signal).toBe('SIGTERM');
  });
});
