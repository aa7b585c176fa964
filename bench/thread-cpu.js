// Where a process's CPU time goes by thread, for the reading work of issue 16: preload it into a command
// and it prints, at exit, the process's CPU time and each thread's (ms, from /proc, Linux only): the main
// thread, V8's helper threads (named `node`: parallel and concurrent GC, concurrent compilation) and, from
// inside a worker thread as it ends, the worker's own. With NODE_OPTIONS the relaunched child loads it too,
// and each process prints its own line (the parent's is the one with no worker):
//   NODE_OPTIONS="-r $PWD/bench/thread-cpu.js" node lib/src/cli/main.js analyze -o json FILE >/dev/null
//   ## worker 725
//   ## process 3877 main 2112 node 1033
'use strict';
const fs = require('fs');
const { isMainThread } = require('worker_threads');

/** CPU time (ms) of a thread from its schedstat (nanoseconds on the CPU first). */
function ms(file) {
  try {
    return Number(fs.readFileSync(file, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
}

if (isMainThread) {
  process.on('exit', () => {
    const byName = new Map();
    for (const tid of fs.readdirSync('/proc/self/task')) {
      let name = 'unknown';
      try {
        name = fs.readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
      } catch {
        // The thread ended while listed.
      }
      if (Number(tid) === process.pid) name = 'main';
      byName.set(name, (byName.get(name) ?? 0) + ms(`/proc/self/task/${tid}/schedstat`));
    }
    const u = process.cpuUsage();
    const threads = [...byName].map(([name, t]) => `${name} ${t.toFixed(0)}`).join(' ');
    process.stderr.write(`## process ${((u.user + u.system) / 1000).toFixed(0)} ${threads}\n`);
  });
} else {
  process.on('exit', () => { process.stderr.write(`## worker ${ms('/proc/thread-self/schedstat').toFixed(0)}\n`); });
}
