import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type { Construct } from 'constructs';
import { FeedPublisher, type FeedPublisherProps } from './constructs/feed-publisher.js';
import type { ResolvedPartnerAccess } from './constructs/partner-access.js';

/** Settings of one deployment of the publisher. */
export interface FeedPublisherStackProps extends StackProps {
  /**
   * Passed to the construct as is; when left out, they are read from CDK context
   * (`cdk deploy -c alarmEmail=… -c domainName=… -c certificateArn=… -c tracing=true
   * -c partnerAccess=true -c partnerTokenHeader=x-feed-token`).
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
    new CfnOutput(this, 'SiteBucketName', { value: this.publisher.siteBucket.bucketName, description: 'Published documents (for npm run rebuild)' });
    new CfnOutput(this, 'PublishFunctionName', { value: this.publisher.publishFunction.functionName, description: 'Invoke with {"rebuild": true} to rebuild everything' });
    new CfnOutput(this, 'AddArticleCommand', {
      value: `aws s3 cp my-article.md s3://${this.publisher.contentBucket.bucketName}/articles/my-article.md`,
      description: 'Publishes an article (the feeds update within seconds)',
    });
    if (this.publisher.partnerAccess) this.outputPartnerAccess(this.publisher.partnerAccess);
  }

  /** Where operators put partner token digests, and the command that does it. */
  private outputPartnerAccess(access: ResolvedPartnerAccess): void {
    const arn = access.keyValueStore.keyValueStoreArn;
    new CfnOutput(this, 'PartnerTokenStoreArn', { value: arn, description: 'KeyValueStore of SHA-256 digests of partner tokens' });
    new CfnOutput(this, 'PartnerTokenHeader', { value: access.headerName, description: 'Request header partners send their token in' });
    new CfnOutput(this, 'AddPartnerTokenCommand', {
      value:
        `aws cloudfront-keyvaluestore put-key --kvs-arn ${arn} --key "$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)" --value "<partner>" ` +
        `--if-match "$(aws cloudfront-keyvaluestore describe-key-value-store --kvs-arn ${arn} --query ETag --output text)"`,
      description: 'Accepts the token in $TOKEN for the JSON Feed (within seconds, no deploy)',
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
    const partnerHeader = context('partnerTokenHeader');
    if ((domainName === undefined) !== (certificateArn === undefined)) {
      throw new Error('FeedPublisherStack: set both domainName and certificateArn (context), or neither');
    }
    return {
      ...(domainName && certificateArn
        ? { domain: { domainName, certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', certificateArn) } }
        : {}),
      ...(alarmEmail ? { alarmEmail } : {}),
      tracing: context('tracing') === 'true',
      ...(context('partnerAccess') === 'true' ? { partnerAccess: partnerHeader ? { headerName: partnerHeader } : {} } : {}),
    };
  }
}
