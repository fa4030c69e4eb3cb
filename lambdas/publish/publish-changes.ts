import type { Article, SiteConfig } from '../core/content/article.js';
import { createEmptyCatalog, hashDocument, hashSite, markUncertain, type Catalog, type CatalogEntry, type CatalogFormatError } from '../core/catalog/catalog.js';
import { DIGEST_LENGTH } from '../core/text/digest.js';
import { hashText } from '../core/text/digest.js';
import { ArticleParseError, SiteConfigError } from '../core/errors.js';
import type { OutputDocument } from '../core/plan/outputs.js';
import { parseArticle } from '../core/content/parse-article.js';
import type { ArticleSource, FeedSink, SiteObject } from '../core/ports.js';
import { renderChanges, type ArticleChange, type RenderedChanges } from '../core/changes/render-changes.js';
import { parseSiteConfig } from '../core/content/site-config.js';
import { mapWithConcurrency } from '../shared/map-with-concurrency.js';
import { SITE_CONFIG_KEY } from './publish-feeds.js';

/** Articles read at the same time; S3 serves each GET in tens of milliseconds. */
const READ_CONCURRENCY = 16;

/** Attempts before a publish that keeps losing the catalog race gives up (and is retried by the queue). */
const MAX_ATTEMPTS = 5;

/** The catalog as a store hands it out. */
export type StoredCatalogState =
  | { readonly state: 'missing' }
  | { readonly state: 'unreadable'; readonly etag: string; readonly error: CatalogFormatError }
  | { readonly state: 'read'; readonly etag: string; readonly catalog: Catalog; readonly lastModified?: Date };

/** Where the catalog lives; `write` throws a conflict error (see `isConflict`) when `etag` is no longer current. */
export interface CatalogStore {
  read(): Promise<StoredCatalogState>;
  write(catalog: Catalog, etag: string | undefined): Promise<unknown>;
}

/** A sink that can also take documents down, opened with the hashes the catalog knows. */
export interface SiteWriter extends FeedSink {
  /** Deletes the keys; returns those the bucket refused to delete (they are tried again next time). */
  remove(keys: readonly string[]): Promise<string[]>;
}

/** Why a publish rebuilt everything instead of applying changes. */
export type RebuildReason = 'requested' | 'no-catalog' | 'unreadable-catalog' | 'site-changed';

/** What {@link publishChanges} needs. */
export interface PublishChangesInput {
  readonly source: ArticleSource;
  readonly catalogStore: CatalogStore;
  /** Opens the site writer; documents in `knownHashes` are compared without a HeadObject. */
  readonly openWriter: (knownHashes: ReadonlyMap<string, string>) => SiteWriter;
  /** Content keys named by the triggering events (`site.yaml`, `articles/…md`). */
  readonly changedKeys: readonly string[];
  /** Rebuild everything from the content bucket, whatever the catalog says. */
  readonly rebuild?: boolean;
  /**
   * An earlier attempt failed and may have written or removed documents after the catalog was
   * written: list the site bucket and treat those documents as unknown (see {@link markUncertain}).
   */
  readonly repair?: boolean;
  /** Lists the site bucket; needed for `repair`. */
  readonly listSite?: () => Promise<readonly SiteObject[]>;
  readonly siteUrlOverride?: string;
  /** True when the error means another publish wrote the catalog first. */
  readonly isConflict: (error: unknown) => boolean;
  /** Called during a rebuild after each article read. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The outcome of one publish. */
export interface PublishChangesResult extends Omit<RenderedChanges, 'catalog' | 'documents'> {
  /** Why everything was rebuilt, when it was. */
  readonly rebuilt?: RebuildReason;
  /** Keys of the documents really written. */
  readonly written: string[];
  readonly bytesWritten: number;
  readonly site: SiteConfig;
  /** Catalog conflicts met (each one redid the publish on the newer catalog). */
  readonly conflicts: number;
  /** Dropped documents the bucket refused to delete; they stay in the catalog to be tried again. */
  readonly notRemoved: string[];
  /** Keys a failed attempt had left that this publish checked again (rewritten or removed). */
  readonly repaired: string[];
}

/**
 * Publishes what changed since the catalog was written: reads the catalog and the changed
 * articles, renders the pages they affect, writes the changed documents, removes the ones no
 * longer published, and replaces the catalog only if no other publish replaced it meanwhile
 * (otherwise everything is redone on top of the newer catalog). Falls back to a full rebuild
 * when the catalog is missing, unreadable or of another site configuration.
 */
export async function publishChanges(input: PublishChangesInput): Promise<PublishChangesResult> {
  for (let attempt = 1; ; attempt++) {
    const stored = await input.catalogStore.read();
    const planned = await planPublish(input, stored);
    const repaired = needsRepair(input, planned, stored) ? await findUncertainKeys(input, stored, planned.previous) : [];
    const plan = repaired.length > 0 ? { ...planned, previous: markUncertain(planned.previous, repaired) } : planned;
    const changes = plan.rebuilt ? await readEverything(input, plan) : await readChanges(input, plan);
    const rendered = await renderChanges(plan.previous, changes, plan.site, (entries) => loadRecords(input.source, entries, plan.site));
    const { written, bytesWritten, notRemoved, catalog } = await writeDocuments(input, plan.previous, rendered, plan.rebuilt !== undefined);
    try {
      // A duplicate event or a re-upload of the same bytes changes nothing: the catalog stays.
      const removed = rendered.removedKeys.length > notRemoved.length;
      if (changes.length > 0 || plan.rebuilt || removed || repaired.length > 0) await input.catalogStore.write(catalog, stored.state === 'missing' ? undefined : stored.etag);
    } catch (error) {
      if (!input.isConflict(error) || attempt >= MAX_ATTEMPTS) throw error;
      continue;
    }
    const { catalog: _catalog, documents: _documents, ...report } = rendered;
    return { ...report, ...(plan.rebuilt ? { rebuilt: plan.rebuilt } : {}), written, bytesWritten, notRemoved, repaired, site: plan.site, conflicts: attempt - 1 };
  }
}

/** Whether to look for documents a failed attempt left: only on a redelivery, over a catalog that was read. */
function needsRepair(input: PublishChangesInput, plan: PublishPlan, stored: StoredCatalogState): boolean {
  return input.repair === true && plan.rebuilt === undefined && stored.state === 'read' && input.listSite !== undefined;
}

/**
 * Keys of the site bucket the catalog cannot vouch for: those it does not list, and those
 * modified at or after the catalog itself (S3 times have one-second steps, so a document the
 * catalog's own publish wrote in that second is checked again too, which is harmless).
 */
async function findUncertainKeys(input: PublishChangesInput, stored: StoredCatalogState, previous: Catalog): Promise<string[]> {
  const since = stored.state === 'read' ? stored.lastModified?.getTime() : undefined;
  const objects = await (input.listSite as () => Promise<readonly SiteObject[]>)();
  return objects
    .filter((object) => isPublisherKey(object.key))
    .filter((object) => !previous.documents.has(object.key) || since === undefined || object.lastModified.getTime() >= since)
    .map((object) => object.key)
    .sort();
}

/**
 * Keys this publisher writes: feeds, archive pages, article pages, the index, the feed list and
 * the style sheets. Anything else in the site bucket (an operator's favicon, the catalog) is
 * never touched by a repair.
 */
const PUBLISHER_KEY =
  /^(?:(?:[^_/][^/]*\/)*(?:rss\.xml|atom\.xml|feed\.json)|index\.html|(?:[^_/][^/]*\/)?articles\/[^/]+\/index\.html|feeds\.opml|feed\.xsl|assets\/site\.css)$/;

function isPublisherKey(key: string): boolean {
  return PUBLISHER_KEY.test(key);
}

interface PublishPlan {
  readonly previous: Catalog;
  readonly site: SiteConfig;
  readonly rebuilt?: RebuildReason;
}

/** Decides between applying changes and rebuilding, and reads site.yaml only when it may have changed. */
async function planPublish(input: PublishChangesInput, stored: StoredCatalogState): Promise<PublishPlan> {
  const catalog = stored.state === 'read' ? stored.catalog : undefined;
  const siteTouched = input.changedKeys.includes(SITE_CONFIG_KEY);
  if (catalog?.site !== undefined && !input.rebuild && !siteTouched && catalog.siteUrlOverride === input.siteUrlOverride) {
    return { previous: catalog, site: catalog.site };
  }
  const siteBytes = await input.source.read(SITE_CONFIG_KEY);
  if (siteBytes === undefined) throw new SiteConfigError(SITE_CONFIG_KEY, 'is missing');
  const site = parseSiteConfig(SITE_CONFIG_KEY, siteBytes, input.siteUrlOverride === undefined ? {} : { siteUrl: input.siteUrlOverride });
  const siteHash = hashSite(siteBytes, input.siteUrlOverride);
  if (catalog !== undefined && !input.rebuild && catalog.siteHash === siteHash) {
    return { previous: { ...catalog, site }, site };
  }
  const rebuilt: RebuildReason = input.rebuild ? 'requested' : stored.state === 'missing' ? 'no-catalog' : stored.state === 'unreadable' ? 'unreadable-catalog' : 'site-changed';
  // Everything is rendered again; the old document hashes stay, so stale documents are removed,
  // and the old entries stay, so a file that is now malformed keeps its last good version.
  const keepEntries = catalog !== undefined && catalog.siteHash === siteHash;
  const previous: Catalog = {
    ...createEmptyCatalog(siteHash, site, input.siteUrlOverride),
    ...(keepEntries ? { entries: catalog.entries, records: catalog.records } : {}),
    documents: catalog?.documents ?? new Map(),
  };
  return { previous, site, rebuilt };
}

/** The changed articles named by the event, read and parsed (unchanged bytes are skipped). */
async function readChanges(input: PublishChangesInput, plan: PublishPlan): Promise<ArticleChange[]> {
  const keys = input.changedKeys.filter((key) => key !== SITE_CONFIG_KEY);
  const changes = await mapWithConcurrency(keys, READ_CONCURRENCY, (key) => readChange(input.source, key, plan));
  return changes.filter((change): change is ArticleChange => change !== undefined);
}

/** Every article of the content bucket, plus a deletion for every catalog entry no longer listed. */
async function readEverything(input: PublishChangesInput, plan: PublishPlan): Promise<ArticleChange[]> {
  const keys = [...(await input.source.listArticleKeys())].sort();
  let done = 0;
  const changes = await mapWithConcurrency(keys, READ_CONCURRENCY, async (key) => {
    const change = await readChange(input.source, key, { ...plan, previous: { ...plan.previous, entries: new Map() } });
    input.onProgress?.(++done, keys.length);
    return change;
  });
  const listed = new Set(keys);
  const gone = [...plan.previous.entries.keys()].filter((path) => !listed.has(path)).map((path): ArticleChange => ({ kind: 'deleted', path }));
  return [...changes.filter((change): change is ArticleChange => change !== undefined), ...gone];
}

async function readChange(source: ArticleSource, key: string, plan: PublishPlan): Promise<ArticleChange | undefined> {
  const bytes = await source.read(key);
  if (bytes === undefined) return { kind: 'deleted', path: key };
  const sourceHash = hashText(bytes);
  const before = plan.previous.entries.get(key);
  // A duplicate event, or a re-upload of the same bytes: nothing to do.
  if (before !== undefined && before.kept === undefined && before.sourceHash === sourceHash) return undefined;
  try {
    return { kind: 'parsed', path: key, sourceHash, article: parseArticle(key, bytes, plan.site) };
  } catch (error) {
    if (error instanceof ArticleParseError) return { kind: 'rejected', path: key, sourceHash, error };
    throw error;
  }
}

/** Full records of catalog entries, read from the content bucket; unreadable ones are left out. */
async function loadRecords(source: ArticleSource, entries: readonly CatalogEntry[], site: SiteConfig): Promise<Map<string, Article>> {
  const loaded = await mapWithConcurrency(entries, READ_CONCURRENCY, async (entry) => {
    const bytes = await source.read(entry.sourcePath);
    if (bytes === undefined) return undefined;
    try {
      return parseArticle(entry.sourcePath, bytes, site);
    } catch (error) {
      if (error instanceof ArticleParseError) return undefined;
      throw error;
    }
  });
  return new Map(loaded.filter((article): article is Article => article !== undefined).map((article) => [article.sourcePath, article]));
}

/** Documents rendered and written at a time: bounds the memory a rebuild needs. */
const WRITE_CHUNK = 48;

/**
 * Writes the rendered documents, a chunk at a time, then removes the dropped ones. A document
 * the catalog already lists with the same hash is checked against the bucket (a publish that
 * failed after writing could have left other bytes there); a new one, or one with another hash,
 * is written unchecked. A rebuild checks every key the catalog does not list: the catalog may
 * have been lost, not the site.
 */
async function writeDocuments(input: PublishChangesInput, previous: Catalog, rendered: RenderedChanges, rebuilt: boolean) {
  const documents = new Map(rendered.catalog.documents);
  const written: string[] = [];
  let bytesWritten = 0;
  let chunk: OutputDocument[] = [];
  const flush = async (): Promise<void> => {
    const hashes = new Map(chunk.map((document) => [document.key, hashDocument(document).slice(0, DIGEST_LENGTH)]));
    const knownHashes = new Map(
      [...hashes]
        .filter(([key, hash]) => previous.documents.get(key) !== hash && (!rebuilt || previous.documents.has(key)))
        .map(([key]) => [key, previous.documents.get(key) ?? '']),
    );
    const keys = new Set(await input.openWriter(knownHashes).publish(chunk));
    for (const document of chunk) {
      documents.set(document.key, hashes.get(document.key) as string);
      if (!keys.has(document.key)) continue;
      written.push(document.key);
      bytesWritten += Buffer.byteLength(document.body, 'utf8');
    }
    chunk = [];
  };
  for (const document of rendered.documents) {
    chunk.push(document);
    if (chunk.length >= WRITE_CHUNK) await flush();
  }
  await flush();
  const notRemoved = rendered.removedKeys.length > 0 ? await input.openWriter(new Map()).remove(rendered.removedKeys) : [];
  for (const key of notRemoved) documents.set(key, previous.documents.get(key) ?? '');
  return { written, bytesWritten, notRemoved, catalog: { ...rendered.catalog, documents } };
}
