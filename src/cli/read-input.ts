// The one place `graph` and `diff` read their input, so that a change to how the CLI reads files
// (src/cli/load.ts) is one edit here.

import { CliIO, loadPaths } from './load';

export async function readObjects(paths: readonly string[], io: CliIO): Promise<Array<Record<string, unknown>>> {
  return (await loadPaths(paths, io)).objects;
}
