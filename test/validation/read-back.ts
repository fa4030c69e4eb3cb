import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import type { OutputDocument } from '../../lambdas/core/plan/outputs.js';
import { parseXmlTree } from './xml-tree.js';

/**
 * A feed as a reader sees it, in one shape for all three formats: what a subscriber's
 * reader (feedsmith's parsers) gets back from our bytes. HTML-typed plain text (Atom titles,
 * RSS and Atom summaries) is decoded back to plain text, so formats compare equal.
 */
export interface ReadBackFeed {
  readonly title: string;
  readonly link: string | undefined;
  readonly selfUrl: string | undefined;
  readonly language: string | undefined;
  /** ISO 8601, second precision. */
  readonly updated: string | undefined;
  readonly items: readonly ReadBackItem[];
}

/** One item as read back; dates in ISO 8601 at second precision. */
export interface ReadBackItem {
  readonly id: string;
  readonly title: string;
  readonly link: string | undefined;
  readonly published: string | undefined;
  readonly contentHtml: string;
  readonly summary: string;
  readonly authors: readonly string[];
  readonly tags: readonly string[];
  readonly image: string | undefined;
}

/** Reads a document back with the reader library matching its key. */
export function readBackFeed(doc: OutputDocument): ReadBackFeed {
  if (doc.key.endsWith('feed.json')) return readJson(doc.body);
  if (doc.key.endsWith('atom.xml')) return readAtom(doc.body);
  return readRss(doc.body);
}

/** A date string as ISO 8601 at second precision (RSS dates carry no milliseconds). */
export function isoSeconds(date: string | Date | undefined): string | undefined {
  if (date === undefined) return undefined;
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Decodes an HTML-escaped plain text (what `escapeHtml` wrote) back to the text. */
export function unescapeHtml(html: string): string {
  return html.replace(/&(lt|gt|quot|#39|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[name] ?? '');
}

function readRss(xml: string): ReadBackFeed {
  const feed = parseRssFeed(xml);
  return {
    title: feed.title ?? '',
    link: feed.link,
    selfUrl: feed.atom?.links?.find((link) => link.rel === 'self')?.href,
    language: feed.language,
    updated: isoSeconds(feed.lastBuildDate),
    items: (feed.items ?? []).map((item) => ({
      id: item.guid?.value ?? '',
      title: item.title ?? '',
      link: item.link,
      published: isoSeconds(item.pubDate),
      contentHtml: item.content?.encoded ?? '',
      summary: unescapeHtml(item.description ?? ''),
      authors: item.dc?.creators ?? [],
      tags: (item.categories ?? []).map((category) => category.name ?? ''),
      image: item.media?.contents?.[0]?.url,
    })),
  };
}

function readAtom(xml: string): ReadBackFeed {
  const feed = parseAtomFeed(xml);
  return {
    title: feed.title?.value ?? '',
    link: feed.links?.find((link) => link.rel === 'alternate')?.href,
    selfUrl: feed.links?.find((link) => link.rel === 'self')?.href,
    // feedsmith does not expose xml:lang; the root attribute is read directly.
    language: parseXmlTree(xml).attributes['xml:lang'],
    updated: isoSeconds(feed.updated),
    items: (feed.entries ?? []).map((entry) => ({
      id: entry.id ?? '',
      title: unescapeHtml(entry.title?.value ?? ''),
      link: entry.links?.find((link) => link.rel === undefined || link.rel === 'alternate')?.href,
      published: isoSeconds(entry.published),
      contentHtml: entry.content?.value ?? '',
      summary: unescapeHtml(entry.summary?.value ?? ''),
      authors: (entry.authors ?? []).map((author) => author.name ?? ''),
      tags: (entry.categories ?? []).map((category) => category.term ?? ''),
      image: entry.links?.find((link) => link.rel === 'enclosure')?.href,
    })),
  };
}

function readJson(body: string): ReadBackFeed {
  const feed = parseJsonFeed(JSON.parse(body) as unknown);
  const updated = (feed.items ?? []).map((item) => item.date_modified ?? item.date_published ?? '').sort().at(-1);
  return {
    title: feed.title ?? '',
    link: feed.home_page_url,
    selfUrl: feed.feed_url,
    language: feed.language,
    updated: isoSeconds(updated || undefined),
    items: (feed.items ?? []).map((item) => ({
      id: item.id ?? '',
      title: item.title ?? '',
      link: item.url,
      published: isoSeconds(item.date_published),
      contentHtml: item.content_html ?? '',
      summary: item.summary ?? '',
      authors: (item.authors ?? []).map((author) => author.name ?? ''),
      tags: item.tags ?? [],
      image: item.image,
    })),
  };
}
