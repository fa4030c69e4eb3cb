import { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { S3ArticleSource } from '../../../lambdas/adapters/s3-article-source.js';
import { objectBody, stubContentBucket } from './s3-stubs.js';

const s3Mock = mockClient(S3Client);
const BUCKET = 'feed-content';

describe('S3ArticleSource', () => {
  beforeEach(() => {
    s3Mock.reset();
  });

  it('lists the Markdown keys under articles/ only', async () => {
    // Prepare
    stubContentBucket(s3Mock, BUCKET, {
      'site.yaml': 'title: x',
      'articles/2021/a.md': 'a',
      'articles/2021/b.md': 'b',
      'articles/2021/notes.txt': 'not an article',
    });
    const source = new S3ArticleSource({ s3: new S3Client({}), bucket: BUCKET });

    // Act
    const keys = await source.listArticleKeys();

    // Assess
    expect(keys).toEqual(['articles/2021/a.md', 'articles/2021/b.md']);
    expect(s3Mock).toReceiveCommandWith(ListObjectsV2Command, { Bucket: BUCKET, Prefix: 'articles/' });
  });

  it('follows continuation tokens across listing pages', async () => {
    // Prepare
    s3Mock
      .on(ListObjectsV2Command)
      .resolvesOnce({ Contents: [{ Key: 'articles/a.md' }], IsTruncated: true, NextContinuationToken: 'page-2' })
      .resolvesOnce({ Contents: [{ Key: 'articles/b.md' }], IsTruncated: false });
    const source = new S3ArticleSource({ s3: new S3Client({}), bucket: BUCKET, pageSize: 1 });

    // Act
    const keys = await source.listArticleKeys();

    // Assess
    expect(keys).toEqual(['articles/a.md', 'articles/b.md']);
    expect(s3Mock).toReceiveCommandTimes(ListObjectsV2Command, 2);
    expect(s3Mock).toReceiveNthCommandWith(ListObjectsV2Command, 2, { ContinuationToken: 'page-2', MaxKeys: 1 });
  });

  it('reads an object as bytes', async () => {
    // Prepare
    s3Mock.on(GetObjectCommand, { Bucket: BUCKET, Key: 'articles/ü.md' }).resolves({ Body: objectBody('Grüße') });
    const source = new S3ArticleSource({ s3: new S3Client({}), bucket: BUCKET });

    // Act
    const bytes = await source.read('articles/ü.md');

    // Assess
    expect(new TextDecoder().decode(bytes)).toBe('Grüße');
  });

  it('reads only the first maxBytes + 1 bytes of a larger object', async () => {
    // Prepare
    const chunks = Array.from({ length: 100 }, () => new Uint8Array(1024).fill(65));
    const body = Readable.from(chunks);
    s3Mock.on(GetObjectCommand).resolves({ Body: body as never, ContentLength: 100 * 1024 });
    const source = new S3ArticleSource({ s3: new S3Client({}), bucket: BUCKET, maxBytes: 2000 });

    // Act
    const bytes = await source.read('articles/huge.md');

    // Assess
    expect(bytes).toHaveLength(2001);
    expect(body.destroyed).toBe(true);
  });

  it('answers undefined for a key that does not exist', async () => {
    // Prepare
    stubContentBucket(s3Mock, BUCKET, {});
    const source = new S3ArticleSource({ s3: new S3Client({}), bucket: BUCKET });

    // Act
    const bytes = await source.read('articles/deleted.md');

    // Assess
    expect(bytes).toBeUndefined();
  });

  it('rethrows any other S3 error', async () => {
    // Prepare
    const denied = new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 } });
    s3Mock.on(GetObjectCommand).rejects(denied);
    const source = new S3ArticleSource({ s3: new S3Client({}), bucket: BUCKET });

    // Act
    const reading = source.read('articles/a.md');

    // Assess
    await expect(reading).rejects.toBe(denied);
  });
});
