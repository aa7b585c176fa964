// What an App needs to exist in the cluster but does not create (credential Secrets, backend
// Services, an existing gateway's workload and Service): as plain objects, and written beside the
// synthesized manifests in <outdir>/prerequisites/, a sub-folder that `kubectl apply -f <outdir>/`
// does not read and `istio-gateway analyze <outdir>/` reads as objects that exist.
import * as fs from 'fs';
import * as path from 'path';
import { App, Yaml } from 'cdk8s';
import { IConstruct } from 'constructs';
import { SynthCheck } from './synth-check';

/** The sub-folder of the output folder that holds the prerequisites. */
export const PREREQUISITES_FOLDER = 'prerequisites';
/** The file written there. */
export const PREREQUISITES_FILE = 'prerequisites.yaml';

/**
 * The objects the constructs of this App refer to but do not emit, which the synth-time analysis
 * assumed to exist: one per identity (ports of one backend united), sorted by kind, namespace and
 * name. Objects the App itself defines are not listed. Pure: reads the construct tree, writes nothing.
 */
export function prerequisitesOf(scope: IConstruct): object[] {
  return SynthCheck.of(scope).prerequisites();
}

const HEADER = `# Prerequisites: objects this App's constructs refer to but do not create. They must exist in the
# cluster before \`kubectl apply -f\` of the manifests beside this folder (kubectl does not read
# sub-folders without -R). Do NOT apply this file: the Secrets here are placeholders without data.
# \`istio-gateway analyze <folder>\` reads it as objects that exist (--no-prerequisites to skip).
`;

/**
 * Writes {@link prerequisitesOf} to `<outdir>/prerequisites/prerequisites.yaml` (the App's outdir
 * unless given), replacing what an earlier synthesis wrote. Call it after `app.synth()`.
 * @returns the path written
 */
export function writePrerequisites(app: App, options: { outdir?: string } = {}): string {
  const dir = path.join(options.outdir ?? app.outdir, PREREQUISITES_FOLDER);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, PREREQUISITES_FILE);
  const objects = prerequisitesOf(app);
  fs.writeFileSync(file, HEADER + (objects.length > 0 ? Yaml.stringify(...objects) : ''));
  return file;
}
