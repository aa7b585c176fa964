// An ApiObject whose content comes from a pure renderer, resolved lazily at synthesis so that
// methods called after construction (addHttpHosts, a later TlsHost) still reach it. The same
// renderer feeds the synth-time analysis without a second cdk8s resolve pass.
import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { KubeObject } from '../render/objects';

const RENDERED = Symbol.for('istio-gateway-constructs.RenderedObject');

export class RenderedObject extends ApiObject {
  /** True for objects made by this library's constructs. */
  static isRendered(x: unknown): x is RenderedObject {
    return typeof x === 'object' && x !== null && RENDERED in x;
  }

  /**
   * @param render returns the whole object; apiVersion, kind and metadata are read once now
   *   (they are identity and must not change), the other top-level fields at synthesis.
   */
  constructor(scope: Construct, id: string, private readonly render: () => KubeObject) {
    const first = render();
    const props: Record<string, unknown> = { apiVersion: first.apiVersion, kind: first.kind, metadata: first.metadata };
    for (const key of Object.keys(first)) {
      if (key === 'apiVersion' || key === 'kind' || key === 'metadata') continue;
      props[key] = Lazy.any({ produce: () => this.render()[key] });
    }
    super(scope, id, props as any);
    Object.defineProperty(this, RENDERED, { value: true });
  }

  /** The plain object as the renderer gives it now (not key-sorted, no JSON patches). */
  renderPlain(): KubeObject {
    return this.render();
  }
}

/**
 * Orders `obj` after `dep` in the synthesized output (and in Pulumi's dependsOn), when both are in
 * one chart. Across charts we leave order to the user: a chart dependency renames output files.
 */
export function orderAfter(obj: ApiObject, ...deps: (ApiObject | undefined)[]): void {
  for (const dep of deps) {
    if (dep && dep.chart === obj.chart) obj.addDependency(dep);
  }
}
