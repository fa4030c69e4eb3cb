import { stat } from 'node:fs/promises';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, type RunningS3Server } from '../../local/s3-server.js';

/** Smallest part S3 accepts except the last. */
const PART_BYTES = 5 * 1024 * 1024;

describe('local S3 API with signed SDK clients', () => {
  let server: RunningS3Server;
  const events: S3Event[] = [];

  function eventsFor(key: string): string[] {
    return events.flatMap((event) => event.Records).filter((record) => record.s3.object.key === key).map((record) => record.eventName);
  }

  beforeAll(async () => {
    server = await startS3Server({ buckets: ['content', 'site'], onEvent: (event) => events.push(event) });
  });

  afterAll(async () => {
    await server.close();
  });

  it('puts, reads and deletes an object, with an event for each change', async () => {
    // Prepare
    const Key = 'articles/caf\u00e9 + notes!.md';

    // Act
    await server.client.send(new PutObjectCommand({ Bucket: 'content', Key, Body: 'hello', ContentType: 'text/markdown; charset=utf-8' }));
    const read = await server.client.send(new GetObjectCommand({ Bucket: 'content', Key }));
    const body = await read.Body!.transformToString();
    await server.client.send(new DeleteObjectCommand({ Bucket: 'content', Key }));
    const gone = await server.client.send(new HeadObjectCommand({ Bucket: 'content', Key })).catch((error: unknown) => error);

    // Assess
    expect(body).toBe('hello');
    expect(gone).toMatchObject({ $metadata: { httpStatusCode: 404 } });
    expect(eventsFor(Key)).toEqual(['ObjectCreated:Put', 'ObjectRemoved:Delete']);
  });

  it('lists a bucket page by page with continuation tokens', async () => {
    // Prepare
    const keys = Array.from({ length: 7 }, (_, index) => `paged/${index}.md`);
    for (const Key of keys) await server.client.send(new PutObjectCommand({ Bucket: 'content', Key, Body: Key }));

    // Act
    const listed: string[] = [];
    let ContinuationToken: string | undefined;
    let pages = 0;
    do {
      const page = await server.client.send(new ListObjectsV2Command({ Bucket: 'content', Prefix: 'paged/', MaxKeys: 3, ContinuationToken }));
      listed.push(...(page.Contents ?? []).map((object) => object.Key!));
      ContinuationToken = page.NextContinuationToken;
      pages += 1;
    } while (ContinuationToken);

    // Assess
    expect(pages).toBe(3);
    expect(listed).toEqual(keys);
  });

  it('completes a multipart upload of a text/plain object', async () => {
    // Prepare: the AWS CLI sends the object's own type on CreateMultipartUpload.
    const Key = 'uploads/large.txt';
    const first = Buffer.alloc(PART_BYTES, 'a');
    const { UploadId } = await server.client.send(new CreateMultipartUploadCommand({ Bucket: 'content', Key, ContentType: 'text/plain' }));

    // Act
    const one = await server.client.send(new UploadPartCommand({ Bucket: 'content', Key, UploadId, PartNumber: 1, Body: first }));
    const two = await server.client.send(new UploadPartCommand({ Bucket: 'content', Key, UploadId, PartNumber: 2, Body: 'tail' }));
    const Parts = [{ PartNumber: 1, ETag: one.ETag }, { PartNumber: 2, ETag: two.ETag }];
    await server.client.send(new CompleteMultipartUploadCommand({ Bucket: 'content', Key, UploadId, MultipartUpload: { Parts } }));
    const head = await server.client.send(new HeadObjectCommand({ Bucket: 'content', Key }));

    // Assess
    expect(head.ContentLength).toBe(PART_BYTES + 4);
    expect(eventsFor(Key)).toEqual(['ObjectCreated:Post']);
  });

  it('copies an object between buckets', async () => {
    // Prepare
    await server.client.send(new PutObjectCommand({ Bucket: 'content', Key: 'articles/source.md', Body: 'copied' }));

    // Act
    await server.client.send(new CopyObjectCommand({ Bucket: 'site', Key: 'copy/target.md', CopySource: 'content/articles/source.md' }));
    const read = await server.client.send(new GetObjectCommand({ Bucket: 'site', Key: 'copy/target.md' }));

    // Assess
    expect(await read.Body!.transformToString()).toBe('copied');
  });

  it('removes its own temporary folder on close', async () => {
    // Prepare
    const own = await startS3Server({ buckets: ['content'] });
    await own.client.send(new PutObjectCommand({ Bucket: 'content', Key: 'a.md', Body: 'a' }));

    // Act
    await own.close();

    // Assess
    await expect(stat(own.directory)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
