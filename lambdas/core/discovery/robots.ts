/**
 * `robots.txt` (RFC 9309): every crawler may fetch everything, and the sitemaps are named
 * with absolute URLs, as the Sitemap directive requires.
 */
import type { SiteConfig } from '../content/article.js';
import { ROBOTS_KEY } from '../plan/document-keys.js';
import { toOutputDocument, type OutputDocument } from '../plan/outputs.js';

/** `robots.txt` naming the sitemaps at `sitemapKeys` (site-relative; the ones published now). */
export function renderRobots(sitemapKeys: readonly string[], site: SiteConfig): OutputDocument {
  const lines = ['User-agent: *', 'Allow: /', '', ...sitemapKeys.map((key) => `Sitemap: ${site.siteUrl}${key}`), ''];
  return toOutputDocument(ROBOTS_KEY, lines.join('\n'), 'robots');
}
