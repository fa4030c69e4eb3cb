/**
 * The feeds a page advertises: one link per language and format, as rendered by `renderFeeds`.
 * Pages use them for autodiscovery (`<link rel="alternate">`) and visible Subscribe links.
 */
import type { SiteConfig } from '../content/article.js';
import { FEED_FORMATS, type FeedFormat, type OutputDocument } from './outputs.js';

/** One published feed document, as a page links to it. */
export interface FeedLink {
  /** BCP 47 tag in lower case: the language of the feed's items. */
  readonly lang: string;
  readonly format: FeedFormat;
  /** Absolute URL the feed is served at. */
  readonly url: string;
  /** Plain-text title for `<link title>`. */
  readonly title: string;
}

/** Visible names of the formats, in the order pages list them. */
export const FEED_FORMAT_LABELS: Readonly<Record<FeedFormat, string>> = {
  rss: 'RSS',
  atom: 'Atom',
  json: 'JSON Feed',
};

const FORMAT_ORDER: readonly FeedFormat[] = ['rss', 'atom', 'json'];

/** The media type without parameters, as `<link type>` wants it. */
export function feedMediaType(format: FeedFormat): string {
  return FEED_FORMATS[format].contentType.split(';')[0] ?? '';
}

/**
 * Feed links for the per-language main feeds among `documents`: `rss.xml` is in the site
 * language, `<lang>/rss.xml` in `<lang>`. Everything deeper (tag feeds under `tags/<slug>/`,
 * archive pages under `archive/<n>/`) and every other key is ignored on purpose: pages
 * advertise only these, so a new tag or archive page never rewrites every article page (the
 * full list is `feeds.opml`). Sorted for stable output.
 */
export function feedLinksFrom(documents: readonly Pick<OutputDocument, 'key'>[], site: SiteConfig): FeedLink[] {
  const links: FeedLink[] = [];
  for (const { key } of documents) {
    for (const format of FORMAT_ORDER) {
      const file = FEED_FORMATS[format].file;
      const folder = key === file ? '' : key.endsWith(`/${file}`) ? key.slice(0, -file.length - 1) : undefined;
      if (folder === undefined || folder.includes('/')) continue;
      const lang = folder === '' ? site.language : folder;
      const suffix = lang === site.language ? '' : `, ${lang}`;
      links.push({ lang, format, url: site.siteUrl + key, title: `${site.title} (${FEED_FORMAT_LABELS[format]}${suffix})` });
    }
  }
  return sortFeedLinks(links, site.language);
}

/** Links in `lang` first, then by language, then RSS, Atom, JSON Feed. */
export function sortFeedLinks(links: readonly FeedLink[], lang: string): FeedLink[] {
  const rank = (link: FeedLink): string => `${link.lang === lang ? 0 : 1}${link.lang}`;
  return [...links].sort(
    (a, b) => compareText(rank(a), rank(b)) || FORMAT_ORDER.indexOf(a.format) - FORMAT_ORDER.indexOf(b.format),
  );
}

/** Code-unit order: the same on every runtime, unlike locale-aware comparison. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
