import { DeleteObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import { hashDocument } from '../core/catalog/catalog.js';
import { contentEncodingsFor, contentTypeFor, type OutputDocument } from '../core/plan/outputs.js';
import type { SiteObject, SiteWriter } from '../core/ports.js';
import { compressBody } from './compress-body.js';
import { ownerCheck } from './owner-check.js';
import { mapWithConcurrency } from '../shared/map-with-concurrency.js';

/** Object metadata key (`x-amz-meta-sha256`) holding {@link hashDocument} of what was written. */
export const HASH_METADATA_KEY = 'sha256';

/**
 * Object metadata key (`x-amz-meta-encodings`) listing the precompressed variants written with
 * the document (`br,gzip`). A document stored without them (by a version that wrote none) is
 * written again at its next render, with its variants, even when its bytes are the same.
 */
export const ENCODINGS_METADATA_KEY = 'encodings';

/** What a document's stored object says about the last write. */
interface StoredVersion {
  readonly hash: string | undefined;
  readonly encodings: string;
}

/** Where {@link S3SiteWriter} writes documents. */
export interface S3SiteWriterOptions {
  readonly s3: S3Client;
  /** The site bucket (never the bucket that triggers the function). */
  readonly bucket: string;
  /** Account that must own the bucket (`ExpectedBucketOwner`); S3 refuses the call otherwise. @default no check */
  readonly expectedBucketOwner?: string;
}

/**
 * {@link SiteWriter} over an S3 bucket. A document is written (PutObject with its media type,
 * Cache-Control and hash metadata) only when its hash differs from the stored one, so an
 * unchanged feed keeps its ETag and Last-Modified and readers get `304 Not Modified`.
 * A document whose media type has precompressed variants ({@link contentEncodingsFor}) is
 * written as `<key>.br` and `<key>.gz` first (same headers plus `Content-Encoding`), then as
 * itself: the document's own hash, written last, vouches for its variants.
 */
export class S3SiteWriter implements SiteWriter {
  readonly #s3: S3Client;
  readonly #bucket: string;
  readonly #owner: { readonly ExpectedBucketOwner?: string };

  constructor(options: S3SiteWriterOptions) {
    this.#s3 = options.s3;
    this.#bucket = options.bucket;
    this.#owner = ownerCheck(options.expectedBucketOwner);
  }

  /**
   * Writes the changed documents and returns their keys, in input order. A key in
   * `knownHashes` is compared without a HeadObject request; any other key is checked with one.
   */
  async write(documents: readonly OutputDocument[], knownHashes: ReadonlyMap<string, string> = new Map()): Promise<string[]> {
    const written = await mapWithConcurrency(documents, 8, async (document) => {
      const hash = hashDocument(document);
      const encodings = contentEncodingsFor(document.contentType);
      const expected = encodings.map((encoding) => encoding.name).join(',');
      const known = knownHashes.get(document.key);
      const stored = known === undefined ? await this.#readStoredVersion(document.key) : { hash: known, encodings: expected };
      if (stored.hash === hash && stored.encodings === expected) return undefined;
      // Every variant settles before a failure propagates: no write may outlive the publish.
      const variants = await Promise.allSettled(
        encodings.map((encoding) =>
          this.#put(document, `${document.key}${encoding.keySuffix}`, compressBody(document.body, encoding), { [HASH_METADATA_KEY]: hash }, encoding.name),
        ),
      );
      const failed = variants.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
      await this.#put(document, document.key, document.body, { [HASH_METADATA_KEY]: hash, ...(expected ? { [ENCODINGS_METADATA_KEY]: expected } : {}) });
      return document.key;
    });
    return written.filter((key): key is string => key !== undefined);
  }

  /** One PutObject of a document or of one of its variants, with the document's headers. */
  async #put(document: OutputDocument, key: string, body: string | Uint8Array, metadata: Record<string, string>, contentEncoding?: string): Promise<void> {
    await this.#s3.send(
      new PutObjectCommand({
        Bucket: this.#bucket, ...this.#owner,
        Key: key,
        Body: body,
        ContentType: document.contentType,
        CacheControl: document.cacheControl,
        ...(contentEncoding === undefined ? {} : { ContentEncoding: contentEncoding }),
        Metadata: metadata,
      }),
    );
  }

  /**
   * Deletes documents that are no longer published, with their precompressed variants (a
   * missing key is not an error in S3), and returns the keys S3 refused to delete (403: the
   * role lacks s3:DeleteObject). A refusal does not fail the publish: a stale page is better
   * than no publish, and the caller tries again later.
   */
  async remove(keys: readonly string[]): Promise<string[]> {
    const refused = await mapWithConcurrency(keys, 8, async (key) => {
      try {
        // Variants first: a variant left without its document would still be served.
        const variants = contentEncodingsFor(contentTypeFor(key)).map((encoding) => `${key}${encoding.keySuffix}`);
        for (const variant of variants) await this.#delete(variant);
        await this.#delete(key);
        return undefined;
      } catch (error) {
        if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 403) return key;
        throw error;
      }
    });
    return refused.filter((key): key is string => key !== undefined);
  }

  async #delete(key: string): Promise<void> {
    await this.#s3.send(new DeleteObjectCommand({ Bucket: this.#bucket, ...this.#owner, Key: key }));
  }

  /**
   * Every object of the bucket with its last-modified time, page by page. Used only to repair
   * after a failed publish attempt, never on the normal path.
   */
  async list(): Promise<SiteObject[]> {
    const objects: SiteObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.#s3.send(new ListObjectsV2Command({ Bucket: this.#bucket, ...this.#owner, ...(token ? { ContinuationToken: token } : {}) }));
      for (const object of page.Contents ?? []) {
        if (object.Key !== undefined && object.LastModified !== undefined) objects.push({ key: object.Key, lastModified: object.LastModified });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return objects;
  }

  /** The hash and variants stored with the object; no hash when the object does not exist yet. */
  async #readStoredVersion(key: string): Promise<StoredVersion> {
    try {
      const head = await this.#s3.send(new HeadObjectCommand({ Bucket: this.#bucket, ...this.#owner, Key: key }));
      return { hash: head.Metadata?.[HASH_METADATA_KEY], encodings: head.Metadata?.[ENCODINGS_METADATA_KEY] ?? '' };
    } catch (error) {
      if (isMissingObject(error)) return { hash: undefined, encodings: '' };
      throw error;
    }
  }
}

/**
 * HeadObject has no body, so a missing key arrives as a bare 404 (`NotFound`). Without
 * s3:ListBucket on the bucket, S3 answers 403 for a missing key instead
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html); that also means
 * "unknown, write it": a real lack of write access then fails the PutObject and propagates.
 */
function isMissingObject(error: unknown): boolean {
  if (!(error instanceof S3ServiceException)) return false;
  const status = error.$metadata.httpStatusCode;
  return error.name === 'NotFound' || error.name === 'NoSuchKey' || status === 404 || status === 403;
}
