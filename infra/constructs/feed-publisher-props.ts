import { type Duration, Token } from 'aws-cdk-lib';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { checkPartnerHeaderName, type PartnerAccess } from './partner-access.js';

/** A custom domain for the feeds. */
export interface FeedDomain {
  /** The name readers use, e.g. `feeds.example.com`; point a CNAME or alias record at the distribution. */
  readonly domainName: string;
  /** A certificate covering `domainName`, issued in us-east-1 (a CloudFront requirement). */
  readonly certificate: ICertificate;
}

/** Settings of the `FeedPublisher` construct (feed-publisher.ts). */
export interface FeedPublisherProps {
  /**
   * A bucket that already holds `site.yaml` and `articles/`; the publisher subscribes to it.
   * @default - a new private, versioned, retained content bucket with access logs
   */
  readonly existingContentBucket?: s3.IBucket;
  /**
   * Serve the feeds on a custom domain.
   * @default - the distribution's `*.cloudfront.net` name
   */
  readonly domain?: FeedDomain;
  /**
   * How long the publish function's logs are kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * An e-mail address subscribed to a new alarm topic. Excludes `alarmTopic`.
   * @default - no subscription
   */
  readonly alarmEmail?: string;
  /**
   * An existing topic notified by the alarms. Excludes `alarmEmail`.
   * @default - a new topic only when `alarmEmail` is set, otherwise the alarms notify no one
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Trace every publish with AWS X-Ray.
   * @default false
   */
  readonly tracing?: boolean;
  /**
   * Folder deployed into the content bucket on every deploy (new and changed files only; files
   * removed from the folder stay in the bucket). Relative paths start at the project root.
   * @default 'content'
   */
  readonly contentSource?: string;
  /**
   * Memory of the publish function in MB (128 to 10240). Sized from `npm run bench`: an
   * incremental publish at 100,000 articles holds a 9 MB catalog and peaks well under 300 MB,
   * but a full rebuild of 10,000 articles peaked at 537 MiB RSS with an uncapped heap (315 MiB
   * capped at 256 MiB); 1024 MB leaves room for both and doubles the CPU share of 512 MB.
   * @default 1024
   */
  readonly memorySize?: number;
  /**
   * Longest publish run (at most 15 minutes); the queue's visibility timeout follows it.
   * Incremental publishes take well under a second; the limit is for full rebuilds, which ran
   * 66 s for 10,000 articles on the local S3 API in the benchmark. Larger archives should raise
   * it or rebuild from a workstation with `npm run rebuild`.
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;
  /**
   * CloudFront edge locations to pay for.
   * @default cloudfront.PriceClass.PRICE_CLASS_100
   */
  readonly priceClass?: cloudfront.PriceClass;
  /**
   * Keep the JSON Feed (every `*.json` path: `feed.json`, per-language, tag and archive feeds)
   * for partners: a CloudFront Function answers 403 unless the request carries a token whose
   * SHA-256 digest is a key of a CloudFront KeyValueStore. The URLs stay the same, tokens do not
   * expire, and RSS, Atom and the pages stay public. Tokens are added and revoked with the AWS
   * CLI, without a deploy.
   * @default - no partner access: the JSON Feed is public
   */
  readonly partnerAccess?: PartnerAccess;
}

/** Props that contradict each other or are out of range; thrown at synth time. */
export class FeedPublisherPropsError extends Error {
  public constructor(scope: Construct, reason: string) {
    super(`FeedPublisher ${scope.node.path}: ${reason}`);
    this.name = 'FeedPublisherPropsError';
  }
}

/** Throws at synth time, naming the props that clash or are out of range. */
export function validateProps(scope: Construct, props: FeedPublisherProps): void {
  if (props.alarmEmail !== undefined && props.alarmTopic !== undefined) {
    throw new FeedPublisherPropsError(scope, 'set either alarmEmail or alarmTopic, not both');
  }
  const memory = props.memorySize;
  if (memory !== undefined && !Token.isUnresolved(memory) && (!Number.isInteger(memory) || memory < 128 || memory > 10_240)) {
    throw new FeedPublisherPropsError(scope, `memorySize must be an integer from 128 to 10240, got ${memory}`);
  }
  const timeout = props.timeout?.toSeconds();
  if (timeout !== undefined && (timeout < 1 || timeout > 900)) {
    throw new FeedPublisherPropsError(scope, `timeout must be from 1 to 900 seconds, got ${timeout}`);
  }
  const headerName = props.partnerAccess?.headerName;
  const headerProblem = headerName === undefined || Token.isUnresolved(headerName) ? undefined : checkPartnerHeaderName(headerName);
  if (headerProblem !== undefined) throw new FeedPublisherPropsError(scope, headerProblem);
}
