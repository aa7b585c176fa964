// The route translation (translate.ts), loaded by the first caller that needs it: the constructs'
// Istio flavour never does, so an App without `api: 'gateway-api'` does not load it. Kept here, in
// the rendering layer, because the construct layer keeps no module-level state.
import type * as Translate from './translate';

let loaded: typeof Translate | undefined;

/** The translate.ts module, required on the first call. */
export function translation(): typeof Translate {
  return loaded ??= require('./translate') as typeof Translate;
}
