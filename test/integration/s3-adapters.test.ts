import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ArticleSource } from '../../lambdas/adapters/s3-article-source.js';
import { HASH_METADATA_KEY, S3SiteWriter } from '../../lambdas/adapters/s3-site-writer.js';
import { hashDocument } from '../../lambdas/core/catalog/catalog.js';
import { CACHE_CONTROL_FEED, FEED_FORMATS, type OutputDocument } from '../../lambdas/core/plan/outputs.js';
import { readStoredDocument } from '../support/published-feeds.js';
import { startS3Server, type RunningS3Server } from '../../local/s3-server.js';

const CONTENT = 'content';
const SITE = 'site';

function jsonFeed(body: string): OutputDocument {
  return { key: 'feed.json', body, contentType: FEED_FORMATS.json.contentType, cacheControl: CACHE_CONTROL_FEED, role: 'subscription-feed' };
}

describe('S3 adapters against s3rver', () => {
  let s3rver: RunningS3Server;

  beforeAll(async () => {
    s3rver = await startS3Server({ buckets: [CONTENT, SITE] });
    const files: Record<string, string> = {
      'site.yaml': 'title: Test',
      'articles/2021/a.md': 'A',
      'articles/2021/b.md': 'B',
      'articles/2022/c d.md': 'C',
      'articles/2022/ü.md': 'Ü',
      'articles/2022/e.md': 'E',
      'articles/readme.txt': 'not an article',
    };
    for (const [Key, Body] of Object.entries(files)) {
      await s3rver.client.send(new PutObjectCommand({ Bucket: CONTENT, Key, Body }));
    }
  });

  afterAll(async () => {
    await s3rver.close();
  });

  describe('S3ArticleSource', () => {
    it('lists every article across several listing pages', async () => {
      // Prepare
      const source = new S3ArticleSource({ s3: s3rver.client, bucket: CONTENT, pageSize: 2 });

      // Act
      const keys = await source.listArticleKeys();

      // Assess
      expect(keys.sort()).toEqual([
        'articles/2021/a.md',
        'articles/2021/b.md',
        'articles/2022/c d.md',
        'articles/2022/e.md',
        'articles/2022/ü.md',
      ]);
    });

    it('reads an object with a unicode key as bytes', async () => {
      // Prepare
      const source = new S3ArticleSource({ s3: s3rver.client, bucket: CONTENT });

      // Act
      const bytes = await source.read('articles/2022/ü.md');

      // Assess
      expect(new TextDecoder().decode(bytes)).toBe('Ü');
    });

    it('answers undefined for a missing key', async () => {
      // Prepare
      const source = new S3ArticleSource({ s3: s3rver.client, bucket: CONTENT });

      // Act
      const bytes = await source.read('articles/missing.md');

      // Assess
      expect(bytes).toBeUndefined();
    });
  });

  describe('S3SiteWriter', () => {
    it('stores a document with its media type, Cache-Control and hash', async () => {
      // Prepare
      const writer = new S3SiteWriter({ s3: s3rver.client, bucket: SITE });
      const document = jsonFeed('{"version":"https://jsonfeed.org/version/1.1","title":"Ü"}');

      // Act
      const written = await writer.write([document]);

      // Assess
      expect(written).toEqual(['feed.json']);
      const stored = await readStoredDocument(s3rver.client, SITE, 'feed.json');
      expect(stored).toMatchObject({
        body: document.body,
        contentType: 'application/feed+json; charset=utf-8',
        cacheControl: CACHE_CONTROL_FEED,
        metadata: { [HASH_METADATA_KEY]: hashDocument(document) },
      });
    });

    it('leaves an unchanged document untouched and rewrites a changed one', async () => {
      // Prepare
      const writer = new S3SiteWriter({ s3: s3rver.client, bucket: SITE });
      const first = jsonFeed('{"title":"first"}');
      await writer.write([first]);
      const before = await s3rver.client.send(new HeadObjectCommand({ Bucket: SITE, Key: 'feed.json' }));
      await new Promise((resolve) => setTimeout(resolve, 1100)); // Last-Modified has one-second resolution.

      // Act
      const unchanged = await writer.write([first]);
      const afterUnchanged = await s3rver.client.send(new HeadObjectCommand({ Bucket: SITE, Key: 'feed.json' }));
      const changed = await writer.write([jsonFeed('{"title":"second"}')]);

      // Assess
      expect(unchanged).toEqual([]);
      expect(afterUnchanged.LastModified).toEqual(before.LastModified);
      expect(afterUnchanged.ETag).toBe(before.ETag);
      expect(changed).toEqual(['feed.json']);
      expect((await readStoredDocument(s3rver.client, SITE, 'feed.json'))?.body).toBe('{"title":"second"}');
    });
  });
});
