import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { S3Event, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CACHE_CONTROL_FEED, FEED_FORMATS } from '../../../lambdas/core/plan/outputs.js';
import { documentKeyOf } from '../../../lambdas/core/plan/document-keys.js';
import type { PublisherConfig } from '../../../lambdas/publish/config.js';
import { PublishFailedError, createHandler } from '../../../lambdas/publish/create-handler.js';
import { logger } from '../../../lambdas/shared/logger.js';
import { metrics } from '../../../lambdas/shared/metrics.js';
import { loadEvent, toSqsEvent } from '../../fixtures/events/load-event.js';
import { INVALID_ARTICLE, articleMarkdown, siteYaml } from '../../support/content-files.js';
import { createLambdaContext } from '../../support/lambda-context.js';
import { stubContentBucket, stubSiteBucket, type StoredObject } from './s3-stubs.js';

const s3Mock = mockClient(S3Client);
const CONFIG: PublisherConfig = Object.freeze({ contentBucket: 'feed-content', siteBucket: 'feed-site' });
const NEW_ARTICLE = 'articles/2026/01/new-article.md';
const OLD_ARTICLE = 'articles/2025/12/old-article.md';

/** The content bucket most tests start from: the site and two articles. */
function contentFiles(): Record<string, string> {
  return {
    'site.yaml': siteYaml(),
    [OLD_ARTICLE]: articleMarkdown('Old story', '2025-12-31T10:00:00Z'),
    [NEW_ARTICLE]: articleMarkdown('New story', '2026-01-01T10:00:00Z'),
  };
}

function invoke(event: SQSEvent | S3Event, config: PublisherConfig = CONFIG) {
  return createHandler({ s3: new S3Client({}), config })(event, createLambdaContext());
}

function s3Error(name: string, status: number): S3ServiceException {
  return new S3ServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });
}

/** Message ids of the batch fixture that ask for a publish (all but the test event). */
function relevantIds(event: SQSEvent): string[] {
  return [0, 1, 3].map((i) => event.Records[i]!.messageId);
}

describe('publish handler', () => {
  let site: Map<string, StoredObject>;

  beforeEach(() => {
    s3Mock.reset();
    vi.restoreAllMocks();
    vi.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);
    stubContentBucket(s3Mock, CONFIG.contentBucket, contentFiles());
    site = stubSiteBucket(s3Mock, CONFIG.siteBucket);
  });

  it('writes the three feeds with media type and Cache-Control when an article is uploaded', async () => {
    // Prepare
    const event = loadEvent<SQSEvent>('sqs-s3-put');

    // Act
    const response = await invoke(event);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    for (const format of Object.values(FEED_FORMATS)) {
      expect(s3Mock).toReceiveCommandWith(PutObjectCommand, {
        Bucket: CONFIG.siteBucket,
        Key: format.file,
        ContentType: format.contentType,
        CacheControl: CACHE_CONTROL_FEED,
      });
    }
    expect(String(site.get('rss.xml')?.Body)).toContain('New story');
  });

  it('rebuilds from one listing when there is no catalog: the reads, one HeadObject per document and one PutObject per object', async () => {
    // Prepare
    const event = loadEvent<SQSEvent>('sqs-s3-put');

    // Act
    await invoke(event);

    // Assess
    expect(s3Mock).toReceiveCommandTimes(ListObjectsV2Command, 1);
    expect(s3Mock).toReceiveCommandWith(ListObjectsV2Command, { Bucket: CONFIG.contentBucket, Prefix: 'articles/' });
    for (const key of ['site.yaml', OLD_ARTICLE, NEW_ARTICLE]) {
      expect(s3Mock).toReceiveCommandWith(GetObjectCommand, { Bucket: CONFIG.contentBucket, Key: key });
    }
    expect(s3Mock).toReceiveCommandWith(GetObjectCommand, { Bucket: CONFIG.siteBucket, Key: '_catalog/catalog.json' });
    expect(s3Mock).toReceiveCommandTimes(GetObjectCommand, 4);
    const variants = [...site.keys()].filter((key) => documentKeyOf(key) !== key).length;
    const documents = site.size - 1 - variants;
    expect(variants).toBeGreaterThan(0);
    expect(s3Mock).toReceiveCommandTimes(HeadObjectCommand, documents);
    expect(s3Mock).toReceiveCommandTimes(PutObjectCommand, documents + variants + 1);
    expect(s3Mock).toReceiveCommandWith(PutObjectCommand, { Bucket: CONFIG.siteBucket, Key: '_catalog/catalog.json', IfNoneMatch: '*' });
  });

  // After the first publish, one new article costs: GET catalog, GET article, PUT the three
  // feeds and their feed view (Atom and JSON Feed with their two precompressed variants), the
  // index, the article's page and ninjs, the sitemap index and its newest chunk, PUT catalog:
  // 16 requests, whatever the archive size (the story is older than the news window).
  it.each([1, 40])('publishes one new article with 16 requests and no listing at %i archived articles', async (count) => {
    // Prepare
    const files: Record<string, string> = { 'site.yaml': siteYaml() };
    for (let i = 0; i < count; i++) files[`articles/a${i}.md`] = articleMarkdown(`Story ${i}`, '2026-01-01T10:00:00Z');
    stubContentBucket(s3Mock, CONFIG.contentBucket, files);
    await invoke(loadEvent<SQSEvent>('sqs-s3-put'));
    stubContentBucket(s3Mock, CONFIG.contentBucket, { ...files, [NEW_ARTICLE]: articleMarkdown('New story', '2026-01-02T10:00:00Z') });
    s3Mock.resetHistory();

    // Act
    await invoke(loadEvent<SQSEvent>('sqs-s3-put'));

    // Assess
    expect(s3Mock).not.toReceiveCommand(ListObjectsV2Command);
    expect(s3Mock).not.toReceiveCommand(HeadObjectCommand);
    expect(s3Mock).toReceiveCommandTimes(GetObjectCommand, 2);
    const keys = s3Mock.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key).sort();
    expect(keys).toEqual([
      '_catalog/catalog.json', 'articles/new-article/index.html', 'articles/new-article/ninjs.json', 'atom.xml', 'atom.xml.br', 'atom.xml.gz',
      'feed.html', 'feed.json', 'feed.json.br', 'feed.json.gz', 'index.html', 'rss.xml', 'sitemap.xml', 'sitemaps/articles-1.xml',
    ]);
    expect(s3Mock.calls()).toHaveLength(16);
  });

  it('decodes an URL-encoded unicode key with spaces before deciding to publish', async () => {
    // Prepare
    const key = 'articles/2026/01/café au lait!.md';
    stubContentBucket(s3Mock, CONFIG.contentBucket, {
      ...contentFiles(),
      [key]: articleMarkdown('Café au lait', '2026-01-02T10:00:00Z', 'slug: cafe-au-lait\n'),
    });
    const info = vi.spyOn(logger, 'info');

    // Act
    const response = await invoke(loadEvent<S3Event>('s3-encoded-key'));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(info).toHaveBeenCalledWith('Publishing', { objectKeys: [key], redelivered: false });
    expect(String(site.get('feed.json')?.Body)).toContain('https://news.example.com/articles/cafe-au-lait/');
  });

  it('lists the site bucket only for a redelivered batch, and then changes nothing that was right', async () => {
    // Prepare: a clean publish, then the same message delivered a second time
    await invoke(loadEvent<SQSEvent>('sqs-s3-put'));
    const before = new Map([...site].map(([key, stored]) => [key, stored.ETag]));
    s3Mock.on(ListObjectsV2Command, { Bucket: CONFIG.siteBucket }).callsFake(() => ({
      Contents: [...site.keys()].map((Key) => ({ Key, LastModified: new Date() })),
      IsTruncated: false,
    }));
    const fresh = loadEvent<SQSEvent>('sqs-s3-put');
    const redelivered: SQSEvent = {
      Records: fresh.Records.map((record) => ({ ...record, attributes: { ...record.attributes, ApproximateReceiveCount: '2' } })),
    };
    s3Mock.resetHistory();

    // Act
    await invoke(fresh);
    const listedOnFresh = s3Mock.commandCalls(ListObjectsV2Command, { Bucket: CONFIG.siteBucket }).length;
    const response = await invoke(redelivered);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(listedOnFresh).toBe(0);
    expect(s3Mock).toReceiveCommandWith(ListObjectsV2Command, { Bucket: CONFIG.siteBucket });
    expect(new Map([...site].map(([key, stored]) => [key, stored.ETag]))).toEqual(before);
  });

  it('removes a deleted article from the feeds', async () => {
    // Prepare
    await invoke(loadEvent<SQSEvent>('sqs-s3-put'));
    const { [NEW_ARTICLE]: _deleted, ...remaining } = contentFiles();
    stubContentBucket(s3Mock, CONFIG.contentBucket, remaining);

    // Act
    const response = await invoke(toSqsEvent(loadEvent<S3Event>('s3-delete')));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(String(site.get('atom.xml')?.Body)).not.toContain('New story');
    expect(String(site.get('atom.xml')?.Body)).toContain('Old story');
  });

  it('republishes every feed when site.yaml changes', async () => {
    // Prepare
    await invoke(loadEvent<SQSEvent>('sqs-s3-put'));
    stubContentBucket(s3Mock, CONFIG.contentBucket, { ...contentFiles(), 'site.yaml': siteYaml('Renamed News') });

    // Act
    await invoke(toSqsEvent(loadEvent<S3Event>('s3-site-config')));

    // Assess
    for (const key of ['rss.xml', 'atom.xml', 'feed.json']) expect(String(site.get(key)?.Body)).toContain('Renamed News');
  });

  it('reads only the catalog and the article when an upload repeats the same bytes', async () => {
    // Prepare
    await invoke(loadEvent<SQSEvent>('sqs-s3-put'));
    s3Mock.resetHistory();

    // Act
    const response = await invoke(loadEvent<SQSEvent>('sqs-s3-put'));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(s3Mock).toReceiveCommandTimes(GetObjectCommand, 2);
    expect(s3Mock).not.toReceiveCommand(HeadObjectCommand);
    expect(s3Mock).not.toReceiveCommand(PutObjectCommand);
  });

  it('publishes once for a whole batch of messages', async () => {
    // Prepare
    const event = loadEvent<SQSEvent>('sqs-batch');

    // Act
    const response = await invoke(event);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(s3Mock).toReceiveCommandTimes(ListObjectsV2Command, 1);
    expect(s3Mock).toReceiveCommandTimes(PutObjectCommand, site.size);
  });

  it('ignores the S3 test event without any S3 request', async () => {
    // Prepare
    const event = loadEvent<SQSEvent>('sqs-test-event');

    // Act
    const response = await invoke(event);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(s3Mock).not.toReceiveAnyCommand();
  });

  it('ignores keys outside the content layout and other buckets', async () => {
    // Prepare
    const info = vi.spyOn(logger, 'info');

    // Act
    const response = await invoke(toSqsEvent(loadEvent<S3Event>('s3-outside-layout')));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(s3Mock).not.toReceiveAnyCommand();
    expect(info).toHaveBeenCalledWith('Record ignored', { objectKey: 'images/logo.png', reason: 'outside the content layout' });
  });

  it.each([
    ['ListObjectsV2', () => s3Mock.on(ListObjectsV2Command).rejects(s3Error('InternalError', 500))],
    ['GetObject', () => s3Mock.on(GetObjectCommand).rejects(s3Error('InternalError', 500))],
    ['HeadObject', () => s3Mock.on(HeadObjectCommand).rejects(s3Error('InternalError', 500))],
    ['PutObject', () => s3Mock.on(PutObjectCommand).rejects(s3Error('InternalError', 500))],
  ] as const)('reports every relevant message failed when %s fails', async (_name, breakCommand) => {
    // Prepare
    breakCommand();
    const event = loadEvent<SQSEvent>('sqs-batch');

    // Act
    const response = await invoke(event);

    // Assess
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(relevantIds(event));
  });

  it('reports only the malformed messages failed and still publishes the others', async () => {
    // Prepare
    const event = loadEvent<SQSEvent>('sqs-malformed');

    // Act
    const response = await invoke(event);

    // Assess
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: event.Records[1]!.messageId },
      { itemIdentifier: event.Records[2]!.messageId },
    ]);
    expect(s3Mock).toReceiveCommandTimes(PutObjectCommand, site.size);
  });

  it('throws for a direct S3 event when the publish fails, so Lambda retries it', async () => {
    // Prepare
    s3Mock.on(ListObjectsV2Command).rejects(s3Error('SlowDown', 503));

    // Act
    const invoking = invoke(loadEvent<S3Event>('s3-put'));

    // Assess
    await expect(invoking).rejects.toThrow(PublishFailedError);
    await expect(invoking).rejects.toHaveProperty('cause.name', 'SlowDown');
  });

  it('logs a rejected article with its key and reason and publishes the rest', async () => {
    // Prepare
    stubContentBucket(s3Mock, CONFIG.contentBucket, { ...contentFiles(), 'articles/broken.md': INVALID_ARTICLE });
    const error = vi.spyOn(logger, 'error');

    // Act
    const response = await invoke(loadEvent<SQSEvent>('sqs-s3-put'));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(error).toHaveBeenCalledWith('Article rejected', {
      objectKey: 'articles/broken.md',
      reason: expect.stringContaining('front matter') as unknown as string,
    });
    expect(String(site.get('rss.xml')?.Body)).toContain('New story');
  });

  it('writes nothing and does not retry when site.yaml is invalid', async () => {
    // Prepare
    stubContentBucket(s3Mock, CONFIG.contentBucket, { ...contentFiles(), 'site.yaml': 'title: [unclosed' });
    const error = vi.spyOn(logger, 'error');

    // Act
    const response = await invoke(loadEvent<SQSEvent>('sqs-s3-put'));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(s3Mock).not.toReceiveCommand(PutObjectCommand);
    expect(error).toHaveBeenCalledWith('Site configuration rejected, nothing published', expect.objectContaining({ objectKey: 'site.yaml' }));
  });

  it('links to the public base URL from the configuration', async () => {
    // Prepare
    const config = { ...CONFIG, publicBaseUrl: 'https://d111111abcdef8.cloudfront.net/' };

    // Act
    await invoke(loadEvent<SQSEvent>('sqs-s3-put'), config);

    // Assess
    expect(String(site.get('feed.json')?.Body)).toContain('https://d111111abcdef8.cloudfront.net/articles/new-article/');
  });

  it('records the publish metrics and flushes them once', async () => {
    // Prepare
    const addMetric = vi.spyOn(metrics, 'addMetric');

    // Act
    await invoke(loadEvent<SQSEvent>('sqs-s3-put'));

    // Assess
    const recorded = Object.fromEntries(addMetric.mock.calls.map(([name, , value]) => [name, value]));
    expect(recorded).toMatchObject({ ArticlesPublished: 2, ArticlesRejected: 0, DocumentsWritten: 14 });
    expect(recorded.BytesWritten).toBeGreaterThan(1000);
    expect(metrics.publishStoredMetrics).toHaveBeenCalledTimes(1);
  });

  it('counts a failed publish so that an alarm can see it', async () => {
    // Prepare
    s3Mock.on(PutObjectCommand).rejects(s3Error('InternalError', 500));
    const addMetric = vi.spyOn(metrics, 'addMetric');

    // Act
    await invoke(loadEvent<SQSEvent>('sqs-s3-put'));

    // Assess
    expect(addMetric).toHaveBeenCalledWith('PublishFailed', 'Count', 1);
    expect(metrics.publishStoredMetrics).toHaveBeenCalledTimes(1);
  });
});

describe('handler entry', () => {
  beforeEach(() => {
    s3Mock.reset();
    vi.resetModules();
    vi.unstubAllEnvs();
  });

  it('builds the handler from the environment at module load', async () => {
    // Prepare
    vi.stubEnv('CONTENT_BUCKET', CONFIG.contentBucket);
    vi.stubEnv('SITE_BUCKET', CONFIG.siteBucket);
    stubContentBucket(s3Mock, CONFIG.contentBucket, contentFiles());
    const site = stubSiteBucket(s3Mock, CONFIG.siteBucket);

    // Act
    const { handler } = await import('../../../lambdas/publish/handler.js');
    const response = await handler(loadEvent<SQSEvent>('sqs-s3-put'), createLambdaContext());

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect([...site.keys()].sort()).toEqual(expect.arrayContaining([
      '_catalog/catalog.json',
      'articles/new-article/index.html',
      'articles/old-article/index.html',
      'assets/site.css',
      'atom.xml',
      'feed.html',
      'feed.json',
      'feeds.opml',
      'index.html',
      'rss.xml',
    ]));
  });

  it('fails at module load naming a missing variable', async () => {
    // Prepare
    vi.stubEnv('CONTENT_BUCKET', CONFIG.contentBucket);
    vi.stubEnv('SITE_BUCKET', '');

    // Act
    const loading = import('../../../lambdas/publish/handler.js');

    // Assess
    await expect(loading).rejects.toThrow('SITE_BUCKET');
  });
});
