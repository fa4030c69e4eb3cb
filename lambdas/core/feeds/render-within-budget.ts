/**
 * The byte budget of feed documents (`site.yaml` `maxFeedBytes`, default 1 MiB): every
 * subscription document and archive page, in every format, stays within it without dropping
 * an item.
 *
 * The rule, decided once per page so RSS, Atom and JSON Feed list the same items with the same
 * fullness: when the three documents with every item in full fit, they are published as they
 * are. Otherwise items are taken newest first, and an item keeps its content when adding it to
 * the page still fits in every format (each format's own size counts: the largest one decides);
 * an item that does not fit is published as summary and link, and the next older items are
 * still tried. So the newest items keep their content, an item too large alone is published as
 * summary and link without taking its older neighbours with it, and the choice depends only on
 * the page (its members, links and translations) and the site settings.
 *
 * Sizes are exact: a document is its skeleton plus its items (`item-cache.ts` for RSS and Atom,
 * {@link renderJsonItem} for JSON Feed), so what a full item adds is the length of its full
 * serialization less that of its summary.
 *
 * When titles and summaries alone exceed the budget, every item is published as summary and
 * link and the document is as small as it can be without dropping items.
 *
 * Incremental publishing stays correct: a page is re-rendered when its signature changes
 * (`catalog/page-signatures.ts`: its plan and its members' fingerprints and translations), and
 * a change of site.yaml (maxFeedBytes and siteUrl included) rebuilds every page. Since the
 * choice reads nothing else, an unchanged signature still means unchanged bytes.
 */
import { FEED_BYTE_BUDGET } from '../content/site-config.js';
import type { SiteConfig } from '../content/article.js';
import type { FeedSet } from './feed-set.js';
import { renderDocumentParts } from './item-cache.js';
import { renderJsonItem } from './json-feed.js';
import { renderFormat, renderXmlDocument } from './render-format.js';
import { FEED_FORMATS, type FeedFormat } from '../plan/outputs.js';

/** The three documents of one page, by format. */
export type FeedDocuments = Readonly<Record<FeedFormat, string>>;

const FORMATS = Object.keys(FEED_FORMATS) as FeedFormat[];

/**
 * Renders the three documents of `set`, each within the site's byte budget (see the rule
 * above). A set that fits in full renders exactly as {@link renderFormat} renders it.
 */
export function renderWithinBudget(set: FeedSet): FeedDocuments {
  const limits = byteLimitsOf(set.site);
  // Every format carries every body at least at its length: past the smallest limit, the
  // whole render cannot fit and is skipped (a choice that keeps every item renders it anyway).
  const bodies = set.items.reduce((sum, article) => sum + article.contentHtml.length, 0);
  if (bodies <= Math.min(...Object.values(limits))) {
    const whole = renderAll(set);
    if (FORMATS.every((format) => fitsIn(whole[format], limits[format]))) return whole;
  }
  return renderAll({ ...set, summaryOnly: chooseSummaryOnly(set, limits) });
}

/** The most bytes each format may take: `maxFeedBytes`, the same for every format. */
export function byteLimitsOf(site: SiteConfig): Readonly<Record<FeedFormat, number>> {
  const budget = site.maxFeedBytes ?? FEED_BYTE_BUDGET.default;
  return { rss: budget, atom: budget, json: budget };
}

/** The ids of the items published as summary and link: newest first, each item in full while the page still fits. */
function chooseSummaryOnly(set: FeedSet, limits: Readonly<Record<FeedFormat, number>>): ReadonlySet<string> {
  const summaries: FeedSet = { ...set, summaryOnly: new Set(set.items.map((article) => article.id)) };
  const totals = FORMATS.map((format) => utf8Length(renderFormat(summaries, format)));
  const extras = FORMATS.map((format) => contentBytes(set, summaries, format));
  const summaryOnly = new Set<string>();
  set.items.forEach((article, index) => {
    const fits = FORMATS.every((format, f) => (totals[f] ?? 0) + (extras[f]?.[index] ?? 0) <= limits[format]);
    if (!fits) summaryOnly.add(article.id);
    else FORMATS.forEach((_, f) => (totals[f] = (totals[f] ?? 0) + (extras[f]?.[index] ?? 0)));
  });
  return summaryOnly;
}

/** For each item of `full`, the bytes its content adds to the document in `format`. */
function contentBytes(full: FeedSet, summaries: FeedSet, format: FeedFormat): number[] {
  const fullItems = itemTexts(full, format);
  const summaryItems = itemTexts(summaries, format);
  return fullItems.map((text, index) => utf8Length(text) - utf8Length(summaryItems[index] ?? ''));
}

/**
 * Each item's text in `format`: as serialized in the document, or, should a document not have
 * the shape the item cache expects, its one-item document (the skeleton cancels out in the
 * difference taken above).
 */
function itemTexts(set: FeedSet, format: FeedFormat): readonly string[] {
  if (format === 'json') return set.items.map((article) => renderJsonItem(article, set));
  const parts = renderDocumentParts(set, format, renderXmlDocument);
  return parts?.items ?? set.items.map((article) => renderXmlDocument({ ...set, items: [article] }, format));
}

function renderAll(set: FeedSet): FeedDocuments {
  return { rss: renderFormat(set, 'rss'), atom: renderFormat(set, 'atom'), json: renderFormat(set, 'json') };
}

/** True when `text` takes at most `limit` bytes in UTF-8 (never fewer bytes than UTF-16 units). */
function fitsIn(text: string, limit: number): boolean {
  return text.length <= limit && utf8Length(text) <= limit;
}

const ENCODER = new TextEncoder();
const CHUNK = 16_384;
const SCRATCH = new Uint8Array((CHUNK + 1) * 3);

/** Length of `text` in UTF-8, encoded a slice at a time (documents can be megabytes). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + CHUNK, text.length);
    const last = text.charCodeAt(end - 1);
    // Never split a surrogate pair: each half alone would be encoded as U+FFFD.
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end += 1;
    bytes += ENCODER.encodeInto(text.slice(start, end), SCRATCH).written;
    start = end;
  }
  return bytes;
}
