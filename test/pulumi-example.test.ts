// examples/pulumi declares the same platform as the cdk8s examples: under Pulumi's mocks it must
// register exactly the objects `cdk8s synth` writes to dist/ (the IstioOperator excepted: it is
// for istioctl and is exported as YAML instead).
import * as pulumi from '@pulumi/pulumi';
import { Testing } from 'cdk8s';
import { installMocks, kubeResources, registered, settle, valueOf } from './support/pulumi-mocks';
import { buildControlPlane, buildExamplePlatform } from '../examples/platform';
import { PulumiPlatform } from '../src/pulumi';

installMocks();

function key(o: any) {
  return `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

describe('examples/pulumi', () => {
  let program: any;
  beforeAll(async () => {
    program = require('../examples/pulumi/index');
    await settle(PulumiPlatform.current().resources());
  });

  test('registers exactly the objects of the cdk8s example platform, with equal content', () => {
    const app = Testing.app();
    buildExamplePlatform(app);
    const expected = app.charts.flatMap((c) => c.toJson());
    const actual = kubeResources().map((r) => r.inputs);
    expect(actual.map(key).sort()).toEqual(expected.map(key).sort());
    const byKey = new Map(actual.map((o) => [key(o), o]));
    for (const o of expected) expect(byKey.get(key(o))).toEqual(o);
  });

  test('Pulumi names are unique and carry no random parts', () => {
    const names = registered.map((r) => `${r.type}::${r.name}`);
    expect(new Set(names).size).toBe(names.length);
    // <component>/<namespace>/<name>, or <component>/<name> for a cluster-scoped object (a Namespace)
    for (const r of kubeResources()) expect(r.name).toMatch(r.inputs.kind === 'Namespace' ? /^namespaces\/[a-z0-9-]+$/ : /^[a-z0-9-]+\/[a-z0-9-]+\/[a-z0-9-]+$/);
  });

  test('exports the gateway addresses as Outputs and the control plane as istioctl YAML', async () => {
    expect(pulumi.Output.isInstance(program.tcpGatewayAddress)).toBe(true);
    expect(pulumi.Output.isInstance(program.webGatewayAddress)).toBe(true);
    const app = Testing.app();
    buildControlPlane(app);
    expect(program.istioOperator).toBe(app.synthYaml());
    expect(await valueOf(pulumi.output(program.istioOperator))).toContain('PILOT_FILTER_GATEWAY_CLUSTER_CONFIG');
  });
});
