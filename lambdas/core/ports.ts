/**
 * The only seams between the pure core and I/O. Adapters (S3, the local file system)
 * implement them; the publish use case takes them as arguments. The errors they may throw on
 * purpose are in `errors.ts`.
 */
import type { Catalog } from './catalog/catalog.js';
import type { CatalogFormatError } from './errors.js';
import type { OutputDocument } from './plan/outputs.js';

/** Raw content as stored: `site.yaml` and the article files. Keys are content-relative. */
export interface ArticleSource {
  /** Every article key under `articles/` ending in `.md`. */
  listArticleKeys(): Promise<string[]>;
  /** The object's bytes, or `undefined` when it does not exist (deleted meanwhile). */
  read(key: string): Promise<Uint8Array | undefined>;
}

/** An object of the site as a listing shows it. */
export interface SiteObject {
  readonly key: string;
  readonly lastModified: Date;
}

/** Where the published documents live (the site bucket, or an output folder). */
export interface SiteWriter {
  /**
   * Writes the documents whose stored version differs and returns the keys really written, in
   * input order. `knownHashes` holds the stored `hashDocument` digest of keys the caller can
   * vouch for (an empty string: write unchecked); any other key is compared with what is stored.
   */
  write(documents: readonly OutputDocument[], knownHashes: ReadonlyMap<string, string>): Promise<string[]>;
  /** Deletes the keys; returns those the store refused to delete (they are tried again next time). */
  remove(keys: readonly string[]): Promise<string[]>;
  /** Every object of the site, for the repair after a failed attempt. */
  list(): Promise<SiteObject[]>;
}

/** The catalog as a store hands it out. */
export type StoredCatalogState =
  /** No catalog yet: the next write must create it. */
  | { readonly state: 'missing' }
  /** A catalog of another schema, or damaged: rebuild, then replace exactly this version. */
  | { readonly state: 'unreadable'; readonly etag: string; readonly error: CatalogFormatError }
  | { readonly state: 'read'; readonly etag: string; readonly catalog: Catalog; readonly lastModified?: Date };

/** Where the catalog lives, replaced only if nobody replaced it since it was read. */
export interface CatalogStore {
  read(): Promise<StoredCatalogState>;
  /**
   * Replaces the catalog version `etag`, or creates the catalog when `etag` is undefined.
   * @throws CatalogConflictError when another publish wrote the catalog in between.
   */
  write(catalog: Catalog, etag: string | undefined): Promise<unknown>;
}
