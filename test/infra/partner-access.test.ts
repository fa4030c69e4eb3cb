import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { beforeAll, describe, expect, it } from 'vitest';
import { CACHE_CONTROL_FEED } from '../../lambdas/core/plan/outputs.js';
import { FeedPublisherPropsError } from '../../infra/constructs/feed-publisher.js';
import { PARTNER_CACHE_CONTROL } from '../../infra/constructs/partner-access.js';
import { gatedViewerRequestCode } from '../../infra/constructs/viewer-request-function.js';
import { FeedPublisherStack } from '../../infra/feed-publisher-stack.js';
import { CDK_CONTEXT, describeViolations, findNagViolations, synthFeedPublisher, type SynthesizedPublisher } from './synth-feed-publisher.js';

/** The distribution's default behaviour followed by its path behaviours. */
function behaviorsOf(template: Template): Array<Record<string, unknown>> {
  const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
  const config = distribution?.Properties.DistributionConfig;
  return [config.DefaultCacheBehavior, ...config.CacheBehaviors];
}

function behaviorFor(template: Template, pathPattern: string): Record<string, unknown> {
  const behavior = behaviorsOf(template).find((candidate) => candidate.PathPattern === pathPattern);
  expect(behavior).toBeDefined();
  return behavior as Record<string, unknown>;
}

/** The response headers policy of a behaviour, by its `{ Ref }`. */
function headersPolicyOf(template: Template, behavior: Record<string, unknown>): Record<string, unknown> {
  const ref = (behavior.ResponseHeadersPolicyId as { Ref: string }).Ref;
  return template.toJSON().Resources[ref].Properties.ResponseHeadersPolicyConfig;
}

describe('partner access', () => {
  describe('when enabled', () => {
    let synthesized: SynthesizedPublisher;
    let template: Template;
    let storeId: string;

    beforeAll(() => {
      // Prepare / Act
      synthesized = synthFeedPublisher({ partnerAccess: {} });
      template = synthesized.template;
      [storeId] = Object.keys(template.findResources('AWS::CloudFront::KeyValueStore')) as [string];
    });

    it('creates one KeyValueStore for the token digests', () => {
      // Assess
      template.resourceCountIs('AWS::CloudFront::KeyValueStore', 1);
      expect(synthesized.publisher.partnerAccess?.headerName).toBe('x-feed-token');
    });

    it('associates the store with a cloudfront-js-2.0 viewer-request function holding the gate', () => {
      // Assess
      // The gate, plus the viewer-response function of the feed behaviours.
      template.resourceCountIs('AWS::CloudFront::Function', 2);
      template.hasResourceProperties('AWS::CloudFront::Function', {
        AutoPublish: true,
        FunctionCode: gatedViewerRequestCode('x-feed-token'),
        FunctionConfig: Match.objectLike({
          Runtime: 'cloudfront-js-2.0',
          KeyValueStoreAssociations: [{ KeyValueStoreARN: { 'Fn::GetAtt': [storeId, 'Arn'] } }],
        }),
      });
    });

    it('runs the gate on the viewer request of every behaviour, before the cache lookup', () => {
      // Prepare
      const [functionId] = Object.keys(
        template.findResources('AWS::CloudFront::Function', { Properties: Match.objectLike({ FunctionConfig: Match.objectLike({ KeyValueStoreAssociations: Match.anyValue() }) }) }),
      );

      // Assess: a JSON path reaching the default or *.xml behaviour is checked all the same.
      const behaviors = behaviorsOf(template);
      expect(behaviors).toHaveLength(3);
      for (const behavior of behaviors) {
        const associations = behavior.FunctionAssociations as { EventType: string }[];
        expect(associations.filter((association) => association.EventType === 'viewer-request')).toEqual([
          { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } },
        ]);
      }
    });

    it('keeps the token out of the cache key and away from the origin', () => {
      // Prepare
      const cachePolicyRef = (behaviorFor(template, '*.json').CachePolicyId as { Ref: string }).Ref;

      // Assess: one cache entry per object serves every partner; the gate decides who gets it.
      const config = template.toJSON().Resources[cachePolicyRef].Properties.CachePolicyConfig;
      expect(config.ParametersInCacheKeyAndForwardedToOrigin.HeadersConfig).toEqual({ HeaderBehavior: 'none' });
      template.resourceCountIs('AWS::CloudFront::OriginRequestPolicy', 0);
    });

    it('tells downstream caches the JSON Feed is private, keeping CORS', () => {
      // Act
      const policy = headersPolicyOf(template, behaviorFor(template, '*.json'));

      // Assess
      expect(PARTNER_CACHE_CONTROL).toBe(CACHE_CONTROL_FEED.replace('public', 'private'));
      expect(policy.CustomHeadersConfig).toEqual({
        Items: [
          { Header: 'Vary', Value: 'Accept-Encoding', Override: false },
          { Header: 'Cache-Control', Value: PARTNER_CACHE_CONTROL, Override: true },
        ],
      });
      expect(policy.CorsConfig).toEqual(expect.objectContaining({ AccessControlAllowOrigins: { Items: ['*'] }, AccessControlAllowHeaders: { Items: ['*'] } }));
    });

    it('leaves the XML feeds and the pages public', () => {
      // Assess
      for (const behavior of [behaviorFor(template, '*.xml'), behaviorsOf(template)[0] as Record<string, unknown>]) {
        const policy = headersPolicyOf(template, behavior);
        expect(JSON.stringify(policy)).not.toContain('Cache-Control');
      }
    });

    it('tells the publisher, so no public document names a JSON Feed URL', () => {
      // Assess
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ PARTNER_ACCESS: 'true' }) },
      });
    });

    it('finds nothing unacknowledged with cdk-nag', () => {
      // Act
      const violations = findNagViolations(synthesized.stack);

      // Assess
      expect(describeViolations(violations)).toEqual([]);
    });
  });

  describe('when disabled (the default)', () => {
    it('creates no store, gates nothing and keeps the stored Cache-Control', () => {
      // Act
      const { template, publisher } = synthFeedPublisher();

      // Assess
      template.resourceCountIs('AWS::CloudFront::KeyValueStore', 0);
      expect(publisher.partnerAccess).toBeUndefined();
      template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ PARTNER_ACCESS: Match.absent() }) } });
      const [fn] = Object.values(template.findResources('AWS::CloudFront::Function'));
      expect(fn?.Properties.FunctionConfig.KeyValueStoreAssociations).toBeUndefined();
      expect(fn?.Properties.FunctionCode).not.toMatch(/cloudfront|x-feed-token/);
      expect(JSON.stringify(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'))).not.toContain('Cache-Control');
    });
  });

  describe('props', () => {
    it('uses an existing store and a custom header name', () => {
      // Act
      const { template, publisher } = synthFeedPublisher(
        {},
        {
          extend: (stack) => ({
            partnerAccess: {
              headerName: 'X-Partner-Key',
              keyValueStore: cloudfront.KeyValueStore.fromKeyValueStoreArn(stack, 'Tokens', 'arn:aws:cloudfront::111122223333:key-value-store/abc'),
            },
          }),
        },
      );

      // Assess
      template.resourceCountIs('AWS::CloudFront::KeyValueStore', 0);
      expect(publisher.partnerAccess?.headerName).toBe('x-partner-key');
      template.hasResourceProperties('AWS::CloudFront::Function', {
        FunctionCode: gatedViewerRequestCode('x-partner-key'),
        FunctionConfig: Match.objectLike({ KeyValueStoreAssociations: [{ KeyValueStoreARN: 'arn:aws:cloudfront::111122223333:key-value-store/abc' }] }),
      });
    });

    it.each([
      ['x feed token', /1 to 63 letters, digits or dashes/],
      ['', /1 to 63 letters, digits or dashes/],
      ['X-Amz-Cf-Id', /reserved or rewritten by CloudFront/],
      ['Host', /reserved or rewritten by CloudFront/],
    ])('rejects the header name %j at synth time', (headerName, reason) => {
      // Act / Assess
      expect(() => synthFeedPublisher({ partnerAccess: { headerName } })).toThrow(FeedPublisherPropsError);
      expect(() => synthFeedPublisher({ partnerAccess: { headerName } })).toThrow(reason);
    });
  });

  describe('stack context', () => {
    function synthStack(context: Record<string, string>): Template {
      const app = new App({ context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context } });
      return Template.fromStack(new FeedPublisherStack(app, 'FeedPublisher'));
    }

    it('turns partner access on with -c partnerAccess=true and outputs the store and the command', () => {
      // Act
      const template = synthStack({ partnerAccess: 'true' });

      // Assess
      const [storeId] = Object.keys(template.findResources('AWS::CloudFront::KeyValueStore'));
      const storeArn = { 'Fn::GetAtt': [storeId, 'Arn'] };
      template.hasOutput('PartnerTokenStoreArn', { Value: storeArn });
      template.hasOutput('PartnerTokenHeader', { Value: 'x-feed-token' });
      const command = JSON.stringify(template.findOutputs('AddPartnerTokenCommand'));
      expect(command).toContain('aws cloudfront-keyvaluestore put-key --kvs-arn ');
      expect(command).toContain('sha256sum');
      expect(command).toContain('--if-match');
    });

    it('reads the header name from -c partnerTokenHeader', () => {
      // Act
      const template = synthStack({ partnerAccess: 'true', partnerTokenHeader: 'x-partner-key' });

      // Assess
      template.hasOutput('PartnerTokenHeader', { Value: 'x-partner-key' });
      template.hasResourceProperties('AWS::CloudFront::Function', { FunctionCode: Match.stringLikeRegexp('"x-partner-key"') });
    });

    it('outputs nothing about partners when the flag is absent', () => {
      // Act
      const template = synthStack({});

      // Assess
      expect(Object.keys(template.findOutputs('*'))).not.toContain('PartnerTokenStoreArn');
      template.resourceCountIs('AWS::CloudFront::KeyValueStore', 0);
    });
  });
});
