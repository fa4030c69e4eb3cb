import { S3Client } from '@aws-sdk/client-s3';
import { loadConfig } from './config.js';
import { createHandler } from './create-handler.js';

export { createHandler } from './create-handler.js';
export type { HandlerDependencies, PublishHandler } from './create-handler.js';

/**
 * The Lambda entry. Configuration is read once, at cold start, so a missing variable fails the
 * init phase loudly instead of every event. Importing this module therefore needs
 * CONTENT_BUCKET and SITE_BUCKET in the environment: code that brings its own client and
 * configuration (tests, the local pipeline) imports `createHandler` from `./create-handler.js`.
 */
export const handler = createHandler({ s3: new S3Client({}), config: loadConfig() });
