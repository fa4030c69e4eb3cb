import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../../lambdas/core/content/article.js';
import { OPML_KEY } from '../../lambdas/core/plan/document-keys.js';
import type { OutputDocument } from '../../lambdas/core/plan/outputs.js';
import { renderFeeds } from '../support/render-site.js';
import { buildArticle, buildSite } from '../support/article-factory.js';
import { maySkipRelaxNg, validateAtomWithRelaxNg } from './atom-relaxng.js';
import { feedOutlinesOf } from './opml-rules.js';
import { readBackFeed } from './read-back.js';
import { isFeedDocument, validateFeedDocuments } from './validate-feed-documents.js';
import { childNamed, parseXmlTree } from './xml-tree.js';

/** Validating a few hundred documents and starting a JVM takes seconds on a busy machine. */
const SLOW_TEST_TIMEOUT = 120_000;
const ITEMS_PER_FEED = 20;
const SITE = buildSite({ itemsPerFeed: ITEMS_PER_FEED });
const TOPICS = ['politics', 'Économie', 'sport'] as const;

/**
 * 500 articles in English, Indonesian and Arabic, one day apart, each with one of three topics
 * and every seventh also tagged "World News"; every Indonesian article has an English or
 * Arabic translation (the next article).
 */
function buildArchive(): Article[] {
  return Array.from({ length: 500 }, (_, index) => {
    const lang = index % 5 === 0 ? 'id' : index % 25 === 1 ? 'ar' : 'en';
    const paired = index % 5 === 0 || index % 5 === 1;
    return buildArticle(`story-${index}`, index / 4, {
      lang,
      title: `Story ${index}`,
      tags: [TOPICS[index % 3]!, ...(index % 7 === 0 ? ['World News'] : [])],
      ...(paired ? { translationKey: `pair-${index - (index % 5)}` } : {}),
      ...(lang === 'ar' ? { contentHtml: `<div dir="rtl" lang="ar"><p>قصة ${index}</p></div>` } : {}),
    });
  });
}

type Format = 'rss' | 'atom' | 'json';
const FILES: Readonly<Record<Format, string>> = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' };

/** The older page a document points to: `prev-archive` in RSS (atom:link) and Atom, `next_url` in JSON Feed. */
function olderPageOf(doc: OutputDocument): string | undefined {
  if (doc.key.endsWith('feed.json')) return parseJsonFeed(JSON.parse(doc.body) as unknown).next_url;
  if (doc.key.endsWith('atom.xml')) return parseAtomFeed(doc.body).links?.find((link) => link.rel === 'prev-archive')?.href;
  return parseRssFeed(doc.body).atom?.links?.find((link) => link.rel === 'prev-archive')?.href;
}

/** The `current` link of an archive page (XML formats). */
function currentOf(doc: OutputDocument): string | undefined {
  if (doc.key.endsWith('atom.xml')) return parseAtomFeed(doc.body).links?.find((link) => link.rel === 'current')?.href;
  return parseRssFeed(doc.body).atom?.links?.find((link) => link.rel === 'current')?.href;
}

/** The `next-archive` link of an archive page (XML formats). */
function newerPageOf(doc: OutputDocument): string | undefined {
  if (doc.key.endsWith('atom.xml')) return parseAtomFeed(doc.body).links?.find((link) => link.rel === 'next-archive')?.href;
  return parseRssFeed(doc.body).atom?.links?.find((link) => link.rel === 'next-archive')?.href;
}

/** True when the XML document carries `fh:archive` at feed level. */
function isMarkedArchive(doc: OutputDocument): boolean {
  const root = parseXmlTree(doc.body);
  return childNamed(root.name === 'rss' ? childNamed(root, 'channel')! : root, 'fh:archive') !== undefined;
}

/** Follows the older-page links from a subscription document; returns each page's item ids. */
function walkArchive(byUrl: ReadonlyMap<string, OutputDocument>, start: string): { url: string; doc: OutputDocument; ids: string[] }[] {
  const pages: { url: string; doc: OutputDocument; ids: string[] }[] = [];
  for (let url: string | undefined = start; url !== undefined; ) {
    const doc = byUrl.get(url);
    if (!doc) throw new Error(`link to a missing document: ${url}`);
    if (pages.some((page) => page.url === url)) throw new Error(`link loop at ${url}`);
    pages.push({ url, doc, ids: readBackFeed(doc).items.map((item) => item.id) });
    url = olderPageOf(doc);
  }
  return pages;
}

/** Ids the channel should hold: the articles in `lang` (with `tag`, if given). */
function channelIds(articles: readonly Article[], lang: string, tag?: string): string[] {
  return articles.filter((article) => article.lang === lang && (tag === undefined || article.tags.includes(tag))).map((article) => article.id);
}

const CHANNELS = [
  { path: '', lang: 'en' },
  { path: 'id/', lang: 'id' },
  { path: 'ar/', lang: 'ar' },
  { path: 'tags/politics/', lang: 'en', tag: 'politics' },
  { path: 'tags/economie/', lang: 'en', tag: 'Économie' },
  { path: 'tags/world-news/', lang: 'en', tag: 'World News' },
  { path: 'id/tags/sport/', lang: 'id', tag: 'sport' },
] as const;

describe('a 500-article archive', () => {
  let articles: Article[] = [];
  let docs: OutputDocument[] = [];
  let byUrl = new Map<string, OutputDocument>();

  beforeAll(() => {
    // Prepare: rendered once for every test below
    articles = buildArchive();
    docs = renderFeeds(articles, SITE);
    byUrl = new Map(docs.map((doc) => [SITE.siteUrl + doc.key, doc]));
  });

  it('passes every feed check in every channel and archive page, the feed list included', () => {
    // Act
    const problems = validateFeedDocuments(docs, SITE.siteUrl);

    // Assess
    expect(docs.filter((doc) => doc.key.includes('/archive/') || doc.key.startsWith('archive/')).length).toBeGreaterThan(100);
    expect(problems).toEqual([]);
  }, SLOW_TEST_TIMEOUT);

  it.skipIf(maySkipRelaxNg())('validates every Atom document, archive pages included, against RFC 4287', () => {
    // Act
    const errors = validateAtomWithRelaxNg(docs.filter((doc) => doc.key.endsWith('atom.xml')));

    // Assess
    expect(errors).toEqual([]);
  }, SLOW_TEST_TIMEOUT);

  it.each(CHANNELS.flatMap((channel) => (['rss', 'atom', 'json'] as const).map((format) => ({ ...channel, format, name: `${channel.path}${FILES[format]}` }))))(
    'reaches every article of $name exactly once from the subscription document to the oldest page',
    ({ path, lang, format, ...rest }) => {
      // Prepare
      const expected = channelIds(articles, lang, 'tag' in rest ? rest.tag : undefined);

      // Act
      const [current, ...archives] = walkArchive(byUrl, `${SITE.siteUrl}${path}${FILES[format]}`);

      // Assess
      const archived = archives.flatMap((page) => page.ids);
      expect(archives).toHaveLength(Math.floor(expected.length / ITEMS_PER_FEED));
      expect(new Set(archived).size).toBe(archived.length);
      expect(new Set([...current!.ids, ...archived])).toEqual(new Set(expected));
      expect(current!.ids).toHaveLength(Math.min(ITEMS_PER_FEED, expected.length));
      for (const page of archives) expect(page.ids, page.url).toHaveLength(ITEMS_PER_FEED);
      expect(archives.at(-1)?.url ?? current!.url).toMatch(archives.length > 0 ? /\/archive\/1\/[^/]+$/ : /[^/]+$/);
    },
  );

  it('marks every archive page with fh:archive and a current link, and no subscription document', () => {
    // Act
    const xml = docs.filter((doc) => isFeedDocument(doc) && !doc.key.endsWith('.json'));
    const wrong = xml.filter((doc) => {
      const archive = /^((?:.*\/)?)archive\/\d+\/([^/]+)$/.exec(doc.key);
      if (!archive) return isMarkedArchive(doc);
      const subscription = `${SITE.siteUrl}${archive[1]}${archive[2]}`;
      return !isMarkedArchive(doc) || currentOf(doc) !== subscription;
    });

    // Assess
    expect(wrong.map((doc) => doc.key)).toEqual([]);
  });

  it('gives every archive page prev-archive or next-archive, next-archive leading to the newer page or the current', () => {
    // Act
    const pages = docs.filter((doc) => isFeedDocument(doc) && !doc.key.endsWith('.json') && /(?:^|\/)archive\/\d+\//.test(doc.key));
    const wrong = pages.filter((doc) => {
      const [, folder = '', page = '0', file = ''] = /^((?:.*\/)?)archive\/(\d+)\/([^/]+)$/.exec(doc.key) ?? [];
      const newer = `${folder}archive/${Number(page) + 1}/${file}`;
      const expected = docs.some((candidate) => candidate.key === newer) ? newer : `${folder}${file}`;
      return newerPageOf(doc) !== `${SITE.siteUrl}${expected}`;
    });

    // Assess: archive/1 has no prev-archive, so its next-archive is what the validator needs
    expect(pages.length).toBeGreaterThan(50);
    expect(pages.filter((doc) => olderPageOf(doc) === undefined && newerPageOf(doc) === undefined).map((doc) => doc.key)).toEqual([]);
    expect(wrong.map((doc) => doc.key)).toEqual([]);
  });

  it('links each translation to an item published in the other language', () => {
    // Prepare
    const published = new Map<string, Set<string>>();
    for (const doc of docs.filter((candidate) => candidate.key.endsWith('atom.xml'))) {
      const feed = parseAtomFeed(doc.body);
      const lang = parseXmlTree(doc.body).attributes['xml:lang'] ?? '';
      for (const entry of feed.entries ?? []) {
        const link = entry.links?.find((candidate) => candidate.rel === undefined || candidate.rel === 'alternate' && candidate.hreflang === undefined);
        published.set(lang, (published.get(lang) ?? new Set()).add(link?.href ?? ''));
      }
    }

    // Act
    const alternates = docs
      .filter((doc) => doc.key.endsWith('atom.xml'))
      .flatMap((doc) => (parseAtomFeed(doc.body).entries ?? []).flatMap((entry) => (entry.links ?? []).filter((link) => link.hreflang !== undefined)));
    const jsonVersions = docs
      .filter((doc) => doc.key.endsWith('feed.json'))
      .flatMap((doc) => (JSON.parse(doc.body) as { items: { _translations?: { versions: { language: string; url: string }[] } }[] }).items)
      .flatMap((item) => item._translations?.versions ?? []);

    // Assess
    expect(alternates.length).toBeGreaterThan(100);
    for (const link of alternates) expect(published.get(link.hreflang ?? '')?.has(link.href ?? ''), link.href).toBe(true);
    for (const version of jsonVersions) expect(published.get(version.language)?.has(version.url), version.url).toBe(true);
  });

  it('lists every subscription document in the feed list, and no archive page', () => {
    // Act
    const listed = feedOutlinesOf(docs.find((doc) => doc.key === OPML_KEY)!.body).map((outline) => outline.attributes.xmlUrl);

    // Assess
    const subscriptions = docs.filter((doc) => isFeedDocument(doc) && !/(?:^|\/)archive\//.test(doc.key)).map((doc) => SITE.siteUrl + doc.key);
    expect(listed).toEqual(subscriptions);
  });
});
