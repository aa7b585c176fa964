// A platform the synth-time analysis refuses fails the Pulumi program with the library's own error.
// Run in a child process: the refused registrations reject asynchronously, as in `pulumi up`.
import { spawnSync } from 'child_process';
import * as path from 'path';

test('a platform the analyzer refuses fails with IstioGatewayError naming the route and the fix', () => {
  const program = path.join(__dirname, 'fixtures/pulumi/refused-program.ts');
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', program], {
    cwd: path.join(__dirname, '..'), encoding: 'utf8', timeout: 60000,
  });
  expect(r.stdout).toMatch(/REFUSED IstioGatewayError: Synthesis refused by the Istio analyzer/);
  expect(r.stdout).toMatch(/IST0101.*VirtualService shop\/shop.*pulumi\/HttpRoute\/shop.*"edge:8080"/);
  expect(r.status).not.toBe(0);
});
