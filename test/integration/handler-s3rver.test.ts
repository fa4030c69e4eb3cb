import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PublisherConfig } from '../../lambdas/publish/config.js';
import { createHandler, type PublishHandler } from '../../lambdas/publish/create-handler.js';
import { toSqsEvent } from '../fixtures/events/load-event.js';
import { INVALID_ARTICLE, articleMarkdown, siteYaml } from '../support/content-files.js';
import { logger } from '../../lambdas/shared/logger.js';
import { createLambdaContext } from '../support/lambda-context.js';
import { readPublishedTitles, readStoredDocument } from '../support/published-feeds.js';
import { startS3Server, type RunningS3Server } from '../../local/s3-server.js';

// Keep the test output free of Embedded Metric Format lines.
vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const CONFIG: PublisherConfig = { contentBucket: 'content', siteBucket: 'site', publicBaseUrl: 'http://127.0.0.1:8080/' };

/** Encodes a key the way S3 notifications do: UTF-8 percent-encoding, `+` for a space. */
function encodeLikeS3(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
}

describe('publish handler against s3rver', () => {
  let s3rver: RunningS3Server;
  let handler: PublishHandler;
  const events: S3Event[] = [];

  /** Uploads or deletes content, then delivers the events s3rver emitted as one SQS batch. */
  async function change(puts: Record<string, string>, deletes: readonly string[] = []) {
    events.length = 0;
    for (const [Key, Body] of Object.entries(puts)) {
      await s3rver.client.send(new PutObjectCommand({ Bucket: CONFIG.contentBucket, Key, Body }));
    }
    for (const Key of deletes) await s3rver.client.send(new DeleteObjectCommand({ Bucket: CONFIG.contentBucket, Key }));
    const notifications = events.map((event) => ({
      Records: event.Records.map((record) => ({
        ...record,
        s3: { ...record.s3, object: { ...record.s3.object, key: encodeLikeS3(record.s3.object.key) } },
      })),
    }));
    return handler(toSqsEvent(...notifications), createLambdaContext());
  }

  beforeAll(async () => {
    s3rver = await startS3Server({ buckets: [CONFIG.contentBucket, CONFIG.siteBucket], onEvent: (event) => events.push(event) });
    handler = createHandler({ s3: s3rver.client, config: CONFIG });
  });

  afterAll(async () => {
    await s3rver.close();
  });

  beforeEach(async () => {
    await change({ 'site.yaml': siteYaml(), 'articles/2026/01/first.md': articleMarkdown('First story', '2026-01-01T10:00:00Z') });
  });

  it('publishes three feeds a feed reader parses back', async () => {
    // Prepare
    const upload = { 'articles/2026/01/second.md': articleMarkdown('Second story', '2026-01-02T10:00:00Z') };

    // Act
    const response = await change(upload);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const titles = await readPublishedTitles(s3rver.client, CONFIG.siteBucket);
    expect(titles).toEqual({
      rss: ['Second story', 'First story'],
      atom: ['Second story', 'First story'],
      json: ['Second story', 'First story'],
    });
    const rss = await readStoredDocument(s3rver.client, CONFIG.siteBucket, 'rss.xml');
    expect(rss?.contentType).toBe('application/rss+xml; charset=utf-8');
    expect(rss?.body).toContain('http://127.0.0.1:8080/articles/second/');
  });

  it('publishes an article whose key holds spaces and unicode', async () => {
    // Prepare
    const upload = { 'articles/2026/01/café au lait.md': articleMarkdown('Café', '2026-01-03T10:00:00Z', 'slug: cafe\n') };

    // Act
    const response = await change(upload);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect((await readPublishedTitles(s3rver.client, CONFIG.siteBucket)).json).toContain('Café');
  });

  it('removes a deleted article from every feed', async () => {
    // Prepare
    await change({ 'articles/2026/01/doomed.md': articleMarkdown('Doomed story', '2026-01-04T10:00:00Z') });

    // Act
    const response = await change({}, ['articles/2026/01/doomed.md']);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const titles = await readPublishedTitles(s3rver.client, CONFIG.siteBucket);
    expect([...titles.rss, ...titles.atom, ...titles.json]).not.toContain('Doomed story');
  });

  it('keeps publishing the valid articles when one is rejected', async () => {
    // Prepare
    const upload = { 'articles/2026/01/broken.md': INVALID_ARTICLE };

    // Act
    const response = await change(upload);
    await change({}, ['articles/2026/01/broken.md']);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect((await readPublishedTitles(s3rver.client, CONFIG.siteBucket)).atom).toContain('First story');
  });

  it('rejects an article over the size limit and publishes the rest', async () => {
    // Prepare
    const huge = articleMarkdown('Huge story', '2026-01-05T10:00:00Z', '', 'x'.repeat(3 * 1024 * 1024));
    const error = vi.spyOn(logger, 'error');

    // Act
    const response = await change({ 'articles/2026/01/huge.md': huge });
    await change({}, ['articles/2026/01/huge.md']);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(error).toHaveBeenCalledWith('Article rejected', {
      objectKey: 'articles/2026/01/huge.md',
      reason: expect.stringContaining('limit') as unknown as string,
    });
    error.mockRestore();
  });

  it('does not rewrite feeds when an upload changes nothing they show', async () => {
    // Prepare
    const before = await readStoredDocument(s3rver.client, CONFIG.siteBucket, 'atom.xml');
    await new Promise((resolve) => setTimeout(resolve, 1100)); // Last-Modified has one-second resolution.

    // Act
    await change({ 'articles/2026/01/first.md': articleMarkdown('First story', '2026-01-01T10:00:00Z') });

    // Assess
    const after = await readStoredDocument(s3rver.client, CONFIG.siteBucket, 'atom.xml');
    expect(after?.lastModified).toEqual(before?.lastModified);
  });

  it('reports the batch failed when the site bucket is missing', async () => {
    // Prepare
    const broken = createHandler({ s3: s3rver.client, config: { ...CONFIG, siteBucket: 'no-such-bucket' } });
    events.length = 0;
    await s3rver.client.send(new PutObjectCommand({ Bucket: CONFIG.contentBucket, Key: 'site.yaml', Body: siteYaml() }));
    const event = toSqsEvent(...events);

    // Act
    const response = await broken(event, createLambdaContext());

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0]!.messageId }]);
  });
});
