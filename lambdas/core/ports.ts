import type { OutputDocument } from './plan/outputs.js';

/**
 * The only seams between the pure core and I/O. Adapters (S3, the local file system)
 * implement them; the use case takes them as arguments.
 */

/** Raw content as stored: `site.yaml` and the article files. Keys are content-relative. */
export interface ArticleSource {
  /** Every article key under `articles/` ending in `.md`. */
  listArticleKeys(): Promise<string[]>;
  /** The object's bytes, or `undefined` when it does not exist (deleted meanwhile). */
  read(key: string): Promise<Uint8Array | undefined>;
}

/** Where rendered documents go. */
export interface FeedSink {
  /**
   * Writes the documents whose bytes differ from what is published, and returns the keys it
   * really wrote. Called only once everything has been rendered in memory.
   */
  publish(documents: readonly OutputDocument[]): Promise<string[]>;
}

/** An object of the site bucket as a listing shows it. */
export interface SiteObject {
  readonly key: string;
  readonly lastModified: Date;
}
