/**
 * The incremental publish, second half: a {@link ChangePlan} that misses no record in, the
 * documents whose inputs changed, the keys no longer published and the next catalog out. Over
 * an empty catalog this is the full render; the output never depends on the catalog, only the
 * work does.
 */
import type { Article, SiteConfig } from '../content/article.js';
import type { Catalog } from '../catalog/catalog.js';
import { signDocument } from '../catalog/page-signatures.js';
import { translationLinksOf } from '../catalog/page-signatures.js';
import type { ArticleParseError } from '../errors.js';
import { renderFeedPage } from '../feeds/render-feed-page.js';
import { renderOpml } from '../feeds/opml.js';
import { renderArticlePage } from '../pages/article-page.js';
import { renderFeedView } from '../pages/feed-view-page.js';
import { renderIndexPage, renderSiteStylesheet } from '../pages/render-pages.js';
import { toOutputDocument, type OutputDocument } from '../plan/outputs.js';
import { renderNinjs } from '../discovery/ninjs.js';
import { renderNewsSitemap, selectNewsEntries } from '../discovery/news-sitemap.js';
import { renderRobots } from '../discovery/robots.js';
import { renderSitemapChunk, renderSitemapIndex } from '../discovery/sitemaps.js';
import type { ChangePlan } from './plan-changes.js';

/** The result of {@link renderChanges}. */
export interface RenderedChanges {
  /**
   * Documents whose inputs changed (new or rewritten pages), rendered one page at a time as
   * they are iterated, so a rebuild never holds every document in memory.
   */
  readonly documents: Iterable<OutputDocument>;
  /** Keys published before and no longer part of the site. */
  readonly removedKeys: string[];
  /** The next catalog; its `documents` still hold the previous hashes (the writer learns the new ones). */
  readonly catalog: Catalog;
  /** Changed files left out: parse errors and duplicates. */
  readonly rejected: readonly ArticleParseError[];
  /** Changed files rejected while their last good version stays published. */
  readonly kept: readonly string[];
  /** Entries left out because their record could not be loaded (deleted or broken meanwhile). */
  readonly lost: readonly string[];
  /** Articles published in total. */
  readonly published: number;
}

/**
 * Renders what `plan` says changed.
 * @throws RangeError when the plan still misses records (load them and plan again first).
 */
export function renderChanges(plan: ChangePlan): RenderedChanges {
  if (plan.missing.length > 0) throw new RangeError(`${plan.missing.length} records missing, first ${plan.missing[0]?.sourcePath}`);
  const { previous, site } = plan;
  const byId = new Map(plan.selected.flatMap((entry) => {
    const record = plan.records.get(entry.sourcePath);
    return record === undefined ? [] : [[entry.id, record] as const];
  }));
  const signatures = new Map(plan.signatures);
  const global = renderGlobalDocuments(plan, byId).filter((document) => {
    const signature = signDocument(document.body, site);
    signatures.set(document.key, signature);
    return previous.signatures.get(document.key) !== signature;
  });
  const liveKeys = new Set([...plan.pages.flatMap((page) => [...Object.values(page.keys), ...(page.viewKey === undefined ? [] : [page.viewKey])]), ...signatures.keys()]);
  const catalog: Catalog = {
    ...previous,
    site,
    entries: plan.entries,
    records: new Map(plan.selected.filter((entry) => plan.windowIds.has(entry.id)).map((entry) => [entry.sourcePath, plan.records.get(entry.sourcePath) as Article])),
    documents: new Map([...previous.documents].filter(([key]) => liveKeys.has(key))),
    signatures,
  };
  return {
    documents: { [Symbol.iterator]: () => renderChangedPages(plan, byId, site, global) },
    removedKeys: [...previous.documents.keys()].filter((key) => !liveKeys.has(key)).sort(),
    catalog,
    rejected: plan.rejected,
    kept: plan.kept,
    lost: plan.lost,
    published: plan.selected.length,
  };
}

/**
 * The changed feed pages, each subscription page with its channel's feed view (signed with the
 * page: the view shows nothing the page's signature does not cover), the changed article pages,
 * then `rest`.
 */
function* renderChangedPages(plan: ChangePlan, records: ReadonlyMap<string, Article>, site: SiteConfig, rest: readonly OutputDocument[]): Generator<OutputDocument> {
  for (const page of plan.changedPages) {
    yield* renderFeedPage(page, records, plan.translations, site);
    if (page.viewKey !== undefined) yield renderFeedView(page, records, site);
  }
  for (const entry of plan.changedArticlePages) {
    const body = renderArticlePage(records.get(entry.id) as Article, site, plan.feeds, translationLinksOf(entry, plan.newestFirst));
    yield toOutputDocument(entry.pageKey as string, body, 'article-page');
  }
  for (const entry of plan.changedNinjs) yield renderNinjs(records.get(entry.id) as Article, site, translationLinksOf(entry, plan.newestFirst));
  for (const chunk of plan.changedSitemapChunks) yield renderSitemapChunk(chunk);
  yield* rest;
}

/**
 * Documents rendered whole every time (cheap): the feed list, the style sheet, the index, and
 * the sitemap index, the news sitemap and robots.txt (a sitemap with no URL is invalid, so an
 * empty one is left out, and robots.txt names only the sitemaps published).
 */
function renderGlobalDocuments(plan: ChangePlan, records: ReadonlyMap<string, Article>): OutputDocument[] {
  const newest = plan.indexEntries.map((entry) => records.get(entry.id) as Article);
  const sitemaps = [renderSitemapIndex(plan.sitemapChunks, plan.site), renderNewsSitemap(selectNewsEntries(plan.selected, plan.now), plan.site)].flatMap(
    (document) => (document === undefined ? [] : [document]),
  );
  return [
    renderOpml(plan.pages, plan.site),
    renderSiteStylesheet(),
    renderIndexPage(newest, plan.site, plan.feeds),
    ...sitemaps,
    renderRobots(sitemaps.map((document) => document.key), plan.site),
  ];
}
