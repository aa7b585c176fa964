// Entry point of `npx cdk8s synth` (see cdk8s.yaml): writes the example platform to dist/.
import { App } from 'cdk8s';
import { buildExamplePlatform } from './platform';

const app = new App();
buildExamplePlatform(app);
app.synth();
