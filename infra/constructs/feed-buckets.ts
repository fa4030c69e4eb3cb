import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

/** Settings every bucket of the publisher shares: private, encrypted, TLS only, kept on delete. */
const SECURE_BUCKET_DEFAULTS = {
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  encryption: s3.BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  removalPolicy: RemovalPolicy.RETAIN,
  autoDeleteObjects: false,
} as const satisfies s3.BucketProps;

/**
 * Receives S3 server access logs (through a bucket policy) and CloudFront standard logs
 * (which are written with ACLs, hence object-writer-compatible ownership). Logs expire.
 */
export function createLogBucket(scope: Construct, id: string): s3.Bucket {
  return new s3.Bucket(scope, id, {
    ...SECURE_BUCKET_DEFAULTS,
    // CloudFront standard logging needs ACLs; "bucket owner enforced" would reject its writes.
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
    lifecycleRules: [{ id: 'ExpireLogs', expiration: Duration.days(90) }],
  });
}

/**
 * Holds the Markdown sources: versioned so an overwritten or deleted article can be restored,
 * and retained when the stack is deleted.
 */
export function createContentBucket(scope: Construct, id: string, logBucket: s3.IBucket): s3.Bucket {
  return new s3.Bucket(scope, id, {
    ...SECURE_BUCKET_DEFAULTS,
    versioned: true,
    serverAccessLogsBucket: logBucket,
    serverAccessLogsPrefix: 's3/content/',
    // Old versions are only an undo buffer; keep them a while, not forever.
    lifecycleRules: [{ id: 'ExpireOldVersions', noncurrentVersionExpiration: Duration.days(90) }],
  });
}

/**
 * Holds the published feeds, read only by CloudFront through Origin Access Control. Its content
 * is derived (the publisher can rebuild it), but it is retained too so a stack deletion never
 * takes the feeds down by surprise.
 */
export function createSiteBucket(scope: Construct, id: string, logBucket: s3.IBucket): s3.Bucket {
  return new s3.Bucket(scope, id, {
    ...SECURE_BUCKET_DEFAULTS,
    serverAccessLogsBucket: logBucket,
    serverAccessLogsPrefix: 's3/site/',
  });
}
