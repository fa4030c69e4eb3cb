import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { FeedPublisherStack } from './feed-publisher-stack.js';

// Synthesis fails on any rule finding that is not acknowledged with a written reason
// (see nag-acknowledgements.ts).
const app = new App();
new FeedPublisherStack(app, 'FeedPublisher');
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
app.synth();
