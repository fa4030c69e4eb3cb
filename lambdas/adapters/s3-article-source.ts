import { GetObjectCommand, NoSuchKey, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import type { ArticleSource } from '../core/ports.js';
import { ownerCheck } from './owner-check.js';

/** Where {@link S3ArticleSource} reads content. */
export interface S3ArticleSourceOptions {
  readonly s3: S3Client;
  /** The content bucket: `site.yaml` and `articles/**\/*.md` at its root. */
  readonly bucket: string;
  /** Keys per ListObjectsV2 page. @default 1000 - the S3 maximum */
  readonly pageSize?: number;
  /**
   * Largest object read whole. Of a larger object only the first `maxBytes + 1` bytes are read
   * (and returned), enough for the parser to reject it as too large without holding a huge
   * upload in memory. @default - objects are read whole, whatever their size
   */
  readonly maxBytes?: number;
  /** Account that must own the bucket (`ExpectedBucketOwner`); S3 refuses the call otherwise. @default no check */
  readonly expectedBucketOwner?: string;
}

const ARTICLES_PREFIX = 'articles/';

/** {@link ArticleSource} over an S3 bucket: ListObjectsV2 (every page) and GetObject. */
export class S3ArticleSource implements ArticleSource {
  readonly #s3: S3Client;
  readonly #bucket: string;
  readonly #pageSize: number;
  readonly #maxBytes: number;
  readonly #owner: { readonly ExpectedBucketOwner?: string };

  constructor(options: S3ArticleSourceOptions) {
    this.#s3 = options.s3;
    this.#bucket = options.bucket;
    this.#pageSize = options.pageSize ?? 1000;
    this.#maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    this.#owner = ownerCheck(options.expectedBucketOwner);
  }

  /** Every `.md` key under `articles/`, across all listing pages. */
  async listArticleKeys(): Promise<string[]> {
    const keys: string[] = [];
    const pages = paginateListObjectsV2(
      { client: this.#s3, pageSize: this.#pageSize },
      { Bucket: this.#bucket, Prefix: ARTICLES_PREFIX, ...this.#owner },
    );
    for await (const page of pages) {
      for (const object of page.Contents ?? []) {
        if (object.Key?.endsWith('.md')) keys.push(object.Key);
      }
    }
    return keys;
  }

  /** The object's bytes, or `undefined` when the key does not exist (NoSuchKey). */
  async read(key: string): Promise<Uint8Array | undefined> {
    try {
      const response = await this.#s3.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key, ...this.#owner }));
      if (!response.Body) return new Uint8Array();
      if ((response.ContentLength ?? 0) <= this.#maxBytes) return await response.Body.transformToByteArray();
      return await readPrefix(response.Body as AsyncIterable<Uint8Array>, this.#maxBytes + 1);
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }
}

/** The first `limit` bytes of a stream; leaving the loop early destroys the stream and its socket. */
async function readPrefix(stream: AsyncIterable<Uint8Array>, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of stream) {
    chunks.push(chunk);
    length += chunk.length;
    if (length >= limit) break;
  }
  return Buffer.concat(chunks).subarray(0, limit);
}
