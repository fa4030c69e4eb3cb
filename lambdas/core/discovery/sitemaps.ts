/**
 * Sitemaps of every article page published here (https://www.sitemaps.org/protocol.html):
 * fixed-size chunks counted from the oldest article, like the feeds' archive pages, so adding
 * or editing one article changes one chunk, and a sitemap index naming each chunk with the
 * newest `lastmod` of its members. Built from catalog entries alone (no bodies).
 *
 * Articles with a `canonicalUrl` are left out: their page lives on another host, and a
 * sitemap may only list URLs of its own host. They still appear as `hreflang` alternates of
 * their translations published here, which Google accepts across hosts.
 */
import type { SiteConfig } from '../content/article.js';
import type { CatalogEntry } from '../catalog/catalog.js';
import { compareNewestFirst } from '../plan/feed-plan.js';
import { SITEMAP_INDEX_KEY, sitemapChunkKey } from '../plan/document-keys.js';
import { toOutputDocument, type OutputDocument } from '../plan/outputs.js';
import type { Translation } from '../plan/translations.js';
import { escapeXml, escapeXmlAttribute } from '../text/escape.js';
import { hashText } from '../text/digest.js';

/**
 * URLs per chunk. The protocol allows 50,000 URLs and 50 MB; a small chunk keeps the rewrite
 * of one edit small (an entry with four alternates is under 700 bytes, so a chunk stays under 1 MB).
 */
export const SITEMAP_CHUNK_SIZE = 1000;

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const XHTML_NS = 'http://www.w3.org/1999/xhtml';

/** One `<url>` of an article sitemap. */
export interface SitemapUrl {
  readonly loc: string;
  /** The article's `updated ?? date`. */
  readonly lastmod: Date;
  /** Every language version including this one, by language; empty without translations. */
  readonly alternates: readonly Translation[];
}

/** One chunk of the article sitemaps. */
export interface SitemapChunk {
  /** 1 for the oldest articles. */
  readonly number: number;
  readonly key: string;
  readonly urls: readonly SitemapUrl[];
  /** Newest `lastmod` of the members: the chunk's `lastmod` in the index. */
  readonly lastmod: Date;
  /** Digest of the members: an unchanged chunk renders to the same bytes. */
  readonly signature: string;
}

/** W3C Datetime in UTC, to the second (`2021-11-07T03:12:00Z`). */
export function formatW3cDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The chunks of every article published here (entries with a page key), oldest first, with
 * their translations (other-language versions by article id) as `hreflang` alternates.
 */
export function planSitemapChunks(selected: readonly CatalogEntry[], translations: ReadonlyMap<string, readonly Translation[]>): SitemapChunk[] {
  const oldestFirst = selected.filter((entry) => entry.pageKey !== undefined).sort(compareNewestFirst).reverse();
  const chunks: SitemapChunk[] = [];
  for (let start = 0; start < oldestFirst.length; start += SITEMAP_CHUNK_SIZE) {
    const urls = oldestFirst.slice(start, start + SITEMAP_CHUNK_SIZE).map((entry) => toSitemapUrl(entry, translations.get(entry.id)));
    const number = chunks.length + 1;
    const lastmod = new Date(Math.max(...urls.map((url) => url.lastmod.getTime())));
    chunks.push({ number, key: sitemapChunkKey(number), urls, lastmod, signature: hashText(JSON.stringify(urls)) });
  }
  return chunks;
}

function toSitemapUrl(entry: CatalogEntry, others: readonly Translation[] | undefined): SitemapUrl {
  const alternates = others === undefined ? [] : [{ lang: entry.lang, url: entry.url }, ...others].sort((a, b) => (a.lang < b.lang ? -1 : 1));
  return { loc: entry.url, lastmod: entry.updated ?? entry.date, alternates };
}

/** One chunk as a sitemaps.org `urlset`, translations as `xhtml:link rel="alternate"`. */
export function renderSitemapChunk(chunk: SitemapChunk): OutputDocument {
  const urls = chunk.urls.map((url) => {
    const links = url.alternates.map(
      (other) => `\n    <xhtml:link rel="alternate" hreflang="${escapeXmlAttribute(other.lang)}" href="${escapeXmlAttribute(other.url)}"/>`,
    );
    return `  <url>\n    <loc>${escapeXml(url.loc)}</loc>\n    <lastmod>${formatW3cDate(url.lastmod)}</lastmod>${links.join('')}\n  </url>`;
  });
  const body = [XML_DECLARATION, `<urlset xmlns="${SITEMAP_NS}" xmlns:xhtml="${XHTML_NS}">`, ...urls, '</urlset>', ''].join('\n');
  return toOutputDocument(chunk.key, body, 'sitemap');
}

/** The sitemap index naming every chunk, or `undefined` when no article page exists (an empty index is invalid). */
export function renderSitemapIndex(chunks: readonly SitemapChunk[], site: SiteConfig): OutputDocument | undefined {
  if (chunks.length === 0) return undefined;
  const entries = chunks.map(
    (chunk) => `  <sitemap>\n    <loc>${escapeXml(site.siteUrl + chunk.key)}</loc>\n    <lastmod>${formatW3cDate(chunk.lastmod)}</lastmod>\n  </sitemap>`,
  );
  const body = [XML_DECLARATION, `<sitemapindex xmlns="${SITEMAP_NS}">`, ...entries, '</sitemapindex>', ''].join('\n');
  return toOutputDocument(SITEMAP_INDEX_KEY, body, 'sitemap');
}
