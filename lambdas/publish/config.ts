import { FeedPublisherError } from '../core/errors.js';

/** Settings of the publish function, read once from its environment. */
export interface PublisherConfig {
  /** Bucket holding `site.yaml` and `articles/**\/*.md` (the trigger's source). */
  readonly contentBucket: string;
  /** Bucket the feeds are written to (served by CloudFront; never the trigger's source). */
  readonly siteBucket: string;
  /** Public base URL of the site; when set it replaces site.yaml's `siteUrl`. */
  readonly publicBaseUrl?: string;
}

/** A required environment variable is missing or invalid. */
export class ConfigError extends FeedPublisherError {}

/**
 * Reads CONTENT_BUCKET, SITE_BUCKET and the optional PUBLIC_BASE_URL into a frozen object.
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
  return Object.freeze({ contentBucket, siteBucket, ...(publicBaseUrl ? { publicBaseUrl } : {}) });
}

function requireVariable(env: Record<string, string | undefined>, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`Missing environment variable ${name}`);
  return value;
}
