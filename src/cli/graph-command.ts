// `istio-gateway graph`: the routing picture of manifests as Mermaid, Graphviz dot or one HTML page.

import * as fs from 'node:fs';
import { Command, Option } from 'commander';
import { routingGraph, toDot, toHtml, toMermaid } from '../graph';
import { ioOf, setExitCode } from './load';
import { readObjects } from './read-input';

export function registerGraphCommand(program: Command): void {
  program
    .command('graph')
    .description('Draw gateway workloads -> listeners -> hosts -> routes -> destinations (with weights) of manifests.')
    .argument('<paths...>', 'YAML/JSON files, directories (searched recursively) or - for stdin')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['mermaid', 'dot', 'html', 'json']).default('mermaid'))
    .option('--out-file <file>', 'write to this file instead of standard output')
    .option('--title <text>', 'title of the html page', 'Istio routing')
    .option('--external <paths...>', 'objects that exist in the cluster but not in the input (shared gateway, Services): '
      + 'references to them are not drawn dangling. Put this option after the input paths.')
    .action(async (paths: string[], opts: { output: string; outFile?: string; title: string; external?: string[] }, cmd: Command) => {
      const io = ioOf(cmd);
      const objects = await readObjects(paths, io);
      const external = opts.external && opts.external.length > 0 ? await readObjects(opts.external, io) : undefined;
      const graph = routingGraph(objects, { external });
      const text = opts.output === 'dot' ? toDot(graph)
        : opts.output === 'html' ? toHtml(graph, opts.title)
          : opts.output === 'json' ? `${JSON.stringify(graph, null, 2)}\n`
            : toMermaid(graph);
      if (opts.outFile) fs.writeFileSync(opts.outFile, text);
      else io.stdout(text);
      setExitCode(cmd, 0);
    });
}
