import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PublisherConfig } from '../../lambdas/publish/config.js';
import { createHandler, type PublishHandler } from '../../lambdas/publish/create-handler.js';
import { toSqsEvent } from '../fixtures/events/load-event.js';
import { articleMarkdown, siteYaml } from '../support/content-files.js';
import { createLambdaContext } from '../support/lambda-context.js';
import { snapshotBucket, validateVariants } from '../support/bucket-snapshot.js';
import { startS3Server, type RunningS3Server } from '../../local/s3-server.js';

// Keep the test output free of Embedded Metric Format lines.
vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const CONFIG: PublisherConfig = { contentBucket: 'content', siteBucket: 'site', publicBaseUrl: 'http://127.0.0.1:8080/' };
const ARTICLE = 'articles/2026/01/first.md';
/** The documents whose types CloudFront does not compress, for a site with one tagged article. */
const PRECOMPRESSED = ['atom.xml', 'feed.json', 'feeds.opml', 'tags/go/atom.xml', 'tags/go/feed.json'];

describe('precompressed variants against s3rver', () => {
  let s3rver: RunningS3Server;
  let handler: PublishHandler;
  const events: S3Event[] = [];
  /** Keys of every PutObject to the site bucket, in order. */
  const sitePuts: string[] = [];

  async function change(puts: Record<string, string>, deletes: readonly string[] = []): Promise<unknown> {
    events.length = 0;
    for (const [Key, Body] of Object.entries(puts)) await s3rver.client.send(new PutObjectCommand({ Bucket: CONFIG.contentBucket, Key, Body }));
    for (const Key of deletes) await s3rver.client.send(new DeleteObjectCommand({ Bucket: CONFIG.contentBucket, Key }));
    return handler(toSqsEvent(...events), createLambdaContext());
  }

  async function siteKeys(): Promise<string[]> {
    const keys: string[] = [];
    for await (const page of paginateListObjectsV2({ client: s3rver.client }, { Bucket: CONFIG.siteBucket })) keys.push(...(page.Contents ?? []).map((object) => object.Key ?? ''));
    return keys.sort();
  }

  async function readBytes(key: string): Promise<{ bytes: Buffer; encoding?: string; contentType?: string; cacheControl?: string }> {
    const object = await s3rver.client.send(new GetObjectCommand({ Bucket: CONFIG.siteBucket, Key: key }));
    const bytes = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
    return { bytes, encoding: object.ContentEncoding, contentType: object.ContentType, cacheControl: object.CacheControl };
  }

  beforeAll(async () => {
    s3rver = await startS3Server({ buckets: [CONFIG.contentBucket, CONFIG.siteBucket], onEvent: (event) => events.push(event) });
    s3rver.client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Bucket?: string; Key?: string };
        if (context.commandName === 'PutObjectCommand' && input.Bucket === CONFIG.siteBucket && input.Key !== undefined && !input.Key.startsWith('_catalog/')) sitePuts.push(input.Key);
        return next(args);
      },
      { step: 'initialize', name: 'recordSitePuts' },
    );
    handler = createHandler({ s3: s3rver.client, config: CONFIG });
    await change({ 'site.yaml': siteYaml(), [ARTICLE]: articleMarkdown('First story', '2026-01-01T10:00:00Z', 'tags: [go]\n') });
  });

  afterAll(async () => {
    await s3rver.close();
  });

  it.each(PRECOMPRESSED)('stores Brotli and gzip variants of %s that decode to its bytes, with its headers', async (key) => {
    // Act
    const [identity, br, gz] = await Promise.all([readBytes(key), readBytes(`${key}.br`), readBytes(`${key}.gz`)]);

    // Assess
    expect(brotliDecompressSync(br.bytes)).toEqual(identity.bytes);
    expect(gunzipSync(gz.bytes)).toEqual(identity.bytes);
    expect([identity.encoding, br.encoding, gz.encoding]).toEqual([undefined, 'br', 'gzip']);
    expect(new Set([identity.contentType, br.contentType, gz.contentType]).size).toBe(1);
    expect(new Set([identity.cacheControl, br.cacheControl, gz.cacheControl]).size).toBe(1);
  });

  it('stores no variant of the documents CloudFront compresses itself', async () => {
    // Act
    const keys = await siteKeys();

    // Assess
    const variants = keys.filter((key) => /\.(br|gz)$/.test(key)).map((key) => key.replace(/\.(br|gz)$/, ''));
    expect([...new Set(variants)].sort()).toEqual([...PRECOMPRESSED].sort());
  });

  it('writes no variant when a rebuild finds every document unchanged', async () => {
    // Prepare
    sitePuts.length = 0;

    // Act
    await handler({ rebuild: true }, createLambdaContext());

    // Assess
    expect(sitePuts).toEqual([]);
  });

  it('rewrites the variants of a changed feed before the feed itself', async () => {
    // Prepare
    sitePuts.length = 0;

    // Act
    await change({ 'articles/2026/01/second.md': articleMarkdown('Second story', '2026-01-02T10:00:00Z', 'tags: [go]\n') });

    // Assess
    for (const key of PRECOMPRESSED.filter((key) => key !== 'feeds.opml')) {
      expect(sitePuts.indexOf(`${key}.br`), key).toBeLessThan(sitePuts.indexOf(key));
      expect(sitePuts.indexOf(`${key}.gz`), key).toBeLessThan(sitePuts.indexOf(key));
      expect(sitePuts.indexOf(`${key}.br`), key).toBeGreaterThanOrEqual(0);
    }
    expect(validateVariants(await snapshotBucket(s3rver.client, CONFIG.siteBucket))).toEqual([]);
  });

  it('removes the variants with the documents of a deleted article', async () => {
    // Act
    await change({}, [ARTICLE, 'articles/2026/01/second.md']);

    // Assess
    const keys = await siteKeys();
    expect(keys.filter((key) => key.startsWith('tags/go/'))).toEqual([]);
    expect(validateVariants(await snapshotBucket(s3rver.client, CONFIG.siteBucket))).toEqual([]);
  });
});
