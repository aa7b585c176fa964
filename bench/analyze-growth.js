// analyze() on N and 4N copies of one input pattern, in one process, CPU time: whether an analyzer's time
// grows faster than the input (issue 16: 4x at most 4.4x). For patterns where one analyzer could compare
// every object of a kind with every other; the figure is analyze()'s whole time, and the analyzer named
// by the pattern (its `run` wrapped) beside it.
//
//   npm run build && node scripts/clean.js bench/.out && npx tsc -p bench/tsconfig.json
//   node bench/analyze-growth.js [PATTERN,...|all] [--n=1000] [--runs=5] [--dir=bench/.out] [--ab=BEFORE]
//     --dir=DIR    the compiled tree whose analyzer runs (default bench/.out: its src/analysis)
//     --ab=BEFORE  also run the compiled tree BEFORE (e.g. .scratch/before/bench/.out), alternating with
//                  --dir per run; the findings (JSON) must be identical or the script stops
//     --list       print the patterns and exit
//
// Each size: `runs` analyses after one warm-up, alternating trees, medians; "x" is 4N's median over N's
// (4.0 is linear). Deterministic inputs; nothing is read from disk.
'use strict';
const path = require('path');

const argv = process.argv.slice(2);
const opt = (name, d) => { const a = argv.find((x) => x.startsWith(`--${name}=`)); return a === undefined ? d : a.slice(name.length + 3); };
const pos = argv.filter((a) => !a.startsWith('--'));
const N = Number(opt('n', 1000)), RUNS = Number(opt('runs', 5));

const ns = (i) => `team-${String(i).padStart(5, '0')}`;
const meta = (name, namespace, extra = {}) => ({ name, namespace, ...extra });
const deployment = (name, namespace, labels, ports = [8080]) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(name, namespace),
  spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'example/app:1', ports: ports.map((p) => ({ containerPort: p })) }] } } },
});
const namespace = (name, labels = {}) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });

/** pattern -> { analyzer, objects(n) } */
const PATTERNS = {
  // ConflictingMeshGatewayHosts: per namespace a mesh VirtualService exported to all (a plain host) and one
  // with a wildcard host scoped to its namespace (`exportTo: ['.']`). Each scoped wildcard host is
  // compared with the hosts exported to all.
  'scoped-wildcard-mesh-hosts': {
    analyzer: 'virtualservice.ConflictingMeshGatewayHostsAnalyzer',
    objects: (n) => {
      const out = [];
      for (let i = 0; i < n; i++) {
        const n_ = ns(i);
        out.push(namespace(n_));
        out.push({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: meta('api', n_),
          spec: { hosts: [`api.${n_}.example.com`], http: [{ route: [{ destination: { host: `api.${n_}.example.com` } }] }] } });
        out.push({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: meta('internal', n_),
          spec: { hosts: [`*.${n_}.internal`], exportTo: ['.'], http: [{ route: [{ destination: { host: `web.${n_}.internal` } }] }] } });
        // One in ten also collides, so that findings are made: a scoped wildcard over another team's global host.
        if (i % 10 === 0) out.push({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: meta('wide', n_),
          spec: { hosts: [`*.${ns(i + 1)}.example.com`], exportTo: ['.'], http: [{ route: [{ destination: { host: 'x' } }] }] } });
      }
      return out;
    },
  },
  // ServiceAssociationAnalyzer: one in-mesh Deployment selected by n Services of its namespace, each on
  // port 80 (a tenth with another protocol: IST0116) and targetPort 8080 (IST0137).
  'services-per-deployment': {
    analyzer: 'deployment.ServiceAssociationAnalyzer',
    objects: (n) => {
      const out = [namespace('shop', { 'istio-injection': 'enabled' }), deployment('web', 'shop', { app: 'web' })];
      for (let i = 0; i < n; i++) {
        out.push({ apiVersion: 'v1', kind: 'Service', metadata: meta(`web-${i}`, 'shop'),
          spec: { selector: { app: 'web' }, ports: [{ name: i % 10 === 0 ? 'tcp-web' : 'http-web', port: 80 + (i % 3 === 0 ? 0 : 1), targetPort: 8080, protocol: 'TCP' }] } });
      }
      return out;
    },
  },
  // RouteParentAnalyzer: n HTTPRoutes, one per namespace, attached to one shared Gateway API Gateway
  // that allows routes from all namespaces, each with its own hostname.
  'httproutes-one-gateway': {
    analyzer: 'gatewayapi.RouteParentAnalyzer',
    objects: (n) => {
      const out = [namespace('edge'), { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: meta('shared', 'edge'),
        spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', hostname: '*.example.com', allowedRoutes: { namespaces: { from: 'All' } } }] } }];
      for (let i = 0; i < n; i++) {
        const n_ = ns(i);
        out.push(namespace(n_));
        out.push({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: meta('web', n_),
          spec: { parentRefs: [{ name: 'shared', namespace: 'edge', sectionName: 'http' }], hostnames: [`web.${n_}.example.com`],
            rules: [{ backendRefs: [{ name: 'web', port: 8080 }] }] } });
        out.push({ apiVersion: 'v1', kind: 'Service', metadata: meta('web', n_), spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 8080 }] } });
      }
      return out;
    },
  },
  // Secret and Certificate analyzers: n Gateways on the shared ingress workload, each with its own TLS
  // credential (missing, so that each is reported), and the workload in istio-system.
  'tls-gateways-one-workload': {
    analyzer: 'gateway.SecretAnalyzer',
    objects: (n) => {
      const out = [namespace('istio-system'), deployment('istio-ingressgateway', 'istio-system', { istio: 'ingressgateway' }),
        { apiVersion: 'v1', kind: 'Service', metadata: meta('istio-ingressgateway', 'istio-system'), spec: { selector: { istio: 'ingressgateway' }, ports: [{ name: 'https', port: 443 }] } }];
      for (let i = 0; i < n; i++) {
        const n_ = ns(i);
        out.push({ apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: meta('edge', n_),
          spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: [`web.${n_}.example.com`],
            tls: { mode: 'SIMPLE', credentialName: `cert-${n_}` } }] } });
      }
      return out;
    },
  },
  // Telemetry selectors: per namespace a Deployment and a Telemetry selecting it, and one mesh-wide Telemetry.
  'telemetry-per-namespace': {
    analyzer: 'telemetry.SelectorAnalyzer',
    objects: (n) => {
      const out = [namespace('istio-system'), { apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: meta('mesh-default', 'istio-system'), spec: { accessLogging: [{ providers: [{ name: 'envoy' }] }] } }];
      for (let i = 0; i < n; i++) {
        const n_ = ns(i);
        out.push(namespace(n_, { 'istio-injection': 'enabled' }), deployment('web', n_, { app: 'web' }));
        out.push({ apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: meta('web', n_), spec: { selector: { matchLabels: { app: 'web' } }, accessLogging: [{ providers: [{ name: 'envoy' }] }] } });
      }
      return out;
    },
  },
};

function load(dir) {
  const analysis = require(path.join(dir, 'src/analysis'));
  const fs = require('fs');
  const dirA = path.join(dir, 'src/analysis/analyzers');
  const timer = { name: '', ms: 0 };
  for (const f of fs.readdirSync(dirA).filter((f) => f.endsWith('.js'))) {
    const m = require(path.join(dirA, f));
    for (const k of Object.keys(m)) {
      const a = m[k];
      if (a && typeof a === 'object' && typeof a.run === 'function' && typeof a.name === 'string' && !a.__timed) {
        const run = a.run;
        a.__timed = true;
        a.run = function (...args) {
          if (a.name !== timer.name) return run.apply(this, args);
          const c = cpu();
          try { return run.apply(this, args); } finally { timer.ms += cpu() - c; }
        };
      }
    }
  }
  return { analyze: analysis.analyze, timer };
}

function cpu() { const c = process.cpuUsage(); return (c.user + c.system) / 1e3; }
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

const trees = [path.resolve(opt('dir', 'bench/.out'))];
if (opt('ab') !== undefined) trees.unshift(path.resolve(opt('ab')));
const libs = trees.map(load);
if (argv.includes('--list')) { console.log(Object.keys(PATTERNS).join('\n')); process.exit(0); }
const chosen = !pos[0] || pos[0] === 'all' ? Object.keys(PATTERNS) : pos[0].split(',');
for (const p of chosen) if (!PATTERNS[p]) throw new Error(`unknown pattern '${p}': one of ${Object.keys(PATTERNS).join(', ')}`);

console.log(`analyze() growth, N=${N} and ${4 * N}, ${RUNS} runs each, CPU ms (median); trees: ${trees.map((t) => path.relative(process.cwd(), t)).join(' | ')}`);
for (const p of chosen) {
  const { analyzer, objects } = PATTERNS[p];
  const res = libs.map(() => ({}));
  for (const n of [N, 4 * N]) {
    const input = objects(n);
    let ref;
    const whole = libs.map(() => []), own = libs.map(() => []);
    for (let r = 0; r <= RUNS; r++) {
      const order = r % 2 ? [...libs.keys()].reverse() : [...libs.keys()];
      for (const t of order) {
        const L = libs[t];
        L.timer.name = analyzer; L.timer.ms = 0;
        global.gc?.();
        const c = cpu();
        const out = L.analyze(input);
        const ms = cpu() - c;
        const text = JSON.stringify(out);
        if (ref === undefined) ref = text;
        else if (text !== ref) throw new Error(`${p} N=${n}: findings differ between trees`);
        if (r > 0) { whole[t].push(ms); own[t].push(L.timer.ms); }
      }
    }
    libs.forEach((_, t) => { res[t][n] = { whole: median(whole[t]), own: median(own[t]), findings: JSON.parse(ref).length }; });
  }
  libs.forEach((_, t) => {
    const a = res[t][N], b = res[t][4 * N];
    console.log(`${p} [${path.relative(process.cwd(), trees[t])}]: analyze() ${a.whole.toFixed(0)} / ${b.whole.toFixed(0)} ms (${(b.whole / a.whole).toFixed(2)}x); `
      + `${analyzer} ${a.own.toFixed(1)} / ${b.own.toFixed(1)} ms (${(b.own / a.own).toFixed(2)}x); findings ${a.findings} / ${b.findings}`);
  });
}
