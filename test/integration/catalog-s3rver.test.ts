import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SQSEvent } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CATALOG_KEY } from '../../lambdas/core/catalog/catalog.js';
import type { PublisherConfig } from '../../lambdas/publish/config.js';
import { createHandler } from '../../lambdas/publish/create-handler.js';
import { logger } from '../../lambdas/shared/logger.js';
import { metrics } from '../../lambdas/shared/metrics.js';
import { loadEvent, toSqsEvent } from '../fixtures/events/load-event.js';
import { articleMarkdown, siteYaml } from '../support/content-files.js';
import { createLambdaContext } from '../support/lambda-context.js';
import { readPublishedTitles, readStoredDocument } from '../support/published-feeds.js';
import { startS3Server, type RunningS3Server } from '../../local/s3-server.js';

// Keep the test output free of Embedded Metric Format lines.
vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const CONFIG: PublisherConfig = { contentBucket: 'content', siteBucket: 'site', publicBaseUrl: 'http://127.0.0.1:8080/' };
const REBUILT: PublisherConfig = { ...CONFIG, siteBucket: 'rebuilt' };

/** An SQS batch naming content keys, URL-encoded the way S3 notifications encode them. */
function eventFor(keys: readonly string[]): SQSEvent {
  const template = loadEvent<SQSEvent>('sqs-s3-put');
  const notification = JSON.parse(template.Records[0]!.body) as { Records: { s3: { bucket: { name: string }; object: { key: string } } }[] };
  const record = notification.Records[0]!;
  return toSqsEvent({
    Records: keys.map((key) => ({
      ...record,
      s3: { ...record.s3, bucket: { ...record.s3.bucket, name: CONFIG.contentBucket }, object: { ...record.s3.object, key: encodeURIComponent(key).replace(/%2F/g, '/') } },
    })),
  });
}

/** Every object of a bucket but the catalog: key to content type and body. */
async function readBucket(s3: S3Client, bucket: string): Promise<Map<string, string>> {
  const listing = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  const keys = (listing.Contents ?? []).map((object) => object.Key!).filter((key) => key !== CATALOG_KEY).sort();
  const documents = await Promise.all(keys.map(async (key) => [key, await readStoredDocument(s3, bucket, key)] as const));
  return new Map(documents.map(([key, document]) => [key, `${document?.contentType}\n${document?.cacheControl}\n${document?.body}`]));
}

async function emptyBucket(s3: S3Client, bucket: string): Promise<void> {
  const listing = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  for (const object of listing.Contents ?? []) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: object.Key }));
}

const SLUGS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'] as const;

/** One content change: an upload of a version of one of five articles, or its deletion. */
const changeArbitrary = fc.record({
  slug: fc.constantFrom(...SLUGS),
  remove: fc.boolean(),
  day: fc.integer({ min: 1, max: 9 }),
  tag: fc.constantFrom('news', 'world', 'sport'),
  lang: fc.constantFrom('en', 'en', 'fr'),
});

describe('incremental publishing against s3rver', () => {
  let s3rver: RunningS3Server;

  beforeAll(async () => {
    s3rver = await startS3Server({ buckets: [CONFIG.contentBucket, CONFIG.siteBucket, REBUILT.siteBucket] });
  });

  afterAll(async () => {
    await s3rver.close();
  });

  beforeEach(async () => {
    for (const bucket of [CONFIG.contentBucket, CONFIG.siteBucket, REBUILT.siteBucket]) await emptyBucket(s3rver.client, bucket);
    await s3rver.client.send(new PutObjectCommand({ Bucket: CONFIG.contentBucket, Key: 'site.yaml', Body: siteYaml('Test News', 'itemsPerFeed: 2') }));
  });

  it('leaves the same bytes as a full rebuild after random uploads and deletes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(changeArbitrary, { minLength: 1, maxLength: 3 }), { minLength: 2, maxLength: 5 }), async (batches) => {
        // Prepare
        const handler = createHandler({ s3: s3rver.client, config: CONFIG });
        const rebuild = createHandler({ s3: s3rver.client, config: REBUILT });
        await handler(eventFor(['site.yaml']), createLambdaContext());

        // Act
        for (const batch of batches) {
          const keys = new Set<string>();
          for (const change of batch) {
            const Key = `articles/${change.slug}.md`;
            keys.add(Key);
            if (change.remove) await s3rver.client.send(new DeleteObjectCommand({ Bucket: CONFIG.contentBucket, Key }));
            else {
              const front = `lang: ${change.lang}\ntags: [${change.tag}]\n`;
              const Body = articleMarkdown(`${change.slug} on day ${change.day}`, `2026-01-0${change.day}T10:00:00Z`, front);
              await s3rver.client.send(new PutObjectCommand({ Bucket: CONFIG.contentBucket, Key, Body }));
            }
          }
          const response = await handler(eventFor([...keys]), createLambdaContext());
          expect(response).toEqual({ batchItemFailures: [] });
        }
        await emptyBucket(s3rver.client, REBUILT.siteBucket);
        await rebuild({ rebuild: true }, createLambdaContext());

        // Assess
        const incremental = await readBucket(s3rver.client, CONFIG.siteBucket);
        const rebuilt = await readBucket(s3rver.client, REBUILT.siteBucket);
        expect([...incremental.keys()]).toEqual([...rebuilt.keys()]);
        for (const [key, document] of rebuilt) expect(incremental.get(key), key).toBe(document);
      }),
      { numRuns: 6 },
    );
  });

  it('keeps the last good version of an article whose update is malformed, and reports it', async () => {
    // Prepare
    const handler = createHandler({ s3: s3rver.client, config: CONFIG });
    const Key = 'articles/steady.md';
    await s3rver.client.send(new PutObjectCommand({ Bucket: CONFIG.contentBucket, Key, Body: articleMarkdown('Good version', '2026-01-01T10:00:00Z') }));
    await handler(eventFor([Key]), createLambdaContext());
    await s3rver.client.send(new PutObjectCommand({ Bucket: CONFIG.contentBucket, Key, Body: articleMarkdown('Bad version', 'not a date') }));
    const error = vi.spyOn(logger, 'error');
    const warn = vi.spyOn(logger, 'warn');
    const addMetric = vi.spyOn(metrics, 'addMetric');

    // Act
    const response = await handler(eventFor([Key]), createLambdaContext());

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const titles = await readPublishedTitles(s3rver.client, CONFIG.siteBucket);
    expect(titles).toEqual({ rss: ['Good version'], atom: ['Good version'], json: ['Good version'] });
    expect(error).toHaveBeenCalledWith('Article rejected', { objectKey: Key, reason: expect.stringContaining('date') as unknown as string });
    expect(warn).toHaveBeenCalledWith('Last good version kept', { objectKey: Key });
    expect(addMetric).toHaveBeenCalledWith('ArticlesRejected', 'Count', 1);
    expect(addMetric).toHaveBeenCalledWith('LastGoodKept', 'Count', 1);
    error.mockRestore();
    warn.mockRestore();
    addMetric.mockRestore();
  });

  it('rebuilds the site and the catalog when the catalog is lost', async () => {
    // Prepare
    const handler = createHandler({ s3: s3rver.client, config: CONFIG });
    const Key = 'articles/kept.md';
    await s3rver.client.send(new PutObjectCommand({ Bucket: CONFIG.contentBucket, Key, Body: articleMarkdown('Kept story', '2026-01-01T10:00:00Z') }));
    await handler(eventFor([Key]), createLambdaContext());
    await s3rver.client.send(new DeleteObjectCommand({ Bucket: CONFIG.siteBucket, Key: CATALOG_KEY }));
    const second = 'articles/second.md';
    await s3rver.client.send(new PutObjectCommand({ Bucket: CONFIG.contentBucket, Key: second, Body: articleMarkdown('Second story', '2026-01-02T10:00:00Z') }));
    const info = vi.spyOn(logger, 'info');

    // Act
    await handler(eventFor([second]), createLambdaContext());

    // Assess
    expect((await readPublishedTitles(s3rver.client, CONFIG.siteBucket)).rss).toEqual(['Second story', 'Kept story']);
    expect(info).toHaveBeenCalledWith('Feeds published', expect.objectContaining({ rebuilt: 'no-catalog' }));
    expect(await readStoredDocument(s3rver.client, CONFIG.siteBucket, CATALOG_KEY)).toBeDefined();
    info.mockRestore();
  });
});
