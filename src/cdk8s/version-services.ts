// How a canary's versions are selected, shared by CanaryRoute and TcpCanaryRoute: with api
// 'istio' a DestinationRule with both subsets; Gateway API has no subsets, so there the stable and
// canary versions become one Service each, `<service>-<subset>`, selecting the destination
// Service's pods that carry the subset's labels.
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { IstioGatewayErrorDetails } from '../errors';
import { CanaryVersionsModel, destinationRuleSubsets, VersionSelectionModel } from '../model/routes';
import { destinationRuleIdentity, renderDestinationRule } from '../render/routes';
import { renderSubsetService, subsetServiceIdentity } from '../render/gateway-api/listeners';
import { RenderedObject } from './rendered-object';
import { appServices } from './backend-ports';
import { AppState } from './app-state';

export interface VersionServicesOptions {
  /** The destination Service host (short or `name.ns.svc.cluster.local`) and port. */
  readonly host: string;
  readonly port: number | undefined;
  /** Where the version Services live: the destination's namespace. */
  readonly namespace: string;
  readonly subsets: readonly { readonly subset: string; readonly labels: Record<string, string> }[];
  /** The destination's selector as given in props. */
  readonly selector?: Record<string, string>;
  readonly labels: Record<string, string>;
}

/** Finds the destination's selector (props, else a Service of that name in the App) and target port. */
export class VersionServices {
  public readonly objects: RenderedObject[];
  private readonly serviceName: string;

  constructor(private readonly scope: Construct, private readonly o: VersionServicesOptions) {
    this.serviceName = o.host.split('.')[0];
    const port = o.port ?? 80;
    // Declared by their identity: the name, namespace and fields do not depend on the destination
    // Service, which is looked up when they are rendered (the App is still being built now).
    // Pushed, not mapped: Array.prototype.map's result is a holey array until the caller is
    // optimized and a packed one after, and the canary constructs reading `objects` were optimized
    // for the first kind, then thrown away and optimized again for the second.
    this.objects = [];
    for (let i = 0; i < o.subsets.length; i++) this.objects.push(this.versionService(i === 0 ? 'StableService' : 'CanaryService', o.subsets[i], port));
  }

  private versionService(id: string, sub: VersionServicesOptions['subsets'][number], port: number): RenderedObject {
    const o = this.o;
    return new RenderedObject(this.scope, id, () => {
      const found = this.destinationService();
      return renderSubsetService(this.nameOf(sub.subset), o.namespace, { ...found?.selector, ...sub.labels },
        [{ name: 'http', port, targetPort: found?.targetPort ?? port }], o.labels);
    }, () => subsetServiceIdentity(this.nameOf(sub.subset), o.namespace, o.labels));
  }

  /** `<service>-<subset>`. */
  nameOf(subset: string): string { return `${this.serviceName}-${subset}`; }

  /** The destination's selector and target port, looked up once per synthesis (both versions and the check read it). */
  private destinationService(): { selector: Record<string, string>; targetPort?: number | string } | undefined {
    return AppState.of(this.scope).memo(this, () => this.findDestinationService());
  }

  private findDestinationService(): { selector: Record<string, string>; targetPort?: number | string } | undefined {
    // The first Service of that name and namespace in the tree, other than this canary's own objects.
    const ns = this.o.namespace;
    const found = appServices(this.scope).get(`${ns}/${this.serviceName}`)?.find((c) => c.metadata.name === this.serviceName
      && (c.metadata.namespace ?? Chart.of(c).namespace ?? 'default') === ns && !c.node.scopes.includes(this.scope));
    const spec = found ? (found.toJson().spec ?? {}) as { selector?: Record<string, string>; ports?: { port: number; targetPort?: number | string }[] } : undefined;
    const targetPort = spec?.ports?.find((p) => p.port === this.o.port)?.targetPort;
    if (this.o.selector) return { selector: this.o.selector, targetPort };
    return spec?.selector ? { selector: spec.selector, targetPort } : undefined;
  }

  /** A version Service needs the destination's selector: a problem when it is unknown. */
  problems(construct: string): IstioGatewayErrorDetails[] {
    if (this.destinationService()) return [];
    return [{ construct, prop: 'destinationSelector', value: undefined,
      expected: `with api 'gateway-api' each version is a Service selecting the pods of ${this.o.host} with its subset labels, and the selector of ${this.o.namespace}/${this.serviceName} is unknown: declare that Service in this App, or pass its selector as destinationSelector` }];
  }
}

/** What a canary's versions are selected with. */
export interface CanaryVersionObjectsOptions {
  /** Names the DestinationRule. */
  readonly name: string;
  /** Where the DestinationRule (or the version Services) live: the destination's namespace. */
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** The destination Service host and port. */
  readonly host: string;
  readonly port: number | undefined;
  readonly versions: CanaryVersionsModel;
  readonly selection: VersionSelectionModel;
}

/**
 * The objects selecting a canary's versions, created before its route (so they come first in the
 * YAML): the DestinationRule (api 'istio') or the version Services (api 'gateway-api').
 */
export function canaryVersionObjects(scope: Construct, o: CanaryVersionObjectsOptions): { destinationRule?: RenderedObject; versions?: VersionServices } {
  if (o.selection.api === 'gateway-api') {
    const subsets = [o.versions.stable, o.versions.canary];
    return { versions: new VersionServices(scope, { host: o.host, port: o.port, namespace: o.namespace, subsets, selector: o.selection.destinationSelector, labels: o.labels }) };
  }
  const dr = { name: o.name, namespace: o.namespace, labels: o.labels, host: o.host, subsets: destinationRuleSubsets(o.versions), trafficPolicy: o.selection.trafficPolicy };
  return { destinationRule: new RenderedObject(scope, 'DestinationRule', () => renderDestinationRule(dr), () => destinationRuleIdentity(dr)) };
}
