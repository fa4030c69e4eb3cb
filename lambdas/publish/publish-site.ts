/**
 * The one publish use case. The Lambda function, `npm run render`, `npm run rebuild`, the local
 * pipeline and the benchmarks all call {@link publishSite}; a full render is this publish over
 * an empty or missing catalog. The core decides (plans, renders, says what to write); this file
 * does the I/O around it, through the ports.
 */
import type { Article, SiteConfig } from '../core/content/article.js';
import { createEmptyCatalog, hashSite, markUncertain, type Catalog } from '../core/catalog/catalog.js';
import { planChanges, type ArticleChange, type ChangePlan } from '../core/changes/plan-changes.js';
import { renderChanges, type RenderedChanges } from '../core/changes/render-changes.js';
import { SITE_CONFIG_KEY } from '../core/content/site-config.js';
import { CatalogConflictError } from '../core/errors.js';
import type { ArticleSource, CatalogStore, SiteWriter, StoredCatalogState } from '../core/ports.js';
import { documentKeyOf, roleOfKey } from '../core/plan/document-keys.js';
import { isolatedParser, type ArticleParser } from './isolated-parser.js';
import { loadRecords, readChanges, readEverything, readSiteConfig } from './read-content.js';
import { writeDocuments } from './write-documents.js';

/** Attempts before a publish that keeps losing the catalog race gives up (and is retried by the queue). */
const MAX_ATTEMPTS = 5;

/** Why a publish rendered everything instead of applying changes. */
export type RebuildReason = 'requested' | 'no-catalog' | 'unreadable-catalog' | 'site-changed';

/** What {@link publishSite} needs. */
export interface PublishInput {
  readonly source: ArticleSource;
  readonly catalogStore: CatalogStore;
  readonly writer: SiteWriter;
  /** Content keys named by the triggering events (`site.yaml`, `articles/…md`). */
  readonly changedKeys: readonly string[];
  /** Read every article and render everything, whatever the catalog says. */
  readonly rebuild?: boolean;
  /**
   * An earlier attempt failed and may have written or removed documents after the catalog was
   * written: list the site and treat those documents as unknown (see {@link markUncertain}).
   */
  readonly repair?: boolean;
  /** The publish time, from the entry point's clock (or fixed, for reproducible output): the news sitemap's window ends at it. */
  readonly now: Date;
  /** Replaces site.yaml's `siteUrl` (the deployed public address, or a local preview's). */
  readonly siteUrlOverride?: string;
  /** Parses articles; by default in worker threads under a memory and time limit ({@link isolatedParser}). */
  readonly parse?: ArticleParser;
  /**
   * The edge serves the JSON Feed to partners only: public documents then name no JSON Feed URL
   * (see `SiteConfig.partnerAccess`). Toggling it rebuilds everything.
   */
  readonly partnerAccess?: boolean;
  /** Called during a full read after each article. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The outcome of one publish. */
export interface PublishResult extends Omit<RenderedChanges, 'catalog' | 'documents'> {
  /** Why everything was rendered, when it was. */
  readonly rebuilt?: RebuildReason;
  /** Keys of the documents really written (unchanged documents are not). */
  readonly written: string[];
  readonly bytesWritten: number;
  /** Absolute URLs of the subscription feeds written: the topics to announce to the WebSub hub. */
  readonly topics: string[];
  readonly site: SiteConfig;
  /** Catalog conflicts met (each one redid the publish on the newer catalog). */
  readonly conflicts: number;
  /** Dropped documents the site refused to delete; they stay in the catalog to be tried again. */
  readonly notRemoved: string[];
  /** Keys a failed attempt had left that this publish checked again (rewritten or removed). */
  readonly repaired: string[];
}

/**
 * Publishes what changed since the catalog was written: reads the catalog and the changed
 * articles, renders the pages they affect, writes the changed documents, removes the ones no
 * longer published, and replaces the catalog only if no other publish replaced it meanwhile
 * (otherwise everything is redone on top of the newer catalog). Renders everything when the
 * catalog is missing, unreadable or of another site configuration, or on request.
 * @throws SiteConfigError when site.yaml is needed and missing or invalid; I/O errors propagate.
 */
export async function publishSite(input: PublishInput): Promise<PublishResult> {
  for (let attempt = 1; ; attempt++) {
    const stored = await input.catalogStore.read();
    const start = await startPublish(input, stored);
    const repaired = needsRepair(input, start, stored) ? await findUncertainKeys(input.writer, stored, start.previous) : [];
    const previous = repaired.length > 0 ? markUncertain(start.previous, repaired) : start.previous;
    const parse = input.parse ?? isolatedParser();
    const changes = start.rebuilt
      ? await readEverything(input.source, previous, start.site, parse, input.onProgress)
      : await readChanges(input.source, input.changedKeys, previous, start.site, parse);
    const rendered = renderChanges(await planWithRecords(input.source, previous, changes, start.site, input.now, parse));
    const { catalog, writtenFeeds, ...writes } = await writeDocuments(input.writer, previous, rendered, start.rebuilt !== undefined);
    // A duplicate event or a re-upload of the same bytes changes nothing: the catalog stays.
    const removed = rendered.removedKeys.length > writes.notRemoved.length;
    try {
      if (changes.length > 0 || start.rebuilt || removed || repaired.length > 0) await input.catalogStore.write(catalog, stored.state === 'missing' ? undefined : stored.etag);
    } catch (error) {
      if (!(error instanceof CatalogConflictError) || attempt >= MAX_ATTEMPTS) throw error;
      continue;
    }
    const { catalog: _catalog, documents: _documents, ...report } = rendered;
    const topics = writtenFeeds.map((key) => start.site.siteUrl + key).sort();
    return { ...report, ...(start.rebuilt ? { rebuilt: start.rebuilt } : {}), ...writes, topics, repaired, site: start.site, conflicts: attempt - 1 };
  }
}

/**
 * Plans, loads the records the plan misses, and plans again until nothing is missing: a record
 * that cannot be loaded is left out, which can change the plan (and what it needs).
 */
async function planWithRecords(
  source: ArticleSource,
  previous: Catalog,
  changes: readonly ArticleChange[],
  site: SiteConfig,
  now: Date,
  parse: ArticleParser,
): Promise<ChangePlan> {
  const loaded = new Map<string, Article | undefined>();
  for (;;) {
    const plan = planChanges(previous, changes, site, now, loaded);
    if (plan.missing.length === 0) return plan;
    const records = await loadRecords(source, plan.missing, site, parse);
    for (const entry of plan.missing) loaded.set(entry.sourcePath, records.get(entry.sourcePath));
  }
}

interface PublishStart {
  readonly previous: Catalog;
  readonly site: SiteConfig;
  readonly rebuilt?: RebuildReason;
}

/** Decides between applying changes and rendering everything, and reads site.yaml only when it may have changed. */
async function startPublish(input: PublishInput, stored: StoredCatalogState): Promise<PublishStart> {
  const catalog = stored.state === 'read' ? stored.catalog : undefined;
  const siteTouched = input.changedKeys.includes(SITE_CONFIG_KEY);
  const partnerAccess = input.partnerAccess === true;
  const sameOptions = catalog?.siteUrlOverride === input.siteUrlOverride && (catalog?.site?.partnerAccess === true) === partnerAccess;
  if (catalog?.site !== undefined && !input.rebuild && !siteTouched && sameOptions) {
    return { previous: catalog, site: catalog.site };
  }
  const read = await readSiteConfig(input.source, input.siteUrlOverride);
  const { bytes } = read;
  const site: SiteConfig = partnerAccess ? { ...read.site, partnerAccess } : read.site;
  const siteHash = hashSite(bytes, input.siteUrlOverride, partnerAccess);
  if (catalog !== undefined && !input.rebuild && catalog.siteHash === siteHash) return { previous: { ...catalog, site }, site };
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

/** Whether to look for documents a failed attempt left: only on a redelivery, over a catalog that was read. */
function needsRepair(input: PublishInput, start: PublishStart, stored: StoredCatalogState): boolean {
  return input.repair === true && start.rebuilt === undefined && stored.state === 'read';
}

/**
 * Keys of the site the catalog cannot vouch for: publisher documents (by the layout's roles;
 * an operator's file or the catalog itself is never touched) that the catalog does not list, or
 * that were modified at or after the catalog itself (S3 times have one-second steps, so a
 * document the catalog's own publish wrote in that second is checked again too: harmless).
 */
async function findUncertainKeys(writer: SiteWriter, stored: StoredCatalogState, previous: Catalog): Promise<string[]> {
  const since = stored.state === 'read' ? stored.lastModified?.getTime() : undefined;
  const objects = await writer.list();
  // A precompressed variant vouches for nothing on its own: its document is checked instead.
  const keys = objects
    .filter((object) => roleOfKey(object.key) !== undefined)
    .map((object) => ({ key: documentKeyOf(object.key), lastModified: object.lastModified }))
    .filter((object) => !previous.documents.has(object.key) || since === undefined || object.lastModified.getTime() >= since)
    .map((object) => object.key);
  return [...new Set(keys)].sort();
}
