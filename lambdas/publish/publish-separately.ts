/**
 * After a failed attempt, a batch is published message by message, so that one message whose
 * publish keeps failing (a poison pill) does not hold back the others. A message that has
 * failed {@link QUARANTINE_AFTER} deliveries for a reason other than S3 or the SDK has its
 * articles quarantined: published as rejected, with the reason, so the rest moves on.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { SITE_CONFIG_KEY } from '../core/content/site-config.js';
import { ArticleParseError, CatalogConflictError } from '../core/errors.js';
import { logger } from '../shared/logger.js';
import { METRIC, MetricUnit, metrics } from '../shared/metrics.js';
import type { PublisherConfig } from './config.js';
import { isolatedParser, type ArticleParser } from './isolated-parser.js';
import { runPublish } from './run-publish.js';
import type { ContentMessage } from './triage-event.js';

/** Deliveries after which a message that keeps failing has its articles quarantined. */
export const QUARANTINE_AFTER = 3;

/** Publishes each message on its own; returns the ids of the messages that failed. */
export async function publishSeparately(s3: S3Client, config: PublisherConfig, messages: readonly ContentMessage[], parse: ArticleParser = isolatedParser()): Promise<string[]> {
  const failed: string[] = [];
  for (const message of messages) {
    const outcome = await runPublish(s3, config, { changedKeys: message.keys, repair: true, parse });
    if (outcome.status !== 'retry') continue;
    if (message.receiveCount < QUARANTINE_AFTER || isTransient(outcome.error) || !(await quarantine(s3, config, message, outcome.error, parse))) {
      failed.push(message.messageId);
    }
  }
  return failed;
}

/** Publishes the message's articles as rejected, with the reason; true when that publish went through. */
async function quarantine(s3: S3Client, config: PublisherConfig, message: ContentMessage, error: Error, parse: ArticleParser): Promise<boolean> {
  const articles = new Set(message.keys.filter((key) => key !== SITE_CONFIG_KEY));
  if (articles.size === 0) return false;
  const reason = `quarantined after ${message.receiveCount} failed publishes: ${error.message.slice(0, 300)}`;
  const refuse: ArticleParser = (path, bytes, site) => (articles.has(path) ? Promise.reject(new ArticleParseError(path, reason)) : parse(path, bytes, site));
  const outcome = await runPublish(s3, config, { changedKeys: message.keys, repair: true, parse: refuse });
  if (outcome.status === 'retry') return false;
  for (const objectKey of articles) logger.error('Article quarantined', { objectKey, reason, receiveCount: message.receiveCount });
  metrics.addMetric(METRIC.articlesQuarantined, MetricUnit.Count, articles.size);
  metrics.publishStoredMetrics();
  return true;
}

/**
 * True for failures that may pass by themselves (S3 or SDK errors, network, lost catalog
 * races): those are retried, never held against the content.
 */
export function isTransient(error: Error): boolean {
  const sdk = error as Error & { $metadata?: unknown; $fault?: unknown; code?: unknown };
  if (sdk.$metadata !== undefined || sdk.$fault !== undefined || error instanceof CatalogConflictError) return true;
  return typeof sdk.code === 'string' && /^E[A-Z]+$/.test(sdk.code);
}
