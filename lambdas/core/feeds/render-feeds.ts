/**
 * Selected articles in, every feed document out (the full path): each page of
 * {@link planFeedPages} — per language, per language and tag, subscription documents and
 * RFC 5005 archive pages — in three formats, then the OPML feed list.
 */
import type { Article, SiteConfig } from '../content/article.js';
import type { Translation } from './feed-set.js';
import type { FeedSet } from './feed-set.js';
import { normalizeUrl } from './feed-fixes.js';
import { compareNewestFirst, planFeedPages } from '../plan/feed-plan.js';
import { renderFeedPage } from './render-feed-page.js';
import { buildFeedSet } from './render-feed-page.js';
import { renderOpml } from './opml.js';
import type { OutputDocument } from '../plan/outputs.js';

export { compareNewestFirst } from '../plan/feed-plan.js';
export { renderFormat } from './render-format.js';

/**
 * Renders every feed document and `feeds.opml`: `renderFeedPage` over every page of
 * `planFeedPages(articles, site)`, in plan order, then `renderOpml` of the same plan. Input
 * articles are already selected (no drafts, no duplicate ids). The same input always gives
 * the same bytes: nothing reads the clock.
 */
export function renderFeeds(articles: readonly Article[], site: SiteConfig): OutputDocument[] {
  const pages = planFeedPages(articles, site);
  const byId = new Map(articles.map((article) => [article.id, article]));
  const translations = findTranslations(articles);
  return [...pages.flatMap((page) => renderFeedPage(page, byId, translations, site)), renderOpml(pages, site)];
}

/**
 * The subscription feed sets of the language channels: the site language first (always,
 * even without articles: an empty feed is legal, and subscribers keep their subscription),
 * then every other language present, in alphabetical order.
 */
export function planFeedSets(articles: readonly Article[], site: SiteConfig): FeedSet[] {
  const byId = new Map(articles.map((article) => [article.id, article]));
  const translations = findTranslations(articles);
  return planFeedPages(articles, site)
    .filter((page) => page.archive === undefined && page.channel.tag === undefined)
    .map((page) => buildFeedSet(page, byId, translations, site));
}

/** What finding translations needs of an article (a `PlanEntry` or an `Article` will do). */
export type TranslationEntry = Pick<Article, 'id' | 'lang' | 'url' | 'translationKey' | 'date'>;

/**
 * For every article with a `translationKey`, the other language versions among the input
 * (one per language, the newest), ordered by language. Input order does not matter.
 */
export function findTranslations(articles: readonly TranslationEntry[]): Map<string, Translation[]> {
  const byKey = new Map<string, TranslationEntry[]>();
  for (const article of [...articles].sort(compareNewestFirst)) {
    if (article.translationKey === undefined) continue;
    const versions = byKey.get(article.translationKey) ?? [];
    byKey.set(article.translationKey, versions);
    versions.push(article);
  }
  const result = new Map<string, Translation[]>();
  for (const versions of byKey.values()) {
    for (const article of versions) {
      const others = new Map<string, string>();
      for (const other of versions) {
        if (other.lang !== article.lang && !others.has(other.lang)) others.set(other.lang, normalizeUrl(other.url) ?? other.url);
      }
      const links = [...others].sort(([a], [b]) => (a < b ? -1 : 1)).map(([lang, url]) => ({ lang, url }));
      if (links.length > 0) result.set(article.id, links);
    }
  }
  return result;
}
