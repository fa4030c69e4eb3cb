import { describe, expect, it } from 'vitest';
import type { OutputDocument } from '../../lambdas/core/plan/outputs.js';
import { renderFeeds } from '../support/render-site.js';
import { buildArticle, buildSampleArticles, buildSite } from '../support/article-factory.js';
import { checkFeedRules } from './feed-rules.js';
import { isFeedDocument } from './validate-feed-documents.js';

const SITE = buildSite();
const GOOD = renderFeeds([buildArticle('story', 0, { image: 'https://news.example.com/a.png' })], SITE);

function goodDoc(key: string): OutputDocument {
  const doc = GOOD.find((candidate) => candidate.key === key);
  if (!doc) throw new Error(`no ${key}`);
  return doc;
}

function codesFor(doc: OutputDocument): string[] {
  return checkFeedRules(doc, { url: `${SITE.siteUrl}${doc.key}` }).map((violation) => violation.code);
}

/** A JSON Feed edited as an object, to break one rule at a time. */
function editJson(edit: (feed: Record<string, unknown>, item: Record<string, unknown>) => void): (body: string) => string {
  return (body) => {
    const feed = JSON.parse(body) as Record<string, unknown> & { items: Record<string, unknown>[] };
    edit(feed, feed.items[0] ?? {});
    return JSON.stringify(feed);
  };
}

interface BadCase {
  readonly rule: string;
  readonly key: string;
  readonly code: string;
  readonly breakIt: (body: string) => string;
}

const BAD_CASES: readonly BadCase[] = [
  { rule: 'a raw control character', key: 'rss.xml', code: 'BadCharacters', breakIt: (b) => b.replace('Title of story', 'Title\u0001') },
  { rule: 'a C1 control character', key: 'atom.xml', code: 'BadCharacters', breakIt: (b) => b.replace('Title of story', 'Title\u0085') },
  { rule: 'a reference to a control character', key: 'atom.xml', code: 'BadCharacters', breakIt: (b) => b.replace('Title of story', 'Title&#x1B;') },
  { rule: 'a raw < in an attribute', key: 'atom.xml', code: 'NotWellFormed', breakIt: (b) => b.replace('term="news"', 'term="a<b"') },
  { rule: 'an RSS self link elsewhere', key: 'rss.xml', code: 'SelfDoesntMatchLocation', breakIt: (b) => b.replace('/rss.xml"', '/atom.xml"') },
  { rule: 'an RSS feed without language', key: 'rss.xml', code: 'MissingLanguage', breakIt: (b) => b.replace('<language>en</language>', '') },
  { rule: 'an undeclared dc: prefix', key: 'rss.xml', code: 'UndeclaredPrefix', breakIt: (b) => b.replace(/ xmlns:dc="[^"]*"/, '') },
  { rule: 'a named entity in an RSS title', key: 'rss.xml', code: 'ContainsHTML', breakIt: (b) => b.replace('Title of story', 'AT&amp;T') },
  { rule: 'CDATA in an RSS title', key: 'rss.xml', code: 'ContainsHTML', breakIt: (b) => b.replace('Title of story', '<![CDATA[AT&T]]>') },
  { rule: 'markup in an RSS category', key: 'rss.xml', code: 'ContainsHTML', breakIt: (b) => b.replace('<category>news</category>', '<category>&lt;b&gt;news</category>') },
  { rule: 'two RSS authors', key: 'rss.xml', code: 'DuplicateElement', breakIt: (b) => b.replace('<dc:creator>', '<author>a@b.example</author><author>c@d.example</author><dc:creator>') },
  { rule: 'an RSS author without email', key: 'rss.xml', code: 'InvalidContact', breakIt: (b) => b.replace('<dc:creator>', '<author>Rina Editor</author><dc:creator>') },
  {
    rule: 'content:encoded before description',
    key: 'rss.xml',
    code: 'NeedDescriptionBeforeContent',
    breakIt: (b) => b.replace(/(<description>Summary[^<]*<\/description>)\s*(<content:encoded>[\s\S]*?<\/content:encoded>)/, '$2$1'),
  },
  { rule: 'a relative link in RSS content', key: 'rss.xml', code: 'ContainsRelRef', breakIt: (b) => b.replace('href="https://news.example.com/articles/story/"', 'href="/articles/story/"') },
  { rule: 'a script in RSS content', key: 'rss.xml', code: 'ContainsScript', breakIt: (b) => b.replace('&lt;/p&gt;</content:encoded>', '&lt;script&gt;x()&lt;/script&gt;&lt;/p&gt;</content:encoded>') },
  { rule: 'an empty dc:creator', key: 'rss.xml', code: 'NotBlank', breakIt: (b) => b.replace(/<dc:creator>[^<]*</, '<dc:creator> <') },
  { rule: 'an Atom self link elsewhere', key: 'atom.xml', code: 'SelfDoesntMatchLocation', breakIt: (b) => b.replace('/atom.xml"', '/rss.xml"') },
  { rule: 'an Atom feed without xml:lang', key: 'atom.xml', code: 'MissingLanguage', breakIt: (b) => b.replace(' xml:lang="en"', '') },
  { rule: 'a non-canonical Atom id', key: 'atom.xml', code: 'NonCanonicalURI', breakIt: (b) => b.replace('<id>tag:news.example.com,2021:feed</id>', '<id>https://news.example.com</id>') },
  { rule: 'an Atom category without term', key: 'atom.xml', code: 'MissingAttribute', breakIt: (b) => b.replace('term="news"', 'label="news"') },
  { rule: 'an Atom author without name', key: 'atom.xml', code: 'NotBlank', breakIt: (b) => b.replace('<name>Rina Editor</name>', '<name></name>') },
  { rule: 'an event handler in Atom content', key: 'atom.xml', code: 'ContainsScript', breakIt: (b) => b.replace('&lt;a href=', '&lt;a onclick="x()" href=') },
  { rule: 'a javascript: URL in Atom content', key: 'atom.xml', code: 'ContainsScript', breakIt: (b) => b.replace('&lt;a href="https://news.example.com/articles/story/"', '&lt;a href="javascript:alert(1)"') },
  { rule: 'a relative image in Atom content', key: 'atom.xml', code: 'ContainsRelRef', breakIt: (b) => b.replace('&lt;/p&gt;</content>', '&lt;img src="a.png"&gt;&lt;/p&gt;</content>') },
  {
    rule: 'an Atom entry without content or alternate link',
    key: 'atom.xml',
    code: 'MissingAlternateLink',
    breakIt: (b) => b.replace(/<content type="html">[\s\S]*?<\/content>/, '').replace('<link href="https://news.example.com/articles/story/"/>', '<link rel="related" href="https://news.example.com/articles/story/"/>'),
  },
  { rule: 'JSON Feed version 1', key: 'feed.json', code: 'InvalidVersion', breakIt: editJson((feed) => (feed.version = 'https://jsonfeed.org/version/1')) },
  { rule: 'a JSON feed_url elsewhere', key: 'feed.json', code: 'SelfDoesntMatchLocation', breakIt: editJson((feed) => (feed.feed_url = 'https://news.example.com/rss.xml')) },
  { rule: 'a JSON feed without language', key: 'feed.json', code: 'MissingLanguage', breakIt: editJson((feed) => delete feed.language) },
  { rule: 'the deprecated JSON author', key: 'feed.json', code: 'Deprecated', breakIt: editJson((_, item) => (item.author = { name: 'Rina' })) },
  { rule: 'a JSON item without url', key: 'feed.json', code: 'MissingElement', breakIt: editJson((_, item) => delete item.url) },
  { rule: 'a JSON item without date', key: 'feed.json', code: 'MissingElement', breakIt: editJson((_, item) => (delete item.date_published, delete item.date_modified)) },
  { rule: 'a relative link in JSON content', key: 'feed.json', code: 'ContainsRelRef', breakIt: editJson((_, item) => (item.content_html = '<a href="../x">x</a>')) },
  { rule: 'an escaped control character in JSON', key: 'feed.json', code: 'BadCharacters', breakIt: editJson((_, item) => (item.title = 'bell\u0007')) },
];

describe('checkFeedRules', () => {
  it('finds nothing wrong in rendered documents', () => {
    // Prepare
    const docs = renderFeeds(buildSampleArticles(), SITE);

    // Act
    const found = docs.filter(isFeedDocument).flatMap((doc) => codesFor(doc).map((code) => `${doc.key}: ${code}`));

    // Assess
    expect(found).toEqual([]);
  });

  it.each(BAD_CASES)('catches $rule ($code)', (badCase) => expectCaught(goodDoc(badCase.key), badCase));
});

/** Breaks a valid document as `badCase` says and expects the rule checker to name its code. */
function expectCaught(good: OutputDocument, { code, breakIt }: BadCase): void {
  // Prepare
  const bad = { ...good, body: breakIt(good.body) };

  // Act
  const codes = codesFor(bad);

  // Assess: the edit really changed the document, and the rule saw it
  expect(bad.body).not.toBe(good.body);
  expect(codes).toContain(code);
}

/** Three articles, one per document: three archive pages plus the subscription document. */
const ARCHIVED = renderFeeds([0, 1, 2].map((day) => buildArticle(`story-${day}`, day, { tags: [] })), buildSite({ itemsPerFeed: 1 }));

function archivedDoc(key: string): OutputDocument {
  const doc = ARCHIVED.find((candidate) => candidate.key === key);
  if (!doc) throw new Error(`no ${key}`);
  return doc;
}

const HISTORY_CASES: readonly BadCase[] = [
  { rule: 'an RSS archive page without fh:archive', key: 'archive/1/rss.xml', code: 'MissingArchiveMarker', breakIt: (b) => b.replace('<fh:archive/>', '') },
  { rule: 'an Atom archive page without fh:archive', key: 'archive/1/atom.xml', code: 'MissingArchiveMarker', breakIt: (b) => b.replace('<fh:archive/>', '') },
  { rule: 'an RSS archive page without a current link', key: 'archive/2/rss.xml', code: 'MissingCurrentLink', breakIt: (b) => b.replace('rel="current"', 'rel="related"') },
  { rule: 'an Atom archive page without a current link', key: 'archive/2/atom.xml', code: 'MissingCurrentLink', breakIt: (b) => b.replace('rel="current"', 'rel="related"') },
  { rule: 'an RSS archive page linking no other archive page', key: 'archive/1/rss.xml', code: 'ArchiveIncomplete', breakIt: (b) => b.replace('rel="next-archive"', 'rel="related"') },
  { rule: 'an Atom archive page linking no other archive page', key: 'archive/1/atom.xml', code: 'ArchiveIncomplete', breakIt: (b) => b.replace('rel="next-archive"', 'rel="related"') },
  { rule: 'fh:archive in a subscription document', key: 'atom.xml', code: 'UnexpectedArchiveMarker', breakIt: (b) => b.replace('<entry>', '<fh:archive xmlns:fh="http://purl.org/syndication/history/1.0"/><entry>') },
  { rule: 'a relative prev-archive link', key: 'rss.xml', code: 'ContainsRelRef', breakIt: (b) => b.replace('href="https://news.example.com/archive/3/rss.xml"', 'href="archive/3/rss.xml"') },
  { rule: 'a relative JSON next_url', key: 'feed.json', code: 'ContainsRelRef', breakIt: editJson((feed) => (feed.next_url = 'archive/2/feed.json')) },
];

describe('checkFeedRules on RFC 5005 archives', () => {
  it('finds nothing wrong in rendered subscription documents and archive pages', () => {
    // Act
    const found = ARCHIVED.filter(isFeedDocument).flatMap((doc) => codesFor(doc).map((code) => `${doc.key}: ${code}`));

    // Assess
    expect(ARCHIVED.map((doc) => doc.key)).toContain('archive/2/atom.xml');
    expect(found).toEqual([]);
  });

  it.each(HISTORY_CASES)('catches $rule ($code)', (badCase) => expectCaught(archivedDoc(badCase.key), badCase));
});
