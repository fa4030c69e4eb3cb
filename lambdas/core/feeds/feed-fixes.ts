/**
 * The one place where the defects of npm `feed` 6.0.0 (and of `xml-js`, its XML writer) are
 * worked around. Everything else in the core talks to `feed` as documented.
 *
 * Upstream defects (`feed` 6.0.0 / `xml-js` 1.6.11) and what we do about them:
 *
 * - F1 CDATA: only the first `]]>` in a CDATA section is split; a second one ends the
 *   section and breaks the document. → {@link createTextSlots}: no CDATA is written at all,
 *   text is escaped instead.
 * - F2 Control characters (U+0000–U+0008, U+000B, U+000C, U+000E–U+001F, U+FFFE, U+FFFF,
 *   unpaired surrogates) pass through raw and break the document; C1 controls draw
 *   `BadCharacters` warnings. → removed from every text by {@link createTextSlots}.
 * - F3 Attribute values escape only `"`: a `<` or `&` in a category term breaks the document,
 *   tab and newline are read back as spaces. → attributes escaped by {@link createTextSlots}.
 * - F4 Text elements are "desanitized" first (`&amp;` → `&`), so a literal `&amp;` in a
 *   title, description, copyright, author name or category silently becomes `&`.
 *   → {@link createTextSlots} escapes after the writer has run.
 * - F5 RSS titles and categories with `&amp;`/`&lt;` or CDATA markup draw `ContainsHTML` /
 *   `CharacterData` warnings. → RSS plain text is written with numeric character references.
 * - F6 Atom entry titles and summaries are declared `type="html"`: plain text must be
 *   HTML-escaped first (done by the feed builder, see `build-feed.ts`).
 * - F7 `updated`/`lastBuildDate` default to the clock. → the builder always sets them.
 * - F8 The shared `feed` option puts one self link on both XML formats. → the builder sets
 *   `feedLinks.rss/atom/json` separately.
 * - F9 Atom `<feed>` carries no `xml:lang`. → {@link patchAtomDocument}.
 * - F10 `xmlns:dc` (and `xmlns:content`) are declared only when an item has content, and
 *   `media:` is never declared. → {@link patchRssDocument} declares them always, in one order,
 *   so a document's root is the same whether or not its items carry content.
 * - F11 RSS `<author>` is written from a name alone (`InvalidContact`) and once per author
 *   (`DuplicateElement`). → the builder writes `dc:creator` instead of `<author>`.
 * - F12 Atom categories get `label` without `term` when only a name is given. → the builder
 *   passes `term`.
 * - F13 RSS image enclosures are written with `length="0"` and a type guessed from the file
 *   extension (`image/jpg`, `image/svg`); Atom enclosures get the same guessed type.
 *   (`image//path` without an extension). → RSS uses `media:content`;
 *   {@link patchAtomDocument} corrects the Atom media type, and the builder leaves out
 *   Atom images whose type is unknown.
 * - F14 Ids and links go through `new URL()` in Atom only, so one item could get two ids.
 *   → {@link normalizeUrl} gives every format the same form.
 * - F15 `json1()` writes JSON Feed 1.0 (`author`, no `language`). → JSON Feed 1.1 is built
 *   from the same model in `json-feed.ts`.
 * - F16 Atom entries take no extension elements and no extra links, so links to other
 *   language versions are added by {@link addAtomAlternates}.
 * - F17 A carriage return is written raw, and XML parsers read it back as a line feed.
 *   → {@link createTextSlots} writes it as `&#xD;`.
 * - F18 An author with an email but no name gives an empty Atom `<name/>` (`NotBlank`) and
 *   an empty JSON author. → the builder credits only people with a name (falling back to
 *   the site's authors, then the site itself).
 * - F19 Neither dialect can carry RFC 5005 links (`current`, `prev-archive`, `next-archive`)
 *   or `fh:archive`: feed-level links are fixed to alternate/self/hub and there are no
 *   feed-level extensions. → {@link addHistoryLinks}.
 */
import type { FeedHistory } from './feed-set.js';
import { FEED_FORMATS } from '../plan/outputs.js';
import { escapeXml, escapeXmlAttribute } from '../text/escape.js';
import { removeUncarriableChars } from '../text/xml-text.js';
import { normalizeUrl } from '../text/url.js';

/** The RFC 5005 Feed History namespace. */
const FEED_HISTORY_NAMESPACE = 'http://purl.org/syndication/history/1.0';

/** How a slot's value is meant: plain text, or an HTML fragment carried as text. */
type SlotKind = 'plain' | 'html';

/** The XML dialect a document is written in; RSS plain text uses numeric references (F5). */
export type XmlDialect = 'rss' | 'atom';

/**
 * Stand-ins for user text. `feed` and `xml-js` only ever see short opaque tokens, which
 * none of their escaping steps alter; {@link TextSlots.resolve} swaps in the real text,
 * escaped for the place where the writer put each token (F1–F5).
 */
export interface TextSlots {
  /** A token standing for plain text. */
  plain(text: string): string;
  /** A token standing for an HTML fragment (written as escaped text, never CDATA). */
  html(markup: string): string;
  /** Replaces every token in a rendered document by its escaped text. */
  resolve(xml: string, dialect: XmlDialect): string;
}

// Private-use characters delimit tokens: only tokens can put them in the writer's output,
// because every other string given to `feed` is a URL normalized by `new URL()` (F14).
const TOKEN = /(<!\[CDATA\[)?\uE000(\d+)\uE001(\]\]>)?/g;
const ATTRIBUTE_TOKEN = /="\uE000(\d+)\uE001"/g;

/** Creates an empty slot table for one document. */
export function createTextSlots(): TextSlots {
  const values: { text: string; kind: SlotKind }[] = [];
  const add = (text: string, kind: SlotKind): string => {
    values.push({ text: removeUncarriableChars(text), kind });
    return `\uE000${values.length - 1}\uE001`;
  };
  const lookup = (index: string): { text: string; kind: SlotKind } => {
    const slot = values[Number(index)];
    if (!slot) throw new RangeError(`Unknown text slot ${index}`);
    return slot;
  };
  return {
    plain: (text) => add(text, 'plain'),
    html: (markup) => add(markup, 'html'),
    resolve: (xml, dialect) =>
      xml
        .replace(ATTRIBUTE_TOKEN, (_, index: string) => `="${escapeXmlAttribute(lookup(index).text)}"`)
        .replace(TOKEN, (_, _open, index: string) => {
          const slot = lookup(index);
          return escapeXml(slot.text, dialect === 'rss' && slot.kind === 'plain');
        }),
  };
}

/** Namespaces an RSS document may use, declared on `<rss>` whether or not feed 6 did (F10). */
const RSS_NAMESPACES: readonly [string, string][] = [
  ['xmlns:dc', 'http://purl.org/dc/elements/1.1/'],
  ['xmlns:content', 'http://purl.org/rss/1.0/modules/content/'],
  ['xmlns:atom', 'http://www.w3.org/2005/Atom'],
  ['xmlns:media', 'http://search.yahoo.com/mrss/'],
];

/** Declares every namespace prefix of {@link RSS_NAMESPACES} on the root element, in that order (F10). */
export function patchRssDocument(xml: string): string {
  return xml.replace(/<rss( [^>]*)>/, (_, attributes: string) => {
    const others = attributes.replace(/ (xmlns:[a-z]+)="[^"]*"/g, (whole, name: string) => (RSS_NAMESPACES.some(([own]) => own === name) ? '' : whole));
    return `<rss${others}${RSS_NAMESPACES.map(([name, uri]) => ` ${name}="${uri}"`).join('')}>`;
  });
}

const IMAGE_TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
};

/** Adds `xml:lang` to `<feed>` (F9) and corrects guessed image media types (F13). */
export function patchAtomDocument(xml: string, language: string): string {
  const root = '<feed xmlns="http://www.w3.org/2005/Atom">';
  return xml
    .replace(root, `${root.slice(0, -1)} xml:lang="${escapeXmlAttribute(language)}">`)
    .replace(/(<link rel="enclosure" href="([^"]*)" type=")[^"]*"/g, (whole, start: string, href: string) => {
      const type = imageMediaType(href.replace(/&amp;/g, '&'));
      return type ? `${start}${type}"` : whole;
    });
}

/**
 * Adds `<link rel="alternate" hreflang>` to the entries whose id has other language versions
 * (F16). Runs before {@link TextSlots.resolve}, while the document holds no user text.
 */
export function addAtomAlternates(xml: string, alternates: ReadonlyMap<string, readonly { lang: string; url: string }[]>): string {
  let patched = xml;
  for (const [id, links] of alternates) {
    const entryStart = `<id>${escapeXml(normalizeUrl(id) ?? id)}</id>`;
    patched = patched.replace(new RegExp(`(${escapeRegExp(entryStart)}(\\s*)<link href="[^"]*"/>)`), (whole, _all, space: string) =>
      whole + links.map(({ lang, url }) => `${space}<link rel="alternate" hreflang="${escapeXmlAttribute(lang)}" href="${escapeXmlAttribute(url)}"/>`).join(''),
    );
  }
  return patched;
}

/**
 * Adds the RFC 5005 links after the document's self link, and `<fh:archive/>` (with its
 * namespace on the root) to archive pages (F19). RSS carries the links as `atom:link`.
 * Runs before {@link TextSlots.resolve}; the URLs are escaped here.
 */
export function addHistoryLinks(xml: string, dialect: XmlDialect, history: FeedHistory | undefined): string {
  if (history === undefined) return xml;
  const element = dialect === 'rss' ? 'atom:link' : 'link';
  const type = FEED_FORMATS[dialect].contentType.split(';')[0] ?? '';
  const links: [string, Readonly<Record<XmlDialect, string>> | undefined][] = [
    ['current', history.current],
    ['prev-archive', history.prevArchive],
    ['next-archive', history.nextArchive],
  ];
  const lines = links
    .filter((link): link is [string, Readonly<Record<XmlDialect, string>>] => link[1] !== undefined)
    .map(([rel, urls]) => `<${element} href="${escapeXmlAttribute(urls[dialect])}" rel="${rel}" type="${type}"/>`);
  if (history.archived) lines.push('<fh:archive/>');
  const self = dialect === 'rss' ? /\n([ \t]*)<atom:link href="[^"]*" rel="self"[^>]*\/>/ : /\n([ \t]*)<link rel="self" href="[^"]*"\/>/;
  const root = dialect === 'rss' ? '<rss version="2.0"' : '<feed xmlns="http://www.w3.org/2005/Atom"';
  const patched = xml.replace(self, (whole, indent: string) => whole + lines.map((line) => `\n${indent}${line}`).join(''));
  return history.archived ? patched.replace(root, `${root} xmlns:fh="${FEED_HISTORY_NAMESPACE}"`) : patched;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The registered media type of an image URL, from its file extension (`image/jpeg` for
 * `.jpg`), or `undefined` when the extension is not a known image type.
 */
export function imageMediaType(url: string): string | undefined {
  const extension = /\.([a-z0-9]+)$/i.exec(new URL(url).pathname)?.[1];
  return extension ? IMAGE_TYPES[extension.toLowerCase()] : undefined;
}

