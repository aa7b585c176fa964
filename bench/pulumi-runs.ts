// The Pulumi side of the benchmark: registering the platform through this package's components,
// under mocks, against registering the same objects directly as @pulumi/kubernetes resources.
// Each waits until every resource's URN has resolved, i.e. until the mock engine has seen every
// registration with its inputs, and then until Pulumi's RPC queue has drained. Mocks are
// installed afresh for each run.
import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import * as igc from '../src/pulumi';
import { buildPulumiPlatform } from './platform';

type Ctor = new (name: string, args: any, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/** The classes a program written by hand would use for the objects of the benchmark platform. */
const TYPED: Record<string, Ctor> = {
  'v1/Service': k8s.core.v1.Service,
  'v1/ServiceAccount': k8s.core.v1.ServiceAccount,
  'apps/v1/Deployment': k8s.apps.v1.Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': k8s.autoscaling.v2.HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': k8s.policy.v1.PodDisruptionBudget,
  'rbac.authorization.k8s.io/v1/Role': k8s.rbac.v1.Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': k8s.rbac.v1.RoleBinding,
};

let captured: { type: string; inputs: any }[] = [];
/** The components of the last run of ours (type token and name), and which one owns each resource. */
let lastComponents: { type: string; name: string }[] = [];
let lastOwners: number[] = [];

function installMocks(): void {
  captured = [];
  pulumi.runtime.setMocks({
    newResource(a) {
      captured.push({ type: a.type, inputs: a.inputs });
      return { id: `${a.name}-id`, state: a.inputs };
    },
    call(a) { return a.inputs; },
  }, 'bench', 'bench', false);
}

function urnOf(r: { urn: pulumi.Output<string> }): Promise<string> {
  return new Promise((resolve) => r.urn.apply((u) => { resolve(u); return u; }));
}

/**
 * Every URN resolved, then the engine's RPC queue drained (registerOutputs and the like): work a
 * run leaves behind would otherwise be timed in the next run, whichever side that is.
 */
async function settle(resources: readonly { urn: pulumi.Output<string> }[]): Promise<void> {
  await Promise.all(resources.map(urnOf));
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
}

export interface PulumiRun { components: number; resources: number }

/** Ours: the components of the platform, through the cdk8s bridge. */
export async function registerOurs(teams: number): Promise<PulumiRun> {
  installMocks();
  const components = buildPulumiPlatform(igc, teams);
  const platform = igc.PulumiPlatform.current();
  const resources = platform.resources();
  await settle([...components, ...resources]);
  const index = new Map(components.map((c, i) => [c, i]));
  lastComponents = components.map((c: any) => ({ type: c.__pulumiType, name: c.__name }));
  lastOwners = resources.map((r) => index.get(platform.optionsOf(r)?.parent as any) ?? -1);
  return { components: components.length, resources: resources.length };
}

/** The Kubernetes objects the last run registered, with their inputs as the engine saw them. */
export function lastRegisteredObjects(): any[] {
  return captured.filter((c) => c.type.startsWith('kubernetes:')).map((c) => c.inputs);
}

/** The floor: the same objects registered directly, as a hand-written program would. */
export async function registerDirectly(objects: readonly any[]): Promise<PulumiRun> {
  installMocks();
  const resources = objects.map((o) => {
    const name = `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const Typed = TYPED[`${o.apiVersion}/${o.kind}`];
    return Typed ? new Typed(name, o) : new k8s.apiextensions.CustomResource(name, o);
  });
  await settle(resources);
  return { components: 0, resources: resources.length };
}

/**
 * The same objects registered directly, but each under a bare component of the same type and name
 * as ours: what the component structure alone costs Pulumi, whoever builds the objects.
 */
export async function registerUnderComponents(objects: readonly any[]): Promise<PulumiRun> {
  installMocks();
  const components = lastComponents.map((c) => new BareComponent(c.type, c.name));
  const resources = objects.map((o, i) => {
    const name = `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const Typed = TYPED[`${o.apiVersion}/${o.kind}`];
    const opts = lastOwners[i] >= 0 ? { parent: components[lastOwners[i]] } : {};
    return Typed ? new Typed(name, o, opts) : new k8s.apiextensions.CustomResource(name, o, opts);
  });
  for (const c of components) c.done();
  await settle([...components, ...resources]);
  return { components: components.length, resources: resources.length };
}

class BareComponent extends pulumi.ComponentResource {
  constructor(type: string, name: string) {
    super(type, name, {}, {});
  }

  done(): void {
    this.registerOutputs({});
  }
}
