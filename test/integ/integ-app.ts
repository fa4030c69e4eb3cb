import { readFileSync } from 'node:fs';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { FeedPublisher } from '../../infra/constructs/feed-publisher.js';

/** Title of the article the test uploads; it must show up in the served feeds. */
export const INTEG_ARTICLE_TITLE = 'Integration check: an uploaded article reaches the feeds';

/** Key of that article in the content bucket. */
export const INTEG_ARTICLE_KEY = 'articles/integ/integration-check.md';

const INTEG_ARTICLE = `---
title: "${INTEG_ARTICLE_TITLE}"
date: 2030-01-01T00:00:00Z
lang: en
summary: Written by the integration test to prove that an upload is published and served.
---
An upload to the content bucket is published to the feeds within minutes.
`;

/** What {@link createIntegApp} builds. */
export interface IntegApp {
  readonly app: App;
  readonly stack: Stack;
  readonly integ: IntegTest;
}

/**
 * A deployable test of the whole path: upload an article with the S3 API, then fetch the RSS
 * feed and JSON Feed through CloudFront until both carry its title. The content bucket is a
 * test bucket emptied and deleted with the stack; the site and log buckets are retained by
 * design (see the README "Deploy" section for their removal).
 */
export function createIntegApp(outdir?: string): IntegApp {
  const context = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;
  const app = new App({ context, ...(outdir ? { outdir } : {}) });
  const stack = new Stack(app, 'FeedPublisherInteg');
  const contentBucket = new s3.Bucket(stack, 'TestContentBucket', {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    removalPolicy: RemovalPolicy.DESTROY,
    autoDeleteObjects: true,
  });
  const publisher = new FeedPublisher(stack, 'FeedPublisher', { existingContentBucket: contentBucket });
  const integ = new IntegTest(app, 'FeedPublisherIntegTest', { testCases: [stack], diffAssets: false });

  const upload = integ.assertions.awsApiCall('S3', 'putObject', {
    Bucket: contentBucket.bucketName,
    Key: INTEG_ARTICLE_KEY,
    Body: INTEG_ARTICLE,
    ContentType: 'text/markdown; charset=utf-8',
  });
  const waitFor = { totalTimeout: Duration.minutes(10), interval: Duration.seconds(20) };
  const rss = integ.assertions
    .httpApiCall(publisher.feedUrls.rss)
    .expect(ExpectedResult.objectLike({ status: 200, body: Match.stringLikeRegexp(INTEG_ARTICLE_TITLE) }))
    .waitForAssertions(waitFor);
  const json = integ.assertions
    .httpApiCall(publisher.feedUrls.json)
    .expect(ExpectedResult.objectLike({ status: 200, body: Match.stringLikeRegexp(INTEG_ARTICLE_TITLE) }))
    .waitForAssertions(waitFor);
  upload.next(rss).next(json);
  return { app, stack, integ };
}
