import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type { Construct } from 'constructs';
import { FeedPublisher, type FeedPublisherProps } from './constructs/feed-publisher.js';

/** Settings of one deployment of the publisher. */
export interface FeedPublisherStackProps extends StackProps {
  /**
   * Passed to the construct as is; when left out, they are read from CDK context
   * (`cdk deploy -c alarmEmail=… -c domainName=… -c certificateArn=… -c tracing=true`).
   * @default - built from context
   */
  readonly publisher?: FeedPublisherProps;
}

/**
 * One feed publisher and the outputs an operator needs: the feed URLs, the content bucket and
 * a ready command to add an article.
 */
export class FeedPublisherStack extends Stack {
  /** The publisher. */
  public readonly publisher: FeedPublisher;

  public constructor(scope: Construct, id: string, props: FeedPublisherStackProps = {}) {
    super(scope, id, { description: 'Serverless syndication feed publisher (RSS, Atom, JSON Feed)', ...props });
    this.publisher = new FeedPublisher(this, 'FeedPublisher', props.publisher ?? this.publisherPropsFromContext());
    new CfnOutput(this, 'RssFeedUrl', { value: this.publisher.feedUrls.rss, description: 'RSS 2.0 feed' });
    new CfnOutput(this, 'AtomFeedUrl', { value: this.publisher.feedUrls.atom, description: 'Atom 1.0 feed' });
    new CfnOutput(this, 'JsonFeedUrl', { value: this.publisher.feedUrls.json, description: 'JSON Feed 1.1' });
    new CfnOutput(this, 'DistributionDomainName', {
      value: this.publisher.distribution.distributionDomainName,
      description: 'Point the custom domain (CNAME or alias record) here',
    });
    new CfnOutput(this, 'ContentBucketName', { value: this.publisher.contentBucket.bucketName, description: 'Upload site.yaml and articles/**/*.md here' });
    new CfnOutput(this, 'AddArticleCommand', {
      value: `aws s3 cp my-article.md s3://${this.publisher.contentBucket.bucketName}/articles/my-article.md`,
      description: 'Publishes an article (the feeds update within seconds)',
    });
  }

  /** Stage settings from `-c key=value` or cdk.json context. */
  private publisherPropsFromContext(): FeedPublisherProps {
    const context = (key: string): string | undefined => {
      const value: unknown = this.node.tryGetContext(key);
      return typeof value === 'string' && value !== '' ? value : undefined;
    };
    const domainName = context('domainName');
    const certificateArn = context('certificateArn');
    const alarmEmail = context('alarmEmail');
    if ((domainName === undefined) !== (certificateArn === undefined)) {
      throw new Error('FeedPublisherStack: set both domainName and certificateArn (context), or neither');
    }
    return {
      ...(domainName && certificateArn
        ? { domain: { domainName, certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', certificateArn) } }
        : {}),
      ...(alarmEmail ? { alarmEmail } : {}),
      tracing: context('tracing') === 'true',
    };
  }
}
