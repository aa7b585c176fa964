// Removes generated output folders (default: lib and bench/.out) before a build, so a file that a
// change moved or deleted in src/ cannot linger as stale JavaScript and shadow its new module
// (e.g. an old model/routes.js in front of model/routes/index.js).
//   node scripts/clean.js [dir ...]
const fs = require('fs');
const dirs = process.argv.length > 2 ? process.argv.slice(2) : ['lib', 'bench/.out'];
for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
