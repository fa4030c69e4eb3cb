import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one structured logger of the publisher. The level comes from `POWERTOOLS_LOG_LEVEL`;
 * the Lambda context is added per invocation by the handler.
 */
export const logger = new Logger({ serviceName: 'feed-publisher' });
