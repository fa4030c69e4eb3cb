import { GetObjectCommand, NoSuchKey, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import type { ArticleSource } from '../core/ports.js';

/** Where {@link S3ArticleSource} reads content. */
export interface S3ArticleSourceOptions {
  readonly s3: S3Client;
  /** The content bucket: `site.yaml` and `articles/**\/*.md` at its root. */
  readonly bucket: string;
  /** Keys per ListObjectsV2 page. @default 1000 - the S3 maximum */
  readonly pageSize?: number;
}

const ARTICLES_PREFIX = 'articles/';

/** {@link ArticleSource} over an S3 bucket: ListObjectsV2 (every page) and GetObject. */
export class S3ArticleSource implements ArticleSource {
  readonly #s3: S3Client;
  readonly #bucket: string;
  readonly #pageSize: number;

  constructor(options: S3ArticleSourceOptions) {
    this.#s3 = options.s3;
    this.#bucket = options.bucket;
    this.#pageSize = options.pageSize ?? 1000;
  }

  /** Every `.md` key under `articles/`, across all listing pages. */
  async listArticleKeys(): Promise<string[]> {
    const keys: string[] = [];
    const pages = paginateListObjectsV2(
      { client: this.#s3, pageSize: this.#pageSize },
      { Bucket: this.#bucket, Prefix: ARTICLES_PREFIX },
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
      const response = await this.#s3.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
      return response.Body ? await response.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }
}
