// (d) Istio's bookinfo traffic-management tasks (request routing, traffic shifting, fault
// injection) as in-mesh routes. Each scenario is an alternative, so each gets its own namespace
// (a bookinfo copy per namespace): short hosts such as `reviews` then resolve to a different
// service per namespace, and no two mesh VirtualServices claim one host (istioctl IST0109).
// On a real cluster you would apply one scenario at a time in the bookinfo namespace.
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { CanaryRoute, HttpMatch, HttpRoute } from '../../src';

/** bookinfo's test user: productpage forwards the logged-in user as the `end-user` header. */
const JASON: HttpMatch = { headers: { 'end-user': { exact: 'jason' } } };

const REVIEWS = { host: 'reviews', port: 9080 };
const V1 = { subset: 'v1', labels: { version: 'v1' } };
const V2 = { subset: 'v2', labels: { version: 'v2' } };

export class TrafficManagementChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);

    // virtual-service-all-v1.yaml: every request to reviews v1. A canary at weight 0 keeps the
    // v2 subset defined, so the next steps change only a weight or a match.
    new CanaryRoute(this, 'reviews-v1-only', {
      namespace: 'reviews-v1-only', name: 'reviews',
      hosts: ['reviews'], destination: REVIEWS,
      stable: V1, canary: { ...V2, weight: 0 },
    });

    // virtual-service-reviews-test-v2.yaml: jason sees v2, everyone else stays on v1.
    new CanaryRoute(this, 'reviews-jason', {
      namespace: 'reviews-jason', name: 'reviews',
      hosts: ['reviews'], destination: REVIEWS,
      stable: V1, canary: { ...V2, weight: 0, match: [JASON] },
    });

    // virtual-service-reviews-90-10.yaml: 90% v1, 10% v2.
    new CanaryRoute(this, 'reviews-split', {
      namespace: 'reviews-split', name: 'reviews',
      hosts: ['reviews'], destination: REVIEWS,
      stable: V1, canary: { ...V2, weight: 10 },
    });

    // Fault injection: jason is on reviews v2 (which calls ratings), and only his calls to
    // ratings get the fault; everyone else's are untouched.
    for (const [ns, fault] of [
      ['ratings-delay', { delay: { fixedDelay: '7s', percentage: 100 } }], // virtual-service-ratings-test-delay.yaml
      ['ratings-abort', { abort: { httpStatus: 500, percentage: 100 } }], // virtual-service-ratings-test-abort.yaml
    ] as const) {
      new CanaryRoute(this, `${ns}-reviews`, {
        namespace: ns, name: 'reviews',
        hosts: ['reviews'], destination: REVIEWS,
        stable: V1, canary: { ...V2, weight: 0, match: [JASON] },
      });
      new HttpRoute(this, ns, {
        namespace: ns, name: 'ratings',
        hosts: ['ratings'], destination: { host: 'ratings', port: 9080 },
        fault: { ...fault, match: [JASON] },
      });
    }
  }
}
