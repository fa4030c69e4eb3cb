import type { Article, SiteConfig } from '../../lambdas/core/content/article.js';
import { createEmptyCatalog, type Catalog } from '../../lambdas/core/catalog/catalog.js';
import { translationLinksOf } from '../../lambdas/core/catalog/page-signatures.js';
import { planChanges, type ArticleChange } from '../../lambdas/core/changes/plan-changes.js';
import { renderChanges } from '../../lambdas/core/changes/render-changes.js';
import { toCatalogEntry } from '../../lambdas/core/catalog/catalog.js';
import type { FeedSet } from '../../lambdas/core/feeds/feed-set.js';
import { renderOpml } from '../../lambdas/core/feeds/opml.js';
import { buildFeedSet, renderFeedPage } from '../../lambdas/core/feeds/render-feed-page.js';
import { renderArticlePage } from '../../lambdas/core/pages/article-page.js';
import { renderIndexPage, renderSiteStylesheet } from '../../lambdas/core/pages/render-pages.js';
import { articlePageKey } from '../../lambdas/core/plan/document-keys.js';
import type { FeedLink } from '../../lambdas/core/plan/feed-links.js';
import { compareNewestFirst, planFeedPages } from '../../lambdas/core/plan/feed-plan.js';
import { toOutputDocument, type OutputDocument } from '../../lambdas/core/plan/outputs.js';
import { findTranslations } from '../../lambdas/core/plan/translations.js';
import { hashText } from '../../lambdas/core/text/digest.js';
import { daysAfterBase } from './article-factory.js';

/**
 * Renderings for tests, built from the core's own functions. {@link renderSite} is the real
 * publish from an empty catalog (every document the site gets); the others render one part
 * of it, so format and page tests can look at feeds or pages alone.
 */

/**
 * The publish time the renderings below use unless told otherwise: fixed, so the output is.
 * Half a day after fixture day 30, so fixtures dated days 28.5 to 30.5 are in the news sitemap.
 */
export const TEST_NOW = daysAfterBase(30.5);

/** The change a parsed article makes, with a source hash of its own content. */
export function parsedChange(article: Article): ArticleChange {
  return { kind: 'parsed', path: article.sourcePath, sourceHash: hashText(JSON.stringify(article)), article };
}

/** Every document one publish from an empty catalog writes for `articles`, and the catalog it leaves. */
export function publishFromScratch(articles: readonly Article[], site: SiteConfig, now: Date = TEST_NOW): { documents: OutputDocument[]; catalog: Catalog } {
  const rendered = renderChanges(planChanges(createEmptyCatalog('site', site), articles.map(parsedChange), site, now));
  return { documents: [...rendered.documents], catalog: rendered.catalog };
}

/** Every document one publish from an empty catalog writes for `articles` (drafts and duplicates left out). */
export function renderSite(articles: readonly Article[], site: SiteConfig, now: Date = TEST_NOW): OutputDocument[] {
  return publishFromScratch(articles, site, now).documents;
}

/**
 * The feed documents as readers get them (no style sheet instruction): every page of every
 * channel in plan order, then the feed list. `articles` are already selected.
 */
export function renderFeeds(articles: readonly Article[], site: SiteConfig): OutputDocument[] {
  const pages = planFeedPages(articles, site);
  const byId = new Map(articles.map((article) => [article.id, article]));
  const translations = findTranslations(articles);
  return [...pages.flatMap((page) => renderFeedPage(page, byId, translations, site)), renderOpml(pages, site)];
}

/** The feed sets of the subscription documents of the language channels, in plan order. */
export function planFeedSets(articles: readonly Article[], site: SiteConfig): FeedSet[] {
  const byId = new Map(articles.map((article) => [article.id, article]));
  const translations = findTranslations(articles);
  return planFeedPages(articles, site)
    .filter((page) => page.archive === undefined && page.channel.tag === undefined)
    .map((page) => buildFeedSet(page, byId, translations, site));
}

/**
 * The site's style sheet, the index and the page of every article published here (sorted by
 * key), with the given feed links. `articles` are already selected.
 */
export function renderPages(articles: readonly Article[], site: SiteConfig, feeds: readonly FeedLink[]): OutputDocument[] {
  const entries = articles.map((article) => toCatalogEntry(article, '', articlePageKey(article, site))).sort(compareNewestFirst);
  const byId = new Map(articles.map((article) => [article.id, article]));
  const pages = entries.flatMap((entry) => {
    if (entry.pageKey === undefined) return [];
    const body = renderArticlePage(byId.get(entry.id) as Article, site, feeds, translationLinksOf(entry, entries));
    return [toOutputDocument(entry.pageKey, body, 'article-page')];
  });
  pages.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return [renderSiteStylesheet(), renderIndexPage(articles, site, feeds), ...pages];
}
