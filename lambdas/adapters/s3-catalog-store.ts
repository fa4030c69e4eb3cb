import { gunzipSync, gzipSync } from 'node:zlib';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import { CATALOG_KEY, decodeCatalog, encodeCatalog, type Catalog } from '../core/catalog/catalog.js';
import { CatalogConflictError, CatalogFormatError } from '../core/errors.js';
import type { CatalogStore, StoredCatalogState } from '../core/ports.js';
import { ownerCheck } from './owner-check.js';

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
 * {@link CatalogStore} in S3: the catalog as gzip-compressed JSON, written with S3 conditional writes so that two
 * publishes can never both replace the same version: the write names the ETag it read
 * (`If-Match`) or, for the first catalog, `If-None-Match: *`
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).
 */
export class S3CatalogStore implements CatalogStore {
  readonly #s3: S3Client;
  readonly #bucket: string;
  readonly #owner: { readonly ExpectedBucketOwner?: string };
  readonly #key: string;

  constructor(options: S3CatalogStoreOptions) {
    this.#s3 = options.s3;
    this.#bucket = options.bucket;
    this.#owner = ownerCheck(options.expectedBucketOwner);
    this.#key = options.key ?? CATALOG_KEY;
  }

  /** Reads the catalog and its ETag; S3 and network errors propagate. */
  async read(): Promise<StoredCatalogState> {
    let etag: string;
    let body: Uint8Array;
    let lastModified: Date | undefined;
    try {
      const response = await this.#s3.send(new GetObjectCommand({ Bucket: this.#bucket, ...this.#owner, Key: this.#key }));
      etag = response.ETag ?? '';
      lastModified = response.LastModified;
      body = (await response.Body?.transformToByteArray()) ?? new Uint8Array();
    } catch (error) {
      if (error instanceof NoSuchKey) return { state: 'missing' };
      throw error;
    }
    try {
      const catalog = decodeCatalog(gunzipSync(body).toString('utf8'));
      return { state: 'read', etag, catalog, ...(lastModified ? { lastModified } : {}) };
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
          Bucket: this.#bucket, ...this.#owner,
          Key: this.#key,
          Body: body,
          ContentType: 'application/json',
          ContentEncoding: 'gzip',
          CacheControl: 'no-store',
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
