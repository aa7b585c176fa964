// Where registering allocates, side by side: a sampling heap profile (collected objects included)
// of RUNS runs of one side after a warm-up of each, summed by the package (or file of ours) and by
// the function that allocated. Allocation volume in the synchronous part is what makes the young
// generation's scavenges cost (Pulumi's pending registrations survive each of them).
//   node scripts/clean.js bench/.out && npx tsc -p bench/tsconfig.json && node bench/pulumi-alloc.js 50 2 [DIR]
const path = require('path');
const inspector = require('inspector');
const teams = Number(process.argv[2] ?? 50), runs = Number(process.argv[3] ?? 2);
const R = require(path.resolve(process.argv[4] ?? 'bench/.out', 'bench/pulumi-runs.js'));
const post = (s, m, p) => new Promise((res, rej) => s.post(m, p ?? {}, (e, r) => (e ? rej(e) : res(r))));
const area = (url) => {
  if (!url) return '(native)';
  const m = url.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
  if (m) return m[1];
  if (url.startsWith('node:')) return 'node:';
  const s = url.match(/\/(src\/.*|bench\/[^/]*)$/);
  return s ? s[1] : url.replace(/^.*\//, '');
};
(async () => {
  await R.registerOurs(teams);
  const objects = R.lastRegisteredObjects();
  const sides = { ours: () => R.registerOurs(teams), bare: () => R.registerUnderComponents(objects), direct: () => R.registerDirectly(objects) };
  for (const f of Object.values(sides)) await f();
  const s = new inspector.Session(); s.connect();
  const result = {};
  for (const [side, run] of Object.entries(sides)) {
    await post(s, 'HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    for (let i = 0; i < runs; i++) await run();
    const { profile } = await post(s, 'HeapProfiler.stopSampling');
    const byArea = new Map(), byFn = new Map();
    const walk = (n) => {
      const bytes = n.selfSize ?? 0;
      if (bytes) {
        const a = area(n.callFrame.url);
        byArea.set(a, (byArea.get(a) ?? 0) + bytes);
        const k = `${n.callFrame.functionName || '(anon)'} ${a}:${n.callFrame.lineNumber + 1}`;
        byFn.set(k, (byFn.get(k) ?? 0) + bytes);
      }
      for (const c of n.children ?? []) walk(c);
    };
    walk(profile.head);
    result[side] = { byArea, byFn };
  }
  const mb = (b) => (b / runs / 1048576).toFixed(1).padStart(7);
  for (const key of ['byArea', 'byFn']) {
    const names = new Set(Object.values(result).flatMap((r) => [...r[key].keys()]));
    const rows = [...names].map((n) => [n, ...Object.keys(sides).map((side) => result[side][key].get(n) ?? 0)]);
    rows.sort((a, b) => (b[1] - b[2]) - (a[1] - a[2]));
    const total = (side) => [...result[side][key].values()].reduce((p, q) => p + q, 0);
    console.log(`\nMB allocated per run at N=${teams}, ${key === 'byArea' ? 'by package' : 'by function'} (ours, bare, direct; sorted by ours - bare)`);
    if (key === 'byArea') console.log(`${mb(total('ours'))}${mb(total('bare'))}${mb(total('direct'))}  total`);
    for (const r of rows.slice(0, key === 'byArea' ? 25 : 40)) console.log(`${mb(r[1])}${mb(r[2])}${mb(r[3])}  ${r[0]}`);
  }
})().catch((e) => { console.error(e); process.exit(1); });
