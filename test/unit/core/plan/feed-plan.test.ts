import { describe, expect, it } from 'vitest';
import type { Article } from '../../../../lambdas/core/content/article.js';
import { planFeedPages, type FeedPage, type PlanEntry } from '../../../../lambdas/core/plan/feed-plan.js';
import { renderFeedPage } from '../../../../lambdas/core/feeds/render-feed-page.js';
import { renderOpml } from '../../../../lambdas/core/feeds/opml.js';
import { CACHE_CONTROL_ARCHIVE, CACHE_CONTROL_FEED, type OutputDocument } from '../../../../lambdas/core/plan/outputs.js';
import { renderFeeds } from '../../../support/render-site.js';
import { findTranslations } from '../../../../lambdas/core/plan/translations.js';
import { buildArticle, buildSite } from '../../../support/article-factory.js';

/** `count` English articles a0 (oldest) .. a<count-1> (newest), one day apart, tagged `news`. */
function buildSeries(count: number, overrides: Partial<Article> = {}): Article[] {
  return Array.from({ length: count }, (_, index) => buildArticle(`a${index}`, index, { tags: ['news'], ...overrides }));
}

function idsOf(articles: readonly Article[]): string[] {
  return articles.map((article) => article.id);
}

/** Every document of every page, keyed, as renderFeeds would publish them (without the feed list). */
function renderAll(articles: readonly Article[], itemsPerFeed: number): Map<string, string> {
  const site = buildSite({ itemsPerFeed });
  const byId = new Map(articles.map((article) => [article.id, article]));
  const translations = findTranslations(articles);
  const docs = planFeedPages(articles, site).flatMap((page) => renderFeedPage(page, byId, translations, site));
  return new Map(docs.map((doc) => [doc.key, doc.body]));
}

/** Keys whose bytes differ between two renderings, or that exist in only one. */
function changedKeys(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((key) => before.get(key) !== after.get(key)).sort();
}

function pageOf(pages: readonly FeedPage[], channelId: string, archive?: number): FeedPage {
  const page = pages.find((candidate) => candidate.channel.id === channelId && candidate.archive === archive);
  if (!page) throw new Error(`no page ${channelId} ${archive}`);
  return page;
}

describe('planFeedPages', () => {
  it('plans the empty site-language channel when there are no articles', () => {
    // Act
    const pages = planFeedPages([], buildSite());

    // Assess
    expect(pages).toEqual([
      {
        channel: { id: 'main:en', language: 'en', path: '', title: 'Nusantara Daily' },
        articleIds: [],
        keys: { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' },
        viewKey: 'feed.html',
        links: {},
        updated: new Date(0),
      },
    ]);
  });

  it('plans one channel per language, then one per language and tag, with paths and titles', () => {
    // Prepare
    const entries: PlanEntry[] = [
      buildArticle('a', 0, { tags: ['World News', 'sport'] }),
      buildArticle('b', 1, { lang: 'fr', tags: ['Économie'] }),
      buildArticle('c', 2, { lang: 'id', tags: [] }),
    ];

    // Act
    const channels = planFeedPages(entries, buildSite()).map(({ channel }) => [channel.id, channel.path, channel.title]);

    // Assess
    expect(channels).toEqual([
      ['main:en', '', 'Nusantara Daily'],
      ['main:fr', 'fr/', 'Nusantara Daily (fr)'],
      ['main:id', 'id/', 'Nusantara Daily (id)'],
      ['tag:en:sport', 'tags/sport/', 'Nusantara Daily: sport'],
      ['tag:en:world-news', 'tags/world-news/', 'Nusantara Daily: World News'],
      ['tag:fr:economie', 'fr/tags/economie/', 'Nusantara Daily (fr): Économie'],
    ]);
  });

  it('lets tags with the same slug share one channel, named by the first name in code-unit order', () => {
    // Prepare
    const entries = [
      buildArticle('a', 0, { tags: ['world news'] }),
      buildArticle('b', 1, { tags: ['World News', 'World-News'] }),
    ];

    // Act
    const page = pageOf(planFeedPages(entries, buildSite()), 'tag:en:world-news');

    // Assess
    expect(page.channel.tag).toEqual({ name: 'World News', slug: 'world-news' });
    expect(page.articleIds).toEqual(idsOf([entries[1]!, entries[0]!]));
  });

  it('fills the subscription document with the newest items and archives only full chunks, oldest first', () => {
    // Prepare
    const articles = buildSeries(7);

    // Act
    const pages = planFeedPages(articles, buildSite({ itemsPerFeed: 3 })).filter((page) => page.channel.id === 'main:en');

    // Assess
    expect(pages.map((page) => [page.archive, page.articleIds])).toEqual([
      [undefined, idsOf([articles[6]!, articles[5]!, articles[4]!])],
      [1, idsOf([articles[2]!, articles[1]!, articles[0]!])],
      [2, idsOf([articles[5]!, articles[4]!, articles[3]!])],
    ]);
  });

  it('links the subscription document to the newest archive page and each archive page to its neighbours and the current', () => {
    // Prepare
    const articles = buildSeries(9);

    // Act
    const pages = planFeedPages(articles, buildSite({ itemsPerFeed: 3 })).filter((page) => page.channel.id === 'tag:en:news');

    // Assess
    expect(pages.map((page) => ({ keys: page.keys.atom, ...Object.fromEntries(Object.entries(page.links).map(([rel, keys]) => [rel, keys.atom])) }))).toEqual([
      { keys: 'tags/news/atom.xml', prevArchive: 'tags/news/archive/3/atom.xml' },
      { keys: 'tags/news/archive/1/atom.xml', current: 'tags/news/atom.xml', nextArchive: 'tags/news/archive/2/atom.xml' },
      { keys: 'tags/news/archive/2/atom.xml', current: 'tags/news/atom.xml', prevArchive: 'tags/news/archive/1/atom.xml', nextArchive: 'tags/news/archive/3/atom.xml' },
      { keys: 'tags/news/archive/3/atom.xml', current: 'tags/news/atom.xml', prevArchive: 'tags/news/archive/2/atom.xml', nextArchive: 'tags/news/atom.xml' },
    ]);
  });

  it('links a lone archive page forward to the subscription document', () => {
    // Prepare: one full page and the subscription document
    const articles = buildSeries(4);

    // Act
    const pages = planFeedPages(articles, buildSite({ itemsPerFeed: 3 })).filter((page) => page.channel.id === 'main:en');

    // Assess: archive/1 has no older page, so next-archive is what keeps it complete
    expect(pages[1]?.links).toEqual({ current: pages[0]?.keys, nextArchive: pages[0]?.keys });
  });

  it('changes a full archive page once when the next page appears, and never after', () => {
    // Prepare: plans at one, two and three full pages
    const site = buildSite({ itemsPerFeed: 3 });
    const firstPage = (count: number) => planFeedPages(buildSeries(count), site).find((page) => page.channel.id === 'main:en' && page.archive === 1);

    // Act
    const [alone, followed, twiceFollowed] = [3, 6, 9].map(firstPage);

    // Assess
    expect(followed?.links).not.toEqual(alone?.links);
    expect(twiceFollowed).toEqual(followed);
  });

  it('plans the same pages whatever the order of the entries', () => {
    // Prepare
    const articles = buildSeries(10).map((article, index) => ({ ...article, date: buildSeries(1)[0]!.date, tags: [`t${index % 3}`] }));

    // Act
    const forward = planFeedPages(articles, buildSite({ itemsPerFeed: 2 }));
    const backward = planFeedPages([...articles].reverse(), buildSite({ itemsPerFeed: 2 }));

    // Assess
    expect(backward).toEqual(forward);
  });

  it('dates each page by its newest member, never by the clock', () => {
    // Prepare
    const articles = buildSeries(4);

    // Act
    const pages = planFeedPages(articles, buildSite({ itemsPerFeed: 2 }));

    // Assess
    expect(pageOf(pages, 'main:en').updated).toEqual(articles[3]!.date);
    expect(pageOf(pages, 'main:en', 1).updated).toEqual(articles[1]!.date);
  });
});

describe('renderFeedPage', () => {
  it('serves subscription documents briefly and archive pages for a week', () => {
    // Prepare
    const articles = buildSeries(4);
    const site = buildSite({ itemsPerFeed: 2 });
    const pages = planFeedPages(articles, site);
    const byId = new Map(articles.map((article) => [article.id, article]));

    // Act
    const current = renderFeedPage(pageOf(pages, 'main:en'), byId, new Map(), site);
    const archive = renderFeedPage(pageOf(pages, 'main:en', 1), byId, new Map(), site);

    // Assess
    expect(current.map((doc) => [doc.key, doc.cacheControl])).toEqual(['rss.xml', 'atom.xml', 'feed.json'].map((key) => [key, CACHE_CONTROL_FEED]));
    expect(archive.map((doc) => [doc.key, doc.cacheControl])).toEqual(
      ['archive/1/rss.xml', 'archive/1/atom.xml', 'archive/1/feed.json'].map((key) => [key, CACHE_CONTROL_ARCHIVE]),
    );
    expect(CACHE_CONTROL_ARCHIVE).not.toContain('immutable');
  });

  it('throws when a member article is missing', () => {
    // Prepare
    const site = buildSite();
    const [page] = planFeedPages(buildSeries(1), site);

    // Act
    const render = (): OutputDocument[] => renderFeedPage(page!, new Map(), new Map(), site);

    // Assess
    expect(render).toThrow(RangeError);
  });

  it('adds up to renderFeeds over every page, followed by the feed list', () => {
    // Prepare
    const articles = [...buildSeries(5), buildArticle('b', 2, { lang: 'id', translationKey: 'k', tags: ['ekonomi'] }), buildArticle('c', 2.5, { translationKey: 'k' })];
    const site = buildSite({ itemsPerFeed: 2 });
    const pages = planFeedPages(articles, site);
    const byId = new Map(articles.map((article) => [article.id, article]));

    // Act
    const pieces = [...pages.flatMap((page) => renderFeedPage(page, byId, findTranslations(articles), site)), renderOpml(pages, site)];

    // Assess
    expect(pieces).toEqual(renderFeeds(articles, site));
  });
});

describe('incremental changes', () => {
  it('changes only the subscription documents when a new newest article does not fill a chunk', () => {
    // Prepare
    const articles = buildSeries(7);
    const before = renderAll(articles, 3);

    // Act
    const after = renderAll([...articles, buildArticle('a7', 7, { tags: ['news'] })], 3);

    // Assess
    expect(changedKeys(before, after)).toEqual(['atom.xml', 'feed.json', 'rss.xml', 'tags/news/atom.xml', 'tags/news/feed.json', 'tags/news/rss.xml']);
  });

  it('adds one archive page per channel when a new newest article fills a chunk, relinking only the page before it', () => {
    // Prepare
    const articles = buildSeries(8);
    const before = renderAll(articles, 3);

    // Act
    const after = renderAll([...articles, buildArticle('a8', 8, { tags: ['news'] })], 3);

    // Assess: archive/2's next-archive moves from the current document to archive/3 (JSON Feed has no such link)
    const added = ['', 'archive/3/', 'tags/news/', 'tags/news/archive/3/'].flatMap((folder) => ['atom.xml', 'feed.json', 'rss.xml'].map((file) => `${folder}${file}`));
    const relinked = ['archive/2/', 'tags/news/archive/2/'].flatMap((folder) => ['atom.xml', 'rss.xml'].map((file) => `${folder}${file}`));
    expect(changedKeys(before, after)).toEqual([...added, ...relinked].sort());
    expect(before.has('archive/3/rss.xml')).toBe(false);
  });
});

describe('archive rewrites', () => {
  it('rewrites only the archive pages from a back-dated article onwards', () => {
    // Prepare
    const articles = buildSeries(9);
    const before = renderAll(articles, 3);

    // Act
    const after = renderAll([...articles, buildArticle('late', 4.5, { tags: [] })], 3);

    // Assess
    expect(changedKeys(before, after).filter((key) => key.startsWith('archive/'))).toEqual(
      ['archive/2/', 'archive/3/'].flatMap((folder) => ['atom.xml', 'feed.json', 'rss.xml'].map((file) => `${folder}${file}`)),
    );
  });

  it('names the WebSub hub in subscription documents only', () => {
    // Prepare
    const articles = buildSeries(4);
    const site = buildSite({ itemsPerFeed: 2, websubHub: 'https://hub.example.com/' });
    const byId = new Map(articles.map((article) => [article.id, article]));

    // Act
    const docs = planFeedPages(articles, site).flatMap((page) => renderFeedPage(page, byId, new Map(), site));

    // Assess
    const withHub = docs.filter((doc) => doc.body.includes('https://hub.example.com/')).map((doc) => doc.key);
    expect(withHub).toEqual(['rss.xml', 'atom.xml', 'feed.json', 'tags/news/rss.xml', 'tags/news/atom.xml', 'tags/news/feed.json']);
  });
});

describe('findTranslations', () => {
  it('accepts plan entries in any order and links the newest version per language', () => {
    // Prepare
    const entries: PlanEntry[] = [
      buildArticle('old', 0, { lang: 'fr', translationKey: 'k' }),
      buildArticle('new', 1, { lang: 'fr', translationKey: 'k' }),
      buildArticle('en', 0, { translationKey: 'k' }),
    ];

    // Act
    const forward = findTranslations(entries);
    const backward = findTranslations([...entries].reverse());

    // Assess
    expect(forward.get(entries[2]!.id)).toEqual([{ lang: 'fr', url: entries[1]!.url }]);
    expect(backward).toEqual(forward);
  });
});
