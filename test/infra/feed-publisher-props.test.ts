import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duration, type Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { FeedPublisherPropsError } from '../../infra/constructs/feed-publisher.js';
import { synthFeedPublisher } from './synth-feed-publisher.js';

const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:111122223333:certificate/11111111-2222-3333-4444-555555555555';

function withDomain(stack: Stack): { domain: { domainName: string; certificate: acm.ICertificate } } {
  return { domain: { domainName: 'feeds.example.com', certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE_ARN) } };
}

describe('FeedPublisher props', () => {
  describe('existingContentBucket', () => {
    it('subscribes to, reads from and deploys into the given bucket instead of creating one', () => {
      // Prepare / Act
      const { template, stack } = synthFeedPublisher({}, { extend: (s) => ({ existingContentBucket: s3.Bucket.fromBucketName(s, 'Content', 'my-articles') }) });

      // Assess
      template.resourceCountIs('AWS::S3::Bucket', 2);
      template.hasResourceProperties('Custom::S3BucketNotifications', { BucketName: 'my-articles' });
      template.hasResourceProperties('Custom::CDKBucketDeployment', { DestinationBucketName: 'my-articles' });
      template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ CONTENT_BUCKET: 'my-articles' }) } });
      const policy = JSON.stringify(stack.resolve(template.toJSON().Resources));
      expect(policy).toContain(':s3:::my-articles/articles/*');
      expect(policy).toContain(':s3:::my-articles/site.yaml');
    });
  });

  describe('domain', () => {
    it('serves the custom name with its certificate over TLS 1.2 or later', () => {
      // Prepare / Act
      const { template } = synthFeedPublisher({}, { extend: withDomain });

      // Assess
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          Aliases: ['feeds.example.com'],
          ViewerCertificate: { AcmCertificateArn: CERTIFICATE_ARN, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' },
        }),
      });
    });

    it('links the feeds to the custom name', () => {
      // Prepare / Act
      const { template, publisher } = synthFeedPublisher({}, { extend: withDomain });

      // Assess
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ PUBLIC_BASE_URL: 'https://feeds.example.com/' }) },
      });
      expect(publisher.feedUrls).toEqual({
        rss: 'https://feeds.example.com/rss.xml',
        atom: 'https://feeds.example.com/atom.xml',
        json: 'https://feeds.example.com/feed.json',
      });
    });
  });

  describe('alarm targets', () => {
    it('creates a TLS-only topic with the e-mail subscription and wires both alarms to it', () => {
      // Prepare / Act
      const { template } = synthFeedPublisher({ alarmEmail: 'ops@example.com' });

      // Assess
      const [topicId] = Object.keys(template.findResources('AWS::SNS::Topic'));
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: topicId } });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
      const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
      expect(alarms).toHaveLength(3);
      for (const alarm of alarms) {
        expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
        expect(alarm.Properties.OKActions).toEqual([{ Ref: topicId }]);
      }
    });

    it('notifies a given topic without creating one', () => {
      // Prepare / Act
      const topicArn = 'arn:aws:sns:eu-west-1:111122223333:ops';
      const { template } = synthFeedPublisher({}, { extend: (s) => ({ alarmTopic: sns.Topic.fromTopicArn(s, 'Ops', topicArn) }) });

      // Assess
      template.resourceCountIs('AWS::SNS::Topic', 0);
      for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) expect(alarm.Properties.AlarmActions).toEqual([topicArn]);
    });

    it('rejects alarmEmail together with alarmTopic, naming both', () => {
      // Prepare
      const build = (): unknown =>
        synthFeedPublisher({ alarmEmail: 'ops@example.com' }, { extend: (s) => ({ alarmTopic: new sns.Topic(s, 'Ops') }) });

      // Act / Assess
      expect(build).toThrow(FeedPublisherPropsError);
      expect(build).toThrow(/alarmEmail or alarmTopic, not both/);
    });
  });

  describe('function sizing', () => {
    it('applies memorySize and timeout, and stretches the queue visibility timeout to match', () => {
      // Prepare / Act
      const { template } = synthFeedPublisher({ memorySize: 1024, timeout: Duration.seconds(120) });

      // Assess
      template.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs24.x', MemorySize: 1024, Timeout: 120 });
      template.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: Match.anyValue(), VisibilityTimeout: 6 * 120 + 2 });
    });

    it.each([100, 10_241, 256.5])('rejects memorySize %s, naming it', (memorySize) => {
      // Act / Assess
      expect(() => synthFeedPublisher({ memorySize })).toThrow(/memorySize must be an integer from 128 to 10240/);
    });

    it.each([Duration.seconds(0), Duration.minutes(16)])('rejects timeout %s, naming it', (timeout) => {
      // Act / Assess
      expect(() => synthFeedPublisher({ timeout })).toThrow(/timeout must be from 1 to 900 seconds/);
    });
  });

  describe('tracing', () => {
    it('turns on active X-Ray tracing with its write permissions', () => {
      // Prepare / Act
      const { template } = synthFeedPublisher({ tracing: true });

      // Assess
      template.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs24.x', TracingConfig: { Mode: 'Active' } });
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Resource: '*' })]) },
      });
    });
  });

  describe('logRetention and priceClass', () => {
    it('applies them', () => {
      // Prepare / Act
      const { template } = synthFeedPublisher({ logRetention: logs.RetentionDays.ONE_YEAR, priceClass: cloudfront.PriceClass.PRICE_CLASS_ALL });

      // Assess
      const fn = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Runtime: 'nodejs24.x' } }))[0];
      expect(template.toJSON().Resources[fn?.Properties.LoggingConfig.LogGroup.Ref]).toMatchObject({ Properties: { RetentionInDays: 365 } });
      template.hasResourceProperties('AWS::CloudFront::Distribution', { DistributionConfig: Match.objectLike({ PriceClass: 'PriceClass_All' }) });
    });
  });

  describe('contentSource', () => {
    it('deploys the given folder instead of content/', () => {
      // Prepare
      const folder = mkdtempSync(join(tmpdir(), 'content-source-'));
      writeFileSync(join(folder, 'site.yaml'), 'title: Elsewhere\n');
      const sourceKeys = (template: Template): unknown =>
        Object.values(template.findResources('Custom::CDKBucketDeployment'))[0]?.Properties.SourceObjectKeys;

      // Act
      const own = synthFeedPublisher({ contentSource: folder }).template;
      const fallback = synthFeedPublisher().template;

      // Assess
      expect(sourceKeys(own)).toHaveLength(1);
      expect(sourceKeys(own)).not.toEqual(sourceKeys(fallback));
      rmSync(folder, { recursive: true, force: true });
    });
  });

  describe('viewer-request function', () => {
    it('routes without a token and adds no custom response header but Vary', () => {
      // Prepare / Act
      const { template } = synthFeedPublisher();

      // Assess
      template.hasResourceProperties('AWS::CloudFront::Function', { FunctionConfig: Match.objectLike({ Comment: 'Feed views, directory index pages and precompressed variants' }) });
      const policies = Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy')) as { Properties: { ResponseHeadersPolicyConfig: { CustomHeadersConfig?: { Items: { Header: string }[] } } } }[];
      const headers = policies.flatMap((policy) => policy.Properties.ResponseHeadersPolicyConfig.CustomHeadersConfig?.Items ?? []).map((item) => item.Header);
      expect(new Set(headers)).toEqual(new Set(['Vary']));
    });
  });
});
