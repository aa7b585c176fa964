// `istio-gateway graph`: the routing picture of manifests as Mermaid, Graphviz dot or one HTML page.

import * as fs from 'node:fs';
import { Command, Option } from 'commander';
import type * as Graph from '../graph';
import { InputError, ioOf, setExitCode } from './load';
import { readInput, readObjects } from './read-input';

/** Loaded when the command runs, so that other commands do not pay for it (see main.ts). */
const graphModule = (): typeof Graph => require('../graph') as typeof Graph;

/** Mermaid's default maxTextSize: larger diagrams are not rendered. */
const MERMAID_MAX_TEXT = 50_000;
/** Mermaid's default maxEdges. */
const MERMAID_MAX_EDGES = 500;

export function registerGraphCommand(program: Command): void {
  program
    .command('graph')
    .description('Draw gateway workloads -> listeners -> hosts -> routes -> destinations (with weights) of manifests.')
    .argument('<paths...>', 'YAML/JSON files, directories (their own files; -R for sub-folders) or - for stdin')
    .option('-R, --recursive', 'read the sub-folders of directories too', false)
    .option('--no-prerequisites', 'do not read <dir>/prerequisites/ (what a synthesized App declared as existing) as --external')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['mermaid', 'dot', 'html', 'json']).default('mermaid'))
    .option('--out-file <file>', 'write to this file instead of standard output')
    .option('--title <text>', 'title of the html page', 'Istio routing')
    .option('--namespace <namespaces...>', 'draw only the gateways (and mesh routes) of these namespaces')
    .option('--gateway <gateways...>', 'draw only these gateways: ns/name, mesh, or gateway-api:ns/name')
    .option('--external <paths...>', 'objects that exist in the cluster but not in the input (shared gateway, Services): '
      + 'references to them are not drawn dangling. Put this option after the input paths.')
    .action(async (paths: string[], opts: { output: string; outFile?: string; title: string; external?: string[]; namespace?: string[]; gateway?: string[]; recursive: boolean; prerequisites: boolean }, cmd: Command) => {
      const io = ioOf(cmd);
      const input = await readInput(paths, io, { recursive: opts.recursive, prerequisites: opts.prerequisites });
      const external = [...input.prerequisites, ...(opts.external && opts.external.length > 0 ? await readObjects(opts.external, io, { recursive: opts.recursive }) : [])];
      const { routingGraph, selectGraph, toDot, toHtml, toMermaid } = graphModule();
      const all = routingGraph(input.objects, { external });
      const graph = opts.namespace || opts.gateway ? selectGraph(all, { namespaces: opts.namespace, gateways: opts.gateway }) : all;
      const text = opts.output === 'dot' ? toDot(graph)
        : opts.output === 'html' ? toHtml(graph, opts.title)
          : opts.output === 'json' ? `${JSON.stringify(graph, null, 2)}\n`
            : toMermaid(graph);
      if (opts.output === 'mermaid' && (text.length > MERMAID_MAX_TEXT || graph.edges.length > MERMAID_MAX_EDGES)) {
        io.stderr(`note: the Mermaid text is ${text.length} characters with ${graph.edges.length} edges; Mermaid renders at most `
          + `${MERMAID_MAX_TEXT} characters and ${MERMAID_MAX_EDGES} edges by default (GitHub included): `
          + 'narrow it with --namespace or --gateway, or use -o html\n');
      }
      if (opts.outFile) {
        try {
          fs.writeFileSync(opts.outFile, text);
        } catch (e) {
          throw new InputError(opts.outFile, `cannot write: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : (e as Error).message}`);
        }
      }
      else io.stdout(text);
      setExitCode(cmd, 0);
    });
}
