import { describe, expect, it } from 'vitest';
import { feedLinksFrom } from '../../../../lambdas/core/plan/feed-links.js';
import { renderFeeds } from '../../../../lambdas/core/feeds/render-feeds.js';
import { buildArticle, buildSite } from '../../../support/article-factory.js';

describe('feedLinksFrom', () => {
  it('advertises only the per-language main feeds, not tag feeds, archive pages or the feed list', () => {
    // Prepare
    const site = buildSite({ itemsPerFeed: 1 });
    const articles = [0, 1, 2].map((day) => buildArticle(`story-${day}`, day, { tags: ['World News'] }));
    const documents = renderFeeds([...articles, buildArticle('cerita', 3, { lang: 'id', tags: ['Berita'] })], site);

    // Act
    const links = feedLinksFrom(documents, site);

    // Assess
    expect(documents.map((document) => document.key)).toEqual(expect.arrayContaining(['tags/world-news/rss.xml', 'archive/1/rss.xml', 'id/tags/berita/atom.xml', 'feeds.opml']));
    expect(links.map((link) => link.url)).toEqual(
      ['rss.xml', 'atom.xml', 'feed.json', 'id/rss.xml', 'id/atom.xml', 'id/feed.json'].map((key) => `${site.siteUrl}${key}`),
    );
  });
});
