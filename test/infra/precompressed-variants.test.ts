import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCloudFrontFunction } from './cloudfront-function-runtime.js';
import { synthFeedPublisher } from './synth-feed-publisher.js';

interface Request {
  uri: string;
  headers: Record<string, { value: string }>;
}

/** The code of the one viewer-request function, as the template deploys it. */
function viewerRequestSource(template: Template): string {
  const functions = Object.values(template.findResources('AWS::CloudFront::Function')) as { Properties: { FunctionCode: string } }[];
  const sources = functions.map((resource) => resource.Properties.FunctionCode).filter((code) => code.includes('function selectPrecompressedVariant'));
  expect(sources).toHaveLength(1);
  return sources[0] as string;
}

describe('precompressed variants at the edge', () => {
  let template: Template;

  beforeAll(() => {
    // Prepare / Act
    template = synthFeedPublisher().template;
  });

  it('adds Vary: Accept-Encoding to every behaviour without overriding a Vary already there', () => {
    // Act
    const policies = Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'));

    // Assess
    expect(policies.length).toBeGreaterThanOrEqual(2);
    for (const policy of policies) {
      expect(policy).toMatchObject({
        Properties: { ResponseHeadersPolicyConfig: { CustomHeadersConfig: { Items: expect.arrayContaining([{ Header: 'Vary', Value: 'Accept-Encoding', Override: false }]) } } },
      });
    }
  });

  it('keeps Accept-Encoding in the cache key for what CloudFront compresses itself', () => {
    // Assess
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({
        ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({ EnableAcceptEncodingGzip: true, EnableAcceptEncodingBrotli: true }),
      }),
    });
  });

  it.each([
    ['/tags/go/feed.json', 'br, gzip', '/tags/go/feed.json.br'],
    ['/atom.xml', 'gzip', '/atom.xml.gz'],
    ['/feeds.opml', 'identity', '/feeds.opml'],
    ['/rss.xml', 'br', '/rss.xml'],
  ])('deploys a function that sends %s with Accept-Encoding %j to %s', (uri, acceptEncoding, expected) => {
    // Prepare
    const handler = loadCloudFrontFunction<{ request: Request }, Request>(viewerRequestSource(template));

    // Act
    const result = handler({ request: { uri, headers: { 'accept-encoding': { value: acceptEncoding } } } });

    // Assess
    expect(result.uri).toBe(expected);
  });

  it('keeps the deployed function within the 10 KB CloudFront Functions allow', () => {
    // Assess
    expect(Buffer.byteLength(viewerRequestSource(template), 'utf8')).toBeLessThan(10_240);
  });
});
