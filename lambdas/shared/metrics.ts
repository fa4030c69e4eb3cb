import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * The one CloudWatch metrics buffer (Embedded Metric Format, written to the log, so
 * publishing a metric costs no API call). The handler flushes it once per invocation.
 */
export const metrics = new Metrics({ namespace: 'FeedPublisher', serviceName: 'feed-publisher' });

/** Metric names, declared once for the handler, dashboards and alarms. */
export const METRIC = {
  articlesPublished: 'ArticlesPublished',
  articlesRejected: 'ArticlesRejected',
  articlesQuarantined: 'ArticlesQuarantined',
  bytesWritten: 'BytesWritten',
  documentsWritten: 'DocumentsWritten',
  siteConfigRejected: 'SiteConfigRejected',
  publishFailed: 'PublishFailed',
  hubPingsFailed: 'HubPingsFailed',
  lastGoodKept: 'LastGoodKept',
  catalogConflicts: 'CatalogConflicts',
  rebuilds: 'Rebuilds',
} as const;

export { MetricUnit };
