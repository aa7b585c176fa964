// `npm run docs:routing`: regenerates the routing picture and the change review shown in the README
// (docs/routing/): the example platform as one html page and its PNG (headless Chromium), and the
// markdown review of a canary weight change 10 -> 30. Needs Debian's chromium for the PNG.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import { CanaryRoute, formatReviewMarkdown, reviewChange, routingGraph, TenantGateway, TlsHost, toHtml, toMermaid } from '../src';
import { screenshot } from '../test/browser/chromium';
import { buildExamplePlatform } from './platform';

const out = path.join(__dirname, '..', 'docs', 'routing');
fs.mkdirSync(out, { recursive: true });

function synth(build: (app: App) => void): object[] {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'routing-docs-')) });
  build(app);
  return app.charts.flatMap((c) => c.toJson());
}

// 1. The example platform (what `cdk8s synth` writes to dist/), as `istio-gateway graph dist/ -o html` draws it.
const example = routingGraph(synth(buildExamplePlatform));
const htmlFile = path.join(out, 'example-platform.html');
fs.writeFileSync(htmlFile, toHtml(example, 'Example platform (dist/)'));
screenshot(htmlFile, path.join(out, 'example-platform.png'), 1900, 1020);

// 2. The README's payments team: a canary moving from 10% to 30%.
function payments(weight: number): object[] {
  return synth((app) => {
    const chart = new Chart(app, 'payments');
    const gw = new TenantGateway(chart, 'payments', { namespace: 'payments', name: 'payments-gw' });
    new TlsHost(chart, 'shop', { gateway: gw, hosts: ['shop.payments.example.com'], credentialName: 'shop-cert' });
    new CanaryRoute(chart, 'checkout', {
      namespace: 'payments', gateways: [gw], hosts: ['shop.payments.example.com'],
      destination: { host: 'checkout', port: 8080 },
      stable: { subset: 'v1', labels: { version: 'v1' } },
      canary: { subset: 'v2', labels: { version: 'v2' }, weight, match: [{ headers: { 'x-canary': { exact: 'always' } } }] },
    });
  });
}
// The checkout Service comes from the team's application chart, not from these constructs:
// declared as external, it satisfies the routes' references (as `--external` does on the CLI).
const external = [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'checkout', namespace: 'payments' },
  spec: { selector: { app: 'checkout' }, ports: [{ name: 'http', port: 8080 }] } }];
const before = payments(10);
fs.writeFileSync(path.join(out, 'canary-review.md'), formatReviewMarkdown(reviewChange(before, payments(30), { external })));
fs.writeFileSync(path.join(out, 'payments.mmd'), toMermaid(routingGraph(before, { external })));
console.log(`wrote ${path.relative(process.cwd(), out)}/{example-platform.html,example-platform.png,canary-review.md,payments.mmd}`);
