import { describe, expect, it } from 'vitest';
import type { Article } from '../../../../lambdas/core/content/article.js';
import { CACHE_CONTROL_FEED, FEED_FORMATS } from '../../../../lambdas/core/plan/outputs.js';
import { planFeedSets, renderFeeds } from '../../../support/render-site.js';
import { compareNewestFirst } from '../../../../lambdas/core/plan/feed-plan.js';
import { selectArticles } from '../../../../lambdas/core/content/select-articles.js';
import { buildArticle, buildSampleArticles, buildSite, daysAfterBase } from '../../../support/article-factory.js';
import { childNamed, childrenNamed, parseXmlTree } from '../../../validation/xml-tree.js';

function bodyOf(docs: ReturnType<typeof renderFeeds>, key: string): string {
  const doc = docs.find((candidate) => candidate.key === key);
  if (!doc) throw new Error(`no ${key} in ${docs.map((d) => d.key).join(', ')}`);
  return doc.body;
}

function rssTitles(xml: string): string[] {
  return childrenNamed(childNamed(parseXmlTree(xml), 'channel')!, 'item').map((item) => childNamed(item, 'title')?.text ?? '');
}

function jsonOf(body: string): { language: string; title: string; items: Record<string, unknown>[] } {
  return JSON.parse(body) as { language: string; title: string; items: Record<string, unknown>[] };
}

describe('renderFeeds snapshots', () => {
  // Prepare: one fixed sample, rendered once for the three snapshots
  const docs = renderFeeds(buildSampleArticles(), buildSite());

  it('renders the sample RSS 2.0 document', () => {
    // Act
    const body = bodyOf(docs, 'rss.xml');

    // Assess
    expect(body).toMatchSnapshot();
  });

  it('renders the sample Atom 1.0 document', () => {
    // Act
    const body = bodyOf(docs, 'atom.xml');

    // Assess
    expect(body).toMatchSnapshot();
  });

  it('renders the sample JSON Feed 1.1 document', () => {
    // Act
    const body = bodyOf(docs, 'feed.json');

    // Assess
    expect(body).toMatchSnapshot();
  });
});

describe('renderFeeds', () => {
  it('renders one set per language, then one per language and tag, then the feed list, with types and cache headers', () => {
    // Act
    const docs = renderFeeds(buildSampleArticles(), buildSite());

    // Assess
    const folders = ['', 'id/', 'tags/culture/', 'tags/news/', 'tags/shipping/', 'tags/weather/', 'id/tags/ekonomi/'];
    expect(docs.map(({ key, contentType, cacheControl }) => ({ key, contentType, cacheControl }))).toEqual([
      ...folders.flatMap((prefix) =>
        Object.values(FEED_FORMATS).map((format) => ({ key: `${prefix}${format.file}`, contentType: format.contentType, cacheControl: CACHE_CONTROL_FEED })),
      ),
      { key: 'feeds.opml', contentType: 'text/x-opml; charset=utf-8', cacheControl: CACHE_CONTROL_FEED },
    ]);
  });

  it('renders the same bytes for the same input, whatever its order', () => {
    // Prepare
    const articles = buildSampleArticles();

    // Act
    const first = renderFeeds(articles, buildSite());
    const second = renderFeeds([...articles].reverse(), buildSite());

    // Assess
    expect(second).toEqual(first);
  });

  it('orders items newest first', () => {
    // Prepare: the sample's articles are listed oldest first

    // Act
    const docs = renderFeeds(buildSampleArticles(), buildSite());

    // Assess
    expect(rssTitles(bodyOf(docs, 'rss.xml'))).toEqual(['Festival guide <2021>', 'Rice prices & the "monsoon" effect', 'Harbour reopens after storm']);
  });

  it('breaks date ties by id', () => {
    // Prepare
    const articles = [buildArticle('b-second', 1), buildArticle('c-third', 1), buildArticle('a-first', 1)];

    // Act
    const ordered = [...articles].sort(compareNewestFirst).map((article) => article.slug);

    // Assess
    expect(ordered).toEqual(['a-first', 'b-second', 'c-third']);
  });

  it('keeps at most itemsPerFeed items, the newest', () => {
    // Prepare
    const articles = Array.from({ length: 5 }, (_, day) => buildArticle(`story-${day}`, day));

    // Act
    const docs = renderFeeds(articles, buildSite({ itemsPerFeed: 2 }));

    // Assess
    expect(rssTitles(bodyOf(docs, 'rss.xml'))).toEqual(['Title of story-4', 'Title of story-3']);
    expect(jsonOf(bodyOf(docs, 'feed.json')).items).toHaveLength(2);
    expect(childrenNamed(parseXmlTree(bodyOf(docs, 'atom.xml')), 'entry')).toHaveLength(2);
  });

  it('publishes no draft once articles have been selected upstream', () => {
    // Prepare
    const { articles } = selectArticles([buildArticle('draft', 9, { title: 'Secret draft', draft: true }), buildArticle('published', 1)]);

    // Act
    const docs = renderFeeds(articles, buildSite());

    // Assess
    expect(rssTitles(bodyOf(docs, 'rss.xml'))).toEqual(['Title of published']);
    expect(docs.some((doc) => doc.body.includes('Secret draft'))).toBe(false);
  });

  it('renders an empty but complete root set when there are no articles', () => {
    // Act
    const docs = renderFeeds([], buildSite());

    // Assess
    expect(docs.map((doc) => doc.key)).toEqual(['rss.xml', 'atom.xml', 'feed.json', 'feeds.opml']);
    expect(rssTitles(bodyOf(docs, 'rss.xml'))).toEqual([]);
    expect(jsonOf(bodyOf(docs, 'feed.json')).items).toEqual([]);
    expect(childNamed(parseXmlTree(bodyOf(docs, 'atom.xml')), 'updated')?.text).toBe('1970-01-01T00:00:00.000Z');
  });

  it('renders the root set even when every article is in another language', () => {
    // Prepare
    const articles = [buildArticle('harga', 3, { lang: 'id' })];

    // Act
    const docs = renderFeeds(articles, buildSite());

    // Assess
    expect(docs.map((doc) => doc.key).slice(0, 6)).toEqual(['rss.xml', 'atom.xml', 'feed.json', 'id/rss.xml', 'id/atom.xml', 'id/feed.json']);
    expect(rssTitles(bodyOf(docs, 'rss.xml'))).toEqual([]);
    expect(bodyOf(docs, 'rss.xml')).toContain(`<lastBuildDate>${daysAfterBase(3).toUTCString()}</lastBuildDate>`);
  });

  it('declares the language of each set in all three formats', () => {
    // Act
    const docs = renderFeeds(buildSampleArticles(), buildSite());

    // Assess
    expect(childNamed(childNamed(parseXmlTree(bodyOf(docs, 'id/rss.xml')), 'channel')!, 'language')?.text).toBe('id');
    expect(parseXmlTree(bodyOf(docs, 'id/atom.xml')).attributes['xml:lang']).toBe('id');
    expect(jsonOf(bodyOf(docs, 'id/feed.json')).language).toBe('id');
    expect(parseXmlTree(bodyOf(docs, 'atom.xml')).attributes['xml:lang']).toBe('en');
  });

  it('puts each article only in the set of its language', () => {
    // Act
    const docs = renderFeeds(buildSampleArticles(), buildSite());

    // Assess
    expect(rssTitles(bodyOf(docs, 'id/rss.xml'))).toEqual(['Harga beras naik']);
    expect(rssTitles(bodyOf(docs, 'rss.xml'))).not.toContain('Harga beras naik');
  });

  it('gives language sets permanent tag: ids and their own titles', () => {
    // Act
    const sets = planFeedSets(buildSampleArticles(), buildSite({ siteUrl: 'http://localhost:4566/' }));

    // Assess
    expect(sets.map(({ id, title }) => ({ id, title }))).toEqual([
      { id: 'tag:news.example.com,2021:feed', title: 'Nusantara Daily' },
      { id: 'tag:news.example.com,2021:feed/id', title: 'Nusantara Daily (id)' },
    ]);
  });

  it('points self links at the serving address', () => {
    // Act
    const docs = renderFeeds(buildSampleArticles(), buildSite({ siteUrl: 'http://localhost:4566/' }));

    // Assess
    expect(bodyOf(docs, 'id/atom.xml')).toContain('<link rel="self" href="http://localhost:4566/id/atom.xml"/>');
    expect(bodyOf(docs, 'id/rss.xml')).toContain('<atom:link href="http://localhost:4566/id/rss.xml" rel="self"');
  });

  it('sets the feed date from the newest update, not the newest publication', () => {
    // Prepare
    const articles: Article[] = [buildArticle('old-but-updated', 0, { updated: daysAfterBase(10) }), buildArticle('newer', 5)];

    // Act
    const [set] = planFeedSets(articles, buildSite());

    // Assess
    expect(set?.updated).toEqual(daysAfterBase(10));
    expect(set?.items.map((article) => article.slug)).toEqual(['newer', 'old-but-updated']);
  });

  it('writes both the full content and a summary in every format', () => {
    // Act
    const docs = renderFeeds([buildArticle('story', 0, { summary: 'Short.', contentHtml: '<p>Long body.</p>' })], buildSite());

    // Assess
    expect(bodyOf(docs, 'rss.xml')).toContain('<description>Short.</description>');
    expect(bodyOf(docs, 'rss.xml')).toContain('<content:encoded>&lt;p&gt;Long body.&lt;/p&gt;</content:encoded>');
    expect(bodyOf(docs, 'atom.xml')).toContain('<summary type="html">Short.</summary>');
    expect(bodyOf(docs, 'atom.xml')).toContain('<content type="html">&lt;p&gt;Long body.&lt;/p&gt;</content>');
    expect(jsonOf(bodyOf(docs, 'feed.json')).items[0]).toMatchObject({ summary: 'Short.', content_html: '<p>Long body.</p>' });
  });

  it('derives a plain-text summary from the content when there is none', () => {
    // Prepare
    const article = buildArticle('story', 0, { summary: undefined, contentHtml: '<h2>Port</h2><p>Ships &amp; <em>boats</em> wait.</p>' });

    // Act
    const docs = renderFeeds([article], buildSite());

    // Assess
    expect(jsonOf(bodyOf(docs, 'feed.json')).items[0]?.summary).toBe('Port Ships & boats wait.');
    expect(bodyOf(docs, 'rss.xml')).toContain('<description>Port Ships &amp;amp; boats wait.</description>');
  });

  it('falls back to the site authors when an article credits nobody by name', () => {
    // Prepare
    const article = buildArticle('story', 0, { authors: [{ name: '  ', email: 'desk@news.example.com' }] });

    // Act
    const docs = renderFeeds([article], buildSite());

    // Assess
    expect(jsonOf(bodyOf(docs, 'feed.json')).items[0]?.authors).toEqual([{ name: 'Rina Editor', url: 'https://news.example.com/about/rina/' }]);
    expect(bodyOf(docs, 'atom.xml')).not.toContain('<name>  </name>');
  });

  it('writes the generator as a fixed name without a version', () => {
    // Act
    const docs = renderFeeds([], buildSite());

    // Assess
    expect(bodyOf(docs, 'rss.xml')).toContain('<generator>feed-publisher</generator>');
    expect(bodyOf(docs, 'atom.xml')).toContain('<generator>feed-publisher</generator>');
  });

  it('links each article to its other language versions in every format', () => {
    // Prepare
    const articles = [
      buildArticle('rice-prices', 1, { translationKey: 'rice' }),
      buildArticle('harga-beras', 1, { lang: 'id', translationKey: 'rice' }),
      buildArticle('unrelated', 2, { translationKey: 'alone' }),
    ];

    // Act
    const docs = renderFeeds(articles, buildSite());

    // Assess
    const idUrl = 'https://news.example.com/id/articles/harga-beras/';
    expect(bodyOf(docs, 'rss.xml')).toContain(`<atom:link rel="alternate" hreflang="id" href="${idUrl}"/>`);
    expect(bodyOf(docs, 'atom.xml')).toContain(`<link rel="alternate" hreflang="id" href="${idUrl}"/>`);
    expect(bodyOf(docs, 'id/atom.xml')).toContain('<link rel="alternate" hreflang="en" href="https://news.example.com/articles/rice-prices/"/>');
    const items = jsonOf(bodyOf(docs, 'feed.json')).items;
    expect(items.map((item) => item._translations)).toEqual([undefined, { versions: [{ language: 'id', url: idUrl }] }]);
  });

  it('announces the WebSub hub when one is configured', () => {
    // Act
    const docs = renderFeeds([], buildSite({ websubHub: 'https://hub.example.com/' }));

    // Assess
    expect(bodyOf(docs, 'atom.xml')).toContain('<link rel="hub" href="https://hub.example.com/"/>');
    expect(bodyOf(docs, 'rss.xml')).toContain('<atom:link href="https://hub.example.com/" rel="hub"/>');
    expect(JSON.parse(bodyOf(docs, 'feed.json'))).toMatchObject({ hubs: [{ type: 'WebSub', url: 'https://hub.example.com/' }] });
  });
});
