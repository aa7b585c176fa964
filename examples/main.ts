// Entry point of `npx cdk8s synth` (see cdk8s.yaml). Writes the platform's cluster resources to
// dist/ (for `kubectl apply -f dist/`), what they need to exist beforehand (Secrets, backends, the
// shared gateway) to dist/prerequisites/ (read by `istio-gateway analyze dist/`, not applied), and the
// control-plane settings to dist/istioctl/ (for `istioctl install -f dist/istioctl/control-plane.k8s.yaml`).
import * as path from 'path';
import { App } from 'cdk8s';
import { writePrerequisites } from '../src';
import { buildControlPlane, buildExamplePlatform } from './platform';
import { buildGatewayApiPlatform } from './gateway-api';

const outdir = process.env.CDK8S_OUTDIR ?? 'dist';

const platform = new App({ outdir });
buildExamplePlatform(platform);
platform.synth();
writePrerequisites(platform);

const controlPlane = new App({ outdir: path.join(outdir, 'istioctl') });
const chart = buildControlPlane(controlPlane);
controlPlane.synth();
// Teams that install istiod with Helm get the same settings as chart values.
require('fs').writeFileSync(path.join(outdir, 'istioctl', 'istiod-values.yaml'), chart.controlPlane.helmValuesYaml());

// The same scenarios in the Kubernetes Gateway API flavour: an alternative to dist/, in its own folder.
const gatewayApi = new App({ outdir: path.join(outdir, 'gateway-api') });
buildGatewayApiPlatform(gatewayApi);
gatewayApi.synth();
writePrerequisites(gatewayApi);
