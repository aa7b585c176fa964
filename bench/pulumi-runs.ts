// The Pulumi side of the benchmark: registering the platform through this package's components,
// under mocks, against registering the same objects directly as @pulumi/kubernetes resources.
// Each waits until every resource's URN has resolved, i.e. until the mock engine has seen every
// registration with its inputs, and then until Pulumi's RPC queue has drained. Mocks are
// installed afresh for each run.
//
// The floors register what ours registers, minus our components: the same objects (inputs), in
// the same order, with the same `dependsOn` between them (the ordering our components declare,
// which a hand-written program wanting the same order would declare too); the bare-components
// floor also under the same parents. Each side's program is one call below the harness (ours'
// `buildPulumiPlatform`, the floors' `declareDirectly` and `declareUnderComponents`): Pulumi sends
// every stack frame with each registration. `checkFloors()` verifies all that at the engine's end
// (RegisterResource requests and the stack frames sent), and `lastRegistrations()` gives what ours
// sent, for comparing two builds (`pulumi-ab.js`).
import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import * as lib from '../src';
import { AppState } from '../src/cdk8s/app-state';
import { SynthCheck } from '../src/cdk8s/synth-check';
import * as igc from '../src/pulumi';
import { buildPulumiPlatform, teamSpec } from './platform';

type Ctor = new (name: string, args: any, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/** The classes a program written by hand would use for the objects of the benchmark platform. */
export const TYPED: Record<string, Ctor> = {
  'v1/Service': k8s.core.v1.Service,
  'v1/ServiceAccount': k8s.core.v1.ServiceAccount,
  'apps/v1/Deployment': k8s.apps.v1.Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': k8s.autoscaling.v2.HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': k8s.policy.v1.PodDisruptionBudget,
  'rbac.authorization.k8s.io/v1/Role': k8s.rbac.v1.Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': k8s.rbac.v1.RoleBinding,
};

/** What the mock engine received for one RegisterResource request (captured on request only). */
export interface Registered {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  parent: string;
  provider: string;
  protect: boolean;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  inputs: unknown;
}

let inputsByKey = new Map<string, any>();
let requests: Registered[] = [];
/** The RegisterResourceOutputs requests of the last capturing run: URN and outputs (captured on request only). */
let outputRequests: { urn: string; outputs: unknown }[] = [];
/**
 * Stack frames with a source position Pulumi sent with each request of the last capturing run, by
 * URN (kept apart from Registered, which pulumi-ab.js compares with trees that do not capture it).
 */
let framesByUrn = new Map<string, number>();
/** The components of the last run of ours (type token and name), and which one owns each resource. */
let lastComponents: { type: string; name: string }[] = [];
let lastObjects: any[] = [];
let lastOwners: number[] = [];
/** For each resource of the last run of ours, the resources (by index) it was registered to depend on. */
let lastDeps: number[][] = [];

function installMocks(capture = false): void {
  inputsByKey = new Map();
  requests = [];
  outputRequests = [];
  framesByUrn = new Map();
  pulumi.runtime.setMocks({
    newResource(a) {
      inputsByKey.set(`${a.type}\u0000${a.name}`, a.inputs);
      return { id: `${a.name}-id`, state: a.inputs };
    },
    call(a) { return a.inputs; },
  }, 'bench', 'bench', false);
  if (!capture) return;
  // Every request as the engine sees it: only when asked, never in a timed run.
  const monitor = pulumi.runtime.getMonitor() as any;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: (err: unknown, resp: any) => void) => register(req, (err: unknown, resp: any) => {
    if (!err) {
      const propertyDependencies: Record<string, string[]> = {};
      for (const [k, v] of req.getPropertydependenciesMap().entries()) propertyDependencies[k] = [...v.getUrnsList()].sort();
      requests.push({
        urn: resp.getUrn(), type: req.getType(), name: req.getName(), custom: req.getCustom(), parent: req.getParent(),
        provider: req.getProvider(), protect: req.getProtect(), dependencies: [...req.getDependenciesList()].sort(),
        propertyDependencies, inputs: req.getObject()?.toJavaScript(),
      });
      // Frames with a position (Node's own frames, which depend on what resumed the harness, carry none).
      framesByUrn.set(resp.getUrn(), (req.getStacktrace()?.getFramesList() ?? []).filter((f: any) => f.hasPc()).length);
    }
    callback(err, resp);
  });
  const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req: any, callback: (err: unknown, resp: any) => void) => registerOutputs(req, (err: unknown, resp: any) => {
    if (!err) outputRequests.push({ urn: req.getUrn(), outputs: req.getOutputs()?.toJavaScript() });
    callback(err, resp);
  });
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
export async function registerOurs(teams: number, capture = false): Promise<PulumiRun> {
  installMocks(capture);
  const components = buildPulumiPlatform(igc, teams);
  const platform = igc.PulumiPlatform.current();
  const resources = platform.resources();
  await settle([...components, ...resources]);
  const index = new Map<unknown, number>(components.map((c, i) => [c, i]));
  const at = new Map<unknown, number>(resources.map((r, i) => [r, i]));
  lastComponents = components.map((c: any) => ({ type: c.__pulumiType, name: c.__name }));
  lastOwners = resources.map((r) => index.get(platform.optionsOf(r)?.parent) ?? -1);
  lastObjects = resources.map((r: any) => inputsByKey.get(`${r.__pulumiType}\u0000${r.__name}`));
  lastDeps = [];
  for (const r of resources) {
    const d = platform.optionsOf(r)?.dependsOn;
    const list = (d === undefined ? [] : Array.isArray(d) ? d : [d]) as unknown[];
    lastDeps.push(await Promise.all(list.map(async (x) => {
      const i = at.get(await x);
      if (i === undefined) throw new Error('a dependsOn entry of the benchmark platform is not one of its resources');
      return i;
    })));
  }
  return { components: components.length, resources: resources.length };
}

/** The Kubernetes objects the last run of ours registered, in registration order, with their inputs as the engine saw them. */
export function lastRegisteredObjects(): any[] {
  return lastObjects;
}

/** What the floors replay from the last run of ours (for a floor in another process: `usePlan`). */
export function lastPlan(): { objects: any[]; owners: number[]; deps: number[][]; components: { type: string; name: string }[] } {
  return { objects: lastObjects, owners: lastOwners, deps: lastDeps, components: lastComponents };
}

/** Sets what the floors replay, as `lastPlan()` gave it in another process. */
export function usePlan(plan: ReturnType<typeof lastPlan>): void {
  ({ objects: lastObjects, owners: lastOwners, deps: lastDeps, components: lastComponents } = plan);
}

/** Every RegisterResourceOutputs request of the last capturing run, by URN (the order they were made in is not compared). */
export function lastOutputRegistrations(): { urn: string; outputs: unknown }[] {
  return [...outputRequests].sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
}

/** Every RegisterResource request of the last capturing run, by URN. */
export function lastRegistrations(): Registered[] {
  return [...requests].sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
}

function dependsOn(i: number, resources: readonly pulumi.CustomResource[]): pulumi.CustomResource[] | undefined {
  const d = lastDeps[i];
  return d && d.length > 0 ? d.map((j) => resources[j]) : undefined;
}

/** The floor: the same objects registered directly, as a hand-written program would (with the same dependsOn). */
export async function registerDirectly(objects: readonly any[], capture = false): Promise<PulumiRun> {
  installMocks(capture);
  const resources = declareDirectly(objects);
  await settle(resources);
  return { components: 0, resources: resources.length };
}

/**
 * The direct floor's program, one call below the harness as ours' (`buildPulumiPlatform`, called by
 * registerOurs) is: Pulumi captures, parses and sends every frame of the stack with each
 * registration (about 2% of registering per frame), so the programs of both sides sit at the same
 * depth, and ours' children are one frame deeper only by their component's constructor
 * (checkFloors verifies the frame counts).
 */
function declareDirectly(objects: readonly any[]): pulumi.CustomResource[] {
  const resources: pulumi.CustomResource[] = [];
  for (let i = 0; i < objects.length; i++) {
    const o = objects[i];
    const name = `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const Typed = TYPED[`${o.apiVersion}/${o.kind}`];
    const deps = dependsOn(i, resources);
    const opts = deps ? { dependsOn: deps } : {};
    resources.push(Typed ? new Typed(name, o, opts) : new k8s.apiextensions.CustomResource(name, o, opts));
  }
  return resources;
}

/**
 * The same objects registered directly, but each under a bare component of the same type and name
 * as ours (and with the same dependsOn): what the component structure alone costs Pulumi, whoever
 * builds the objects.
 */
export async function registerUnderComponents(objects: readonly any[], capture = false): Promise<PulumiRun> {
  installMocks(capture);
  const [components, resources] = declareUnderComponents(objects);
  await settle([...components, ...resources]);
  return { components: components.length, resources: resources.length };
}

/** The bare floor's program, at the same depth as ours' and the direct floor's (see declareDirectly). */
function declareUnderComponents(objects: readonly any[]): [BareComponent[], pulumi.CustomResource[]] {
  const components: BareComponent[] = [];
  for (const c of lastComponents) components.push(new BareComponent(c.type, c.name));
  const resources: pulumi.CustomResource[] = [];
  for (let i = 0; i < objects.length; i++) {
    const o = objects[i];
    const name = `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const Typed = TYPED[`${o.apiVersion}/${o.kind}`];
    const opts: pulumi.CustomResourceOptions = lastOwners[i] >= 0 ? { parent: components[lastOwners[i]] } : {};
    const deps = dependsOn(i, resources);
    if (deps) opts.dependsOn = deps;
    resources.push(Typed ? new Typed(name, o, opts) : new k8s.apiextensions.CustomResource(name, o, opts));
  }
  for (const c of components) c.done();
  return [components, resources];
}

class BareComponent extends pulumi.ComponentResource {
  constructor(type: string, name: string) {
    super(type, name, {}, {});
  }

  done(): void {
    this.registerOutputs({});
  }
}

/**
 * Checks, at the engine's end, that the floors register what ours registers minus the components:
 * per Kubernetes object (in ours' order) the same type and inputs, dependencies on the same
 * objects, no provider or protect of their own; the bare floor also under a component of the same
 * type and name. And that the three programs run at the same depth: Pulumi sends the same number
 * of stack frames with each object for both floors, one more for ours (its component's
 * constructor), and the same number with each component for ours and the bare floor.
 * Returns the differences found (none: []).
 */
export async function checkFloors(teams: number): Promise<string[]> {
  const problems: string[] = [];
  // Each side from a fresh microtask, so the stack below the harness is the same for all three.
  await Promise.resolve();
  await registerOurs(teams, true);
  const ours = [...requests];
  const oursFrames = framesByUrn;
  const objects = lastRegisteredObjects();
  await registerDirectly(objects, true);
  const direct = [...requests];
  const directFrames = framesByUrn;
  await registerUnderComponents(objects, true);
  const bare = [...requests];
  const bareFrames = framesByUrn;
  // Frames sent per registration, by object identity or component type and name.
  const depth = (reqs: Registered[], frames: Map<string, number>) => new Map(reqs.map((r) => [
    r.custom ? `${(r.inputs as any).apiVersion}/${(r.inputs as any).kind} ${(r.inputs as any).metadata?.namespace ?? ''}/${(r.inputs as any).metadata?.name}` : `${r.type} ${r.name}`,
    { custom: r.custom, frames: frames.get(r.urn) ?? -1 },
  ]));
  const od = depth(ours, oursFrames); const dd = depth(direct, directFrames); const bd = depth(bare, bareFrames);
  for (const [key, o] of od) {
    const want = o.custom ? o.frames - 1 : o.frames;
    if (bd.get(key)?.frames !== want) problems.push(`bare sends ${bd.get(key)?.frames} stack frames with ${key}, ours ${o.frames}: expected ${want}`);
    if (o.custom && dd.get(key)?.frames !== want) problems.push(`direct sends ${dd.get(key)?.frames} stack frames with ${key}, ours ${o.frames}: expected ${want}`);
    if (problems.length > 5) return problems;
  }
  const shape = (reqs: Registered[], side: string) => {
    const custom = reqs.filter((r) => r.custom);
    const byUrn = new Map(reqs.map((r) => [r.urn, r]));
    // Order of ours' resources: by inputs' identity (apiVersion, kind, namespace, name).
    const idOf = (o: any) => `${o.apiVersion}/${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
    const pos = new Map(objects.map((o, i) => [idOf(o), i]));
    const rows: string[] = [];
    for (const r of custom) {
      const i = pos.get(idOf(r.inputs));
      if (i === undefined) { problems.push(`${side}: registered ${idOf(r.inputs)}, which ours did not`); continue; }
      const deps = r.dependencies.map((u) => { const d = byUrn.get(u); return d && d.custom ? pos.get(idOf(d.inputs)) : `component ${u}`; });
      const parent = byUrn.get(r.parent);
      rows[i] = JSON.stringify({
        type: r.type, inputs: r.inputs, deps: deps.sort(), provider: r.provider, protect: r.protect,
        propertyDependencies: Object.keys(r.propertyDependencies).filter((k) => r.propertyDependencies[k].length > 0),
        parent: side === 'direct' ? undefined : parent ? `${parent.type} ${parent.name}` : '',
      });
    }
    return rows;
  };
  const o = shape(ours, 'ours'); const d = shape(direct, 'direct'); const b = shape(bare, 'bare');
  if (o.length !== objects.length) problems.push(`ours: ${o.length} objects, expected ${objects.length}`);
  for (let i = 0; i < objects.length; i++) {
    const oi = o[i] === undefined ? undefined : { ...JSON.parse(o[i]), parent: undefined };
    if (JSON.stringify(oi) !== (d[i] === undefined ? undefined : JSON.stringify({ ...JSON.parse(d[i]), parent: undefined }))) problems.push(`direct differs at object ${i}: ${d[i]} vs ours ${o[i]}`);
    if (o[i] !== b[i]) problems.push(`bare differs at object ${i}: ${b[i]} vs ours ${o[i]}`);
    if (problems.length > 5) break;
  }
  return problems;
}

/** How a shape probe registers (see registerShaped). */
export interface ShapeOptions {
  /** `each`: a component's registerOutputs({}) right after its children; `pulumi`: none, Pulumi's own call after the synchronous part. */
  readonly outputs: 'each' | 'pulumi';
  /** Each team's cdk8s constructs built before its components, and at setImmediate the App checked and each object rendered to a string, as ours' seal does. */
  readonly cdk8s: boolean;
}

/**
 * A probe, not a floor (bench/pulumi-shape.js): where ours' excess over the bare floor comes from.
 * The bare floor's components and objects (same types, names, inputs, parents and dependsOn)
 * registered in ours' order, component by component, each followed by its children (the bare
 * floor registers every component first, then every object), optionally with the work of ours'
 * cdk8s constructs in between but without the bridge.
 */
export async function registerShaped(objects: readonly any[], teams: number, options: ShapeOptions): Promise<PulumiRun> {
  installMocks();
  const children: number[][] = lastComponents.map(() => []);
  for (let i = 0; i < objects.length; i++) if (lastOwners[i] >= 0) children[lastOwners[i]].push(i);
  const components: BareComponent[] = [];
  const resources: pulumi.CustomResource[] = [];
  const declare = (c: number) => {
    const component = new BareComponent(lastComponents[c].type, lastComponents[c].name);
    components.push(component);
    for (const i of children[c]) {
      const o = objects[i];
      const name = `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
      const Typed = TYPED[`${o.apiVersion}/${o.kind}`];
      const opts: pulumi.CustomResourceOptions = { parent: component };
      const deps = dependsOn(i, resources);
      if (deps) opts.dependsOn = deps;
      resources[i] = Typed ? new Typed(name, o, opts) : new k8s.apiextensions.CustomResource(name, o, opts);
    }
    if (options.outputs === 'each') component.done();
  };
  let app: App | undefined;
  let shared: Chart | undefined;
  if (options.cdk8s) {
    app = new App({ outdir: require('os').tmpdir() });
    lib.configureSynthAnalysis(app, { warn: () => undefined });
    shared = new Chart(app, 'pulumi');
    new lib.StrictMtls(new Construct(shared, 'StrictMtls'), 'mesh-wide');
  }
  let c = 0;
  while (c < lastComponents.length && !lastComponents[c].name.startsWith('team-')) declare(c++);
  for (let t = 0; t < teams; t++) {
    const spec = teamSpec(t);
    if (shared) {
      const scope = new Construct(shared, spec.ns);
      const gateway = new lib.TenantGateway(scope, 'edge', spec.gateway);
      for (const h of spec.tls) new lib.TlsHost(scope, h.id, { gateway, hosts: h.hosts, credentialName: h.credentialName });
      new lib.TlsHost(scope, spec.passthrough.id, { gateway, hosts: spec.passthrough.hosts, mode: spec.passthrough.mode, destination: spec.passthrough.destination });
      new lib.TcpGateway(scope, spec.tcp.id, { gateway, port: spec.tcp.port, destination: spec.tcp.destination });
      for (const k of spec.canaries) new lib.CanaryRoute(scope, k.id, { gateways: [gateway], name: k.name, hosts: k.hosts, destination: k.destination, stable: k.stable, canary: k.canary });
      new lib.AccessLogPolicy(scope, spec.accessLog.id, { gateway, filter: spec.accessLog.filter });
    }
    while (c < lastComponents.length && lastComponents[c].name.startsWith(`${spec.ns}-`)) declare(c++);
  }
  while (c < lastComponents.length) declare(c++);
  if (app) {
    const checked = app;
    setImmediate(() => AppState.of(checked).synthesis(() => {
      SynthCheck.of(checked).run();
      for (const o of checked.node.findAll()) if (o instanceof ApiObject) JSON.stringify(o.toJson());
    }));
  }
  await settle([...components, ...resources]);
  return { components: components.length, resources: resources.length };
}
