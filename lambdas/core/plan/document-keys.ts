/**
 * The site bucket's layout, declared once: the key of every document the publisher writes, and
 * the one function that reads a key back ({@link roleOfKey}), for keys found in the bucket
 * rather than planned.
 */
import type { Article, SiteConfig } from '../content/article.js';
import { FEED_FORMATS, contentEncodingsFor, contentTypeFor, type DocumentRole, type FeedFormat } from './outputs.js';

/** Key of the index page. */
export const INDEX_PAGE_KEY = 'index.html';

/** Key of the feed list, at the site root. */
export const OPML_KEY = 'feeds.opml';

/**
 * File name of a channel's feed view, in the channel's folder: the HTML page a browser gets
 * when it asks for one of the channel's subscription feeds.
 */
export const FEED_VIEW_FILE = 'feed.html';

/** Key of the site's one style sheet, relative to the site root. */
export const SITE_STYLESHEET_KEY = 'assets/site.css';

/** Key of the sitemap index, at the site root: it names every article sitemap chunk. */
export const SITEMAP_INDEX_KEY = 'sitemap.xml';

/** Key of the Google News sitemap, at the site root: the articles of the last two days. */
export const NEWS_SITEMAP_KEY = 'news-sitemap.xml';

/** Key of the robots exclusion file, at the site root: it names both sitemaps. */
export const ROBOTS_KEY = 'robots.txt';

/** Folder of the article sitemap chunks. */
const SITEMAPS_FOLDER = 'sitemaps/';

/** File name of an article's ninjs document, next to its page. */
const NINJS_FILE = 'ninjs.json';

/** Folder of a channel's archive pages, below the channel's path. */
const ARCHIVE_FOLDER = 'archive/';

/** Folder of the tag channels, below a language's path. */
const TAGS_FOLDER = 'tags/';

/** Site-relative keys of the three documents of one feed page. */
export type FeedPageKeys = Readonly<Record<FeedFormat, string>>;

/** The folder of a language's documents: `''` for the site language, else `<lang>/`. */
function languagePath(lang: string, site: SiteConfig): string {
  return lang === site.language ? '' : `${lang}/`;
}

/** The folder of a channel's subscription documents: `''`, `fr/`, `tags/<slug>/`, `fr/tags/<slug>/`. */
export function channelPath(lang: string, site: SiteConfig, tagSlug?: string): string {
  return `${languagePath(lang, site)}${tagSlug === undefined ? '' : `${TAGS_FOLDER}${tagSlug}/`}`;
}

/** Keys of a channel's subscription documents, or of its archive page `archive`. */
export function feedPageKeys(path: string, archive?: number): FeedPageKeys {
  const folder = archive === undefined ? path : `${path}${ARCHIVE_FOLDER}${archive}/`;
  return { rss: `${folder}${FEED_FORMATS.rss.file}`, atom: `${folder}${FEED_FORMATS.atom.file}`, json: `${folder}${FEED_FORMATS.json.file}` };
}

/** Key of the feed view of the channel whose subscription documents are in `path`. */
export function feedViewKey(path: string): string {
  return `${path}${FEED_VIEW_FILE}`;
}

/**
 * The page key of an article published here (`articles/<slug>/index.html`, or
 * `<lang>/articles/<slug>/index.html`), or `undefined` when its page lives elsewhere.
 */
export function articlePageKey(article: Pick<Article, 'url' | 'canonicalUrl'>, site: SiteConfig): string | undefined {
  if (article.canonicalUrl !== undefined) return undefined;
  if (!article.url.startsWith(site.siteUrl) || !article.url.endsWith('/')) return undefined;
  const path = article.url.slice(site.siteUrl.length);
  // Never write outside the site's own folders (an empty path would overwrite the index).
  if (path === '' || path.split('/').some((segment) => segment === '..' || segment === '.')) return undefined;
  return `${path}${INDEX_PAGE_KEY}`;
}

/** Key of article sitemap chunk `chunk` (1 holds the oldest articles): `sitemaps/articles-<n>.xml`. */
export function sitemapChunkKey(chunk: number): string {
  return `${SITEMAPS_FOLDER}articles-${chunk}.xml`;
}

/**
 * Key of an article's ninjs document: `articles/<slug>/ninjs.json`, under `<lang>/` for other
 * languages (beside the article's page; for an article whose page lives elsewhere, where its
 * page would be).
 */
export function ninjsKey(article: Pick<Article, 'lang' | 'slug'>, site: SiteConfig): string {
  return `${languagePath(article.lang, site)}articles/${article.slug}/${NINJS_FILE}`;
}

const FEED_FILE = `(?:${Object.values(FEED_FORMATS).map((format) => escapeRegExp(format.file)).join('|')})`;
// A language folder never starts with `_`: `_catalog/` and other operator folders stay outside.
const LANGUAGE = '(?:[^_/][^/]*/)?';
const CHANNEL = `${LANGUAGE}(?:${escapeRegExp(TAGS_FOLDER)}[^/]+/)?`;

/** The keys of the layout above, by role, as patterns over a whole key. */
const LAYOUT: readonly (readonly [DocumentRole, RegExp])[] = [
  ['subscription-feed', new RegExp(`^${CHANNEL}${FEED_FILE}$`)],
  ['archive-page', new RegExp(`^${CHANNEL}${escapeRegExp(ARCHIVE_FOLDER)}[1-9][0-9]*/${FEED_FILE}$`)],
  ['feed-view', new RegExp(`^${CHANNEL}${escapeRegExp(FEED_VIEW_FILE)}$`)],
  ['article-page', new RegExp(`^${LANGUAGE}articles/[^/]+/${escapeRegExp(INDEX_PAGE_KEY)}$`)],
  ['index', new RegExp(`^${escapeRegExp(INDEX_PAGE_KEY)}$`)],
  ['feed-list', new RegExp(`^${escapeRegExp(OPML_KEY)}$`)],
  ['ninjs', new RegExp(`^${LANGUAGE}articles/[^/]+/${escapeRegExp(NINJS_FILE)}$`)],
  ['sitemap', new RegExp(`^(?:${escapeRegExp(SITEMAP_INDEX_KEY)}|${escapeRegExp(NEWS_SITEMAP_KEY)}|${escapeRegExp(SITEMAPS_FOLDER)}articles-[1-9][0-9]*\\.xml)$`)],
  ['robots', new RegExp(`^${escapeRegExp(ROBOTS_KEY)}$`)],
  ['asset', new RegExp(`^${escapeRegExp(SITE_STYLESHEET_KEY)}$`)],
];

/**
 * The role a key of the site bucket would have if the publisher wrote it, or `undefined` for
 * a key outside the layout (an operator's file, the catalog). Planned documents carry their
 * role; this is only for keys met in a listing: a failed publish attempt may have written a
 * document its catalog never recorded, and the repair must tell the publisher's keys (to
 * rewrite or remove) from everything else in the bucket (never touched). A stored
 * precompressed variant (`atom.xml.br`) has the role of its document.
 */
export function roleOfKey(key: string): DocumentRole | undefined {
  const document = documentKeyOf(key);
  return LAYOUT.find(([, pattern]) => pattern.test(document))?.[0];
}

/**
 * The document a stored key belongs to: the key itself, or, for a precompressed variant
 * (`<key>.br`, `<key>.gz` of a document whose media type has variants), that document's key.
 * The repair checks and removes a document together with its variants.
 */
export function documentKeyOf(key: string): string {
  for (const encoding of contentEncodingsFor(contentTypeFor(stripLastSuffix(key)))) {
    if (key.endsWith(encoding.keySuffix)) return key.slice(0, -encoding.keySuffix.length);
  }
  return key;
}

/** The key without its last `.suffix` (every variant suffix has one dot). */
function stripLastSuffix(key: string): string {
  const dot = key.lastIndexOf('.');
  return dot > key.lastIndexOf('/') ? key.slice(0, dot) : key;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
