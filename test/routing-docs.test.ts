// The routing docs are generated: the committed files, and the copies in README.md and
// docs/routing.md, must match what the code produces now (`npm run docs:routing` regenerates them).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DOCS_DIR, routingDocs } from '../examples/routing-docs';

const docs = routingDocs();
const root = path.join(__dirname, '..');

test.each(Object.keys(docs))('docs/routing/%s is current', (name) => {
  expect(fs.readFileSync(path.join(DOCS_DIR, name), 'utf8')).toBe(docs[name]);
});

test('the README quotes the current canary review', () => {
  const quoted = docs['canary-review.md'].replace('## Routing change review', '#### Routing change review').replace(/\n### /g, '\n##### ')
    .trimEnd().split('\n').map((l) => (l ? `> ${l}` : '>')).join('\n');
  expect(fs.readFileSync(path.join(root, 'README.md'), 'utf8')).toContain(quoted);
});

test('docs/routing.md shows the current Mermaid picture', () => {
  expect(fs.readFileSync(path.join(root, 'docs', 'routing.md'), 'utf8')).toContain(`\`\`\`mermaid\n${docs['payments.mmd']}\`\`\``);
});

test('the review is a traffic shift and nothing disruptive', () => {
  expect(docs['canary-review.md']).toContain('| `checkout.payments.svc.cluster.local:8080 subset v2` | 10% | 30% |');
  expect(docs['canary-review.md']).toContain('**1 change, 0 disruptive**');
});
