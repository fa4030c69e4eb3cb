import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3ServiceException,
  type GetObjectCommandOutput,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { AwsClientStub } from 'aws-sdk-client-mock';

/** The mock type `mockClient(S3Client)` returns. */
export type S3Mock = AwsClientStub<S3Client>;

/** A GetObject body with the SDK's byte helpers (the only ones the adapter uses). */
export function objectBody(text: string): GetObjectCommandOutput['Body'] {
  const bytes = new TextEncoder().encode(text);
  return {
    transformToByteArray: async () => bytes,
    transformToString: async () => text,
  } as unknown as GetObjectCommandOutput['Body'];
}

/**
 * Serves `files` (key → text) as the content bucket: ListObjectsV2 honours Prefix and returns
 * the keys in S3's order; GetObject returns the text or NoSuchKey.
 */
export function stubContentBucket(s3: S3Mock, bucket: string, files: Readonly<Record<string, string>>): void {
  s3.on(ListObjectsV2Command, { Bucket: bucket }).callsFake((input: { Prefix?: string }) => ({
    Contents: Object.keys(files)
      .filter((key) => key.startsWith(input.Prefix ?? ''))
      .sort()
      .map((Key) => ({ Key, Size: files[Key]!.length })),
    IsTruncated: false,
    KeyCount: Object.keys(files).length,
  }));
  s3.on(GetObjectCommand, { Bucket: bucket }).callsFake((input: { Key: string }) => {
    const text = files[input.Key];
    if (text === undefined) throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } });
    return { Body: objectBody(text), ContentLength: text.length };
  });
}

/** One object as the fake site bucket keeps it. */
export type StoredObject = Pick<PutObjectCommandInput, 'Body' | 'ContentType' | 'CacheControl' | 'Metadata'> & { ETag?: string };

/**
 * Keeps the site bucket in `store`: PutObject saves (honouring `If-Match` and `If-None-Match: *`
 * with a 412 like S3), GetObject and HeadObject answer with the saved object or a 404 (HeadObject
 * errors have no body, so NotFound), DeleteObject removes. ETags are content hashes.
 */
export function stubSiteBucket(s3: S3Mock, bucket: string, store: Map<string, StoredObject> = new Map()): Map<string, StoredObject> {
  s3.on(PutObjectCommand, { Bucket: bucket }).callsFake((input: PutObjectCommandInput) => putObject(store, input));
  s3.on(HeadObjectCommand, { Bucket: bucket }).callsFake((input: { Key: string }) => {
    const stored = store.get(input.Key);
    if (!stored) throw new NotFound({ message: 'NotFound', $metadata: { httpStatusCode: 404 } });
    return { ContentType: stored.ContentType, CacheControl: stored.CacheControl, Metadata: stored.Metadata, ETag: stored.ETag };
  });
  s3.on(GetObjectCommand, { Bucket: bucket }).callsFake((input: { Key: string }) => {
    const stored = store.get(input.Key);
    if (!stored) throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } });
    const bytes = typeof stored.Body === 'string' ? new TextEncoder().encode(stored.Body) : (stored.Body as Uint8Array);
    return { Body: bytesBody(bytes), ContentLength: bytes.length, ETag: stored.ETag };
  });
  s3.on(DeleteObjectCommand, { Bucket: bucket }).callsFake((input: { Key: string }) => {
    store.delete(input.Key);
    return {};
  });
  return store;
}

/** PutObject into a fake bucket as S3 does it, conditions included (412 PreconditionFailed). */
export function putObject(store: Map<string, StoredObject>, input: PutObjectCommandInput): { ETag: string } {
  const current = store.get(input.Key!);
  if ((input.IfNoneMatch === '*' && current) || (input.IfMatch !== undefined && current?.ETag !== input.IfMatch)) {
    throw new S3ServiceException({ name: 'PreconditionFailed', $fault: 'client', $metadata: { httpStatusCode: 412 } });
  }
  const ETag = `"${createHash('md5').update(input.Body as string | Uint8Array).digest('hex')}"`;
  store.set(input.Key!, { Body: input.Body, ContentType: input.ContentType, CacheControl: input.CacheControl, Metadata: input.Metadata, ETag });
  return { ETag };
}

/** A GetObject body over bytes. */
export function bytesBody(bytes: Uint8Array): GetObjectCommandOutput['Body'] {
  return {
    transformToByteArray: async () => bytes,
    transformToString: async () => new TextDecoder().decode(bytes),
  } as unknown as GetObjectCommandOutput['Body'];
}
