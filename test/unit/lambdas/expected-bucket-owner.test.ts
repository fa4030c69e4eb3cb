import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { S3Event, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PublisherConfig } from '../../../lambdas/publish/config.js';
import { createHandler } from '../../../lambdas/publish/create-handler.js';
import { metrics } from '../../../lambdas/shared/metrics.js';
import { loadEvent, toSqsEvent } from '../../fixtures/events/load-event.js';
import { articleMarkdown, siteYaml } from '../../support/content-files.js';
import { createLambdaContext } from '../../support/lambda-context.js';
import { stubContentBucket, stubSiteBucket } from './s3-stubs.js';

const s3Mock = mockClient(S3Client);
const OWNER = '111122223333';
const CONFIG: PublisherConfig = Object.freeze({ contentBucket: 'feed-content', siteBucket: 'feed-site', expectedBucketOwner: OWNER });
const ARTICLE = 'articles/2026/01/new-article.md';

function invoke(event: SQSEvent, config: PublisherConfig = CONFIG) {
  return createHandler({ s3: new S3Client({}), config })(event, createLambdaContext());
}

/** A publish, then the article's deletion, then a redelivered message (which lists the site bucket). */
async function publishDeleteAndRepair(config: PublisherConfig): Promise<void> {
  await invoke(loadEvent<SQSEvent>('sqs-s3-put'), config);
  stubContentBucket(s3Mock, config.contentBucket, { 'site.yaml': siteYaml() });
  await invoke(toSqsEvent(loadEvent<S3Event>('s3-delete')), config);
  const redelivered = loadEvent<SQSEvent>('sqs-s3-put');
  for (const record of redelivered.Records) record.attributes.ApproximateReceiveCount = '2';
  await invoke(redelivered, config);
}

/** Every S3 call the mock received, as command name and input. */
function receivedCalls(): { command: string; input: Record<string, unknown> }[] {
  return s3Mock.calls().map((call) => ({
    command: call.args[0].constructor.name,
    input: call.args[0].input as Record<string, unknown>,
  }));
}

describe('ExpectedBucketOwner on S3 calls', () => {
  beforeEach(() => {
    s3Mock.reset();
    vi.restoreAllMocks();
    vi.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);
    stubContentBucket(s3Mock, CONFIG.contentBucket, { 'site.yaml': siteYaml(), [ARTICLE]: articleMarkdown('New story', '2026-01-01T10:00:00Z') });
    const site = stubSiteBucket(s3Mock, CONFIG.siteBucket);
    s3Mock.on(ListObjectsV2Command, { Bucket: CONFIG.siteBucket }).callsFake(() => ({
      Contents: [...site.keys()].map((Key) => ({ Key, LastModified: new Date() })),
      IsTruncated: false,
    }));
  });

  it('sends the configured owner on every read, listing, write and delete', async () => {
    // Act
    await publishDeleteAndRepair(CONFIG);

    // Assess
    const calls = receivedCalls();
    expect(new Set(calls.map((call) => call.command))).toEqual(
      new Set(['GetObjectCommand', 'ListObjectsV2Command', 'HeadObjectCommand', 'PutObjectCommand', 'DeleteObjectCommand']),
    );
    expect(calls.filter((call) => call.input.ExpectedBucketOwner !== OWNER)).toEqual([]);
  });

  it('sends no owner when none is configured, as in the local preview', async () => {
    // Prepare
    const { expectedBucketOwner: _owner, ...local } = CONFIG;

    // Act
    await publishDeleteAndRepair(local);

    // Assess
    const calls = receivedCalls();
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((call) => 'ExpectedBucketOwner' in call.input)).toEqual([]);
  });
});
