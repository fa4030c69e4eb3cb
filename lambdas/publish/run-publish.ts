import type { S3Client } from '@aws-sdk/client-s3';
import { S3ArticleSource } from '../adapters/s3-article-source.js';
import { S3CatalogStore } from '../adapters/s3-catalog-store.js';
import { S3SiteWriter } from '../adapters/s3-site-writer.js';
import { notifyHub } from '../adapters/websub-notifier.js';
import { SiteConfigError, assertIsError, type ArticleParseError } from '../core/errors.js';
import { MAX_FILE_BYTES } from '../core/content/safe-yaml.js';
import { HUB_PING_DELAY_MS } from '../core/plan/outputs.js';
import { logger } from '../shared/logger.js';
import { METRIC, MetricUnit, metrics } from '../shared/metrics.js';
import type { PublisherConfig } from './config.js';
import type { ArticleParser } from './isolated-parser.js';
import { publishSite } from './publish-site.js';

/** What to publish: the content keys that changed, or everything. */
export interface PublishRequest {
  readonly changedKeys: readonly string[];
  readonly rebuild?: boolean;
  /** An earlier attempt of this batch failed: check the site bucket for documents it left. */
  readonly repair?: boolean;
  /** Parses articles; by default isolated under a memory and time limit. */
  readonly parse?: ArticleParser;
}

/** How a publish ended; `retry` means the triggering messages must be delivered again. */
export type PublishOutcome =
  | { readonly status: 'published' }
  | { readonly status: 'site-config-rejected' }
  | { readonly status: 'retry'; readonly error: Error };

/**
 * Publishes the changed content (or everything) into the site bucket once, through the
 * catalog, logging and counting the outcome. A malformed update of a published article keeps
 * its last good version and is logged (key and reason) and counted (ArticlesRejected, LastGoodKept).
 * An invalid site.yaml is logged and not retried (the same file would fail again; its fix
 * arrives as a new event). Any other error (S3, SDK, a bug) asks for a retry.
 */
export async function runPublish(s3: S3Client, config: PublisherConfig, request: PublishRequest): Promise<PublishOutcome> {
  try {
    const { expectedBucketOwner } = config;
    const result = await publishSite({
      source: new S3ArticleSource({ s3, bucket: config.contentBucket, maxBytes: MAX_FILE_BYTES, expectedBucketOwner }),
      catalogStore: new S3CatalogStore({ s3, bucket: config.siteBucket, expectedBucketOwner }),
      writer: new S3SiteWriter({ s3, bucket: config.siteBucket, expectedBucketOwner }),
      changedKeys: request.changedKeys,
      rebuild: request.rebuild,
      repair: request.repair,
      // The one clock read of a publish: the news sitemap's two-day window ends here.
      now: new Date(),
      ...(request.parse ? { parse: request.parse } : {}),
      siteUrlOverride: config.publicBaseUrl,
      partnerAccess: config.partnerAccess,
    });
    for (const rejected of result.rejected) {
      logger.error('Article rejected', { objectKey: rejected.path, reason: describeReason(rejected) });
    }
    if (result.repaired.length > 0) logger.warn('Repaired documents left by a failed attempt', { objectKeys: result.repaired });
    for (const objectKey of result.kept) logger.warn('Last good version kept', { objectKey });
    for (const objectKey of result.lost) logger.warn('Article no longer readable, left out', { objectKey });
    if (result.notRemoved.length > 0) logger.warn('Documents not removed: s3:DeleteObject refused', { objectKeys: result.notRemoved });
    logger.info('Feeds published', {
      articleCount: result.published,
      rejectedCount: result.rejected.length,
      keptCount: result.kept.length,
      rebuilt: result.rebuilt,
      conflicts: result.conflicts,
      written: result.written,
      removed: result.removedKeys,
      bytesWritten: result.bytesWritten,
    });
    metrics.addMetric(METRIC.articlesPublished, MetricUnit.Count, result.published);
    metrics.addMetric(METRIC.articlesRejected, MetricUnit.Count, result.rejected.length);
    metrics.addMetric(METRIC.lastGoodKept, MetricUnit.Count, result.kept.length);
    metrics.addMetric(METRIC.documentsWritten, MetricUnit.Count, result.written.length);
    metrics.addMetric(METRIC.bytesWritten, MetricUnit.Bytes, result.bytesWritten);
    metrics.addMetric(METRIC.catalogConflicts, MetricUnit.Count, result.conflicts);
    if (result.rebuilt) metrics.addMetric(METRIC.rebuilds, MetricUnit.Count, 1);
    await announce(result.site.websubHub, result.topics, config.localPreview === true);
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
 * Pings the WebSub hub for every changed feed once no edge can still serve the version before
 * these writes (HUB_PING_DELAY_MS after them), so the hub fetches the new one. A failed or
 * refused ping (http when deployed, a private address, a redirect) is logged and counted; it
 * never fails the publish (the feeds are already out, and readers that poll will see them).
 */
async function announce(hubUrl: string | undefined, topicUrls: readonly string[], allowLoopbackHttp: boolean): Promise<void> {
  if (hubUrl === undefined || topicUrls.length === 0) return;
  const notifications = await notifyHub({ hubUrl, topicUrls, allowLoopbackHttp, delayMs: HUB_PING_DELAY_MS });
  const failed = notifications.filter((notification) => !notification.ok);
  logger.info('WebSub hub notified', { hubUrl, topics: notifications.length, failed: failed.length });
  for (const notification of failed) logger.warn('WebSub ping failed', { ...notification });
  metrics.addMetric(METRIC.hubPingsFailed, MetricUnit.Count, failed.length);
}

/** The reason of a content error without its path (logged apart as `objectKey`). */
function describeReason(error: ArticleParseError | SiteConfigError): string {
  return error.field ? `${error.field}: ${error.reason}` : error.reason;
}
