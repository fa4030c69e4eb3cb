/**
 * The incremental publish, pure: the previous catalog and the changed article files in, the
 * documents whose inputs changed, the keys no longer published and the next catalog out. The
 * output equals a full render (`renderFeeds` + `addBrowserViews`) of the same content; only
 * the work differs. Full records the catalog does not hold are asked of a loader.
 */
import type { Article, SiteConfig } from '../content/article.js';
import { renderArticlePage } from '../pages/article-page.js';
import { toCatalogEntry, type Catalog, type CatalogEntry } from '../catalog/catalog.js';
import { ArticleParseError } from '../errors.js';
import { feedLinksFrom, type FeedLink } from '../plan/feed-links.js';
import type { Translation } from '../feeds/feed-set.js';
import { compareNewestFirst, planFeedPages, type FeedPage } from '../plan/feed-plan.js';
import { renderFeedPage } from '../feeds/render-feed-page.js';
import { feedStylesheetUrl, linkFeedStylesheet, renderFeedStylesheet } from '../pages/feed-stylesheet.js';
import { renderOpml } from '../feeds/opml.js';
import { CACHE_CONTROL_FEED, contentTypeFor, type OutputDocument } from '../plan/outputs.js';
import { signArticlePage, signDocument, signFeedPage, translationLinksOf } from '../catalog/page-signatures.js';
import { articlePageKey, INDEX_PAGE_KEY, renderPages, SITE_STYLESHEET_KEY } from '../pages/render-pages.js';
import { findTranslations } from '../feeds/render-feeds.js';
import { selectArticles } from '../content/select-articles.js';

/** What happened to one article file since the catalog was written. */
export type ArticleChange =
  | { readonly kind: 'parsed'; readonly path: string; readonly sourceHash: string; readonly article: Article }
  | { readonly kind: 'rejected'; readonly path: string; readonly sourceHash: string; readonly error: ArticleParseError }
  | { readonly kind: 'deleted'; readonly path: string };

/** Loads the full records of entries the catalog holds no record of, by source path (missing ones cannot be published). */
export type ArticleLoader = (entries: readonly CatalogEntry[]) => Promise<ReadonlyMap<string, Article>>;

/** The result of {@link renderChanges}. */
export interface RenderedChanges {
  /**
   * Documents whose inputs changed (new or rewritten pages), rendered one page at a time as
   * they are iterated, so a rebuild never holds every document in memory.
   */
  readonly documents: Iterable<OutputDocument>;
  /** Keys published before and no longer part of the site. */
  readonly removedKeys: string[];
  /** The next catalog; its `documents` still hold the previous hashes (the sink knows the new ones). */
  readonly catalog: Catalog;
  /** Changed files left out: parse errors and duplicates. */
  readonly rejected: ArticleParseError[];
  /** Changed files rejected while their last good version stays published. */
  readonly kept: string[];
  /** Entries left out because their record could not be loaded (deleted or broken meanwhile). */
  readonly lost: string[];
  /** Articles published in total. */
  readonly published: number;
}

/**
 * Applies `changes` to `previous` and renders what they affect. `previous` must belong to the
 * same site (same `siteHash`); pass {@link createEmptyCatalog} and every article as a change
 * for a full rebuild.
 */
export async function renderChanges(
  previous: Catalog,
  changes: readonly ArticleChange[],
  site: SiteConfig,
  load: ArticleLoader,
): Promise<RenderedChanges> {
  const applied = applyChanges(previous, changes, site);
  const records = new Map([...previous.records, ...applied.fresh]);
  const lost: string[] = [];
  for (;;) {
    const plan = planSite(applied.entries, site, previous.signatures, records);
    const missing = plan.needed.filter((entry) => !records.has(entry.sourcePath));
    if (missing.length === 0) return finish(previous, applied, plan, records, site, lost);
    const loaded = await load(missing);
    for (const entry of missing) {
      const record = loaded.get(entry.sourcePath);
      if (record !== undefined) records.set(entry.sourcePath, record);
      else {
        // Unreadable now (deleted, or malformed without a kept record): it can no longer be shown.
        applied.entries.delete(entry.sourcePath);
        lost.push(entry.sourcePath);
      }
    }
  }
}

interface AppliedChanges {
  readonly entries: Map<string, CatalogEntry>;
  readonly fresh: Map<string, Article>;
  readonly rejected: ArticleParseError[];
  readonly kept: string[];
  readonly changedPaths: ReadonlySet<string>;
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
  return { entries, fresh, rejected, kept, changedPaths: new Set(changes.map((change) => change.path)) };
}

interface SitePlan {
  readonly selected: CatalogEntry[];
  readonly duplicates: ArticleParseError[];
  readonly pages: FeedPage[];
  readonly translations: ReadonlyMap<string, readonly Translation[]>;
  readonly feeds: FeedLink[];
  readonly newestFirst: CatalogEntry[];
  readonly signatures: Map<string, string>;
  /** Feed pages and article pages whose signature changed. */
  readonly changedPages: FeedPage[];
  readonly changedArticlePages: CatalogEntry[];
  /** Index members, newest first. */
  readonly indexEntries: CatalogEntry[];
  /** Entries whose records must be at hand: changed pages' members, the windows, kept versions. */
  readonly needed: CatalogEntry[];
  /** Ids whose records the next catalog keeps: the windows and kept versions. */
  readonly windowIds: Set<string>;
}

function planSite(
  entries: ReadonlyMap<string, CatalogEntry>,
  site: SiteConfig,
  previousSignatures: ReadonlyMap<string, string>,
  records: ReadonlyMap<string, Article>,
): SitePlan {
  const selection = selectArticles([...entries.values()]);
  const selected = selection.articles;
  const byId = new Map(selected.map((entry) => [entry.id, entry]));
  const newestFirst = [...selected].sort(compareNewestFirst);
  const pages = planFeedPages(selected, site);
  const translations = findTranslations(selected);
  const feeds = feedLinksFrom(pages.flatMap((page) => Object.values(page.keys).map((key) => ({ key }))), site);
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
  const indexEntries = newestFirst.slice(0, site.itemsPerFeed);
  const windowIds = new Set([...pages.filter((page) => page.archive === undefined).flatMap((page) => page.articleIds), ...indexEntries.map((entry) => entry.id)]);
  const keptIds = selected.filter((entry) => entry.kept !== undefined && records.has(entry.sourcePath)).map((entry) => entry.id);
  const neededIds = new Set([...changedPages.flatMap((page) => page.articleIds), ...changedArticlePages.map((entry) => entry.id), ...windowIds, ...keptIds]);
  const needed = [...neededIds].map((id) => byId.get(id)).filter((entry): entry is CatalogEntry => entry !== undefined);
  return {
    selected, duplicates: selection.rejected, pages, translations, feeds, signatures, changedPages, changedArticlePages,
    indexEntries, needed, windowIds: new Set([...windowIds, ...keptIds]), newestFirst,
  };
}

function finish(
  previous: Catalog,
  applied: AppliedChanges,
  plan: SitePlan,
  records: ReadonlyMap<string, Article>,
  site: SiteConfig,
  lost: readonly string[],
): RenderedChanges {
  const byId = new Map(plan.selected.flatMap((entry) => {
    const record = records.get(entry.sourcePath);
    return record === undefined ? [] : [[entry.id, record] as const];
  }));
  const signatures = new Map(plan.signatures);
  const global = renderGlobalDocuments(plan, byId, site).filter((document) => {
    const signature = signDocument(document.body, site);
    signatures.set(document.key, signature);
    return previous.signatures.get(document.key) !== signature;
  });
  const documents: Iterable<OutputDocument> = { [Symbol.iterator]: () => renderChangedPages(plan, byId, site, global) };
  const liveKeys = new Set([
    ...plan.pages.flatMap((page) => Object.values(page.keys)),
    ...signatures.keys(),
  ]);
  const catalog: Catalog = {
    ...previous,
    site,
    entries: applied.entries,
    records: new Map(plan.selected.filter((entry) => plan.windowIds.has(entry.id)).map((entry) => [entry.sourcePath, records.get(entry.sourcePath) as Article])),
    documents: new Map([...previous.documents].filter(([key]) => liveKeys.has(key))),
    signatures,
  };
  const duplicates = plan.duplicates.filter((error) => applied.changedPaths.has(error.path));
  return {
    documents,
    removedKeys: [...previous.documents.keys()].filter((key) => !liveKeys.has(key)).sort(),
    catalog,
    rejected: [...applied.rejected, ...duplicates],
    kept: applied.kept,
    lost: [...lost],
    published: plan.selected.length,
  };
}

/** The changed feed pages (XML ones linked to the feed style sheet), the changed article pages, then `rest`. */
function* renderChangedPages(
  plan: SitePlan,
  records: ReadonlyMap<string, Article>,
  site: SiteConfig,
  rest: readonly OutputDocument[],
): Generator<OutputDocument> {
  const href = feedStylesheetUrl(site);
  for (const page of plan.changedPages) {
    for (const document of renderFeedPage(page, records, plan.translations, site)) yield linkFeedStylesheet(document, href);
  }
  for (const entry of plan.changedArticlePages) {
    const key = entry.pageKey as string;
    const body = renderArticlePage(records.get(entry.id) as Article, site, plan.feeds, translationLinksOf(entry, plan.newestFirst));
    yield { key, body, contentType: contentTypeFor(key), cacheControl: CACHE_CONTROL_FEED };
  }
  yield* rest;
}

/** Documents rendered whole every time (cheap): the feed list, the index and the style sheets. */
function renderGlobalDocuments(plan: SitePlan, records: ReadonlyMap<string, Article>, site: SiteConfig): OutputDocument[] {
  const newest = plan.indexEntries.map((entry) => records.get(entry.id) as Article);
  const pages = renderPages(newest, site, plan.feeds).filter((document) => document.key === INDEX_PAGE_KEY || document.key === SITE_STYLESHEET_KEY);
  return [renderOpml(plan.pages, site), renderFeedStylesheet(site), ...pages];
}
