import { HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { HASH_METADATA_KEY, S3SiteWriter } from '../../../lambdas/adapters/s3-site-writer.js';
import { hashDocument } from '../../../lambdas/core/catalog/catalog.js';
import { CACHE_CONTROL_FEED, FEED_FORMATS, type OutputDocument } from '../../../lambdas/core/plan/outputs.js';
import { stubSiteBucket } from './s3-stubs.js';

const s3Mock = mockClient(S3Client);
const BUCKET = 'feed-site';

function rssDocument(body: string): OutputDocument {
  return { key: 'rss.xml', body, contentType: FEED_FORMATS.rss.contentType, cacheControl: CACHE_CONTROL_FEED, role: 'subscription-feed' };
}

describe('S3SiteWriter', () => {
  beforeEach(() => {
    s3Mock.reset();
  });

  it('writes a new document with its media type, Cache-Control and hash', async () => {
    // Prepare
    stubSiteBucket(s3Mock, BUCKET);
    const document = rssDocument('<rss/>');
    const writer = new S3SiteWriter({ s3: new S3Client({}), bucket: BUCKET });

    // Act
    const written = await writer.write([document]);

    // Assess
    expect(written).toEqual(['rss.xml']);
    expect(s3Mock).toReceiveCommandWith(PutObjectCommand, {
      Bucket: BUCKET,
      Key: 'rss.xml',
      Body: '<rss/>',
      ContentType: 'application/rss+xml; charset=utf-8',
      CacheControl: CACHE_CONTROL_FEED,
      Metadata: { [HASH_METADATA_KEY]: hashDocument(document) },
    });
  });

  it('skips a document whose stored hash matches', async () => {
    // Prepare
    const document = rssDocument('<rss/>');
    stubSiteBucket(s3Mock, BUCKET, new Map([['rss.xml', { Metadata: { [HASH_METADATA_KEY]: hashDocument(document) } }]]));
    const writer = new S3SiteWriter({ s3: new S3Client({}), bucket: BUCKET });

    // Act
    const written = await writer.write([document]);

    // Assess
    expect(written).toEqual([]);
    expect(s3Mock).toReceiveCommandTimes(HeadObjectCommand, 1);
    expect(s3Mock).not.toReceiveCommand(PutObjectCommand);
  });

  it('rewrites a document whose Cache-Control changed although its bytes did not', async () => {
    // Prepare
    const before = rssDocument('<rss/>');
    stubSiteBucket(s3Mock, BUCKET, new Map([['rss.xml', { Metadata: { [HASH_METADATA_KEY]: hashDocument(before) } }]]));
    const writer = new S3SiteWriter({ s3: new S3Client({}), bucket: BUCKET });

    // Act
    const written = await writer.write([{ ...before, cacheControl: 'public, max-age=5' }]);

    // Assess
    expect(written).toEqual(['rss.xml']);
  });

  it('compares with known hashes without a HeadObject request', async () => {
    // Prepare
    stubSiteBucket(s3Mock, BUCKET);
    const same = rssDocument('<rss/>');
    const changed = { ...rssDocument('{}'), key: 'feed.json', contentType: FEED_FORMATS.json.contentType };
    const knownHashes = new Map([['rss.xml', hashDocument(same)], ['feed.json', 'stale']]);
    const writer = new S3SiteWriter({ s3: new S3Client({}), bucket: BUCKET });

    // Act
    const written = await writer.write([same, changed], knownHashes);

    // Assess
    expect(written).toEqual(['feed.json']);
    expect(s3Mock).not.toReceiveCommand(HeadObjectCommand);
    expect(s3Mock.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key)).toEqual(['feed.json.br', 'feed.json.gz', 'feed.json']);
  });

  it('writes when HeadObject is forbidden, as S3 answers for a missing key without ListBucket', async () => {
    // Prepare
    stubSiteBucket(s3Mock, BUCKET);
    const forbidden = new S3ServiceException({ name: 'Forbidden', $fault: 'client', $metadata: { httpStatusCode: 403 } });
    s3Mock.on(HeadObjectCommand).rejects(forbidden);
    const writer = new S3SiteWriter({ s3: new S3Client({}), bucket: BUCKET });

    // Act
    const written = await writer.write([rssDocument('<rss/>')]);

    // Assess
    expect(written).toEqual(['rss.xml']);
  });

  it('rethrows a HeadObject failure other than a missing object', async () => {
    // Prepare
    stubSiteBucket(s3Mock, BUCKET);
    const unavailable = new S3ServiceException({ name: 'ServiceUnavailable', $fault: 'server', $metadata: { httpStatusCode: 503 } });
    s3Mock.on(HeadObjectCommand).rejects(unavailable);
    const writer = new S3SiteWriter({ s3: new S3Client({}), bucket: BUCKET });

    // Act
    const publishing = writer.write([rssDocument('<rss/>')]);

    // Assess
    await expect(publishing).rejects.toBe(unavailable);
    expect(s3Mock).not.toReceiveCommand(PutObjectCommand);
  });
});
