/**
 * The published documents' names, media types and cache lifetimes, declared once.
 * Everything that writes or serves a feed (the Lambda, the local edge, the CDK construct)
 * reads them from here.
 */

/**
 * What a published document is, declared where it is planned: a channel's subscription feed
 * (what readers subscribe to and the WebSub hub hears about), one of its RFC 5005 archive pages,
 * the HTML view of a channel's subscription feeds (what a browser gets at a feed's URL), an
 * article's page, an article's ninjs document, the index, the feed list, a sitemap (index,
 * chunk or news), robots.txt, or a style sheet.
 */
export type DocumentRole =
  | 'subscription-feed' | 'archive-page' | 'feed-view' | 'article-page' | 'ninjs' | 'index' | 'feed-list' | 'sitemap' | 'robots' | 'asset';

/** One file to publish. `key` is relative to the site root (no leading `/`). */
export interface OutputDocument {
  readonly key: string;
  readonly body: string;
  readonly contentType: string;
  readonly cacheControl: string;
  readonly role: DocumentRole;
  /** The channel id (`main:<lang>`, `tag:<lang>:<slug>`) of a subscription feed, archive page or feed view. */
  readonly channel?: string;
  /** Served to partners only (the JSON Feed with partner access on): never a WebSub topic. */
  readonly partnerOnly?: boolean;
}

export const FEED_FORMATS = {
  rss: { file: 'rss.xml', contentType: 'application/rss+xml; charset=utf-8' },
  atom: { file: 'atom.xml', contentType: 'application/atom+xml; charset=utf-8' },
  json: { file: 'feed.json', contentType: 'application/feed+json; charset=utf-8' },
} as const;

export type FeedFormat = keyof typeof FEED_FORMATS;

/**
 * How long a CDN edge may serve a subscription document (and the pages and lists that change
 * with it) without asking the origin: `s-maxage`, which shared caches use instead of `max-age`.
 * After it the edge revalidates with If-None-Match and S3 answers 304 while nothing changed.
 */
export const EDGE_TTL_SECONDS = 2;

/**
 * Caches in series between a reader and the origin: CloudFront's edge location and its
 * regional edge cache. A copy can age at each tier, so the edge serves a new version at the
 * latest {@link FRESHNESS_BOUND_SECONDS} after it is written.
 */
export const CDN_CACHE_TIERS = 2;

/** The stated bound: a document written at T is what every edge serves from T + this. */
export const FRESHNESS_BOUND_SECONDS = CDN_CACHE_TIERS * EDGE_TTL_SECONDS;

/**
 * How long the publisher waits after its writes before pinging the WebSub hub: the freshness
 * bound plus one second for an origin read that was already under way when the writes ended.
 * Only then is no edge left that could hand the hub the old version.
 */
export const HUB_PING_DELAY_MS = (FRESHNESS_BOUND_SECONDS + 1) * 1000;

/**
 * A reader's own cache (`max-age`): a minute. Readers poll every few minutes or hours, so a
 * minute adds nothing to how late they see a story, and it spares their conditional requests.
 */
export const READER_MAX_AGE_SECONDS = 60;

/**
 * Subscription documents and their views, index and article pages, feeds.opml, style sheets: readers keep them
 * a minute, the CDN {@link EDGE_TTL_SECONDS}. No `stale-while-revalidate`: CloudFront honours
 * it, and would hand out the old version after the bound. `stale-if-error` only applies while
 * the origin fails.
 */
export const CACHE_CONTROL_FEED = `public, max-age=${READER_MAX_AGE_SECONDS}, s-maxage=${EDGE_TTL_SECONDS}, stale-if-error=86400`;

/**
 * Archive pages: a week, then revalidated in the background. Not `immutable`: a page changes
 * once more when the next page appears (its `next-archive`), and deleting or back-dating an
 * article inside the archived range shifts the chunks after it.
 */
export const CACHE_CONTROL_ARCHIVE = 'public, max-age=604800, stale-while-revalidate=86400';

/** The cache lifetime of a document of `role`: archive pages a week, everything else briefly. */
function cacheControlFor(role: DocumentRole): string {
  return role === 'archive-page' ? CACHE_CONTROL_ARCHIVE : CACHE_CONTROL_FEED;
}

/** A document of `role` at `key`, with the media type of its key and the cache lifetime of its role. */
export function toOutputDocument(key: string, body: string, role: DocumentRole, channel?: string): OutputDocument {
  return { key, body, contentType: contentTypeFor(key), cacheControl: cacheControlFor(role), role, ...(channel === undefined ? {} : { channel }) };
}

/** The media type of every text document the site publishes, by key: a whole file name or an extension. */
const MEDIA_TYPES: readonly { readonly pattern: RegExp; readonly contentType: string }[] = [
  ...Object.values(FEED_FORMATS).map((format) => ({ pattern: new RegExp(`(?:^|/)${escapeRegExp(format.file)}$`), contentType: format.contentType })),
  { pattern: /\.xml$/, contentType: 'application/xml; charset=utf-8' },
  { pattern: /\.json$/, contentType: 'application/json; charset=utf-8' },
  { pattern: /(?:\.html|\/)$/, contentType: 'text/html; charset=utf-8' },
  { pattern: /\.opml$/, contentType: 'text/x-opml; charset=utf-8' },
  { pattern: /\.css$/, contentType: 'text/css; charset=utf-8' },
  { pattern: /\.txt$/, contentType: 'text/plain; charset=utf-8' },
];

/** Media type for a key, by its file name or extension; used where only a key is known. */
export function contentTypeFor(key: string): string {
  return MEDIA_TYPES.find((entry) => entry.pattern.test(key))?.contentType ?? 'application/octet-stream';
}

/**
 * Media types the publisher stores precompressed next to the document: the text types
 * CloudFront does not compress itself (Atom, JSON Feed, OPML; its documented list has RSS,
 * HTML, CSS, XML and JSON). CloudFront compresses the others at the edge, so storing them
 * compressed too would triple the writes of every article page and RSS feed for nothing a
 * reader could see.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/ServingCompressedFiles.html
 */
export const PRECOMPRESSED_MEDIA_TYPES: ReadonlySet<string> = new Set([
  FEED_FORMATS.atom.contentType,
  FEED_FORMATS.json.contentType,
  'text/x-opml; charset=utf-8',
]);

/** A content coding of a stored variant, and the suffix of its key (`atom.xml.br`). */
export interface ContentEncoding {
  /** The `Content-Encoding` (and `Accept-Encoding`) name. */
  readonly name: 'br' | 'gzip';
  readonly keySuffix: '.br' | '.gz';
}

/** The stored variants of a precompressed document, in order of preference: Brotli first. */
export const CONTENT_ENCODINGS: readonly ContentEncoding[] = [
  { name: 'br', keySuffix: '.br' },
  { name: 'gzip', keySuffix: '.gz' },
];

/** The variants stored next to a document of this media type: both codings, or none. */
export function contentEncodingsFor(contentType: string): readonly ContentEncoding[] {
  return PRECOMPRESSED_MEDIA_TYPES.has(contentType) ? CONTENT_ENCODINGS : [];
}

/**
 * A pattern matching exactly the keys whose media type ({@link contentTypeFor}) is in
 * {@link PRECOMPRESSED_MEDIA_TYPES}, for code that sees only a path (the edge function).
 */
export function precompressedKeyPattern(): RegExp {
  const sources = MEDIA_TYPES.filter((entry) => PRECOMPRESSED_MEDIA_TYPES.has(entry.contentType)).map((entry) => entry.pattern.source);
  return new RegExp(sources.join('|'));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
