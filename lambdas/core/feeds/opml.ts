/**
 * The feed list: an OPML 2.0 document (http://opml.org/spec2.opml) naming every subscription
 * feed of the site, one folder outline per channel with one feed outline per format, so a
 * reader can import the whole site or pick one language or tag.
 */
import type { SiteConfig } from '../content/article.js';
import type { FeedPage } from '../plan/feed-plan.js';
import { OPML_KEY } from '../plan/document-keys.js';
import { publicFeedFormats } from '../plan/feed-links.js';
import { toOutputDocument, type FeedFormat, type OutputDocument } from '../plan/outputs.js';
import { escapeXml, escapeXmlAttribute } from '../text/escape.js';
import { decodeHtmlEntities, removeUncarriableChars } from '../text/xml-text.js';

/** Format names shown in the list, and OPML's `version` where the spec defines one. */
const FORMAT_NAMES: Readonly<Record<FeedFormat, { label: string; version?: string }>> = {
  rss: { label: 'RSS', version: 'RSS2' },
  atom: { label: 'Atom' },
  json: { label: 'JSON Feed' },
};

/**
 * Renders `feeds.opml` from the plan: the subscription pages only (archive pages are reached
 * through the feeds themselves), in plan order, in the public formats only (no JSON Feed with
 * partner access on: a reader importing the list would get 403). Depends only on the channels, so it changes
 * only when a language or tag appears or disappears, or site.yaml changes.
 */
export function renderOpml(pages: readonly FeedPage[], site: SiteConfig): OutputDocument {
  const outlines = pages
    .filter((page) => page.archive === undefined)
    .map((page) => {
      const channel = page.channel;
      const feeds = publicFeedFormats(site).map((format) => {
        const { label, version } = FORMAT_NAMES[format];
        const text = `${channel.title} (${label})`;
        return (
          `      <outline type="rss" text="${attr(text)}" title="${attr(text)}" xmlUrl="${attr(site.siteUrl + page.keys[format])}"` +
          ` htmlUrl="${attr(site.siteUrl)}" language="${attr(channel.language)}"${version ? ` version="${version}"` : ''}/>`
        );
      });
      return [`    <outline text="${attr(channel.title)}">`, ...feeds, '    </outline>'].join('\n');
    });
  const body = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${escapeXml(removeUncarriableChars(site.title))}</title>`,
    '    <docs>http://opml.org/spec2.opml</docs>',
    '  </head>',
    '  <body>',
    ...outlines,
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
  return toOutputDocument(OPML_KEY, body, 'feed-list');
}

/** The feed URLs (`xmlUrl`) of a feed list written by {@link renderOpml}, in document order. */
export function listOpmlFeedUrls(opml: string): string[] {
  // Our own output: attribute values are escaped by escapeXmlAttribute, which only writes
  // the basic named references and numeric ones, all of which decodeHtmlEntities reads.
  return [...opml.matchAll(/\sxmlUrl="([^"]*)"/g)].map((match) => decodeHtmlEntities(match[1] ?? ''));
}

function attr(text: string): string {
  return escapeXmlAttribute(removeUncarriableChars(text));
}
