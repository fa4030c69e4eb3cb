import type { S3Client } from '@aws-sdk/client-s3';
import { S3ArticleSource } from '../adapters/s3-article-source.js';
import { S3FeedSink } from '../adapters/s3-feed-sink.js';
import { notifyHub } from '../adapters/websub-notifier.js';
import { SiteConfigError, assertIsError, type ArticleParseError } from '../core/errors.js';
import { MAX_FILE_BYTES } from '../core/safe-yaml.js';
import { logger } from '../shared/logger.js';
import { METRIC, MetricUnit, metrics } from '../shared/metrics.js';
import type { PublisherConfig } from './config.js';
import { publishFeeds } from './publish-feeds.js';

/** How a publish ended; `retry` means the triggering messages must be delivered again. */
export type PublishOutcome =
  | { readonly status: 'published' }
  | { readonly status: 'site-config-rejected' }
  | { readonly status: 'retry'; readonly error: Error };

/**
 * Publishes the content bucket into the site bucket once, logging and counting the outcome.
 * An invalid site.yaml is logged and not retried (the same file would fail again; its fix
 * arrives as a new event). Any other error (S3, SDK, a bug) asks for a retry.
 */
export async function runPublish(s3: S3Client, config: PublisherConfig): Promise<PublishOutcome> {
  try {
    const result = await publishFeeds({
      source: new S3ArticleSource({ s3, bucket: config.contentBucket, maxBytes: MAX_FILE_BYTES }),
      sink: new S3FeedSink({ s3, bucket: config.siteBucket }),
      siteUrlOverride: config.publicBaseUrl,
    });
    for (const rejected of result.rejected) {
      logger.error('Article rejected', { objectKey: rejected.path, reason: describeReason(rejected) });
    }
    logger.info('Feeds published', {
      articleCount: result.published,
      rejectedCount: result.rejected.length,
      written: result.written,
      bytesWritten: result.bytesWritten,
    });
    metrics.addMetric(METRIC.articlesPublished, MetricUnit.Count, result.published);
    metrics.addMetric(METRIC.articlesRejected, MetricUnit.Count, result.rejected.length);
    metrics.addMetric(METRIC.documentsWritten, MetricUnit.Count, result.written.length);
    metrics.addMetric(METRIC.bytesWritten, MetricUnit.Bytes, result.bytesWritten);
    await announce(result.websubHub, result.changedFeeds);
    return { status: 'published' };
  } catch (error) {
    assertIsError(error);
    if (error instanceof SiteConfigError) {
      logger.error('Site configuration rejected, nothing published', { objectKey: error.path, reason: describeReason(error) });
      metrics.addMetric(METRIC.siteConfigRejected, MetricUnit.Count, 1);
      return { status: 'site-config-rejected' };
    }
    logger.error('Publish failed', { error });
    metrics.addMetric(METRIC.publishFailed, MetricUnit.Count, 1);
    return { status: 'retry', error };
  } finally {
    metrics.publishStoredMetrics();
  }
}

/**
 * Pings the WebSub hub for every changed feed, after the documents are written. A failed ping
 * is logged and counted; it never fails the publish (the feeds are already out, and readers
 * that poll will see them).
 */
async function announce(hubUrl: string | undefined, topicUrls: readonly string[]): Promise<void> {
  if (hubUrl === undefined || topicUrls.length === 0) return;
  const notifications = await notifyHub({ hubUrl, topicUrls });
  const failed = notifications.filter((notification) => !notification.ok);
  logger.info('WebSub hub notified', { hubUrl, topics: notifications.length, failed: failed.length });
  for (const notification of failed) logger.warn('WebSub ping failed', { ...notification });
  metrics.addMetric(METRIC.hubPingsFailed, MetricUnit.Count, failed.length);
}

/** The reason of a content error without its path (logged apart as `objectKey`). */
function describeReason(error: ArticleParseError | SiteConfigError): string {
  return error.field ? `${error.field}: ${error.reason}` : error.reason;
}
