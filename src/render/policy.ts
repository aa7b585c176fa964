// Renders mesh policy to plain objects: PeerAuthentication (mTLS), Telemetry (access logging)
// and the control-plane settings (an IstioOperator, or the same settings as istiod Helm values).
// Pure functions over the validated models of ../model/policy.
import { ISTIO_OPERATOR, PEER_AUTHENTICATION, TELEMETRY } from './api-versions';
import { ControlPlaneModel, HELM_PROFILES, PeerAuthenticationModel, TelemetryModel } from '../model/policy';
import { identity, KubeObject, meta, object, sortedByKey, SPEC_ONLY } from './objects';

export function renderPeerAuthentication(m: PeerAuthenticationModel): KubeObject {
  const spec: Record<string, unknown> = {};
  if (m.selector && Object.keys(m.selector).length > 0) spec.selector = { matchLabels: sortedByKey(m.selector) };
  spec.mtls = { mode: m.mode };
  if (m.portLevel && m.portLevel.size > 0) {
    const ports = [...m.portLevel.keys()].sort((a, b) => a - b);
    spec.portLevelMtls = Object.fromEntries(ports.map((p) => [String(p), { mode: m.portLevel!.get(p)! }]));
  }
  return object(PEER_AUTHENTICATION, meta(m.name, m.namespace, m.labels), { spec });
}

/** The identity (see identity) of {@link renderPeerAuthentication}'s object. */
export function peerAuthenticationIdentity(m: PeerAuthenticationModel): KubeObject {
  return identity(PEER_AUTHENTICATION, meta(m.name, m.namespace, m.labels), SPEC_ONLY);
}

/** The identity (see identity) of {@link renderTelemetry}'s object. */
export function telemetryIdentity(m: TelemetryModel): KubeObject {
  return identity(TELEMETRY, meta(m.name, m.namespace, m.labels), SPEC_ONLY);
}

export function renderTelemetry(m: TelemetryModel): KubeObject {
  const spec: Record<string, unknown> = {};
  if (m.targetRef) spec.targetRefs = [{ ...m.targetRef }];
  else if (m.selector && Object.keys(m.selector).length > 0) spec.selector = { matchLabels: sortedByKey(m.selector) };
  const logging: Record<string, unknown> = { providers: m.providers.map((name) => ({ name })) };
  if (m.mode) logging.match = { mode: m.mode };
  if (m.filter !== undefined) logging.filter = { expression: m.filter };
  if (m.disabled) logging.disabled = true;
  spec.accessLogging = [logging];
  return object(TELEMETRY, meta(m.name, m.namespace, m.labels), { spec });
}

function meshConfig(m: ControlPlaneModel): Record<string, unknown> {
  const mc: Record<string, unknown> = {};
  if (m.accessLogFile !== undefined) mc.accessLogFile = m.accessLogFile;
  if (m.accessLogEncoding !== undefined) mc.accessLogEncoding = m.accessLogEncoding;
  if (m.proxyMetadata.length > 0) {
    mc.defaultConfig = { proxyMetadata: Object.fromEntries(m.proxyMetadata.map((e) => [e.name, e.value])) };
  }
  mc.enablePrometheusMerge = m.enablePrometheusMerge;
  return mc;
}

/** An IstioOperator for `istioctl install -f`. */
export function renderIstioOperator(m: ControlPlaneModel): KubeObject {
  const spec: Record<string, unknown> = { profile: m.profile };
  if (m.revision) spec.revision = m.revision;
  spec.meshConfig = meshConfig(m);
  if (m.pilotEnv.length > 0) {
    spec.components = { pilot: { k8s: { env: m.pilotEnv.map((e) => ({ name: e.name, value: e.value })) } } };
  }
  return object(ISTIO_OPERATOR, meta(m.name, m.namespace, m.labels), { spec });
}

/**
 * The same settings as values for Istio's `istiod` Helm chart (`pilot.env` is a map there).
 * The profile is translated by {@link HELM_PROFILES}: never one the chart lacks.
 * @see https://github.com/istio/istio/blob/1.30.3/manifests/charts/istio-control/istio-discovery/values.yaml
 */
export function renderIstiodHelmValues(m: ControlPlaneModel): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const helm = HELM_PROFILES[m.profile];
  if (helm?.profile) values.profile = helm.profile;
  if (helm?.platform) values.global = { platform: helm.platform };
  if (m.revision) values.revision = m.revision;
  if (m.pilotEnv.length > 0) values.pilot = { env: Object.fromEntries(m.pilotEnv.map((e) => [e.name, e.value])) };
  values.meshConfig = meshConfig(m);
  return values;
}

