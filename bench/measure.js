// What the CPU-time comparison scripts in bench/ share: one timing after a forced GC (when node
// runs with --expose-gc), in CPU milliseconds (all threads: GC helpers count) and wall
// milliseconds, and the median of a list.
function cpuWall(f) {
  global.gc?.();
  const c0 = process.cpuUsage(); const w0 = process.hrtime.bigint();
  const result = f();
  const c = process.cpuUsage(c0);
  return [(c.user + c.system) / 1e3, Number(process.hrtime.bigint() - w0) / 1e6, result];
}
async function cpuWallAsync(f) {
  global.gc?.();
  const c0 = process.cpuUsage(); const w0 = process.hrtime.bigint();
  const result = await f();
  const c = process.cpuUsage(c0);
  return [(c.user + c.system) / 1e3, Number(process.hrtime.bigint() - w0) / 1e6, result];
}
const median = (v) => [...v].sort((p, q) => p - q)[Math.floor(v.length / 2)];
module.exports = { cpuWall, cpuWallAsync, median };
