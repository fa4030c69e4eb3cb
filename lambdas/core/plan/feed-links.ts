/**
 * The feeds a page advertises: one link per language and format, from the planned channels.
 * Pages use them for autodiscovery (`<link rel="alternate">`) and visible Subscribe links.
 */
import type { SiteConfig } from '../content/article.js';
import type { FeedPage } from './feed-plan.js';
import { FEED_FORMATS, type FeedFormat } from './outputs.js';

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

/**
 * The formats anyone may fetch, in the order pages list them. With partner access on, the
 * JSON Feed answers 403 without a token, so nothing public names it.
 */
export function publicFeedFormats(site: Pick<SiteConfig, 'partnerAccess'>): FeedFormat[] {
  return FORMAT_ORDER.filter((format) => format !== 'json' || site.partnerAccess !== true);
}

/** The media type without parameters, as `<link type>` wants it. */
export function feedMediaType(format: FeedFormat): string {
  return FEED_FORMATS[format].contentType.split(';')[0] ?? '';
}

/**
 * Feed links for the subscription documents of the per-language main channels among `pages`.
 * Only the public formats ({@link publicFeedFormats}). Tag channels and archive pages are left out on purpose: pages advertise only these, so a new
 * tag or archive page never rewrites every article page (the full list is `feeds.opml`).
 * Sorted for stable output.
 */
export function feedLinksFrom(pages: readonly Pick<FeedPage, 'channel' | 'archive' | 'keys'>[], site: SiteConfig): FeedLink[] {
  const links = pages
    .filter((page) => page.archive === undefined && page.channel.tag === undefined)
    .flatMap((page) =>
      publicFeedFormats(site).map((format): FeedLink => {
        const lang = page.channel.language;
        const suffix = lang === site.language ? '' : `, ${lang}`;
        return { lang, format, url: site.siteUrl + page.keys[format], title: `${site.title} (${FEED_FORMAT_LABELS[format]}${suffix})` };
      }),
    );
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
