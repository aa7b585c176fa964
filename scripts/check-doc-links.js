// Checks the links between this repository's Markdown documents, and the comments that cite a
// section of one, against the headings that exist (not part of `npm test`; no dependencies):
//   - every relative link `[text](path.md)`, `[text](path.md#anchor)` and `[text](#anchor)` in
//     README.md and docs/**/*.md, and every link to this package's docs on unpkg
//     (https://unpkg.com/istio-gateway-constructs/docs/X.md#anchor), names a file that exists and,
//     with an anchor, a heading of that file; anchors are GitHub's: the heading's text lower-cased,
//     markup and punctuation other than `-` and `_` dropped, spaces made `-`, a repeated heading
//     suffixed `-1`, `-2`, ...;
//   - every citation `docs/<file>.md, "<heading>"` in README.md, docs, src, bench, test and scripts
//     (comments wrap it over lines) names a heading of that file, word for word.
// Prints each broken link or citation with its file and line, and exits 1 if there is one.
//   node scripts/check-doc-links.js [--list=docs/performance.md]   (--list: print that file's anchors)
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const rel = (f) => path.relative(root, f);

function walk(dir, keep, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, keep, out);
    else if (keep(p)) out.push(p);
  }
  return out;
}

/** GitHub's anchor for a heading's text (before de-duplication). */
function slug(text) {
  const plain = text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images: their text
    .replace(/<[^>]+>/g, '') // inline HTML
    .replace(/[`*]/g, ''); // code spans and emphasis markers
  return plain.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** The headings of a Markdown file (outside fenced code): text, anchor and line. */
const headingCache = new Map();
function headings(file) {
  if (headingCache.has(file)) return headingCache.get(file);
  const seen = new Map();
  const list = [];
  let fence = null;
  fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (f) {
      if (fence === null) fence = f[1][0];
      else if (f[1][0] === fence) fence = null;
      return;
    }
    if (fence !== null) return;
    const h = /^ {0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$/.exec(line);
    if (!h) return;
    const base = slug(h[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    list.push({ text: h[1], anchor: n === 0 ? base : `${base}-${n}`, line: i + 1 });
  });
  headingCache.set(file, list);
  return list;
}

const problems = [];
const lineOf = (text, index) => text.slice(0, index).split('\n').length;

function checkTarget(from, line, target) {
  const [p, anchor] = target.split('#');
  const file = p === '' ? from : path.resolve(path.dirname(from), decodeURIComponent(p));
  if (!fs.existsSync(file)) {
    problems.push(`${rel(from)}:${line}: link to a missing file: ${target}`);
    return;
  }
  if (anchor === undefined || !file.endsWith('.md')) return;
  if (!headings(file).some((h) => h.anchor === anchor)) {
    problems.push(`${rel(from)}:${line}: no heading with anchor #${anchor} in ${rel(file)}`);
  }
}

const UNPKG = 'https://unpkg.com/istio-gateway-constructs/';
const markdown = [path.join(root, 'README.md'), ...walk(path.join(root, 'docs'), (p) => p.endsWith('.md'))];
let links = 0;
for (const file of markdown) {
  const text = fs.readFileSync(file, 'utf8').replace(/^ {0,3}(```|~~~)[\s\S]*?^ {0,3}\1.*$/gm, (m) => m.replace(/[^\n]/g, ' '));
  for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    let target = m[1];
    if (target.startsWith(UNPKG)) target = path.relative(path.dirname(file), path.join(root, target.slice(UNPKG.length)));
    else if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // other URLs and mailto:
    links++;
    checkTarget(file, lineOf(text, m.index), target);
  }
}

const cited = [
  path.join(root, 'README.md'),
  ...walk(path.join(root, 'docs'), (p) => p.endsWith('.md')),
  ...['src', 'bench', 'test', 'scripts'].flatMap((d) => walk(path.join(root, d), (p) => /\.(ts|js|md)$/.test(p))),
];
let citations = 0;
for (const file of cited) {
  const raw = fs.readFileSync(file, 'utf8');
  // A citation may wrap: join each line with the next, dropping the next line's comment marker.
  const text = raw.replace(/\n[ \t]*(?:\/\/|\*|#)?[ \t]*/g, (m) => ' '.repeat(m.length));
  for (const m of text.matchAll(/docs\/([\w.-]+\.md), "([^"]+)"/g)) {
    citations++;
    const target = path.join(root, 'docs', m[1]);
    const title = m[2].replace(/\s+/g, ' ');
    if (!fs.existsSync(target)) problems.push(`${rel(file)}:${lineOf(raw, m.index)}: cites a missing file: docs/${m[1]}`);
    else if (!headings(target).some((h) => h.text === title)) {
      problems.push(`${rel(file)}:${lineOf(raw, m.index)}: no heading "${title}" in docs/${m[1]}`);
    }
  }
}

const list = process.argv.find((a) => a.startsWith('--list='));
if (list) for (const h of headings(path.resolve(root, list.slice(7)))) console.log(`${h.line}\t#${h.anchor}\t${h.text}`);
for (const p of problems) console.log(p);
console.log(`${links} links and ${citations} citations checked in ${cited.length} files: ${problems.length} broken`);
process.exit(problems.length ? 1 : 0);
