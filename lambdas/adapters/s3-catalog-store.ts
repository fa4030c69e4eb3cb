import { gunzipSync, gzipSync } from 'node:zlib';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import { CATALOG_KEY, CatalogFormatError, decodeCatalog, encodeCatalog, type Catalog } from '../core/catalog/catalog.js';
import { FeedPublisherError } from '../core/errors.js';
import { ownerCheck } from './owner-check.js';

/**
 * Another publish replaced the catalog since it was read (S3 answered 412 Precondition Failed,
 * or 409 ConditionalRequestConflict while a concurrent write was in flight): read it again and
 * redo the publish on top of it.
 */
export class CatalogConflictError extends FeedPublisherError {}

/** The stored catalog as read. */
export type StoredCatalog =
  /** No catalog yet: the next write must create it (`If-None-Match: *`). */
  | { readonly state: 'missing' }
  /** A catalog of another schema, or damaged: rebuild, then replace exactly this version. */
  | { readonly state: 'unreadable'; readonly etag: string; readonly error: CatalogFormatError }
  | { readonly state: 'read'; readonly etag: string; readonly catalog: Catalog; readonly bytes: number };

/** Where {@link S3CatalogStore} keeps the catalog. */
export interface S3CatalogStoreOptions {
  readonly s3: S3Client;
  /** The site bucket; the distribution denies `_catalog/*`, so the catalog is never served. */
  readonly bucket: string;
  /** @default CATALOG_KEY */
  readonly key?: string;
  /** Account that must own the bucket (`ExpectedBucketOwner`); S3 refuses the call otherwise. @default no check */
  readonly expectedBucketOwner?: string;
}

/**
 * The catalog in S3, gzip-compressed JSON, written with S3 conditional writes so that two
 * publishes can never both replace the same version: the write names the ETag it read
 * (`If-Match`) or, for the first catalog, `If-None-Match: *`
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).
 */
export class S3CatalogStore {
  readonly #s3: S3Client;
  readonly #bucket: string;
  readonly #key: string;
  readonly #owner: { readonly ExpectedBucketOwner?: string };

  constructor(options: S3CatalogStoreOptions) {
    this.#s3 = options.s3;
    this.#bucket = options.bucket;
    this.#key = options.key ?? CATALOG_KEY;
    this.#owner = ownerCheck(options.expectedBucketOwner);
  }

  /** Reads the catalog and its ETag; S3 and network errors propagate. */
  async read(): Promise<StoredCatalog> {
    let etag: string;
    let body: Uint8Array;
    let lastModified: Date | undefined;
    try {
      const response = await this.#s3.send(new GetObjectCommand({ Bucket: this.#bucket, Key: this.#key, ...this.#owner }));
      etag = response.ETag ?? '';
      lastModified = response.LastModified;
      body = (await response.Body?.transformToByteArray()) ?? new Uint8Array();
    } catch (error) {
      if (error instanceof NoSuchKey) return { state: 'missing' };
      throw error;
    }
    try {
      const catalog = decodeCatalog(gunzipSync(body).toString('utf8'));
      return { state: 'read', etag, catalog, bytes: body.length, ...(lastModified ? { lastModified } : {}) };
    } catch (error) {
      const formatError = error instanceof CatalogFormatError ? error : new CatalogFormatError('catalog is not gzip', { cause: error });
      return { state: 'unreadable', etag, error: formatError };
    }
  }

  /**
   * Replaces the catalog version `etag` (or creates the catalog when `etag` is undefined) and
   * returns the new ETag and the bytes written.
   * @throws CatalogConflictError when another publish wrote the catalog in between.
   */
  async write(catalog: Catalog, etag: string | undefined): Promise<{ etag: string; bytes: number }> {
    const body = gzipSync(encodeCatalog(catalog));
    try {
      const response = await this.#s3.send(
        new PutObjectCommand({
          Bucket: this.#bucket,
          Key: this.#key,
          Body: body,
          ContentType: 'application/json',
          ContentEncoding: 'gzip',
          CacheControl: 'no-store',
          ...this.#owner,
          ...(etag === undefined ? { IfNoneMatch: '*' } : { IfMatch: etag }),
        }),
      );
      return { etag: response.ETag ?? '', bytes: body.length };
    } catch (error) {
      if (isConflict(error)) throw new CatalogConflictError('catalog changed since it was read', { cause: error });
      throw error;
    }
  }
}

function isConflict(error: unknown): boolean {
  if (!(error instanceof S3ServiceException)) return false;
  const status = error.$metadata.httpStatusCode;
  return status === 412 || status === 409 || error.name === 'PreconditionFailed' || error.name === 'ConditionalRequestConflict';
}
