// The one implementation of Istio's host matching and of the Kubernetes name patterns (src/names.ts),
// used by the prop checks (case-insensitive) and the analyzer (case-sensitive, as istioctl).
import { hostMatches as analyzerHostMatches } from '../src/analysis/hosts';
import { hostsIntersect } from '../src/model/gateway';
import { CLUSTER_SERVICE_FQDN, DNS1035_LABEL, DNS1123_LABEL, DNS1123_SUBDOMAIN, hostMatches } from '../src/names';

describe('hostMatches', () => {
  test.each([
    ['shop.example.com', 'shop.example.com', true],
    ['shop.example.com', 'www.example.com', false],
    ['*.example.com', 'shop.example.com', true],
    ['shop.example.com', '*.example.com', true],
    ['*.example.com', 'example.com', false],
    ['*', 'anything.io', true],
    ['*.com', '*.example.com', true],
    ['*.example.com', '*.com', true],
    ['*.example.com', '*.example.org', false],
  ])('%s ~ %s: %s', (a, b, expected) => {
    expect(hostMatches(a, b)).toBe(expected);
    expect(hostMatches(b, a)).toBe(expected);
  });

  test('case-sensitive unless asked, as the analyzer and the prop checks each compare', () => {
    expect(hostMatches('Shop.Example.com', 'shop.example.com')).toBe(false);
    expect(analyzerHostMatches('Shop.Example.com', 'shop.example.com')).toBe(false);
    expect(hostMatches('Shop.Example.com', 'shop.example.com', { ignoreCase: true })).toBe(true);
    expect(hostsIntersect('*.EXAMPLE.com', 'shop.example.com')).toBe(true);
    expect(hostsIntersect('shop.example.com', 'shop.example.org')).toBe(false);
  });
});

describe('name patterns', () => {
  test('DNS-1123 label, subdomain, DNS-1035 label', () => {
    expect(['a', 'a-1', '1a'].every((v) => DNS1123_LABEL.test(v))).toBe(true);
    expect(['', '-a', 'a-', 'A', 'a.b'].some((v) => DNS1123_LABEL.test(v))).toBe(false);
    expect(DNS1123_SUBDOMAIN.test('shop-cert.v1')).toBe(true);
    expect(DNS1123_SUBDOMAIN.test('shop..cert')).toBe(false);
    expect(DNS1035_LABEL.test('web')).toBe(true);
    expect(DNS1035_LABEL.test('1web')).toBe(false);
  });

  test('a cluster service FQDN gives its name and namespace', () => {
    const m = CLUSTER_SERVICE_FQDN.exec('reviews.bookinfo.svc.cluster.local');
    expect([m?.[1], m?.[3]]).toEqual(['reviews', 'bookinfo']);
    expect(CLUSTER_SERVICE_FQDN.exec('reviews.bookinfo')).toBeNull();
  });
});
