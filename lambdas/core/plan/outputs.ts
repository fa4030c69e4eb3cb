/**
 * The published documents' names, media types and cache lifetimes, declared once.
 * Everything that writes or serves a feed (the Lambda, the local edge, the CDK construct)
 * reads them from here.
 */

/** One file to publish. `key` is relative to the site root (no leading `/`). */
export interface OutputDocument {
  readonly key: string;
  readonly body: string;
  readonly contentType: string;
  readonly cacheControl: string;
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

/** Documents that never change once written (full archive pages, hashed assets). */
export const CACHE_CONTROL_IMMUTABLE = 'public, max-age=31536000, immutable';

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
