/**
 * The published documents' names, media types and cache lifetimes, declared once.
 * Everything that writes or serves a feed (the Lambda, the local edge, the CDK construct)
 * reads them from here.
 */

/**
 * What a published document is, declared where it is planned: a channel's subscription feed
 * (what readers subscribe to and the WebSub hub hears about), one of its RFC 5005 archive pages,
 * an article's page, the index, the feed list, or a style sheet.
 */
export type DocumentRole = 'subscription-feed' | 'archive-page' | 'article-page' | 'index' | 'feed-list' | 'asset';

/** One file to publish. `key` is relative to the site root (no leading `/`). */
export interface OutputDocument {
  readonly key: string;
  readonly body: string;
  readonly contentType: string;
  readonly cacheControl: string;
  readonly role: DocumentRole;
  /** The channel id (`main:<lang>`, `tag:<lang>:<slug>`) of a subscription feed or archive page. */
  readonly channel?: string;
}

export const FEED_FORMATS = {
  rss: { file: 'rss.xml', contentType: 'application/rss+xml; charset=utf-8' },
  atom: { file: 'atom.xml', contentType: 'application/atom+xml; charset=utf-8' },
  json: { file: 'feed.json', contentType: 'application/feed+json; charset=utf-8' },
} as const;

export type FeedFormat = keyof typeof FEED_FORMATS;

/**
 * Feeds change whenever something is published: readers may cache them briefly and serve a
 * stale copy while revalidating (RFC 5861), which CloudFront honours.
 */
export const CACHE_CONTROL_FEED = 'public, max-age=60, stale-while-revalidate=300, stale-if-error=86400';

/**
 * Cache lifetime of archive pages: a week, then revalidated in the background. Not
 * `immutable`: a page is fixed once full, but deleting or back-dating an article inside the
 * archived range shifts the chunks after it, and those pages are rewritten.
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

/** Media type for a key, by its extension; used where only a key is known. */
export function contentTypeFor(key: string): string {
  for (const format of Object.values(FEED_FORMATS)) {
    if (key === format.file || key.endsWith(`/${format.file}`)) return format.contentType;
  }
  if (key.endsWith('.xml')) return 'application/xml; charset=utf-8';
  if (key.endsWith('.json')) return 'application/json; charset=utf-8';
  if (key.endsWith('.html') || key.endsWith('/')) return 'text/html; charset=utf-8';
  if (key.endsWith('.xsl')) return 'text/xsl; charset=utf-8';
  if (key.endsWith('.opml')) return 'text/x-opml; charset=utf-8';
  if (key.endsWith('.css')) return 'text/css; charset=utf-8';
  return 'application/octet-stream';
}
