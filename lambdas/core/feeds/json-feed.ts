/**
 * JSON Feed 1.1 (https://jsonfeed.org/version/1.1), built directly from the feed set.
 *
 * `feed` 6's `json1()` writes version 1 (a single deprecated `author`, no `language`, the
 * summary only when there is content), so patching its output would touch nearly every
 * field; `JSON.stringify` has none of the XML writer's escaping defects, so building the
 * object here is both shorter and exact (F15 in `feed-fixes.ts`).
 */
import type { Article, Person } from '../content/article.js';
import { authorsOf, feedAuthorOf, summaryOf } from './build-feed.js';
import { tagsOf } from '../content/tag-slug.js';
import { hasFullContent, type FeedSet } from './feed-set.js';
import { normalizeUrl } from '../text/url.js';
import { removeUncarriableChars } from '../text/xml-text.js';
import { itemContentHtml, machineTranslationExtension } from './translation-note.js';
import { ninjsKey } from '../plan/document-keys.js';

/** The JSON Feed 1.1 version URL. */
export const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';

/**
 * The `_ninjs` extension of every item: where the item's IPTC ninjs 3.1 document is (`url`),
 * and what the extension is (`about`, as JSON Feed asks of extensions).
 */
export const NINJS_ABOUT = 'https://iptc.org/standards/ninjs/';

interface JsonAuthor {
  name: string;
  url?: string;
}

/** Renders one feed set as a JSON Feed 1.1 document (two-space indented, LF at the end). */
export function renderJsonFeed(set: FeedSet): string {
  const { site } = set;
  const feed = {
    version: JSON_FEED_VERSION,
    title: clean(set.title),
    home_page_url: normalizeUrl(site.siteUrl),
    feed_url: set.selfUrls.json,
    // JSON Feed pagination: the subscription document and each archive page name the next older page.
    next_url: set.history?.prevArchive?.json,
    description: optionalText(site.description),
    icon: normalizeUrl(site.image ?? site.icon),
    favicon: normalizeUrl(site.icon),
    authors: [toJsonAuthor(feedAuthorOf(site))],
    language: set.language,
    // With partner access on the hub cannot fetch the JSON Feed (no token), so it names none.
    hubs: site.websubHub && !set.history?.archived && site.partnerAccess !== true ? [{ type: 'WebSub', url: normalizeUrl(site.websubHub) }] : undefined,
    items: set.items.map((article) => toJsonItem(article, set)),
  };
  return `${JSON.stringify(feed, null, 2)}\n`;
}

/**
 * One item exactly as {@link renderJsonFeed} writes it inside `items` (indented, without the
 * separating comma), so its UTF-8 length is what the item adds to the document.
 */
export function renderJsonItem(article: Article, set: FeedSet): string {
  return JSON.stringify(toJsonItem(article, set), null, 2).replace(/\n/g, '\n    ');
}

function toJsonItem(article: Article, set: FeedSet): Record<string, unknown> {
  const authors = authorsOf(article, set.site).map(toJsonAuthor);
  const tags = tagsOf(article);
  const summary = summaryOf(article);
  // JSON Feed 1.1 requires content_html or content_text: an item published as summary and
  // link carries its summary as text, and no content_html.
  const full = hasFullContent(set, article.id);
  return {
    id: normalizeUrl(article.id) ?? article.id,
    url: normalizeUrl(article.url) ?? article.url,
    title: clean(article.title),
    content_html: full ? clean(itemContentHtml(article)) : undefined,
    content_text: full ? undefined : summary,
    summary,
    image: normalizeUrl(article.image),
    date_published: article.date.toISOString(),
    date_modified: (article.updated ?? article.date).toISOString(),
    authors: authors.length > 0 ? authors : undefined,
    tags: tags.length > 0 ? tags : undefined,
    language: article.lang,
    _translations: translationsOf(article, set),
    _machine_translation: machineTranslationExtension(article),
    _ninjs: { about: NINJS_ABOUT, url: set.site.siteUrl + ninjsKey(article, set.site) },
  };
}

/** Links to other language versions, as a JSON Feed extension object (`_` prefix). */
function translationsOf(article: Article, set: FeedSet): { versions: { language: string; url: string }[] } | undefined {
  const translations = set.translations.get(article.id);
  if (!translations) return undefined;
  return { versions: translations.map(({ lang, url }) => ({ language: lang, url })) };
}

function toJsonAuthor(person: Person): JsonAuthor {
  const url = normalizeUrl(person.url);
  return url ? { name: clean(person.name), url } : { name: clean(person.name) };
}

/** The same characters are dropped as in the XML formats, so every format shows one text. */
function clean(text: string): string {
  return removeUncarriableChars(text);
}

function optionalText(text: string | undefined): string | undefined {
  return text === undefined || clean(text).trim() === '' ? undefined : clean(text);
}
