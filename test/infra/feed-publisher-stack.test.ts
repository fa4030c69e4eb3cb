import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FeedPublisherStack } from '../../infra/feed-publisher-stack.js';
import { CDK_CONTEXT } from './synth-feed-publisher.js';

function synthStack(context: Record<string, string> = {}): Template {
  const app = new App({ context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context } });
  return Template.fromStack(new FeedPublisherStack(app, 'FeedPublisher'));
}

describe('FeedPublisherStack', () => {
  let template: Template;
  let distributionDomain: unknown;
  let contentBucket: unknown;

  beforeAll(() => {
    // Prepare / Act
    template = synthStack();
    const [distributionId] = Object.keys(template.findResources('AWS::CloudFront::Distribution'));
    distributionDomain = { 'Fn::GetAtt': [distributionId, 'DomainName'] };
    const [contentId] = Object.keys(template.findResources('AWS::S3::Bucket', { Properties: { VersioningConfiguration: Match.anyValue() } }));
    contentBucket = { Ref: contentId };
  });

  it('outputs the three feed URLs', () => {
    // Assess
    for (const [output, file] of [['RssFeedUrl', 'rss.xml'], ['AtomFeedUrl', 'atom.xml'], ['JsonFeedUrl', 'feed.json']] as const) {
      template.hasOutput(output, { Value: { 'Fn::Join': ['', ['https://', distributionDomain, `/${file}`]] } });
    }
  });

  it('outputs the distribution name a custom domain points to', () => {
    // Assess
    template.hasOutput('DistributionDomainName', { Value: distributionDomain });
  });

  it('outputs the content bucket name and a ready command to add an article', () => {
    // Assess
    template.hasOutput('ContentBucketName', { Value: contentBucket });
    template.hasOutput('AddArticleCommand', { Value: { 'Fn::Join': ['', ['aws s3 cp my-article.md s3://', contentBucket, '/articles/my-article.md']] } });
  });

  it('outputs the site bucket and the function a rebuild needs', () => {
    // Prepare
    const [functionId] = Object.keys(template.findResources('AWS::Lambda::Function', { Properties: { ReservedConcurrentExecutions: 1 } }));
    const siteIds = Object.keys(template.findResources('AWS::S3::Bucket', { Properties: { OwnershipControls: Match.absent(), VersioningConfiguration: Match.absent() } }));

    // Assess
    expect(siteIds).toHaveLength(1);
    template.hasOutput('SiteBucketName', { Value: { Ref: siteIds[0] } });
    template.hasOutput('PublishFunctionName', { Value: { Ref: functionId } });
  });

  it('reads a custom domain, an alarm e-mail and tracing from context', () => {
    // Act
    const configured = synthStack({
      domainName: 'feeds.example.com',
      certificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/abc',
      alarmEmail: 'ops@example.com',
      tracing: 'true',
    });

    // Assess
    configured.hasResourceProperties('AWS::CloudFront::Distribution', { DistributionConfig: Match.objectLike({ Aliases: ['feeds.example.com'] }) });
    configured.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    configured.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs24.x', TracingConfig: { Mode: 'Active' } });
    configured.hasOutput('RssFeedUrl', { Value: 'https://feeds.example.com/rss.xml' });
  });

  it('rejects a domain name without a certificate', () => {
    // Act / Assess
    expect(() => synthStack({ domainName: 'feeds.example.com' })).toThrow(/both domainName and certificateArn/);
  });
});
