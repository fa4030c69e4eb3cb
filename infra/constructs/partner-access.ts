import { createHash } from 'node:crypto';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type { Construct } from 'constructs';
import { CACHE_CONTROL_FEED } from '../../lambdas/core/plan/outputs.js';

/** Request header partners send their token in, unless the construct is told another name. */
export const DEFAULT_PARTNER_TOKEN_HEADER = 'x-feed-token';

/**
 * The shape a partner token must have: 32 to 256 URL-safe or base64 characters
 * (`openssl rand -hex 32` or `openssl rand -base64 33` both fit). Anything else is refused
 * at the edge without a store read.
 */
export const PARTNER_TOKEN_PATTERN = /^[A-Za-z0-9._~+\/=-]{32,256}$/;

/**
 * Cache-Control viewers get on JSON Feed paths while partner access is on: the feed's own
 * lifetime, but `private`, so no shared cache between a partner and CloudFront (a company
 * proxy, another CDN) keeps a copy and hands it to someone without a token. CloudFront itself
 * still caches by the stored object's header (a response headers policy changes only what
 * viewers get: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/adding-response-headers.html),
 * which is safe because the token check runs on every viewer request, before the cache lookup.
 * Putting the token in the cache key instead would add nothing but one cache entry per partner.
 * Archive pages lose their week-long lifetime for partners; revalidating them is a cheap 304.
 */
export const PARTNER_CACHE_CONTROL = CACHE_CONTROL_FEED.replace(/^public\b/, 'private');

/** Partner access to the JSON Feed: a static token header checked at the edge. */
export interface PartnerAccess {
  /**
   * Request header carrying the token (case-insensitive; CloudFront passes header names in lower case).
   * @default 'x-feed-token'
   */
  readonly headerName?: string;
  /**
   * Store whose keys are the SHA-256 (hex) digests of the accepted tokens; values are free text
   * (who the token was given to). Operators add and remove keys with the AWS CLI.
   * @default - a new, empty CloudFront KeyValueStore
   */
  readonly keyValueStore?: cloudfront.IKeyValueStore;
}

/** Partner access as the distribution uses it: every default filled in. */
export interface ResolvedPartnerAccess {
  /** Lower-case request header name. */
  readonly headerName: string;
  /** The token digests the viewer-request function reads. */
  readonly keyValueStore: cloudfront.IKeyValueStore;
}

/**
 * The store key of a token: its SHA-256 digest in lower-case hex, the same as
 * `printf %s "$TOKEN" | sha256sum`. Storing digests keeps the tokens themselves out of the
 * store, the template and the console; looking a digest up needs no comparison of secret bytes.
 */
export function partnerTokenKey(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Why a header name cannot carry the token, or undefined when it can. Names CloudFront reserves
 * or sets itself never reach a function as the viewer sent them.
 */
export function checkPartnerHeaderName(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(lower)) return `partnerAccess.headerName must be 1 to 63 letters, digits or dashes, got "${name}"`;
  if (/^(x-amz-cf-|x-amzn-|x-edge-|cloudfront-)/.test(lower) || ['host', 'via', 'accept-encoding', 'x-forwarded-for'].includes(lower)) {
    return `partnerAccess.headerName "${name}" is reserved or rewritten by CloudFront`;
  }
  return undefined;
}

/** Fills in the defaults: the header name in lower case, a new store when none is given. */
export function resolvePartnerAccess(scope: Construct, id: string, access: PartnerAccess): ResolvedPartnerAccess {
  return {
    headerName: (access.headerName ?? DEFAULT_PARTNER_TOKEN_HEADER).toLowerCase(),
    keyValueStore:
      access.keyValueStore ??
      new cloudfront.KeyValueStore(scope, id, { comment: 'SHA-256 digests of partner tokens for the JSON Feed' }),
  };
}
