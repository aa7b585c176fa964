// Synth-time analyzer findings below Error are printed by default (console.warn). Tests that
// synthesize random or deliberately odd platforms would fill the test log with them, so the suite
// runs with them silenced unless the caller chose otherwise; tests of the printing itself set or
// delete the variable (test/app-state.test.ts).
process.env.ISTIO_GATEWAY_WARNINGS ??= 'silent';
