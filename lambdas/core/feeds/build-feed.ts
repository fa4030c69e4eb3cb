/**
 * Populates a `feed` 6 `Feed` for one language set and one XML dialect. All user text goes
 * through {@link TextSlots} (see `feed-fixes.ts` for why); everything else is plain `feed` use.
 */
import { Feed, type Author, type Extension, type Item } from 'feed';
import type { Article, Person, SiteConfig } from '../content/article.js';
import { imageMediaType, type TextSlots, type XmlDialect } from './feed-fixes.js';
import { normalizeUrl } from '../text/url.js';
import { hasFullContent, type FeedSet } from './feed-set.js';
import type { Translation } from '../plan/translations.js';
import { itemContentHtml } from './translation-note.js';
import { tagsOf } from '../content/tag-slug.js';
import { escapeMarkup } from '../text/escape.js';
import { excerptHtml, removeUncarriableChars } from '../text/xml-text.js';

/** Fixed generator name: no version number, so upgrades do not change the bytes. */
const GENERATOR = 'feed-publisher';

/** The article's summary, or a plain-text excerpt of its content when it has none. */
export function summaryOf(article: Article): string {
  const summary = article.summary === undefined ? '' : removeUncarriableChars(article.summary);
  return summary.trim() === '' ? excerptHtml(removeUncarriableChars(article.contentHtml)) : summary;
}

/** People whose names are not blank: an empty name is a validator error in Atom and RSS. */
function namedPeople(people: readonly Person[]): Person[] {
  return people.filter((person) => removeUncarriableChars(person.name).trim() !== '');
}

/** The article's credited authors, falling back to the site's. */
export function authorsOf(article: Article, site: SiteConfig): Person[] {
  const own = namedPeople(article.authors);
  return own.length > 0 ? own : namedPeople(site.authors);
}

/** The feed-level author Atom requires: the first site author, else the site itself. */
export function feedAuthorOf(site: SiteConfig): Person {
  const name = removeUncarriableChars(site.title).trim() === '' ? new URL(site.siteUrl).host : site.title;
  return namedPeople(site.authors)[0] ?? { name, url: site.siteUrl };
}

/** Builds the `feed` instance for one set in one dialect, filling `slots` with its text. */
export function buildFeed(set: FeedSet, dialect: XmlDialect, slots: TextSlots): Feed {
  const { site } = set;
  const feed = new Feed({
    id: slots.plain(set.id),
    title: slots.plain(set.title),
    description: optionalPlain(site.description, slots),
    link: site.siteUrl,
    // F8: one self link per document, never the shared `feed` option.
    feedLinks: { rss: set.selfUrls.rss, atom: set.selfUrls.atom, json: set.selfUrls.json },
    updated: set.updated, // F7
    generator: GENERATOR,
    language: set.language,
    image: optionalUrl(site.image ?? site.icon, slots),
    favicon: optionalUrl(site.icon, slots),
    copyright: optionalPlain(site.copyright, slots),
    // Archive pages are not subscribed to, so they name no hub.
    hub: set.history?.archived ? undefined : normalizeUrl(site.websubHub),
    author: dialect === 'atom' ? toAuthor(feedAuthorOf(site), slots) : undefined,
  });
  for (const article of set.items) {
    const translations = set.translations.get(article.id) ?? [];
    const common = commonItem(article, slots, hasFullContent(set, article.id));
    feed.addItem(dialect === 'rss' ? toRssItem(article, common, site, slots, translations) : toAtomItem(article, common, site, slots));
  }
  return feed;
}

/** Fields both XML dialects write the same way. */
type CommonItem = Omit<Item, 'title'>;

function toRssItem(article: Article, common: CommonItem, site: SiteConfig, slots: TextSlots, translations: readonly Translation[]): Item {
  const image = normalizeUrl(article.image);
  const extensions: Extension[] = [];
  const creators = authorsOf(article, site).map((person) => ({ _text: slots.plain(person.name) }));
  // F11: names go to dc:creator (one element per author); RSS <author> would need an email.
  // xml-js writes an array value as repeated elements, which the Extension type does not model.
  if (creators.length > 0) extensions.push({ name: 'dc:creator', objects: creators as unknown as Record<string, unknown> });
  // F13: media:content instead of an enclosure whose length we do not know.
  if (image) extensions.push({ name: 'media:content', objects: { _attributes: { url: slots.plain(image), medium: 'image', type: imageMediaType(image) } } });
  if (translations.length > 0) {
    const links = translations.map(({ lang, url }) => ({ _attributes: { rel: 'alternate', hreflang: slots.plain(lang), href: slots.plain(url) } }));
    extensions.push({ name: 'atom:link', objects: links as unknown as Record<string, unknown> });
  }
  return {
    ...common,
    id: slots.plain(normalizeUrl(article.id) ?? article.id),
    title: slots.plain(article.title),
    category: tagsOf(article).map((tag) => ({ name: slots.plain(tag) })),
    extensions,
  };
}

function toAtomItem(article: Article, common: CommonItem, site: SiteConfig, slots: TextSlots): Item {
  const image = normalizeUrl(article.image);
  return {
    ...common,
    id: article.id,
    // F6: Atom entry titles are type="html", so the plain title is HTML-escaped first.
    title: slots.html(escapeMarkup(article.title)),
    author: authorsOf(article, site).map((person) => toAuthor(person, slots)),
    category: tagsOf(article).map((tag) => ({ term: slots.plain(tag) })), // F12
    image: image && imageMediaType(image) ? image : undefined,
  };
}

/**
 * The fields both XML dialects share. An item published as summary and link has no content
 * (no `content:encoded`, no Atom `content`); its summary and link stay, and an Atom entry
 * without content still has its alternate link, as RFC 4287 requires.
 */
function commonItem(article: Article, slots: TextSlots, full: boolean): CommonItem {
  return {
    link: normalizeUrl(article.url) ?? article.url,
    date: article.updated ?? article.date,
    published: article.date,
    description: slots.html(escapeMarkup(summaryOf(article))),
    content: full ? slots.html(itemContentHtml(article)) : undefined,
  };
}

function toAuthor(person: Person, slots: TextSlots): Author {
  return {
    name: slots.plain(person.name),
    email: person.email ? slots.plain(person.email) : undefined,
    link: normalizeUrl(person.url),
  };
}

function optionalPlain(text: string | undefined, slots: TextSlots): string | undefined {
  return text === undefined || removeUncarriableChars(text).trim() === '' ? undefined : slots.plain(text);
}

function optionalUrl(url: string | undefined, slots: TextSlots): string | undefined {
  const normalized = normalizeUrl(url);
  return normalized === undefined ? undefined : slots.plain(normalized);
}
