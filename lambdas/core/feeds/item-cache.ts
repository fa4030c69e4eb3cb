/**
 * Serialized feed items, kept per article fingerprint, so rendering a window where one article
 * changed serializes one item instead of fifty. `feed` 6 writes whole documents only, so each
 * item is cut out of a one-item document, and a document is put together from the skeleton of
 * a one-item document and the cached items. The bytes are those of a whole-document render:
 * items sit at a fixed depth, the root declares the same namespaces whenever there is at least
 * one item, and every patch applied to items (F1–F16) only looks inside the item. Whether an
 * item carries its content or only its summary (`FeedSet.summaryOnly`) is part of its key.
 */
import type { Article } from '../content/article.js';
import { hasFullContent, type FeedSet } from './feed-set.js';
import { hashText } from '../text/digest.js';
import type { XmlDialect } from './feed-fixes.js';

/** Where items start and end in each dialect as `feed` 6 indents them, and what follows the last one. */
const ITEM_MARKS: Readonly<Record<XmlDialect, { open: string; close: string; after: string }>> = {
  rss: { open: '\n        <item>', close: '</item>', after: '\n    </channel>' },
  atom: { open: '\n    <entry>', close: '</entry>', after: '\n</feed>' },
};

/** Items kept at most; the oldest go first (a warm function renders the same windows again). */
const MAX_ITEMS = 5000;

const cache = new Map<string, string>();

/** Fingerprints by record: a window is rendered in two dialects from the same records. */
const fingerprints = new WeakMap<Article, string>();

/** Renders a whole document; the cache calls it for one-item documents only. */
export type RenderDocument = (set: FeedSet, dialect: XmlDialect) => string;

/** A document cut into its items and what surrounds them: `head + items.join('') + tail`. */
export interface DocumentParts {
  readonly head: string;
  /** Each item as serialized in the document, in the set's order. */
  readonly items: readonly string[];
  readonly tail: string;
}

/**
 * Renders `set` in `dialect` like `renderWhole` does, serializing only the items not yet cached.
 * Falls back to `renderWhole` when a document does not have the expected shape.
 */
export function renderWithItemCache(set: FeedSet, dialect: XmlDialect, renderWhole: RenderDocument): string {
  const parts = renderDocumentParts(set, dialect, renderWhole);
  return parts === undefined ? renderWhole(set, dialect) : parts.head + parts.items.join('') + parts.tail;
}

/**
 * The parts of the document `renderWhole` would give for `set`, items taken from the cache
 * where they are; `undefined` for a set without items or a document without the expected shape.
 */
export function renderDocumentParts(set: FeedSet, dialect: XmlDialect, renderWhole: RenderDocument): DocumentParts | undefined {
  const [first, ...rest] = set.items;
  if (first === undefined) return undefined;
  const single = renderWhole(onlyItem(set, first), dialect);
  const marks = ITEM_MARKS[dialect];
  const firstItem = cutItem(single, marks);
  if (firstItem === undefined) return undefined;
  const context = `${dialect}\u0000${JSON.stringify(set.site)}`;
  remember(itemKey(context, set, first), firstItem.xml);
  const items = [firstItem.xml];
  for (const article of rest) {
    const key = itemKey(context, set, article);
    let xml = cache.get(key);
    if (xml === undefined) {
      xml = cutItem(renderWhole(onlyItem(set, article), dialect), marks)?.xml;
      if (xml === undefined) return undefined;
      remember(key, xml);
    }
    items.push(xml);
  }
  return { head: single.slice(0, firstItem.start), items, tail: single.slice(firstItem.end) };
}

/** Empties the cache (tests compare cached and uncached output from a cold start). */
export function clearItemCache(): void {
  cache.clear();
}

function onlyItem(set: FeedSet, article: Article): FeedSet {
  const translations = set.translations.get(article.id);
  return {
    ...set,
    items: [article],
    translations: new Map(translations ? [[article.id, translations]] : []),
    summaryOnly: hasFullContent(set, article.id) ? undefined : new Set([article.id]),
  };
}

function itemKey(context: string, set: FeedSet, article: Article): string {
  let fingerprint = fingerprints.get(article);
  if (fingerprint === undefined) {
    fingerprint = hashText(JSON.stringify(article));
    fingerprints.set(article, fingerprint);
  }
  const translations = set.translations.get(article.id);
  // An item published as summary and link is another entry than the same article in full.
  const fullness = hasFullContent(set, article.id) ? 'full' : 'summary';
  return `${context}\u0000${fullness}\u0000${fingerprint}${translations === undefined ? '' : `\u0000${JSON.stringify(translations)}`}`;
}

function cutItem(document: string, marks: (typeof ITEM_MARKS)[XmlDialect]): { start: number; end: number; xml: string } | undefined {
  const start = document.indexOf(marks.open);
  const close = start < 0 ? -1 : document.indexOf(marks.close, start);
  if (close < 0) return undefined;
  const end = close + marks.close.length;
  // Exactly one item, followed directly by the end of its container.
  if (document.indexOf(marks.open, end) >= 0 || !document.startsWith(marks.after, end)) return undefined;
  return { start, end, xml: document.slice(start, end) };
}

function remember(key: string, xml: string): void {
  if (cache.has(key)) return;
  if (cache.size >= MAX_ITEMS) cache.delete(cache.keys().next().value as string);
  cache.set(key, xml);
}
