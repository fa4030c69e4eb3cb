import type { S3Client } from '@aws-sdk/client-s3';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { FeedPublisherError } from '../core/errors.js';
import { logger } from '../shared/logger.js';
import type { PublisherConfig } from './config.js';
import type { ArticleParser } from './isolated-parser.js';
import { publishSeparately } from './publish-separately.js';
import { runPublish } from './run-publish.js';
import { triageEvent, type PublishEvent } from './triage-event.js';

/** What the handler needs from its surroundings. */
export interface HandlerDependencies {
  readonly s3: S3Client;
  readonly config: PublisherConfig;
  /** Parses articles; by default in worker threads under a memory and time limit. */
  readonly parse?: ArticleParser;
}

/** A publish triggered directly by S3 failed; thrown so that Lambda's asynchronous retry applies. */
export class PublishFailedError extends FeedPublisherError {}

/** An on-demand invocation that rebuilds every document and the catalog from the content bucket. */
export interface RebuildEvent {
  readonly rebuild: true;
}

/** The publish function's signature: an SQS batch (or an S3 event) in, the failed messages out. */
export type PublishHandler = (event: PublishEvent | RebuildEvent, context: Context) => Promise<SQSBatchResponse>;

/**
 * Builds the publish handler around an S3 client and a configuration. One invocation makes at
 * most ONE publish, whatever the batch size: it applies every content key the batch names at
 * once, on top of the catalog (`{ "rebuild": true }` rebuilds everything instead). A message that is not an S3 notification fails on its own; when the publish
 * fails, every message that asked for it fails (SQS redelivers them, then the DLQ keeps them).
 * A redelivered batch is published message by message instead, and a message that keeps
 * failing has its articles quarantined (see publish-separately.ts).
 * For a direct S3 event (no queue) a failed publish throws instead, so Lambda's retry applies.
 */
export function createHandler(deps: HandlerDependencies): PublishHandler {
  const parser = deps.parse ? { parse: deps.parse } : {};
  return async (event, context) => {
    logger.addContext(context);
    if ('rebuild' in event && event.rebuild === true) {
      logger.info('Rebuilding on request');
      const outcome = await runPublish(deps.s3, deps.config, { changedKeys: [], rebuild: true, ...parser });
      if (outcome.status === 'retry') throw new PublishFailedError('Rebuild failed', { cause: outcome.error });
      return { batchItemFailures: [] };
    }
    const triage = triageEvent(event as PublishEvent, deps.config.contentBucket);
    for (const record of triage.ignored) logger.info('Record ignored', { ...record });
    for (const message of triage.malformed) logger.error('Message is not an S3 notification', { ...message });
    const failed = triage.malformed.map((message) => message.messageId);

    if (triage.fromQueue && triage.redelivered) {
      // An earlier attempt failed: publish message by message, so that only the culprit fails again.
      logger.info('Publishing each message on its own', { objectKeys: triage.contentKeys, messages: triage.contentMessages.length });
      failed.push(...(await publishSeparately(deps.s3, deps.config, triage.contentMessages, deps.parse)));
    } else if (triage.contentKeys.length > 0) {
      logger.info('Publishing', { objectKeys: triage.contentKeys, redelivered: triage.redelivered });
      const outcome = await runPublish(deps.s3, deps.config, { changedKeys: triage.contentKeys, ...parser });
      if (outcome.status === 'retry') {
        if (!triage.fromQueue) throw new PublishFailedError('Publish failed', { cause: outcome.error });
        failed.push(...triage.relevantMessageIds);
      }
    }
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}
