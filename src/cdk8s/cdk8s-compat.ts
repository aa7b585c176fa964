// Type tests that work across the whole cdk8s peer range (^2.0.0): `Chart.isChart` and
// `ApiObject.isApiObject` arrived in later 2.x releases, so older ones fall back to instanceof
// (those releases do not share classes across copies either, so nothing is lost).
import { ApiObject, Chart } from 'cdk8s';

export function isChart(x: unknown): x is Chart {
  const test = (Chart as unknown as { isChart?: (x: unknown) => boolean }).isChart;
  return typeof test === 'function' ? test(x) : x instanceof Chart;
}

export function isApiObject(x: unknown): x is ApiObject {
  const test = (ApiObject as unknown as { isApiObject?: (x: unknown) => boolean }).isApiObject;
  return typeof test === 'function' ? test(x) : x instanceof ApiObject;
}
