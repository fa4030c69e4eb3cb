import { decodeCatalog, encodeCatalog, type Catalog } from '../../lambdas/core/catalog/catalog.js';
import { CatalogConflictError } from '../../lambdas/core/errors.js';
import type { OutputDocument } from '../../lambdas/core/plan/outputs.js';
import type { ArticleSource, CatalogStore, SiteObject, SiteWriter, StoredCatalogState } from '../../lambdas/core/ports.js';

/**
 * The publish use case's ports held in memory, for port-level tests: content files, a site
 * with a clock, and a catalog with versions. Each can be told to misbehave the way its real
 * adapter can (a refused delete, a lost catalog race).
 */

/** Content files by key; `listed` may name keys that are gone by the time they are read. */
export function memorySource(files: Record<string, string>, listed?: readonly string[]): ArticleSource {
  return {
    listArticleKeys: async () => (listed ?? Object.keys(files)).filter((key) => key.startsWith('articles/')),
    read: async (key) => (files[key] === undefined ? undefined : new TextEncoder().encode(files[key])),
  };
}

/** A site in memory; `refuse` names keys whose deletion is refused, `clock` stamps each write. */
export interface MemorySite extends SiteWriter {
  readonly documents: Map<string, OutputDocument & { lastModified: Date }>;
  readonly refuse: Set<string>;
  /** Every document written, in order, across every call. */
  readonly writes: OutputDocument[];
  clock: Date;
}

/** A {@link SiteWriter} over a map; it compares bytes, so an unchanged document is not written. */
export function memorySite(): MemorySite {
  const site: MemorySite = {
    documents: new Map(),
    refuse: new Set(),
    writes: [],
    clock: new Date('2026-01-01T00:00:00Z'),
    write: async (documents) =>
      documents.flatMap((document) => {
        const stored = site.documents.get(document.key);
        if (stored?.body === document.body && stored.contentType === document.contentType && stored.cacheControl === document.cacheControl) return [];
        site.documents.set(document.key, { ...document, lastModified: site.clock });
        site.writes.push(document);
        return [document.key];
      }),
    remove: async (keys) =>
      keys.filter((key) => {
        if (site.refuse.has(key)) return true;
        site.documents.delete(key);
        return false;
      }),
    list: async (): Promise<SiteObject[]> => [...site.documents.values()].map(({ key, lastModified }) => ({ key, lastModified })),
  };
  return site;
}

/** A catalog store with versions; `beforeWrite` runs once before the next write (to lose a race). */
export interface MemoryCatalogStore extends CatalogStore {
  catalog?: Catalog;
  lastModified: Date;
  version: number;
  beforeWrite?: () => unknown;
  failNextWrite?: Error;
}

/** A {@link CatalogStore} that refuses a write naming a version other than the current one. */
export function memoryCatalogStore(): MemoryCatalogStore {
  const store: MemoryCatalogStore = {
    version: 0,
    lastModified: new Date(0),
    read: async (): Promise<StoredCatalogState> =>
      store.catalog === undefined ? { state: 'missing' } : { state: 'read', etag: String(store.version), catalog: store.catalog, lastModified: store.lastModified },
    write: async (catalog, etag) => {
      const hook = store.beforeWrite;
      store.beforeWrite = undefined;
      await hook?.();
      const failure = store.failNextWrite;
      store.failNextWrite = undefined;
      if (failure) throw failure;
      const current = store.catalog === undefined ? undefined : String(store.version);
      if (etag !== current) throw new CatalogConflictError('catalog changed since it was read');
      // Stored as the real stores store it: encoded, so nothing is shared with the publish.
      store.catalog = decodeCatalog(encodeCatalog(catalog));
      store.version += 1;
      store.lastModified = new Date();
    },
  };
  return store;
}
