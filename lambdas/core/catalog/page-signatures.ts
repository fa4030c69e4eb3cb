/**
 * Signatures of rendered pages: a digest of everything a page is rendered from, computed from
 * catalog entries alone (no bodies). A page whose signature is unchanged renders to the same
 * bytes, so an incremental publish renders only the pages whose signature changed.
 */
import type { SiteConfig } from '../content/article.js';
import type { TranslationLink } from '../pages/article-page.js';
import type { Translation } from '../plan/translations.js';
import { type CatalogEntry } from './catalog.js';
import { hashText } from '../text/digest.js';
import type { FeedLink } from '../plan/feed-links.js';
import type { FeedPage } from '../plan/feed-plan.js';

/** Signature of a feed page: its plan (channel, keys, links, members, date) and its members' content and translations. */
export function signFeedPage(
  page: FeedPage,
  entries: ReadonlyMap<string, CatalogEntry>,
  translations: ReadonlyMap<string, readonly Translation[]>,
): string {
  const members = page.articleIds.map((id) => [entries.get(id)?.fingerprint, translations.get(id) ?? null]);
  return hashText(JSON.stringify([page, members]));
}

/** Signature of an article page: the article's content, its translations' links and the feed links. */
export function signArticlePage(entry: CatalogEntry, translations: readonly TranslationLink[], feeds: readonly FeedLink[]): string {
  const links = translations.map(({ lang, url, title }) => [lang, url, title]);
  return hashText(JSON.stringify([entry.fingerprint, links, feeds]));
}

/**
 * Signature of an article's ninjs document: the article's content and its other-language
 * versions (id, language, address, title), so it changes only with the article and its translations.
 */
export function signNinjs(entry: CatalogEntry, translations: readonly CatalogEntry[]): string {
  const links = translations.map(({ id, lang, url, title, slug }) => [id, lang, url, title, slug]);
  return hashText(JSON.stringify(['ninjs', entry.fingerprint, links]));
}

/**
 * The other-language versions an article page links (same `translationKey`), ordered by
 * language and, within a language, newest first: the order `renderPages` gives them.
 */
export function translationLinksOf(entry: CatalogEntry, newestFirst: readonly CatalogEntry[]): CatalogEntry[] {
  if (entry.translationKey === undefined) return [];
  return newestFirst
    .filter((other) => other.translationKey === entry.translationKey && other.id !== entry.id)
    .sort((a, b) => (a.lang < b.lang ? -1 : a.lang > b.lang ? 1 : 0));
}

/** Signature of a document rendered whole on every publish (index, feed list, style sheets). */
export function signDocument(body: string, site: SiteConfig): string {
  return hashText(`${site.siteUrl}\n${body}`);
}
