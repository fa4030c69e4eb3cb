import { createIntegApp } from './integ-app.js';

// Deploys the publisher, uploads an article and reads it back through CloudFront.
// Run with `npm run integ` (needs AWS credentials); `npm test` checks its snapshot offline.
createIntegApp().app.synth();
