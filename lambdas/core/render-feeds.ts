/**
 * Selected articles in, every feed document out: one set (RSS 2.0, Atom 1.0, JSON Feed 1.1)
 * for the site language at the root, one under `<lang>/` for every other language present.
 */
import type { Article, SiteConfig } from './article.js';
import { buildFeed, type FeedSet, type Translation } from './build-feed.js';
import { addAtomAlternates, createTextSlots, normalizeUrl, patchAtomDocument, patchRssDocument } from './feed-fixes.js';
import { renderJsonFeed } from './json-feed.js';
import { CACHE_CONTROL_FEED, FEED_FORMATS, type FeedFormat, type OutputDocument } from './outputs.js';

/**
 * Renders every feed document. Input articles are already selected (no drafts, no
 * duplicates). The same input always gives the same bytes: nothing reads the clock.
 */
export function renderFeeds(articles: readonly Article[], site: SiteConfig): OutputDocument[] {
  return planFeedSets(articles, site).flatMap((set) => {
    const prefix = set.language === site.language ? '' : `${set.language}/`;
    return (Object.keys(FEED_FORMATS) as FeedFormat[]).map((format) => ({
      key: `${prefix}${FEED_FORMATS[format].file}`,
      body: renderFormat(set, format),
      contentType: FEED_FORMATS[format].contentType,
      cacheControl: CACHE_CONTROL_FEED,
    }));
  });
}

/** Renders one set in one format. */
export function renderFormat(set: FeedSet, format: FeedFormat): string {
  if (format === 'json') return renderJsonFeed(set);
  const slots = createTextSlots();
  const feed = buildFeed(set, format, slots);
  const xml =
    format === 'rss' ? patchRssDocument(feed.rss2()) : addAtomAlternates(patchAtomDocument(feed.atom1(), set.language), set.translations);
  return `${slots.resolve(xml, format)}\n`;
}

/**
 * The feed sets to publish: the site language first (always, even without articles: an
 * empty feed is legal, and subscribers keep their subscription), then every other language
 * present, in alphabetical order.
 */
export function planFeedSets(articles: readonly Article[], site: SiteConfig): FeedSet[] {
  const ordered = [...articles].sort(compareNewestFirst);
  const languages = [...new Set(ordered.map((article) => article.lang))].filter((lang) => lang !== site.language).sort();
  // An empty set still needs a stable date: the newest article of any language, else the epoch.
  const fallbackUpdated = newestUpdate(ordered) ?? new Date(0);
  const translations = findTranslations(ordered);
  return [site.language, ...languages].map((language) => {
    const items = ordered.filter((article) => article.lang === language).slice(0, site.itemsPerFeed);
    const isSiteLanguage = language === site.language;
    const base = `${site.siteUrl}${isSiteLanguage ? '' : `${language}/`}`;
    return {
      language,
      id: `tag:${site.tagAuthority}:feed${isSiteLanguage ? '' : `/${language}`}`,
      title: isSiteLanguage ? site.title : `${site.title} (${language})`,
      site,
      selfUrls: {
        rss: `${base}${FEED_FORMATS.rss.file}`,
        atom: `${base}${FEED_FORMATS.atom.file}`,
        json: `${base}${FEED_FORMATS.json.file}`,
      },
      updated: newestUpdate(items) ?? fallbackUpdated,
      items,
      translations,
    };
  });
}

/**
 * For every article with a `translationKey`, the other language versions among the input
 * (one per language, the newest), ordered by language.
 */
export function findTranslations(articles: readonly Article[]): Map<string, Translation[]> {
  const byKey = new Map<string, Article[]>();
  for (const article of articles) {
    if (article.translationKey === undefined) continue;
    byKey.set(article.translationKey, [...(byKey.get(article.translationKey) ?? []), article]);
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

/** Newest publication date first; equal dates by id, so the order never depends on input order. */
export function compareNewestFirst(a: Article, b: Article): number {
  const byDate = b.date.getTime() - a.date.getTime();
  if (byDate !== 0) return byDate;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function newestUpdate(articles: readonly Article[]): Date | undefined {
  let newest: number | undefined;
  for (const article of articles) {
    const time = (article.updated ?? article.date).getTime();
    if (newest === undefined || time > newest) newest = time;
  }
  return newest === undefined ? undefined : new Date(newest);
}
