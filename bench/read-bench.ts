// The reading benchmark (issue 16): how fast `istio-gateway analyze` and `validate` read a large
// multi-document file (the size of `kubectl get -A -o yaml` on a large cluster) against the floor,
// a bare js-yaml `loadAll` of the same file, in the same run. Also the YAML parser candidates side by
// side, and a crafted certificate for the PEM scanner. Each measurement runs in a fresh process
// (wall time and peak RSS from /usr/bin/time), floor and ours alternating; the median is reported.
//
//   npm run bench:read                     50 MB file, 3 runs each
//   npm run bench:read -- --mb=10 --runs=1 (quick)
//   --candidates-mb=8                      size of the file the parser candidates are compared on
//   --shapes=all | ours,list,dump,...      input shapes (default ours; bench/read-shapes.ts has the
//                                          others: kubectl -o yaml/json Lists, dumps with comments, big
//                                          data, flow documents, Istio-heavy, CRLF, managedFields;
//                                          bench/read-checker.ts the checker-style mixed and tiny,
//                                          bench/read-mesh.ts the mesh-heavy mesh and meshlist)
//   --keep=DIR                             write the inputs to DIR and keep them (for profiling)
//   --out=FILE                             results (default bench/read-results.json)
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateShape, SHAPES, type Shape } from './read-shapes';

const OUT_DIR = __dirname; // bench/.out/bench
const REPO = path.join(OUT_DIR, '..', '..', '..');
const CLI = path.join(OUT_DIR, '..', 'src', 'cli', 'main.js');

function arg(name: string, dflt: string): string {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt;
}

// ---------------------------------------------------------------------------------------------
// The generated input: namespaces of a cluster, each with Deployments, Services, ConfigMaps,
// Secrets and the Istio objects routing to them, as `kubectl get -o yaml` would print them.

function namespaceObjects(i: number): string {
  const ns = `team-${i}`;
  const docs: string[] = [];
  for (let a = 0; a < 3; a++) {
    const app = `app-${a}`;
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  namespace: ${ns}
  labels:
    app: ${app}
    version: v1
  annotations:
    deployment.kubernetes.io/revision: "3"
spec:
  replicas: 2
  selector:
    matchLabels:
      app: ${app}
  template:
    metadata:
      labels:
        app: ${app}
        version: v1
    spec:
      containers:
      - name: ${app}
        image: registry.example.com/${ns}/${app}:1.${i % 10}.${a}
        ports:
        - containerPort: 8080
          name: http
          protocol: TCP
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
        env:
        - name: LOG_LEVEL
          value: info
`);
    docs.push(`apiVersion: v1
kind: Service
metadata:
  name: ${app}
  namespace: ${ns}
spec:
  selector:
    app: ${app}
  ports:
  - name: http
    port: 8080
    targetPort: 8080
    protocol: TCP
`);
    docs.push(`apiVersion: v1
kind: ConfigMap
metadata:
  name: ${app}-config
  namespace: ${ns}
data:
  settings.json: |
    {"feature": true, "limit": ${100 + a}, "name": "${app}"}
  mode: production
`);
  }
  docs.push(`apiVersion: v1
kind: Secret
metadata:
  name: ${ns}-cert
  namespace: istio-system
type: kubernetes.io/tls
data:
  tls.crt: ${Buffer.from(`not a real certificate ${i}`).toString('base64')}
  tls.key: ${Buffer.from(`not a real key ${i}`).toString('base64')}
`);
  docs.push(`apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: ${ns}-gw
  namespace: ${ns}
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 443
      name: https
      protocol: HTTPS
    hosts:
    - "${ns}.example.com"
    tls:
      mode: SIMPLE
      credentialName: ${ns}-cert
`);
  docs.push(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${ns}-routes
  namespace: ${ns}
spec:
  hosts:
  - "${ns}.example.com"
  gateways:
  - ${ns}-gw
  http:
  - match:
    - uri:
        prefix: /api
    route:
    - destination:
        host: app-0
        port:
          number: 8080
  - route:
    - destination:
        host: app-1
        port:
          number: 8080
`);
  docs.push(`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: app-0
  namespace: ${ns}
spec:
  host: app-0
  subsets:
  - name: v1
    labels:
      version: v1
`);
  return docs.join('---\n');
}

function generate(file: string, mb: number): { objects: number; bytes: number } {
  const fd = fs.openSync(file, 'w');
  let bytes = 0;
  let objects = 0;
  for (let i = 0; bytes < mb * 1024 * 1024; i++) {
    const text = `${i === 0 ? '' : '---\n'}${namespaceObjects(i)}`;
    fs.writeSync(fd, text);
    bytes += Buffer.byteLength(text);
    objects += 13;
  }
  fs.closeSync(fd);
  return { objects, bytes };
}

// ---------------------------------------------------------------------------------------------
// One measurement = one child process. `--mode=...` runs one reader inside this script.

function runMode(mode: string, file: string): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  let n = 0;
  // Every mode keeps what it parsed, as `loadAll(text)` does and as analyze must.
  const kept: unknown[] = [];
  if (mode === 'jsyaml-loadall') {
    // The floor: a bare js-yaml loadAll of the file, which returns every document.
    const jsyaml = require('js-yaml') as typeof import('js-yaml');
    const docs = jsyaml.loadAll(fs.readFileSync(file, 'utf8'));
    kept.push(docs);
    n = docs.length;
  } else if (mode === 'yaml-parseall') {
    const { parseAllDocuments } = require('yaml') as typeof import('yaml');
    for (const d of parseAllDocuments(fs.readFileSync(file, 'utf8')) as import('yaml').Document[]) { kept.push(d.toJS()); n++; }
  } else if (mode === 'yaml-perdoc') {
    const { parseDocument } = require('yaml') as typeof import('yaml');
    for (const t of fs.readFileSync(file, 'utf8').split(/^---$/m)) { kept.push(parseDocument(t).toJS()); n++; }
  } else if (mode === 'reader') {
    const { forEachDocumentInFile } = require('../src/validation/yaml-files') as typeof import('../src/validation/yaml-files');
    forEachDocumentInFile(file, (d) => { kept.push(d.value); n++; });
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  process.stdout.write(`${n}\n`);
}

interface Sample { seconds: number; cpuSeconds: number; rssMiB: number }

/** Runs node with these arguments under /usr/bin/time; exit code 1 (analyze found something) is fine. */
function measure(argv: string[], okCodes: readonly number[] = [0]): Sample {
  const r = spawnSync('/usr/bin/time', ['-f', '@@%e %M %U %S', process.execPath, ...argv], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  if (!okCodes.includes(r.status ?? -1)) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr.slice(-500)}`);
  return parse(r.stderr);
}

function parse(stderr: string): Sample {
  const m = /@@([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(stderr);
  if (!m) throw new Error(`no timing in: ${stderr.slice(-500)}`);
  return { seconds: Number(m[1]), cpuSeconds: Number((Number(m[3]) + Number(m[4])).toFixed(2)), rssMiB: Math.round(Number(m[2]) / 1024) };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Floor, analyze, validate (and the reader alone when `reader`) on one file, `runs` times alternating. */
interface FileResult {
  floorSeconds: number; floorCpuSeconds: number; readerSeconds?: number; readerRatio?: number;
  analyzeSeconds: number; analyzeCpuSeconds: number; validateSeconds: number; validateCpuSeconds: number;
  analyzeRatio: number; analyzeCpuRatio: number; validateRatio: number; validateCpuRatio: number;
  analyzePeakRssMiB: number; validatePeakRssMiB: number; floorPeakRssMiB: number;
  /** `analyze FILE` with its default (text) output, as a checker that does not read the options would run it. */
  analyzeTextCpuSeconds: number; analyzeTextRatio: number; analyzeTextCpuRatio: number; analyzeTextPeakRssMiB: number;
}

function measureFile(file: string, runs: number, label: string, reader: boolean): FileResult {
  const floor: Sample[] = [];
  const readerRuns: Sample[] = [];
  const analyze: Sample[] = [];
  const analyzeText: Sample[] = [];
  const validate: Sample[] = [];
  // The floor right before the commands of the same run; the ratio is the median of the per-run
  // ratios, which cancels the drift of a shared machine.
  for (let r = 0; r < runs; r++) {
    floor.push(measure([self(), '--mode=jsyaml-loadall', file]));
    analyze.push(measure([CLI, 'analyze', '-o', 'json', file], [0, 1]));
    analyzeText.push(measure([CLI, 'analyze', file], [0, 1]));
    validate.push(measure([CLI, 'validate', '-o', 'json', file], [0, 1]));
    if (reader) readerRuns.push(measure([self(), '--mode=reader', file]));
    const s = (x: Sample) => `${x.seconds} s (cpu ${x.cpuSeconds} s) / ${x.rssMiB} MiB`;
    process.stdout.write(`${label} run ${r + 1}: floor ${s(floor[r])}, analyze -o json ${s(analyze[r])}, analyze (text) ${s(analyzeText[r])}, validate ${s(validate[r])}${reader ? `, reader ${s(readerRuns[r])}` : ''}\n`);
  }
  const ratio = (xs: Sample[], key: 'seconds' | 'cpuSeconds') => Number(median(xs.map((x, i) => x[key] / floor[i][key])).toFixed(2));
  return {
    floorSeconds: median(floor.map((x) => x.seconds)),
    floorCpuSeconds: median(floor.map((x) => x.cpuSeconds)),
    ...(reader ? { readerSeconds: median(readerRuns.map((x) => x.seconds)), readerRatio: ratio(readerRuns, 'seconds') } : {}),
    analyzeSeconds: median(analyze.map((x) => x.seconds)),
    analyzeCpuSeconds: median(analyze.map((x) => x.cpuSeconds)),
    validateSeconds: median(validate.map((x) => x.seconds)),
    validateCpuSeconds: median(validate.map((x) => x.cpuSeconds)),
    analyzeRatio: ratio(analyze, 'seconds'),
    analyzeCpuRatio: ratio(analyze, 'cpuSeconds'),
    validateRatio: ratio(validate, 'seconds'),
    validateCpuRatio: ratio(validate, 'cpuSeconds'),
    analyzePeakRssMiB: Math.max(...analyze.map((x) => x.rssMiB)),
    analyzeTextCpuSeconds: median(analyzeText.map((x) => x.cpuSeconds)),
    analyzeTextRatio: ratio(analyzeText, 'seconds'),
    analyzeTextCpuRatio: ratio(analyzeText, 'cpuSeconds'),
    analyzeTextPeakRssMiB: Math.max(...analyzeText.map((x) => x.rssMiB)),
    validatePeakRssMiB: Math.max(...validate.map((x) => x.rssMiB)),
    floorPeakRssMiB: Math.max(...floor.map((x) => x.rssMiB)),
  };
}

const self = (): string => __filename;

function main(): void {
  const generateOnly = arg('generate', '');
  if (generateOnly) {
    // `--generate=FILE --mb=N [--shape=S]`: write the input only (for profiling).
    const shape = arg('shape', 'ours');
    const g = shape === 'ours' ? generate(generateOnly, Number(arg('mb', '50'))) : generateShape(shape as Shape, generateOnly, Number(arg('mb', '50')));
    process.stdout.write(`${generateOnly}: ${g.objects} objects, ${g.bytes} bytes\n`);
    return;
  }
  const mode = arg('mode', '');
  if (mode) {
    runMode(mode, process.argv[process.argv.length - 1]);
    return;
  }
  const mb = Number(arg('mb', '50'));
  const candidatesMb = Number(arg('candidates-mb', '8'));
  const runs = Number(arg('runs', '3'));
  const shapesArg = arg('shapes', 'ours');
  const shapes: string[] = shapesArg === 'all' ? ['ours', ...SHAPES] : shapesArg.split(',');
  for (const s of shapes) if (s !== 'ours' && !(SHAPES as readonly string[]).includes(s)) throw new Error(`unknown shape ${s}: ours, ${SHAPES.join(', ')}`);
  const outFile = arg('out', path.join(REPO, 'bench', 'read-results.json'));
  const keep = arg('keep', '');
  const tmp = keep || fs.mkdtempSync(path.join(os.tmpdir(), 'read-bench-'));
  fs.mkdirSync(tmp, { recursive: true });
  const results: Record<string, unknown> = { machine: `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}`, node: process.version, runs };
  const pass = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  try {
    if (shapes.includes('ours')) {
      // Parser candidates on a smaller file (yaml's parseAllDocuments needs minutes and GiBs at 50 MB).
      const small = path.join(tmp, 'small.yaml');
      const smallGen = generate(small, candidatesMb);
      const candidates: Record<string, Sample> = {};
      for (const m of ['jsyaml-loadall', 'reader', 'yaml-perdoc', 'yaml-parseall']) {
        candidates[m] = measure([self(), `--mode=${m}`, small]);
        process.stdout.write(`candidates ${candidatesMb} MB (${smallGen.objects} objects): ${m} ${candidates[m].seconds} s, ${candidates[m].rssMiB} MiB\n`);
      }
      results.candidates = { mb: candidatesMb, objects: smallGen.objects, results: candidates };
      if (!keep) fs.rmSync(small);

      const big = path.join(tmp, 'ours.yaml');
      const gen = generate(big, mb);
      process.stdout.write(`generated ${(gen.bytes / 1048576).toFixed(1)} MB, ${gen.objects} objects\n`);
      const summary = { mb: Number((gen.bytes / 1048576).toFixed(1)), objects: gen.objects, ...measureFile(big, runs, 'ours', true) };
      results.large = summary;
      process.stdout.write(`analyze -o json ${summary.analyzeRatio}x the js-yaml floor, text ${summary.analyzeTextRatio}x (target <= 2): ${pass(summary.analyzeRatio <= 2 && summary.analyzeTextRatio <= 2)}; `
        + `peak RSS ${summary.analyzePeakRssMiB} MiB (target < 1024): ${pass(summary.analyzePeakRssMiB < 1024)}\n`);
      process.stdout.write(`validate ${summary.validateRatio}x the js-yaml floor (target <= 3): ${pass(summary.validateRatio <= 3)}\n`);
      if (!keep) fs.rmSync(big);
    }
    const shaped: Record<string, unknown> = {};
    for (const shape of shapes.filter((s): s is Shape => s !== 'ours')) {
      const file = path.join(tmp, `${shape}.${shape === 'json' ? 'json' : 'yaml'}`);
      const gen = generateShape(shape, file, mb);
      process.stdout.write(`${shape}: generated ${(gen.bytes / 1048576).toFixed(1)} MB, ${gen.objects} objects\n`);
      const summary = { mb: Number((gen.bytes / 1048576).toFixed(1)), objects: gen.objects, ...measureFile(file, runs, shape, false) };
      shaped[shape] = summary;
      process.stdout.write(`${shape}: analyze -o json ${summary.analyzeRatio}x (cpu ${summary.analyzeCpuRatio}x, target <= 2) ${summary.analyzePeakRssMiB} MiB, `
        + `text ${summary.analyzeTextRatio}x (cpu ${summary.analyzeTextCpuRatio}x) ${summary.analyzeTextPeakRssMiB} MiB, `
        + `validate ${summary.validateRatio}x (cpu ${summary.validateCpuRatio}x, target <= 3) ${summary.validatePeakRssMiB} MiB: `
        + `${pass(summary.analyzeRatio <= 2 && summary.analyzeTextRatio <= 2 && summary.validateRatio <= 3
          && summary.analyzePeakRssMiB < 1024 && summary.analyzeTextPeakRssMiB < 1024 && summary.validatePeakRssMiB < 1024)}\n`);
      if (!keep) fs.rmSync(file);
    }
    if (Object.keys(shaped).length > 0) results.shapes = shaped;

    // The PEM scanner on a crafted 1 MB certificate, through the CLI (with the default shape).
    if (shapes.includes('ours')) results.craftedCertificate = crafted(tmp);
  } finally {
    if (!keep) fs.rmSync(tmp, { recursive: true, force: true });
  }
  fs.writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`wrote ${path.relative(process.cwd(), outFile)}\n`);
}

function crafted(tmp: string): Record<string, number> {
  {
    const crafted = path.join(tmp, 'crafted.yaml');
    const pem = '-----BEGIN CERTIFICATE-----\\n'.repeat(40000);
    fs.writeFileSync(crafted, `apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: istio-system}\nspec:\n  selector: {istio: ingressgateway}\n  servers:\n  - port: {number: 443, name: https, protocol: HTTPS}\n    hosts: [a.example.com]\n    tls: {mode: SIMPLE, credentialName: cert}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: cert, namespace: istio-system}\ntype: kubernetes.io/tls\nstringData:\n  tls.key: k\n  tls.crt: "${pem}"\n`);
    const pemRun = measure([CLI, 'analyze', crafted], [1]);
    // In process: the PEM scan alone, and the regular expression it replaced on a fifth of the input.
    const { certificateProblem } = require('../src/analysis/credentials') as typeof import('../src/analysis/credentials');
    const craftedPem = Buffer.from('-----BEGIN CERTIFICATE-----\n'.repeat(40000));
    let t = process.hrtime.bigint();
    certificateProblem(craftedPem, new Date());
    const scanMs = Number(process.hrtime.bigint() - t) / 1e6;
    const oldRegex = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/;
    t = process.hrtime.bigint();
    oldRegex.exec('-----BEGIN CERTIFICATE-----\n'.repeat(8000));
    const oldMs = Number(process.hrtime.bigint() - t) / 1e6;
    process.stdout.write(`crafted ${craftedPem.length} byte certificate: PEM scan ${Math.round(scanMs)} ms, the whole analyze ${pemRun.seconds} s `
      + `(node start-up included); the old regular expression on a fifth of it: ${Math.round(oldMs)} ms\n`);
    return { bytes: craftedPem.length, cliSeconds: pemRun.seconds, scanMs: Math.round(scanMs), oldRegexMsOnFifth: Math.round(oldMs) };
  }
}

main();
