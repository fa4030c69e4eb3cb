import { readFileSync } from 'node:fs';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CACHE_CONTROL_FEED, EDGE_TTL_SECONDS, FRESHNESS_BOUND_SECONDS } from '../../lambdas/core/plan/outputs.js';
import { EDGE_CACHE_TTLS } from '../../infra/constructs/feed-distribution.js';
import { PAGE_CONTENT_SECURITY_POLICY } from '../../lambdas/core/pages/page-template.js';
import { METRIC } from '../../lambdas/shared/metrics.js';
import { PUBLISHER_METRICS } from '../../infra/constructs/publisher-monitoring.js';
import { synthFeedPublisher, type SynthesizedPublisher } from './synth-feed-publisher.js';

/** `{ "Fn::GetAtt": [<logical id of the only resource of this type matching props>, "Arn"] }` */
function arnOf(template: Template, type: string, props: Record<string, unknown> = {}): unknown {
  const ids = Object.keys(template.findResources(type, { Properties: Match.objectLike(props) }));
  expect(ids).toHaveLength(1);
  return { 'Fn::GetAtt': [ids[0], 'Arn'] };
}

function logicalIdOf(template: Template, type: string, props: Record<string, unknown> = {}): string {
  const ids = Object.keys(template.findResources(type, props));
  expect(ids).toHaveLength(1);
  return ids[0] as string;
}

const objectsUnder = (bucketArn: unknown, suffix: string): unknown => ({ 'Fn::Join': ['', [bucketArn, suffix]] });

describe('FeedPublisher', () => {
  let synthesized: SynthesizedPublisher;
  let template: Template;
  let contentBucketId: string;
  let siteBucketId: string;
  let logBucketId: string;

  beforeAll(() => {
    // Prepare / Act: one synthesis with the real handler bundled by the local esbuild.
    synthesized = synthFeedPublisher({}, { bundle: true });
    template = synthesized.template;
    contentBucketId = logicalIdOf(template, 'AWS::S3::Bucket', { Properties: { VersioningConfiguration: { Status: 'Enabled' } } });
    siteBucketId = logicalIdOf(template, 'AWS::S3::Bucket', {
      Properties: { LoggingConfiguration: { LogFilePrefix: 's3/site/' } },
    });
    logBucketId = logicalIdOf(template, 'AWS::S3::Bucket', { Properties: { OwnershipControls: Match.anyValue() } });
  });

  describe('buckets', () => {
    it('keeps the content bucket private, encrypted, versioned, logged and retained', () => {
      // Assess
      template.hasResource('AWS::S3::Bucket', {
        Properties: Match.objectLike({
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
          BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
          VersioningConfiguration: { Status: 'Enabled' },
          LoggingConfiguration: { DestinationBucketName: { Ref: logBucketId }, LogFilePrefix: 's3/content/' },
        }),
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });

    it('adds no auto-delete custom resource to any bucket', () => {
      // Assess
      template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
    });

    it('denies every non-TLS request on each bucket', () => {
      // Assess
      for (const bucketId of [contentBucketId, siteBucketId, logBucketId]) {
        template.hasResourceProperties('AWS::S3::BucketPolicy', {
          Bucket: { Ref: bucketId },
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          },
        });
      }
    });

    it('names no bucket, function or queue physically', () => {
      // Assess
      for (const [type, property] of [
        ['AWS::S3::Bucket', 'BucketName'],
        ['AWS::Lambda::Function', 'FunctionName'],
        ['AWS::SQS::Queue', 'QueueName'],
        ['AWS::CloudFront::Distribution', 'DistributionName'],
      ] as const) {
        const named = template.findResources(type, { Properties: { [property]: Match.anyValue() } });
        expect(Object.keys(named)).toEqual([]);
      }
    });

    it('lets CloudFront write ACL-based logs to the log bucket, which expires them', () => {
      // Assess
      template.hasResourceProperties('AWS::S3::Bucket', {
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 90, Status: 'Enabled' })] },
      });
    });
  });

  describe('site bucket access', () => {
    it('allows only this distribution to get and list the site bucket', () => {
      // Assess
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: siteBucketId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Action: ['s3:GetObject', 's3:ListBucket'],
              Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
              Effect: 'Allow',
              Principal: { Service: 'cloudfront.amazonaws.com' },
              Resource: [{ 'Fn::GetAtt': [siteBucketId, 'Arn'] }, objectsUnder({ 'Fn::GetAtt': [siteBucketId, 'Arn'] }, '/*')],
            },
          ]),
        },
      });
    });

    it('denies CloudFront the private _catalog/ prefix', () => {
      // Assess
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: siteBucketId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Sid: 'DenyCloudFrontPrivatePrefix',
              Action: 's3:GetObject',
              Effect: 'Deny',
              Principal: { Service: 'cloudfront.amazonaws.com' },
              Resource: objectsUnder({ 'Fn::GetAtt': [siteBucketId, 'Arn'] }, '/_catalog/*'),
            },
          ]),
        },
      });
    });
  });

  describe('distribution', () => {
    it('redirects to HTTPS, speaks HTTP/2 and 3, compresses and logs', () => {
      // Assess
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          HttpVersion: 'http2and3',
          DefaultRootObject: 'index.html',
          PriceClass: 'PriceClass_100',
          DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https', Compress: true }),
          Logging: { Bucket: { 'Fn::GetAtt': [logBucketId, 'RegionalDomainName'] }, Prefix: 'cloudfront/' },
          Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue(), S3OriginConfig: { OriginAccessIdentity: '' } })],
        }),
      });
    });

    it('reaches the site bucket through an S3 origin access control that signs every request', () => {
      // Assess
      template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
        OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
      });
    });

    it('caches by the objects Cache-Control with a compression-aware key and nothing forwarded', () => {
      // Assess
      template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
        CachePolicyConfig: {
          MinTTL: EDGE_CACHE_TTLS.minSeconds,
          DefaultTTL: EDGE_TTL_SECONDS,
          MaxTTL: 31_536_000,
          Name: Match.anyValue(),
          Comment: Match.anyValue(),
          ParametersInCacheKeyAndForwardedToOrigin: {
            EnableAcceptEncodingGzip: true,
            EnableAcceptEncodingBrotli: true,
            HeadersConfig: { HeaderBehavior: 'none' },
            CookiesConfig: { CookieBehavior: 'none' },
            QueryStringsConfig: { QueryStringBehavior: 'none' },
          },
        },
      });
    });

    it('lets subscription documents live at the edge for EDGE_TTL_SECONDS and readers for a minute, never stale', () => {
      // Assess: CloudFront takes s-maxage over max-age, within [min, max]; stale-while-revalidate would break the bound
      expect(CACHE_CONTROL_FEED).toMatch(new RegExp(`\\bs-maxage=${EDGE_TTL_SECONDS}\\b`));
      expect(CACHE_CONTROL_FEED).toMatch(/(^|[ ,])max-age=60\b/);
      expect(CACHE_CONTROL_FEED).not.toMatch(/stale-while-revalidate/);
      expect(EDGE_TTL_SECONDS).toBeGreaterThanOrEqual(EDGE_CACHE_TTLS.minSeconds);
      expect(FRESHNESS_BOUND_SECONDS).toBeLessThanOrEqual(5);
    });

    it('keeps a 403 or 404 no longer than a subscription document', () => {
      // Assess
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          CustomErrorResponses: [
            { ErrorCode: 403, ErrorCachingMinTTL: EDGE_TTL_SECONDS },
            { ErrorCode: 404, ErrorCachingMinTTL: EDGE_TTL_SECONDS },
          ],
        }),
      });
    });

    it('adds CORS for any origin on *.json only', () => {
      // Assess
      const corsPolicies = template.findResources('AWS::CloudFront::ResponseHeadersPolicy', {
        Properties: { ResponseHeadersPolicyConfig: { CorsConfig: Match.anyValue() } },
      });
      expect(Object.keys(corsPolicies)).toHaveLength(1);
      const [corsPolicyId] = Object.keys(corsPolicies);
      template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
        ResponseHeadersPolicyConfig: Match.objectLike({
          CorsConfig: Match.objectLike({
            AccessControlAllowOrigins: { Items: ['*'] },
            AccessControlAllowMethods: { Items: ['GET', 'HEAD', 'OPTIONS'] },
            AccessControlAllowCredentials: false,
          }),
        }),
      });
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          CacheBehaviors: Match.arrayWith([Match.objectLike({ PathPattern: '*.json', ResponseHeadersPolicyId: { Ref: corsPolicyId } })]),
        }),
      });
    });

    it('sends HSTS, nosniff, a referrer policy and the pages CSP by default', () => {
      // Assess
      template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
        ResponseHeadersPolicyConfig: Match.objectLike({
          SecurityHeadersConfig: {
            ContentTypeOptions: { Override: true },
            StrictTransportSecurity: { AccessControlMaxAgeSec: 63_072_000, IncludeSubdomains: true, Override: true },
            ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
            FrameOptions: { FrameOption: 'DENY', Override: true },
            ContentSecurityPolicy: { ContentSecurityPolicy: PAGE_CONTENT_SECURITY_POLICY, Override: true },
          },
        }),
      });
    });

    it('sends the pages CSP on *.xml too: a browser gets the feed view there', () => {
      // Assess
      const pagePolicyId = logicalIdOf(template, 'AWS::CloudFront::ResponseHeadersPolicy', {
        Properties: {
          ResponseHeadersPolicyConfig: Match.objectLike({
            SecurityHeadersConfig: Match.objectLike({ ContentSecurityPolicy: { ContentSecurityPolicy: PAGE_CONTENT_SECURITY_POLICY, Override: true } }),
            CorsConfig: Match.absent(),
          }),
        },
      });
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          DefaultCacheBehavior: Match.objectLike({ ResponseHeadersPolicyId: { Ref: pagePolicyId } }),
          CacheBehaviors: Match.arrayWith([Match.objectLike({ PathPattern: '*.xml', ResponseHeadersPolicyId: { Ref: pagePolicyId } })]),
        }),
      });
    });

    it('runs the viewer-request function on every behaviour and the feed view function on the feed behaviours', () => {
      // Assess
      const functionArn = (comment: string) => ({
        'Fn::GetAtt': [logicalIdOf(template, 'AWS::CloudFront::Function', { Properties: Match.objectLike({ FunctionConfig: Match.objectLike({ Comment: comment }) }) }), 'FunctionARN'],
      });
      const viewerRequest = { EventType: 'viewer-request', FunctionARN: functionArn('Feed views, directory index pages and precompressed variants') };
      const feedView = { EventType: 'viewer-response', FunctionARN: functionArn('Vary: Accept on subscription feeds (browsers get their HTML view)') };
      const config = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0]?.Properties.DistributionConfig;
      const byPattern = new Map<string, unknown>([['default', config.DefaultCacheBehavior], ...config.CacheBehaviors.map((b: { PathPattern: string }) => [b.PathPattern, b] as const)]);
      expect([...byPattern.keys()].sort()).toEqual(['*.json', '*.xml', 'default']);
      expect((byPattern.get('default') as { FunctionAssociations: unknown }).FunctionAssociations).toEqual([viewerRequest]);
      expect((byPattern.get('*.json') as { FunctionAssociations: unknown }).FunctionAssociations).toEqual([viewerRequest, feedView]);
      expect((byPattern.get('*.xml') as { FunctionAssociations: unknown }).FunctionAssociations).toEqual([viewerRequest, feedView]);
    });

    it('invalidates nothing on publish', () => {
      // Assess: freshness comes from a short s-maxage and revalidation against S3, not invalidations.
      template.resourceCountIs('Custom::CloudFrontInvalidation', 0);
      template.resourceCountIs('AWS::CloudFront::KeyValueStore', 0);
    });
  });

  describe('trigger', () => {
    it('queues article and site.yaml creations and removals, and nothing else', () => {
      // Prepare
      const queueArn = arnOf(template, 'AWS::SQS::Queue', { RedrivePolicy: Match.anyValue() });
      const rule = (event: string, prefix: string, suffix: string): unknown => ({
        Events: [event],
        Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: suffix }, { Name: 'prefix', Value: prefix }] } },
        QueueArn: queueArn,
      });

      // Assess
      template.hasResourceProperties('Custom::S3BucketNotifications', {
        BucketName: { Ref: contentBucketId },
        NotificationConfiguration: {
          QueueConfigurations: [
            rule('s3:ObjectCreated:*', 'articles/', '.md'),
            rule('s3:ObjectCreated:*', 'site.yaml', 'site.yaml'),
            rule('s3:ObjectRemoved:*', 'articles/', '.md'),
            rule('s3:ObjectRemoved:*', 'site.yaml', 'site.yaml'),
          ],
        },
      });
    });

    it('never notifies on the site bucket, so a publish cannot trigger itself', () => {
      // Assess
      const notified = Object.values(template.findResources('Custom::S3BucketNotifications')).map((r) => r.Properties.BucketName);
      expect(notified).toEqual([{ Ref: contentBucketId }]);
    });

    it('encrypts both queues, requires TLS, and parks an event after 10 receives', () => {
      // Prepare
      const deadLetterArn = arnOf(template, 'AWS::SQS::Queue', { MessageRetentionPeriod: 1_209_600 });

      // Assess
      template.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        RedrivePolicy: { deadLetterTargetArn: deadLetterArn, maxReceiveCount: 10 },
      });
      template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1_209_600 });
      const queuePolicies = Object.values(template.findResources('AWS::SQS::QueuePolicy'));
      expect(queuePolicies).toHaveLength(2);
      for (const policy of queuePolicies) {
        expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
          expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        );
      }
    });

    it('lets only the content bucket of this account send to the queue', () => {
      // Assess
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: Match.arrayWith(['sqs:SendMessage']),
              Principal: { Service: 's3.amazonaws.com' },
              Condition: {
                ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [contentBucketId, 'Arn'] } },
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              },
            }),
          ]),
        },
      });
    });

    it('keeps a message invisible for 6 function timeouts plus the batching window', () => {
      // Assess
      template.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: Match.anyValue(), VisibilityTimeout: 6 * 300 + 2 });
    });

    it('feeds the function batches of up to 100 events gathered over 2 s, reporting partial failures', () => {
      // Assess
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: arnOf(template, 'AWS::SQS::Queue', { RedrivePolicy: Match.anyValue() }),
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: 2,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 2 },
      });
    });
  });

  describe('publish function', () => {
    it('runs one at a time on the newest Node runtime on arm64 with 1024 MB and 5 minutes', () => {
      // Assess
      template.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: 1024,
        Timeout: 300,
        ReservedConcurrentExecutions: 1,
      });
    });

    it('receives the buckets, their owner account, the public base URL and the Powertools settings', () => {
      // Assess
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: {
            CONTENT_BUCKET: { Ref: contentBucketId },
            SITE_BUCKET: { Ref: siteBucketId },
            EXPECTED_BUCKET_OWNER: { Ref: 'AWS::AccountId' },
            PUBLIC_BASE_URL: {
              'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::CloudFront::Distribution'), 'DomainName'] }, '/']],
            },
            POWERTOOLS_SERVICE_NAME: 'feed-publisher',
            POWERTOOLS_METRICS_NAMESPACE: 'FeedPublisher',
            NODE_OPTIONS: '--enable-source-maps',
          },
        },
      });
    });

    it('logs to its own log group with a one-month retention', () => {
      // Assess
      const fn = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Runtime: 'nodejs24.x' } }))[0];
      const logGroupId = fn?.Properties.LoggingConfig.LogGroup.Ref as string;
      expect(template.toJSON().Resources[logGroupId]).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } });
    });

    it('has no tracing unless asked', () => {
      // Assess
      const fn = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Runtime: 'nodejs24.x' } }))[0];
      expect(fn?.Properties.TracingConfig).toBeUndefined();
    });

    it('bundles the handler as an ES module with the require shim and a source map', () => {
      // Prepare
      const fn = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Runtime: 'nodejs24.x' } }))[0];
      const hash = String(fn?.Properties.Code.S3Key).replace(/\.zip$/, '');
      const assetDir = `${synthesized.app.synth().directory}/asset.${hash}`;

      // Act
      const bundle = readFileSync(`${assetDir}/index.mjs`, 'utf8');

      // Assess
      expect(bundle.startsWith("import { createRequire as topLevelCreateRequire } from 'node:module';")).toBe(true);
      expect(bundle).toContain('sourceMappingURL=index.mjs.map');
      expect(readFileSync(`${assetDir}/index.mjs.map`, 'utf8')).toContain('publish/handler.ts');
    });

    it('ships the parse worker beside the handler, without the AWS SDK', () => {
      // Prepare
      const fn = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Runtime: 'nodejs24.x' } }))[0];
      const assetDir = `${synthesized.app.synth().directory}/asset.${String(fn?.Properties.Code.S3Key).replace(/\.zip$/, '')}`;

      // Act
      const worker = readFileSync(`${assetDir}/parse-worker.mjs`, 'utf8');

      // Assess
      expect(worker.startsWith("import { createRequire as topLevelCreateRequire } from 'node:module';")).toBe(true);
      expect(worker).not.toContain('@aws-sdk/');
      expect(readFileSync(`${assetDir}/parse-worker.mjs.map`, 'utf8')).toContain('publish/parse-worker.ts');
    });
  });

  describe('permissions', () => {
    const publishLogGroupId = (): string => {
      const fn = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Runtime: 'nodejs24.x' } }))[0];
      return fn?.Properties.LoggingConfig.LogGroup.Ref as string;
    };

    it('grants exactly: logs, read articles and site.yaml, list articles/, read and write site objects, consume the queue', () => {
      // Prepare
      const content = { 'Fn::GetAtt': [contentBucketId, 'Arn'] };
      const site = { 'Fn::GetAtt': [siteBucketId, 'Arn'] };
      const roleId = logicalIdOf(template, 'AWS::IAM::Role', { Properties: { Description: Match.stringLikeRegexp('Feed publisher') } });

      // Assess
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: roleId }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [publishLogGroupId(), 'Arn'] } },
            { Sid: 'ReadContent', Action: 's3:GetObject', Effect: 'Allow', Resource: [objectsUnder(content, '/articles/*'), objectsUnder(content, '/site.yaml')] },
            { Sid: 'ListArticles', Action: 's3:ListBucket', Effect: 'Allow', Resource: content, Condition: { StringLike: { 's3:prefix': ['articles/*'] } } },
            { Sid: 'WriteSite', Action: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'], Effect: 'Allow', Resource: objectsUnder(site, '/*') },
            { Sid: 'ListSite', Action: 's3:ListBucket', Effect: 'Allow', Resource: site },
            {
              Action: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
              Effect: 'Allow',
              Resource: arnOf(template, 'AWS::SQS::Queue', { RedrivePolicy: Match.anyValue() }),
            },
          ],
        },
      });
    });

    it('attaches no managed policy to the publish role', () => {
      // Assess
      template.hasResourceProperties('AWS::IAM::Role', { Description: Match.stringLikeRegexp('Feed publisher'), ManagedPolicyArns: Match.absent() });
    });

    it('uses no wildcard action in the publish role policy', () => {
      // Prepare
      const roleId = logicalIdOf(template, 'AWS::IAM::Role', { Properties: { Description: Match.stringLikeRegexp('Feed publisher') } });
      const policy = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }))[0];

      // Act
      const actions = (policy?.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).flatMap((s) => s.Action);

      // Assess
      expect(actions.filter((action) => action.includes('*'))).toEqual([]);
    });
  });

  describe('content deployment', () => {
    it('copies the content folder into the content bucket without pruning and keeps it on delete', () => {
      // Assess
      template.hasResourceProperties('Custom::CDKBucketDeployment', {
        DestinationBucketName: { Ref: contentBucketId },
        Prune: false,
        RetainOnDelete: true,
      });
    });
  });

  describe('operations', () => {
    it('alarms on any dead letter', () => {
      // Assess
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', { Properties: { MessageRetentionPeriod: 1_209_600 } }), 'QueueName'] } }],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        TreatMissingData: 'notBreaching',
      });
    });

    it('alarms on any publish error', () => {
      // Assess
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'Errors',
        Namespace: 'AWS/Lambda',
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        Statistic: 'Sum',
      });
    });

    it('alarms on any quarantined article', () => {
      // Assess
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ArticlesQuarantined',
        Namespace: 'FeedPublisher',
        Dimensions: [{ Name: 'service', Value: 'feed-publisher' }],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        Statistic: 'Sum',
        TreatMissingData: 'notBreaching',
      });
    });

    it('notifies no one when neither alarmEmail nor alarmTopic is set', () => {
      // Assess
      template.resourceCountIs('AWS::SNS::Topic', 0);
      for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) expect(alarm.Properties.AlarmActions).toBeUndefined();
    });

    it('charts publishes, rejected input, duration, queue age and dead letters on one dashboard', () => {
      // Prepare
      const dashboard = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0];

      // Act
      const body = JSON.stringify(synthesized.stack.resolve(dashboard?.Properties.DashboardBody));

      // Assess
      for (const text of ['Publishes', 'Rejected input', 'Publish duration', 'ApproximateAgeOfOldestMessage', 'Dead letters', 'ArticlesRejected', 'ArticlesQuarantined', 'DocumentsWritten']) {
        expect(body).toContain(text);
      }
    });

    it('charts the metric names the function emits', () => {
      // Assess
      expect({
        articlesPublished: PUBLISHER_METRICS.articlesPublished,
        articlesRejected: PUBLISHER_METRICS.articlesRejected,
        articlesQuarantined: PUBLISHER_METRICS.articlesQuarantined,
        documentsWritten: PUBLISHER_METRICS.documentsWritten,
        siteConfigRejected: PUBLISHER_METRICS.siteConfigRejected,
      }).toEqual({
        articlesPublished: METRIC.articlesPublished,
        articlesQuarantined: METRIC.articlesQuarantined,
        articlesRejected: METRIC.articlesRejected,
        documentsWritten: METRIC.documentsWritten,
        siteConfigRejected: METRIC.siteConfigRejected,
      });
    });
  });

  describe('public members', () => {
    it('exposes the three feed URLs on the distribution domain', () => {
      // Act
      const urls = synthesized.stack.resolve(synthesized.publisher.feedUrls);

      // Assess
      const domain = { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::CloudFront::Distribution'), 'DomainName'] };
      expect(urls).toEqual({
        rss: { 'Fn::Join': ['', ['https://', domain, '/rss.xml']] },
        atom: { 'Fn::Join': ['', ['https://', domain, '/atom.xml']] },
        json: { 'Fn::Join': ['', ['https://', domain, '/feed.json']] },
      });
    });
  });
});
