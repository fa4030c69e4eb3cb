import { Duration } from 'aws-cdk-lib';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PAGE_CONTENT_SECURITY_POLICY } from '../../lambdas/core/pages/page-template.js';
import { EDGE_TTL_SECONDS } from '../../lambdas/core/plan/outputs.js';
import { PARTNER_CACHE_CONTROL, type ResolvedPartnerAccess } from './partner-access.js';
import { FeedViewFunction } from './feed-view-function.js';
import { ViewerRequestFunction } from './viewer-request-function.js';

/** Site-bucket prefix for private objects (a future catalog) that CloudFront must never serve. */
export const PRIVATE_SITE_PREFIX = '_catalog/';

/**
 * The cache policy's lifetimes, in seconds. CloudFront keeps an object for its `s-maxage` (else
 * `max-age`) clamped into [min, max], and for `default` when it states none; the local edge
 * applies the same rule. Min 0 lets the subscription documents' `s-maxage` of
 * {@link EDGE_TTL_SECONDS} hold; max keeps archive pages (a week) and immutable objects.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/Expiration.html
 */
export const EDGE_CACHE_TTLS = { minSeconds: 0, defaultSeconds: EDGE_TTL_SECONDS, maxSeconds: 31_536_000 } as const;

/**
 * How long an edge keeps a 403 or 404 from S3 (CloudFront's default is 10 s): no longer than a
 * document, so a feed published where a reader just got a 404 is served within the bound.
 */
const ERROR_CACHING_SECONDS = EDGE_TTL_SECONDS;

/** Settings of the distribution in front of the site bucket. */
export interface FeedDistributionProps {
  /** Bucket holding the published feeds. */
  readonly siteBucket: s3.IBucket;
  /** Bucket receiving CloudFront's standard access logs (ACLs enabled). */
  readonly logBucket: s3.IBucket;
  /** Custom names and their certificate (in us-east-1); none serves on `*.cloudfront.net`. */
  readonly domain?: { readonly domainNames: readonly string[]; readonly certificate: ICertificate };
  /** Edge locations to pay for. */
  readonly priceClass: cloudfront.PriceClass;
  /**
   * Require a partner token on JSON Feed paths (checked by the viewer-request function).
   * @default - the JSON Feed is public like everything else
   */
  readonly partnerAccess?: ResolvedPartnerAccess;
}

/**
 * CloudFront in front of the private site bucket: Origin Access Control, HTTPS only,
 * HTTP/2 and HTTP/3, caching that follows the objects' Cache-Control, security headers,
 * CORS for JSON Feed, access logs, and no listing of the bucket.
 */
export class FeedDistribution extends Construct {
  /** The distribution. */
  public readonly distribution: cloudfront.Distribution;

  public constructor(scope: Construct, id: string, props: FeedDistributionProps) {
    super(scope, id);
    // READ + LIST: with s3:ListBucket S3 answers a missing key with 404 rather than 403, so
    // readers and monitors see "not found". Listing itself stays unreachable: `/` maps to the
    // default root object and no query string reaches the origin.
    const origin = S3BucketOrigin.withOriginAccessControl(props.siteBucket, {
      originAccessLevels: [cloudfront.AccessLevel.READ, cloudfront.AccessLevel.LIST],
    });
    const cachePolicy = new cloudfront.CachePolicy(this, 'FeedCachePolicy', {
      comment: `Follows the objects s-maxage (subscription documents ${EDGE_TTL_SECONDS} s, then a 304 from S3); compression-aware cache key`,
      minTtl: Duration.seconds(EDGE_CACHE_TTLS.minSeconds),
      defaultTtl: Duration.seconds(EDGE_CACHE_TTLS.defaultSeconds),
      maxTtl: Duration.seconds(EDGE_CACHE_TTLS.maxSeconds),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
      // Conditional requests (If-None-Match / If-Modified-Since) are answered by CloudFront from
      // the cached ETag / Last-Modified, so no header, cookie or query string is forwarded.
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
    });
    const viewerRequest = new ViewerRequestFunction(this, 'ViewerRequest', props.partnerAccess ? { partnerAccess: props.partnerAccess } : {});
    const behavior = {
      origin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
      cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD_OPTIONS,
      compress: true,
      cachePolicy,
      functionAssociations: [{ function: viewerRequest, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
    };
    // Browsers asking for a subscription feed get its HTML view: Vary: Accept on those paths.
    const feedView = { function: new FeedViewFunction(this, 'FeedView'), eventType: cloudfront.FunctionEventType.VIEWER_RESPONSE };
    const headers = (id: string, contentSecurityPolicy: string, cors: boolean, partnerOnly = false): cloudfront.ResponseHeadersPolicy => {
      const customHeaders = [VARY_ACCEPT_ENCODING, ...(partnerOnly ? PRIVATE_CACHE_CONTROL : [])];
      return new cloudfront.ResponseHeadersPolicy(this, id, {
        securityHeadersBehavior: securityHeaders(contentSecurityPolicy),
        ...(cors ? { corsBehavior: JSON_FEED_CORS } : {}),
        customHeadersBehavior: { customHeaders },
      });
    };
    const pageHeaders = headers('PageHeaders', PAGE_CONTENT_SECURITY_POLICY, false);
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Syndication feeds',
      // HTML pages, the style sheets and everything else.
      defaultBehavior: { ...behavior, responseHeadersPolicy: pageHeaders },
      additionalBehaviors: {
        // RSS and Atom, or their channel's HTML view for a browser: the pages' headers.
        '*.xml': { ...behavior, functionAssociations: [...behavior.functionAssociations, feedView], responseHeadersPolicy: pageHeaders },
        // JSON Feed is read by browser-based readers on other origins.
        // With partner access on, viewers get it as `private` (see PARTNER_CACHE_CONTROL).
        '*.json': {
          ...behavior,
          functionAssociations: [...behavior.functionAssociations, feedView],
          responseHeadersPolicy: headers('JsonFeedHeaders', PAGE_CONTENT_SECURITY_POLICY, true, props.partnerAccess !== undefined),
        },
      },
      defaultRootObject: 'index.html',
      errorResponses: [403, 404].map((httpStatus) => ({ httpStatus, ttl: Duration.seconds(ERROR_CACHING_SECONDS) })),
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: props.priceClass,
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: 'cloudfront/',
      // The TLS policy can be chosen only with a custom certificate; *.cloudfront.net has a fixed one.
      ...(props.domain
        ? { domainNames: [...props.domain.domainNames], certificate: props.domain.certificate, minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 }
        : {}),
    });
    denyPrivatePrefix(props.siteBucket);
  }

}

/** HSTS, nosniff, a referrer policy, no framing, and the given Content-Security-Policy. */
function securityHeaders(contentSecurityPolicy: string): cloudfront.ResponseSecurityHeadersBehavior {
  return {
    contentTypeOptions: { override: true },
    strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
    referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
    frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
    contentSecurityPolicy: { contentSecurityPolicy, override: true },
  };
}

/** `Access-Control-Allow-Origin: *` for reads; feeds are public and carry no credentials. */
const JSON_FEED_CORS: cloudfront.ResponseHeadersCorsBehavior = {
  accessControlAllowOrigins: ['*'],
  accessControlAllowMethods: ['GET', 'HEAD', 'OPTIONS'],
  accessControlAllowHeaders: ['*'],
  accessControlExposeHeaders: ['ETag', 'Last-Modified'],
  accessControlAllowCredentials: false,
  accessControlMaxAge: Duration.days(1),
  originOverride: true,
};

/**
 * `Vary: Accept-Encoding` on every response: the viewer-request function picks a stored
 * precompressed variant by `Accept-Encoding`, and CloudFront compresses the other text types by
 * it, so shared caches downstream must key on it too. Not overriding: a `Vary` already on the
 * response (CloudFront's own, or a function's) is kept.
 */
const VARY_ACCEPT_ENCODING: cloudfront.ResponseCustomHeader = { header: 'Vary', value: 'Accept-Encoding', override: false };

/** Partner-only JSON Feed: shared caches downstream must not keep it (override the stored header). */
const PRIVATE_CACHE_CONTROL: cloudfront.ResponseCustomHeader[] = [{ header: 'Cache-Control', value: PARTNER_CACHE_CONTROL, override: true }];

/** CloudFront may read the site bucket, but never the private prefix (explicit deny wins). */
function denyPrivatePrefix(siteBucket: s3.IBucket): void {
  siteBucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'DenyCloudFrontPrivatePrefix',
      effect: iam.Effect.DENY,
      principals: [new iam.ServicePrincipal('cloudfront.amazonaws.com')],
      actions: ['s3:GetObject'],
      resources: [siteBucket.arnForObjects(`${PRIVATE_SITE_PREFIX}*`)],
    }),
  );
}
