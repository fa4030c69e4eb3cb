import { isAbsolute, join } from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { aws_s3 as s3Refs } from 'aws-cdk-lib/interfaces';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FEED_FORMATS, type FeedFormat } from '../../lambdas/core/plan/outputs.js';
import { type FeedPublisherProps, validateProps } from './feed-publisher-props.js';
import { createContentBucket, createLogBucket, createSiteBucket } from './feed-buckets.js';
import { FeedDistribution } from './feed-distribution.js';
import { resolvePartnerAccess, type ResolvedPartnerAccess } from './partner-access.js';
import { acknowledgeAlarmEmailTopic, acknowledgeNagFindings } from './nag-acknowledgements.js';
import { PROJECT_ROOT, PublisherFunction } from './publisher-function.js';
import { PublisherMonitoring } from './publisher-monitoring.js';

export { FeedPublisherPropsError, type FeedDomain, type FeedPublisherProps } from './feed-publisher-props.js';
export { DEFAULT_PARTNER_TOKEN_HEADER, partnerTokenKey, type PartnerAccess } from './partner-access.js';

/** How many receives an S3 event gets before it is parked in the dead-letter queue. */
export const MAX_RECEIVE_COUNT = 10;
/** Events collected into one publish (the run renders everything, so one event or a hundred cost the same). */
export const BATCH_SIZE = 100;
/** How long the poller waits to fill a batch: a burst of uploads becomes one publish. */
export const MAX_BATCHING_WINDOW = Duration.seconds(2);

/**
 * Publishes syndication feeds: a content bucket of Markdown articles, an SQS-buffered trigger,
 * one serialized publish function, a private site bucket behind CloudFront, alarms and a dashboard.
 */
export class FeedPublisher extends Construct {
  /** Bucket of `site.yaml` and `articles/**\/*.md`. */
  public readonly contentBucket: s3.IBucket;
  /** Bucket of the published feeds. */
  public readonly siteBucket: s3.Bucket;
  /** Bucket of the S3 and CloudFront access logs. */
  public readonly logBucket: s3.Bucket;
  /** CloudFront in front of the site bucket. */
  public readonly distribution: cloudfront.Distribution;
  /** The publish function. */
  public readonly publishFunction: lambda.Function;
  /** S3 events waiting for a publish. */
  public readonly queue: sqs.Queue;
  /** Events that failed every receive. */
  public readonly deadLetterQueue: sqs.Queue;
  /** Public URLs of the default-language feeds. */
  public readonly feedUrls: Readonly<Record<FeedFormat, string>>;
  /** `https://<domain>/`, the address the feeds link to. */
  public readonly publicBaseUrl: string;
  /** The token header and the store of token digests, when partner access is on. */
  public readonly partnerAccess?: ResolvedPartnerAccess;

  public constructor(scope: Construct, id: string, props: FeedPublisherProps = {}) {
    super(scope, id);
    validateProps(this, props);
    const timeout = props.timeout ?? Duration.minutes(5);
    this.logBucket = createLogBucket(this, 'LogBucket');
    this.contentBucket = props.existingContentBucket ?? createContentBucket(this, 'ContentBucket', this.logBucket);
    this.siteBucket = createSiteBucket(this, 'SiteBucket', this.logBucket);
    if (props.partnerAccess) this.partnerAccess = resolvePartnerAccess(this, 'PartnerTokens', props.partnerAccess);
    this.distribution = new FeedDistribution(this, 'Cdn', {
      siteBucket: this.siteBucket,
      logBucket: this.logBucket,
      priceClass: props.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_100,
      ...(this.partnerAccess ? { partnerAccess: this.partnerAccess } : {}),
      ...(props.domain ? { domain: { domainNames: [props.domain.domainName], certificate: props.domain.certificate } } : {}),
    }).distribution;
    this.publicBaseUrl = `https://${props.domain?.domainName ?? this.distribution.distributionDomainName}/`;
    this.feedUrls = {
      rss: `${this.publicBaseUrl}${FEED_FORMATS.rss.file}`,
      atom: `${this.publicBaseUrl}${FEED_FORMATS.atom.file}`,
      json: `${this.publicBaseUrl}${FEED_FORMATS.json.file}`,
    };
    const publisher = new PublisherFunction(this, 'Publish', {
      memorySize: props.memorySize ?? 1024,
      timeout,
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      tracing: props.tracing ?? false,
      environment: {
        CONTENT_BUCKET: this.contentBucket.bucketName,
        SITE_BUCKET: this.siteBucket.bucketName,
        PUBLIC_BASE_URL: this.publicBaseUrl,
        // Both buckets belong to this stack's account (S3 notifications cannot cross accounts).
        EXPECTED_BUCKET_OWNER: Stack.of(this).account,
        // The JSON Feed answers 403 without a token: the public documents must not name it.
        ...(this.partnerAccess ? { PARTNER_ACCESS: 'true' } : {}),
        POWERTOOLS_SERVICE_NAME: 'feed-publisher',
        POWERTOOLS_METRICS_NAMESPACE: 'FeedPublisher',
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
    this.publishFunction = publisher.function;
    grantPublisherAccess(publisher.role, this.contentBucket, this.siteBucket);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'PublishQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS advice for SQS event sources: at least 6x the function timeout (plus the batching window).
      visibilityTimeout: Duration.seconds(6 * timeout.toSeconds() + MAX_BATCHING_WINDOW.toSeconds()),
      // Throttled receives count too (one publish at a time), so allow several before giving up.
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
    subscribeToContent(this.contentBucket, this.queue);
    this.publishFunction.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: BATCH_SIZE,
        maxBatchingWindow: MAX_BATCHING_WINDOW,
        reportBatchItemFailures: true,
        // The lowest value SQS allows: with one reserved execution it keeps throttled receives rare.
        maxConcurrency: 2,
      }),
    );
    this.deployContent(props.contentSource ?? 'content');
    new PublisherMonitoring(this, 'Monitoring', {
      publishFunction: this.publishFunction,
      queue: this.queue,
      deadLetterQueue: this.deadLetterQueue,
      ...alarmTopicOf(this, props),
    });
    acknowledgeNagFindings({
      publishFunction: this.publishFunction,
      publishRole: publisher.role,
      contentBucketArn: this.contentBucket.bucketArn,
      siteBucketArn: this.siteBucket.bucketArn,
      deadLetterQueue: this.deadLetterQueue,
      distribution: this.distribution,
      tracing: props.tracing ?? false,
      customDomain: props.domain !== undefined,
    });
  }

  /**
   * Copies the content folder into the bucket. `prune: false`: a file deleted from the folder
   * stays in the bucket (and in the feeds) until it is removed with `aws s3 rm`, so a deploy from
   * an incomplete checkout never unpublishes articles. The copy raises S3 events, so every deploy
   * ends with a publish.
   */
  private deployContent(source: string): void {
    new s3deploy.BucketDeployment(this, 'DeployContent', {
      sources: [s3deploy.Source.asset(isAbsolute(source) ? source : join(PROJECT_ROOT, source))],
      destinationBucket: this.contentBucket,
      prune: false,
      retainOnDelete: true,
      memoryLimit: 256,
      logGroup: new logs.LogGroup(this, 'DeployContentLogs', { retention: logs.RetentionDays.ONE_MONTH }),
    });
  }
}

/** The topic alarms notify: the given one, a new one with an e-mail subscription, or none. */
function alarmTopicOf(scope: Construct, props: FeedPublisherProps): { alarmTopic?: sns.ITopic } {
  if (props.alarmTopic) return { alarmTopic: props.alarmTopic };
  if (props.alarmEmail === undefined) return {};
  const topic = new sns.Topic(scope, 'AlarmTopic', { enforceSSL: true, displayName: 'Feed publisher alarms' });
  topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
  acknowledgeAlarmEmailTopic(topic);
  return { alarmTopic: topic };
}

/**
 * Least privilege, statement by statement: read the articles and site.yaml, list only under
 * `articles/`, read and write site objects. No wildcard action.
 */
function grantPublisherAccess(role: iam.IRole, contentBucket: s3.IBucket, siteBucket: s3.IBucket): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ sid: 'ReadContent', actions: ['s3:GetObject'], resources: [contentBucket.arnForObjects('articles/*'), contentBucket.arnForObjects('site.yaml')] }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ sid: 'ListArticles', actions: ['s3:ListBucket'], resources: [contentBucket.bucketArn], conditions: { StringLike: { 's3:prefix': ['articles/*'] } } }),
  );
  // DeleteObject: a publish removes the documents it no longer renders (a deleted article's page, an emptied tag's feeds).
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ sid: 'WriteSite', actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: [siteBucket.arnForObjects('*')] }),
  );
  // Without s3:ListBucket, HeadObject/GetObject on a feed not yet written answers 403 instead of 404.
  role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ListSite', actions: ['s3:ListBucket'], resources: [siteBucket.bucketArn] }));
}

/** Article and site.yaml changes (created or removed) go to the queue; nothing else does. */
function subscribeToContent(contentBucket: s3.IBucket, queue: sqs.IQueue): void {
  const destination = new AccountScopedQueueDestination(queue, Stack.of(queue).account);
  for (const event of [s3.EventType.OBJECT_CREATED, s3.EventType.OBJECT_REMOVED]) {
    contentBucket.addEventNotification(event, destination, { prefix: 'articles/', suffix: '.md' });
    contentBucket.addEventNotification(event, destination, { prefix: 'site.yaml', suffix: 'site.yaml' });
  }
}

/**
 * The queue as an S3 notification destination, like `s3n.SqsDestination`, except that S3 may
 * send only for this bucket in this account: a bucket ARN names no account, so with
 * `aws:SourceArn` alone a bucket of the same name in another account (once this one is gone)
 * would match. The queue is SSE-SQS encrypted, so no KMS key policy is needed.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html
 */
class AccountScopedQueueDestination implements s3.IBucketNotificationDestination {
  public constructor(
    private readonly queue: sqs.IQueue,
    private readonly account: string,
  ) {}

  public bind(_scope: Construct, bucket: s3Refs.IBucketRef): s3.BucketNotificationDestinationConfig {
    const conditions = { ArnLike: { 'aws:SourceArn': bucket.bucketRef.bucketArn }, StringEquals: { 'aws:SourceAccount': this.account } };
    this.queue.grantSendMessages(new iam.ServicePrincipal('s3.amazonaws.com', { conditions }));
    return { arn: this.queue.queueArn, type: s3.BucketNotificationDestinationType.QUEUE, dependencies: [this.queue] };
  }
}
