// `istio-gateway validate`, run in-process through main() with injected I/O.
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../src/cli/main';
import type { CliIO } from '../src/cli/load';
import { ISTIO_CRDS_PATH } from './support/validate-helper';

const FIX = path.join(__dirname, 'fixtures', 'validation');
const f = (name: string): string => path.join(FIX, name);

async function run(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), readStdin: async () => stdin };
  const code = await main(args, io);
  return { code, out, err };
}

describe('istio-gateway validate', () => {
  test('without --crds: the bundled Istio 1.30.3 and Gateway API schemas', async () => {
    const ok = await run(['validate', '-R', f('istio-valid.yaml'), f('valid-dir')]);
    expect(ok.out).toMatch(/^\u2714 40 object\(s\) valid in .*istio-valid\.yaml, .*valid-dir\.\n$/);
    expect(ok.code).toBe(0);
    const bad = await run(['validate', f('invalid-gateway.yaml'), '-o', 'json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out)).toMatchObject({
      valid: false, crds: ['bundled:istio-1.30.3.json', 'bundled:gateway-api-v1.5.1-standard.json'],
      errors: [{ path: 'spec.servers[0].port.prot', message: 'unknown field "prot"' }, {}, {}],
    });
  });

  test('exit 0 when every object is valid (files and folders; sub-folders with -R)', async () => {
    const r = await run(['validate', '-R', f('istio-valid.yaml'), f('valid-dir'), '--crds', ISTIO_CRDS_PATH]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^\u2714 40 object\(s\) valid in .*istio-valid\.yaml, .*valid-dir\.\n$/);
    // Without -R a folder is read as kubectl apply -f reads it: valid-dir/nested/ is left out.
    const flat = await run(['validate', f('istio-valid.yaml'), f('valid-dir'), '--crds', ISTIO_CRDS_PATH]);
    expect(flat.out).toMatch(/^\u2714 28 object\(s\) valid in /);
  });

  test('exit 1 when an object is invalid; the issue names file, line, object and path', async () => {
    const r = await run(['validate', f('invalid-gateway.yaml'), f('core-valid.yaml'), '--crds', ISTIO_CRDS_PATH]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${f('invalid-gateway.yaml')}:1: Gateway istio-ingress/typo: spec.servers[0].port.prot: unknown field "prot"\n`);
    expect(r.out).toContain(`${f('invalid-gateway.yaml')}:1: Gateway istio-ingress/typo: spec.servers[0].port.protocol: Required value\n`);
    expect(r.out).toContain(`${f('invalid-gateway.yaml')}:1: Gateway istio-ingress/typo: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation\n`);
    expect(r.out).toMatch(/\u2718 1 of 13 object\(s\) invalid \(3 error\(s\)\)/);
  });

  test('-o json', async () => {
    const r = await run(['validate', f('invalid-gateway.yaml'), '-o', 'json', '--crds', ISTIO_CRDS_PATH]);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    expect(json).toMatchObject({ valid: false, checked: 1, invalid: 1, crds: [ISTIO_CRDS_PATH], skipped: [] });
    expect(json.errors[0]).toEqual({ location: `${f('invalid-gateway.yaml')}:1`, origin: 'Gateway istio-ingress/typo', path: 'spec.servers[0].port.prot', message: 'unknown field "prot"' });
  });

  test('stdin, and --crds given several times', async () => {
    const crd = fs.readFileSync(f('widget-crd.yaml'), 'utf8');
    const widget = 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: small, maxReplicas: 2}\n';
    const r = await run(['validate', '-', '--crds', ISTIO_CRDS_PATH, '--crds', f('widget-crd.yaml')], `${widget}---\n${fs.readFileSync(f('invalid-gateway.yaml'), 'utf8')}`);
    expect(r.code).toBe(1);
    expect(r.out).toContain('<stdin>:6: Gateway istio-ingress/typo: spec.servers[0].port.prot');
    // The Widget is valid, but two of its rules were not evaluated: listed, not failed.
    expect(r.out).toMatch(/2 CEL rule evaluation\(s\) skipped \(neither passed nor failed\):\n {2}<stdin>:1: Widget w: spec: self\.size == oldSelf\.size \(transition rule \(uses oldSelf\)\)\n {2}<stdin>:1: Widget w: spec: !has\(self\.ip\) \|\| isCIDR\(self\.ip\) \(uses CEL function/);
    expect(crd).toContain('isCIDR');
  });

  test('an object with no schema is an error (exit 1)', async () => {
    const r = await run(['validate', '-'], 'apiVersion: networking.istio.io/v1alpha9\nkind: Foo\nmetadata: {name: f}\n');
    expect(r.code).toBe(1);
    expect(r.out).toContain('<stdin>:1: Foo f: no schema for networking.istio.io/v1alpha9 Foo; known versions: none');
  });

  test('exit 2 for broken YAML, naming the file and line, without a stack trace', async () => {
    const r = await run(['validate', f('broken.yaml'), '--crds', ISTIO_CRDS_PATH]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(new RegExp(`^istio-gateway: error: ${f('broken.yaml').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+: invalid YAML: `));
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  test('exit 2 for unreadable inputs and bad --crds', async () => {
    const missing = await run(['validate', f('nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain(`${f('nope.yaml')}: cannot read: no such file or directory`);
    const noCrd = await run(['validate', f('core-valid.yaml'), '--crds', f('core-valid.yaml')]);
    expect(noCrd.code).toBe(2);
    expect(noCrd.err).toContain(`${f('core-valid.yaml')}: --crds: no CustomResourceDefinition found`);
    const brokenCrd = await run(['validate', f('core-valid.yaml'), '--crds', f('broken.yaml')]);
    expect(brokenCrd.code).toBe(2);
    expect(brokenCrd.err).toMatch(/broken\.yaml:\d+: --crds: invalid YAML/);
  });

  test('exit 2 for usage errors', async () => {
    expect((await run(['validate'])).code).toBe(2);
    const badFormat = await run(['validate', f('core-valid.yaml'), '-o', 'xml']);
    expect(badFormat.code).toBe(2);
    expect(badFormat.err).toMatch(/argument 'xml' is invalid/);
    expect((await run(['validate', f('core-valid.yaml'), '--frobnicate'])).code).toBe(2);
  });

  test('--help exits 0 and documents the exit codes', async () => {
    const r = await run(['validate', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Exit codes: 0 all objects valid, 1 some object invalid, 2 usage error, unreadable input or no object at all.');
  });
});
