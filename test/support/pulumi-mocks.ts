// Pulumi unit-test harness: installs mocks that record every registered resource, and waits for
// the platform bridge to seal (resolve the content of) what was declared.
import * as pulumi from '@pulumi/pulumi';

export interface Registered {
  type: string;
  name: string;
  inputs: any;
  provider?: string;
  urn?: string;
}

export const registered: Registered[] = [];

export function installMocks(): void {
  pulumi.runtime.setMocks({
    newResource(args: pulumi.runtime.MockResourceArgs) {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider });
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call(args: pulumi.runtime.MockCallArgs) {
      return args.inputs;
    },
  }, 'project', 'stack', false);
}

/** The value of an Output (mocks resolve everything known). */
export function valueOf<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply((v) => { resolve(v); return v; }));
}

/** Waits until the resources are registered with resolved inputs. */
export async function settle(resources: pulumi.Resource[]): Promise<void> {
  await Promise.all(resources.map((r) => valueOf(r.urn)));
  // Content resolves at the bridge's seal (setImmediate); give registration RPCs a few turns.
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

/** Resources that are Kubernetes objects (not our components, not the stack). */
export function kubeResources(): Registered[] {
  return registered.filter((r) => r.type.startsWith('kubernetes:'));
}

/** `apiVersion kind namespace/name`: one Kubernetes object's identity. */
export function objectKey(o: any): string {
  return `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

/** Fails unless `actual` holds exactly the objects of `expected` with equal content; returns `actual` by identity. */
export function expectSameObjects(actual: any[], expected: any[]): Map<string, any> {
  expect(actual.map(objectKey).sort()).toEqual(expected.map(objectKey).sort());
  const byKey = new Map(actual.map((o) => [objectKey(o), o]));
  for (const o of expected) expect(byKey.get(objectKey(o))).toEqual(o);
  return byKey;
}
