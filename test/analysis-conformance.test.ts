import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatConformance, runConformance } from '../src/cli/conformance';

// Istio 1.30.3's own test grid for the implemented analyzers (a superset of ../shared/conformance/istio-analyze,
// whose files and expectations it contains unchanged), and this project's cases in Istio's format.
const GRID = path.resolve(__dirname, 'fixtures/analysis/conformance/istio-1.30');
const OWN = path.resolve(__dirname, 'fixtures/analysis/conformance');

describe('conformance with istioctl analyze', () => {
  test('every case of Istio 1.30.3\'s grid passes (test/fixtures/analysis/conformance/istio-1.30)', () => {
    const report = runConformance(GRID);
    expect(formatConformance(report)).toBe(`${report.results.length} passed, 0 failed\n`);
    expect(report.results.length).toBe(71);
  });

  test('every case of test/fixtures/analysis/conformance passes', () => {
    const report = runConformance(OWN);
    expect(formatConformance(report)).toBe(`${report.results.length} passed, 0 failed\n`);
    expect(report.results.length).toBeGreaterThanOrEqual(25);
  });

  test('a failing case is reported with what is missing and what is extra', () => {
    const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'conformance-'));
    fs.mkdirSync(path.join(dir, 'testdata'));
    fs.writeFileSync(path.join(dir, 'testdata', 'gw.yaml'),
      'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: gw}\nspec: {selector: {app: none}}\n');
    fs.writeFileSync(path.join(dir, 'cases.json'), JSON.stringify({
      cases: [
        { name: 'wrong', analyzer: 'gateway.IngressGatewayPortAnalyzer', inputFiles: ['testdata/gw.yaml'], expected: [{ code: 'IST0162', origin: 'Gateway gw' }] },
        { name: 'right', analyzer: 'gateway.IngressGatewayPortAnalyzer', inputFiles: ['testdata/gw.yaml'], expected: [{ code: 'IST0101', origin: 'Gateway gw' }] },
        { name: 'unknown', analyzer: 'webhook.Analyzer', inputFiles: ['testdata/gw.yaml'], expected: [] },
      ],
    }));
    const report = runConformance(dir);
    expect(formatConformance(report)).toBe([
      'FAIL wrong (gateway.IngressGatewayPortAnalyzer): missing [IST0162 Gateway gw], extra [IST0101 Gateway gw]',
      'FAIL unknown (webhook.Analyzer): error: analyzer webhook.Analyzer is not implemented',
      '1 passed, 2 failed',
      '',
    ].join('\n'));
  });
});
