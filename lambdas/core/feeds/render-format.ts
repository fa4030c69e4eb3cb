/**
 * One feed set in one format: `feed` 6 for the XML dialects, with its defects patched
 * (`feed-fixes.ts`), and JSON Feed 1.1 built directly (`json-feed.ts`).
 */
import { buildFeed } from './build-feed.js';
import { type FeedSet } from './feed-set.js';
import { addAtomAlternates, addHistoryLinks, createTextSlots, patchAtomDocument, patchRssDocument, type XmlDialect } from './feed-fixes.js';
import { renderWithItemCache } from './item-cache.js';
import { renderJsonFeed } from './json-feed.js';
import type { FeedFormat } from '../plan/outputs.js';

/**
 * Renders one set in one format; the same set always gives the same bytes. XML items are
 * serialized once per article version and reused (`item-cache.ts`).
 */
export function renderFormat(set: FeedSet, format: FeedFormat): string {
  if (format === 'json') return renderJsonFeed(set);
  return renderWithItemCache(set, format, renderXmlDocument);
}

/** Renders one set as a whole RSS or Atom document, without the item cache. */
export function renderXmlDocument(set: FeedSet, format: XmlDialect): string {
  const slots = createTextSlots();
  const feed = buildFeed(set, format, slots);
  const xml =
    format === 'rss'
      ? patchRssDocument(feed.rss2())
      : addAtomAlternates(patchAtomDocument(feed.atom1(), set.language), set.translations);
  return `${slots.resolve(addHistoryLinks(xml, format, set.history), format)}\n`;
}
