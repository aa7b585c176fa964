// What analyze() does per finding (templates, clipping, de-duplication, order, paths), held to the
// behaviour it had before these steps were made cheaper for dumps with 100,000 findings.
import fc from 'fast-check';
import { analyze, ANALYZER_NAMES, renderTemplate } from '../src/analysis';
import { originOfRes, ResourceIndex } from '../src/analysis/resource-index';
import { gateway, Obj, pod, route, server, service, virtualService } from './fixtures/analysis/builders';

/** The template filled in by the regular expression the renderer used before it cut templates once. */
function byRegex(template: string, args: readonly unknown[]): string {
  const goValue = (v: unknown): string => (Array.isArray(v) ? `[${v.map(goValue).join(' ')}]` : String(v));
  let i = 0;
  return template.replace(/%([sqvd%])/g, (_all, verb: string) => {
    if (verb === '%') return '%';
    const arg = args[i++];
    if (verb === 'q') return JSON.stringify(String(arg));
    if (verb === 'd') return String(typeof arg === 'number' ? Math.trunc(arg) : arg);
    return goValue(arg);
  });
}

describe('renderTemplate', () => {
  test.each([
    ['no verb at all', []],
    ['%s', ['only']],
    ['%%%s%%', ['x']],
    ['%s%v%q%d', ['a', ['b', 'c'], 'd"e', 4.7]],
    ['100%% of %s and %x stays', ['y']],
    ['%s and %s with one argument', ['one']],
    ['', []],
  ])('%j fills as the regular expression did', (template, args) => {
    expect(renderTemplate(template, args)).toBe(byRegex(template, args));
    // The second use reads the cut template from the cache.
    expect(renderTemplate(template, args)).toBe(byRegex(template, args));
  });
});

describe('clipping of long tokens in messages', () => {
  // IST0162 quotes the gateway's selector unquoted: "(Pod selector istio=VALUE). If ...".
  const portMissing = (value: string) => analyze([
    pod('gw-pod', 'apps', { istio: value }),
    service('gw-svc', 'apps', { istio: value }, [{ port: 8080 }]),
    gateway('gw', 'apps', { istio: value }, [server(80, ['a.example.com'])]),
  ], { analyzers: ['gateway.IngressGatewayPortAnalyzer'] });

  test('a token of 97 characters or more is clipped to 64 and its length', () => {
    const [d] = portMissing('v'.repeat(89)); // "istio=" + 89 + ")." = 97
    expect(d.code).toBe('IST0162');
    expect(d.message).toContain(`(Pod selector istio=${'v'.repeat(58)}...(97 chars) If you need`);
  });

  test('a token of 96 characters is kept whole', () => {
    const [d] = portMissing('k'.repeat(88));
    expect(d.message).toContain(`(Pod selector istio=${'k'.repeat(88)}). If you need`);
  });

  test('a stretch without spaces broken by tabs or newlines is not one token (as \\S means)', () => {
    const value = `${'t'.repeat(80)}\t${'u'.repeat(80)}\n${'w'.repeat(80)}`;
    const [d] = portMissing(value);
    expect(d.message).toContain(`(Pod selector istio=${value}). If you need`);
    expect(d.message).not.toContain('chars)');
  });

  test('a long token is found wherever it starts (the quick look measures only every 97th position)', () => {
    // Words before the token shift where it starts; the token is 100 characters and the ")." after it.
    for (let k = 1; k <= 100; k++) {
      const [d] = portMissing(`${'x '.repeat(k)}${'y'.repeat(100)}`);
      expect(d.message).toContain(`${'x '.repeat(k)}${'y'.repeat(64)}...(102 chars) If you need`);
    }
    // Just under the limit anywhere: never clipped.
    for (let k = 1; k <= 100; k += 7) expect(portMissing(`${'x '.repeat(k)}${'z'.repeat(94)}`)[0].message).not.toContain('chars)');
  });

  test('any message is clipped as the regular expression \\S{97,} would (random words, spaces, tabs, Unicode spaces)', () => {
    // The template around the value, from a short value that occurs once in the message.
    const [probe] = portMissing('QQQQ');
    const [before, after] = probe.message.split('QQQQ');
    expect(probe.message.split('QQQQ')).toHaveLength(2);
    const reference = (m: string) => m.replace(/\S{97,}/g, (t) => `${t.slice(0, 64)}...(${t.length} chars)`);
    const piece = fc.oneof(
      fc.constantFrom(' ', '  ', '\t', '\u2003', '\u00a0', '\n'),
      fc.integer({ min: 1, max: 220 }).map((n) => 'w'.repeat(n)),
    );
    fc.assert(fc.property(fc.array(piece, { minLength: 1, maxLength: 12 }), (pieces) => {
      const value = `v${pieces.join('')}`;
      const [d] = portMissing(value);
      expect(d.message).toBe(reference(`${before}${value}${after}`));
    }), { numRuns: 300 });
  });

  test('a stretch broken only by other Unicode spaces is clipped piece by piece, as \\S does', () => {
    const [d] = portMissing(`${'a'.repeat(100)}\u2003${'b'.repeat(100)}`);
    expect(d.message).toContain(`istio=${'a'.repeat(58)}...(106 chars)\u2003${'b'.repeat(64)}...(102 chars) If you need`);
  });
});

describe('findings', () => {
  test('are listed by analyzer, then origin, code and message, whatever the input order', () => {
    const objs: Obj[] = [
      virtualService('z-vs', 'apps', { hosts: ['z.example.com'], gateways: ['apps/missing'], http: [{ route: [{ destination: { host: 'nowhere' } }] }] }),
      gateway('b-gw', 'apps', { istio: 'none' }, [server(80, ['b.example.com'])]),
      virtualService('a-vs', 'apps', { hosts: ['a.example.com'], gateways: ['apps/missing'], http: [{ route: [{ destination: { host: 'nowhere' } }] }] }),
      gateway('a-gw', 'apps', { istio: 'none' }, [server(80, ['a.example.com'])]),
    ];
    const ds = analyze(objs);
    const key = (d: { analyzer: string; origin: string; code: string; message: string }) =>
      [String(ANALYZER_NAMES.indexOf(d.analyzer)).padStart(3, '0'), d.origin, d.code, d.message].join('\u0000');
    expect(ds.length).toBeGreaterThan(4);
    const keys = ds.map(key);
    expect(keys).toEqual([...keys].sort());
    expect(analyze([...objs].reverse()).map(key)).toEqual(keys);
  });

  test('the same finding from two analyzers is listed once; pathOf is asked once per object with findings', () => {
    const gw = gateway('gw', 'apps', { istio: 'none' }, [server(80, ['a.example.com']), server(443, ['b.example.com'])]);
    const asked: unknown[] = [];
    const ds = analyze([gw], { pathOf: (o) => { asked.push(o); return 'app/gw'; } });
    // IngressGatewayPortAnalyzer and SecretAnalyzer both find the selector matching nothing.
    expect(ds.filter((d) => d.code === 'IST0101' && d.message.startsWith('Referenced selector'))).toHaveLength(1);
    expect(ds.length).toBeGreaterThan(0);
    expect(ds.every((d) => d.path === 'app/gw')).toBe(true);
    expect(asked).toEqual([gw]);
  });

  test('a code two analyzers report is listed once per object and message, and kept for every object', () => {
    const gws = ['gw-a', 'gw-b', 'gw-c'].map((n, i) => gateway(n, 'apps', { istio: `none-${i}` }, [server(80, [`${n}.example.com`])]));
    const ds = analyze(gws);
    const selectorNotFound = ds.filter((d) => d.code === 'IST0101' && d.message.startsWith('Referenced selector'));
    expect(selectorNotFound.map((d) => d.origin)).toEqual(['Gateway apps/gw-a', 'Gateway apps/gw-b', 'Gateway apps/gw-c']);
    // Each is the first analyzer's (the one that runs first), as istioctl keeps it.
    expect(new Set(selectorNotFound.map((d) => d.analyzer))).toEqual(new Set([ANALYZER_NAMES[0]]));
  });

  test('the first analyzer in the registry keeps a shared finding', () => {
    // A server-less Gateway whose selector matches nothing: ConflictingGatewayAnalyzer and
    // IngressGatewayPortAnalyzer (first in the registry) report the same IST0101.
    const ds = analyze([gateway('lonely', 'ns', { app: 'none' }, [])]);
    expect(ANALYZER_NAMES.indexOf('gateway.IngressGatewayPortAnalyzer')).toBeLessThan(ANALYZER_NAMES.indexOf('gateway.ConflictingGatewayAnalyzer'));
    expect(ds.map((d) => `${d.code} ${d.origin} ${d.analyzer}`)).toEqual(['IST0101 Gateway ns/lonely gateway.IngressGatewayPortAnalyzer']);
    const alone = analyze([gateway('lonely', 'ns', { app: 'none' }, [])], { analyzers: ['gateway.ConflictingGatewayAnalyzer'] });
    expect(alone.map((d) => d.message)).toEqual(ds.map((d) => d.message));
  });

  test('findings that depend on every VirtualService are found whatever the input order', () => {
    // IST0109 (two mesh VirtualServices of one host) and IST0140 (a gateway route bypassing another
    // VirtualService's subsets) need what all VirtualServices declare, before and after the one reported.
    const objs = [
      virtualService('mesh-a', 'apps', { hosts: ['reviews'], http: [{ route: [route('reviews', { subset: 'v1' })] }] }),
      gateway('gw', 'apps', { istio: 'none' }, [server(80, ['reviews.example.com'])]),
      virtualService('edge', 'apps', { hosts: ['reviews.example.com'], gateways: ['gw'], http: [{ route: [route('reviews')] }] }),
      virtualService('mesh-b', 'apps', { hosts: ['reviews'] }),
    ];
    const found = (analyzer: string) => analyze(objs, { analyzers: [analyzer] }).filter((d) => d.code === 'IST0109' || d.code === 'IST0140').map((d) => `${d.code} ${d.origin}`);
    expect(found('virtualservice.ConflictingMeshGatewayHostsAnalyzer')).toEqual(['IST0109 VirtualService apps/mesh-a', 'IST0109 VirtualService apps/mesh-b']);
    expect(found('virtualservice.DestinationHostAnalyzer')).toEqual(['IST0140 VirtualService apps/edge']);
  });
});

describe('the index', () => {
  test('derives origin, full name, labels, annotations and spec from the object', () => {
    const idx = new ResourceIndex([
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n', labels: { app: 'a', n: 1 }, annotations: { 'x/y': 'z' } }, spec: { ports: [] } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } },
      { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', namespace: 'ignored' } },
    ]);
    const [svc] = idx.list('Service');
    expect([originOfRes(svc), svc.fullName, svc.namespace, svc.hasNamespace]).toEqual(['Service n/s', 'n/s', 'n', true]);
    expect({ ...svc.labels }).toEqual({ app: 'a', n: '1' });
    expect({ ...svc.annotations }).toEqual({ 'x/y': 'z' });
    expect(svc.spec).toEqual({ ports: [] });
    const [cm] = idx.list('ConfigMap');
    expect([originOfRes(cm), cm.fullName, cm.hasNamespace]).toEqual(['ConfigMap c', 'default/c', false]);
    expect(cm.spec).toEqual({});
    expect({ ...cm.labels }).toEqual({});
    const [node] = idx.list('Node');
    expect([originOfRes(node), node.fullName]).toEqual(['Node node-1', '/node-1']);
    // Computed once: the same values on every read.
    expect(svc.labels).toBe(svc.labels);
  });
});
