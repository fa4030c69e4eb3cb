/**
 * The incremental publish, first half: the previous catalog and the changed article files in,
 * the next site plan out — which entries are published, which pages changed, and which full
 * records rendering them needs that nobody has given yet ({@link ChangePlan.missing}). The use
 * case loads those and plans again; `renderChanges` renders a plan that misses nothing.
 */
import type { Article, SiteConfig } from '../content/article.js';
import { toCatalogEntry, type Catalog, type CatalogEntry } from '../catalog/catalog.js';
import { signArticlePage, signFeedPage, signNinjs, translationLinksOf } from '../catalog/page-signatures.js';
import { planSitemapChunks, type SitemapChunk } from '../discovery/sitemaps.js';
import { selectArticles } from '../content/select-articles.js';
import type { ArticleParseError } from '../errors.js';
import { articlePageKey, ninjsKey } from '../plan/document-keys.js';
import { feedLinksFrom, type FeedLink } from '../plan/feed-links.js';
import { compareNewestFirst, planFeedPages, type FeedPage } from '../plan/feed-plan.js';
import { findTranslations, type Translation } from '../plan/translations.js';

/** What happened to one article file since the catalog was written. */
export type ArticleChange =
  | { readonly kind: 'parsed'; readonly path: string; readonly sourceHash: string; readonly article: Article }
  | { readonly kind: 'rejected'; readonly path: string; readonly sourceHash: string; readonly error: ArticleParseError }
  | { readonly kind: 'deleted'; readonly path: string };

/**
 * Full records loaded on request, by source path; `undefined` marks an entry whose record
 * could not be loaded (deleted, or malformed without a kept record): it is left out.
 */
export type LoadedRecords = ReadonlyMap<string, Article | undefined>;

/** The plan of one publish: everything `renderChanges` needs, and what it still misses. */
export interface ChangePlan {
  readonly previous: Catalog;
  readonly site: SiteConfig;
  /** The publish time: the news sitemap holds the articles of the two days before it. */
  readonly now: Date;
  /** The next catalog's entries: the previous ones with the changes applied, less the lost ones. */
  readonly entries: ReadonlyMap<string, CatalogEntry>;
  /** Every full record at hand, by source path. */
  readonly records: ReadonlyMap<string, Article>;
  /** Entries whose records rendering needs and nobody gave: load them and plan again. */
  readonly missing: readonly CatalogEntry[];
  /** Entries left out because their record could not be loaded. */
  readonly lost: readonly string[];
  /** Changed files rejected (parse errors), and changed files left out as duplicates. */
  readonly rejected: readonly ArticleParseError[];
  /** Changed files rejected while their last good version stays published. */
  readonly kept: readonly string[];
  readonly selected: readonly CatalogEntry[];
  readonly pages: readonly FeedPage[];
  readonly translations: ReadonlyMap<string, readonly Translation[]>;
  readonly feeds: readonly FeedLink[];
  readonly newestFirst: readonly CatalogEntry[];
  /** Signatures of every feed page (by RSS key) and article page. */
  readonly signatures: ReadonlyMap<string, string>;
  /** Feed pages and article pages whose signature changed. */
  readonly changedPages: readonly FeedPage[];
  readonly changedArticlePages: readonly CatalogEntry[];
  /** Entries whose ninjs document changed (every published article has one). */
  readonly changedNinjs: readonly CatalogEntry[];
  /** Every article sitemap chunk, oldest first, and the ones whose members changed. */
  readonly sitemapChunks: readonly SitemapChunk[];
  readonly changedSitemapChunks: readonly SitemapChunk[];
  /** Index members, newest first. */
  readonly indexEntries: readonly CatalogEntry[];
  /** Ids whose records the next catalog keeps: the windows and kept versions. */
  readonly windowIds: ReadonlySet<string>;
}

/**
 * Applies `changes` to `previous` (which must belong to the same site: same `siteHash`) and
 * plans the site they give. Pass an empty catalog and every article as a change for a full
 * publish. `now` is the publish time (the core reads no clock). Pure: the same inputs give the
 * same plan.
 */
export function planChanges(previous: Catalog, changes: readonly ArticleChange[], site: SiteConfig, now: Date, loaded: LoadedRecords = new Map()): ChangePlan {
  const applied = applyChanges(previous, changes, site);
  const records = new Map(previous.records);
  for (const [path, record] of [...loaded, ...applied.fresh]) if (record !== undefined) records.set(path, record);
  const lost: string[] = [];
  for (const [path, record] of loaded) {
    // Unreadable now: it can no longer be shown, whatever the catalog remembers of it.
    if (record === undefined && applied.entries.delete(path)) lost.push(path);
  }
  const selection = selectArticles([...applied.entries.values()]);
  const changedPaths = new Set(changes.map((change) => change.path));
  const pages = planPages(selection.articles, site, previous.signatures, records);
  return {
    previous, site, now, entries: applied.entries, records, lost, kept: applied.kept,
    rejected: [...applied.rejected, ...selection.rejected.filter((error) => changedPaths.has(error.path))],
    selected: selection.articles, ...pages,
  };
}

interface AppliedChanges {
  readonly entries: Map<string, CatalogEntry>;
  readonly fresh: Map<string, Article>;
  readonly rejected: ArticleParseError[];
  readonly kept: string[];
}

function applyChanges(previous: Catalog, changes: readonly ArticleChange[], site: SiteConfig): AppliedChanges {
  const entries = new Map(previous.entries);
  const fresh = new Map<string, Article>();
  const rejected: ArticleParseError[] = [];
  const kept: string[] = [];
  for (const change of changes) {
    const before = entries.get(change.path);
    if (change.kind === 'deleted') entries.delete(change.path);
    else if (change.kind === 'parsed') {
      entries.set(change.path, toCatalogEntry(change.article, change.sourceHash, articlePageKey(change.article, site)));
      fresh.set(change.path, change.article);
    } else {
      rejected.push(change.error);
      if (before !== undefined) {
        entries.set(change.path, { ...before, kept: { sourceHash: change.sourceHash, reason: change.error.message } });
        kept.push(change.path);
      }
    }
  }
  return { entries, fresh, rejected, kept };
}

type PagePlan = Pick<
  ChangePlan,
  | 'pages' | 'translations' | 'feeds' | 'newestFirst' | 'signatures' | 'changedPages' | 'changedArticlePages' | 'changedNinjs'
  | 'sitemapChunks' | 'changedSitemapChunks' | 'indexEntries' | 'windowIds' | 'missing'
>;

function planPages(selected: readonly CatalogEntry[], site: SiteConfig, previousSignatures: ReadonlyMap<string, string>, records: ReadonlyMap<string, Article>): PagePlan {
  const byId = new Map(selected.map((entry) => [entry.id, entry]));
  const newestFirst = [...selected].sort(compareNewestFirst);
  const pages = planFeedPages(selected, site);
  const translations = findTranslations(selected);
  const feeds = feedLinksFrom(pages, site);
  const signatures = new Map<string, string>();
  const changedPages = pages.filter((page) => {
    const signature = signFeedPage(page, byId, translations);
    signatures.set(page.keys.rss, signature);
    return previousSignatures.get(page.keys.rss) !== signature;
  });
  const changedArticlePages = newestFirst.filter((entry) => {
    if (entry.pageKey === undefined) return false;
    const signature = signArticlePage(entry, translationLinksOf(entry, newestFirst), feeds);
    signatures.set(entry.pageKey, signature);
    return previousSignatures.get(entry.pageKey) !== signature;
  });
  const changedNinjs = newestFirst.filter((entry) => {
    const key = ninjsKey(entry, site);
    signatures.set(key, signNinjs(entry, translationLinksOf(entry, newestFirst)));
    return previousSignatures.get(key) !== signatures.get(key);
  });
  const sitemaps = planSitemaps(selected, translations, previousSignatures, signatures);
  const indexEntries = newestFirst.slice(0, site.itemsPerFeed);
  const windowIds = new Set([...pages.filter((page) => page.archive === undefined).flatMap((page) => page.articleIds), ...indexEntries.map((entry) => entry.id)]);
  const keptIds = selected.filter((entry) => entry.kept !== undefined && records.has(entry.sourcePath)).map((entry) => entry.id);
  const neededIds = new Set([...changedPages.flatMap((page) => page.articleIds), ...changedArticlePages.map((entry) => entry.id), ...changedNinjs.map((entry) => entry.id), ...windowIds, ...keptIds]);
  const missing = [...neededIds].flatMap((id) => {
    const entry = byId.get(id);
    return entry === undefined || records.has(entry.sourcePath) ? [] : [entry];
  });
  return { pages, translations, feeds, newestFirst, signatures, changedPages, changedArticlePages, changedNinjs, ...sitemaps, indexEntries, windowIds: new Set([...windowIds, ...keptIds]), missing };
}

/** The article sitemap chunks, each signed under its key, and the ones whose signature changed. */
function planSitemaps(
  selected: readonly CatalogEntry[],
  translations: ReadonlyMap<string, readonly Translation[]>,
  previousSignatures: ReadonlyMap<string, string>,
  signatures: Map<string, string>,
): Pick<ChangePlan, 'sitemapChunks' | 'changedSitemapChunks'> {
  const sitemapChunks = planSitemapChunks(selected, translations);
  for (const chunk of sitemapChunks) signatures.set(chunk.key, chunk.signature);
  return { sitemapChunks, changedSitemapChunks: sitemapChunks.filter((chunk) => previousSignatures.get(chunk.key) !== chunk.signature) };
}
