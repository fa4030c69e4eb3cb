/**
 * The Google News sitemap (https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap):
 * the articles published here in the two days before the publish time, newest first, at most
 * 1,000, each with `news:publication` (name and language), `news:publication_date` and
 * `news:title`. Built from catalog entries alone; the publish time is an argument, so the same
 * entries and time give the same bytes.
 */
import type { SiteConfig } from '../content/article.js';
import type { CatalogEntry } from '../catalog/catalog.js';
import { compareNewestFirst } from '../plan/feed-plan.js';
import { NEWS_SITEMAP_KEY } from '../plan/document-keys.js';
import { toOutputDocument, type OutputDocument } from '../plan/outputs.js';
import { escapeXml } from '../text/escape.js';
import { removeUncarriableChars } from '../text/xml-text.js';
import { formatW3cDate } from './sitemaps.js';

/** Google News reads articles published in the last two days. */
export const NEWS_WINDOW_MS = 2 * 24 * 60 * 60 * 1000;

/** Google News reads at most 1,000 URLs per news sitemap. */
export const NEWS_MAX_URLS = 1000;

const NEWS_NS = 'http://www.google.com/schemas/sitemap-news/0.9';

/**
 * The members of the news sitemap at `now`: articles published here (no `canonicalUrl`) dated
 * within the two days up to `now`, newest first. An article dated after `now` waits for a later
 * publish.
 */
export function selectNewsEntries(selected: readonly CatalogEntry[], now: Date): CatalogEntry[] {
  const from = now.getTime() - NEWS_WINDOW_MS;
  return selected
    .filter((entry) => entry.pageKey !== undefined && entry.date.getTime() > from && entry.date.getTime() <= now.getTime())
    .sort(compareNewestFirst)
    .slice(0, NEWS_MAX_URLS);
}

/**
 * Google's `news:language`: an ISO 639 code, except Chinese, which is `zh-cn` (Simplified) or
 * `zh-tw` (Traditional).
 */
export function newsLanguage(lang: string): string {
  const [primary = lang, ...rest] = lang.split('-');
  if (primary !== 'zh') return primary;
  return rest.some((subtag) => ['hant', 'tw', 'hk', 'mo'].includes(subtag)) ? 'zh-tw' : 'zh-cn';
}

/** The news sitemap of `members`, or `undefined` when there are none (a `urlset` needs a `url`). */
export function renderNewsSitemap(members: readonly CatalogEntry[], site: SiteConfig): OutputDocument | undefined {
  if (members.length === 0) return undefined;
  const name = escapeXml(removeUncarriableChars(site.title));
  const urls = members.map((entry) =>
    [
      '  <url>',
      `    <loc>${escapeXml(entry.url)}</loc>`,
      '    <news:news>',
      `      <news:publication><news:name>${name}</news:name><news:language>${escapeXml(newsLanguage(entry.lang))}</news:language></news:publication>`,
      `      <news:publication_date>${formatW3cDate(entry.date)}</news:publication_date>`,
      `      <news:title>${escapeXml(removeUncarriableChars(entry.title))}</news:title>`,
      '    </news:news>',
      '  </url>',
    ].join('\n'),
  );
  const body = ['<?xml version="1.0" encoding="UTF-8"?>', `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="${NEWS_NS}">`, ...urls, '</urlset>', ''].join('\n');
  return toOutputDocument(NEWS_SITEMAP_KEY, body, 'sitemap');
}
