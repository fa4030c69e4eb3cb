import { FeedPublisherError } from '../core/errors.js';

/** Settings of the publish function, read once from its environment. */
export interface PublisherConfig {
  /** Bucket holding `site.yaml` and `articles/**\/*.md` (the trigger's source). */
  readonly contentBucket: string;
  /** Bucket the feeds are written to (served by CloudFront; never the trigger's source). */
  readonly siteBucket: string;
  /** Public base URL of the site; when set it replaces site.yaml's `siteUrl`. */
  readonly publicBaseUrl?: string;
  /**
   * Account that owns both buckets, sent as `ExpectedBucketOwner` on every S3 call, so a bucket
   * name that now belongs to someone else is refused by S3. Unset locally.
   */
  readonly expectedBucketOwner?: string;
  /** The local preview: a WebSub hub may then be plain http on a loopback address. Never set when deployed. */
  readonly localPreview?: boolean;
  /** The edge serves the JSON Feed to partners only (a token): public documents must not name it. */
  readonly partnerAccess?: boolean;
}

/** A required environment variable is missing or invalid. */
export class ConfigError extends FeedPublisherError {}

/**
 * Reads CONTENT_BUCKET, SITE_BUCKET and the optional PUBLIC_BASE_URL, EXPECTED_BUCKET_OWNER (a
 * 12-digit account id), LOCAL_PREVIEW and PARTNER_ACCESS (`true` or `false`) into a frozen object.
 * Throws {@link ConfigError} naming the variable that is missing or wrong, so a broken
 * deployment fails at cold start rather than at the first event.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): PublisherConfig {
  const contentBucket = requireVariable(env, 'CONTENT_BUCKET');
  const siteBucket = requireVariable(env, 'SITE_BUCKET');
  if (contentBucket === siteBucket) {
    // A function that writes into the bucket that triggers it would run in a loop.
    throw new ConfigError('CONTENT_BUCKET and SITE_BUCKET must name different buckets');
  }
  const publicBaseUrl = env.PUBLIC_BASE_URL?.trim() || undefined;
  if (publicBaseUrl !== undefined && !/^https?:\/\//.test(publicBaseUrl)) {
    throw new ConfigError(`PUBLIC_BASE_URL must be an absolute http(s) URL, got "${publicBaseUrl}"`);
  }
  const expectedBucketOwner = env.EXPECTED_BUCKET_OWNER?.trim() || undefined;
  if (expectedBucketOwner !== undefined && !/^\d{12}$/.test(expectedBucketOwner)) {
    throw new ConfigError(`EXPECTED_BUCKET_OWNER must be a 12-digit account id, got "${expectedBucketOwner}"`);
  }
  return Object.freeze({
    contentBucket,
    siteBucket,
    ...(publicBaseUrl ? { publicBaseUrl } : {}),
    ...(expectedBucketOwner ? { expectedBucketOwner } : {}),
    ...(readSwitch(env, 'LOCAL_PREVIEW') ? { localPreview: true } : {}),
    ...(readSwitch(env, 'PARTNER_ACCESS') ? { partnerAccess: true } : {}),
  });
}

/** An optional `true`/`false` variable; anything else is a mistake worth failing on. */
function readSwitch(env: Record<string, string | undefined>, name: string): boolean {
  const value = env[name]?.trim().toLowerCase() || 'false';
  if (value !== 'true' && value !== 'false') throw new ConfigError(`${name} must be true or false, got "${value}"`);
  return value === 'true';
}

function requireVariable(env: Record<string, string | undefined>, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`Missing environment variable ${name}`);
  return value;
}
