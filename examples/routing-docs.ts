// `npm run docs:routing`: regenerates the routing picture and the change review shown in the README
// (docs/routing/): the example platform as one html page and its PNG (headless Chromium), the
// markdown review of a canary weight change 10 -> 30, and that team's picture in Mermaid.
// Needs Debian's chromium for the PNG. test/routing-docs.test.ts checks the text files are current.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdk8s';
import { formatReviewMarkdown, reviewChange, routingGraph, toHtml, toMermaid } from '../src';
import { screenshot } from '../test/browser/chromium';
import { buildPayments, PAYMENTS_EXTERNAL } from './payments-canary';
import { buildExamplePlatform } from './platform';
import { examplePrerequisites } from './prerequisites';

export const DOCS_DIR = path.join(__dirname, '..', 'docs', 'routing');

export function synthObjects(build: (app: App) => void): object[] {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'routing-docs-')) });
  build(app);
  return app.charts.flatMap((c) => c.toJson());
}

/** The generated text files of docs/routing/, by file name. */
export function routingDocs(): Record<string, string> {
  const before = synthObjects((app) => buildPayments(app, 10));
  const after = synthObjects((app) => buildPayments(app, 30));
  return {
    // What the cluster provides besides dist/ (the shared ingress gateway, the sample backends):
    // the stand-ins of examples/prerequisites.ts, as `--external` would declare them.
    'example-platform.html': toHtml(routingGraph(synthObjects(buildExamplePlatform), { external: examplePrerequisites().flatMap((p) => p.provides) }),
      'Example platform (dist/ and its prerequisites)'),
    'canary-review.md': formatReviewMarkdown(reviewChange(before, after, { external: PAYMENTS_EXTERNAL })),
    'payments.mmd': toMermaid(routingGraph(before, { external: PAYMENTS_EXTERNAL })),
  };
}

if (require.main === module) {
  fs.mkdirSync(DOCS_DIR, { recursive: true });
  for (const [name, text] of Object.entries(routingDocs())) fs.writeFileSync(path.join(DOCS_DIR, name), text);
  screenshot(path.join(DOCS_DIR, 'example-platform.html'), path.join(DOCS_DIR, 'example-platform.png'), 1900, 1050);
  console.log(`wrote ${path.relative(process.cwd(), DOCS_DIR)}/{example-platform.html,example-platform.png,canary-review.md,payments.mmd}`);
}
