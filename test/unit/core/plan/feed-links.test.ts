import { describe, expect, it } from 'vitest';
import { feedLinksFrom } from '../../../../lambdas/core/plan/feed-links.js';
import { planFeedPages } from '../../../../lambdas/core/plan/feed-plan.js';
import { buildArticle, buildSite } from '../../../support/article-factory.js';

describe('feedLinksFrom', () => {
  it('advertises only the per-language main feeds, not tag feeds or archive pages', () => {
    // Prepare
    const site = buildSite({ itemsPerFeed: 1 });
    const articles = [0, 1, 2].map((day) => buildArticle(`story-${day}`, day, { tags: ['World News'] }));
    const pages = planFeedPages([...articles, buildArticle('cerita', 3, { lang: 'id', tags: ['Berita'] })], site);

    // Act
    const links = feedLinksFrom(pages, site);

    // Assess
    expect(pages.flatMap((page) => Object.values(page.keys))).toEqual(expect.arrayContaining(['tags/world-news/rss.xml', 'archive/1/rss.xml', 'id/tags/berita/atom.xml']));
    expect(links.map((link) => link.url)).toEqual(
      ['rss.xml', 'atom.xml', 'feed.json', 'id/rss.xml', 'id/atom.xml', 'id/feed.json'].map((key) => `${site.siteUrl}${key}`),
    );
  });

  it('names each link by the language of its channel', () => {
    // Prepare
    const site = buildSite();
    const pages = planFeedPages([buildArticle('cerita', 0, { lang: 'id' })], site);

    // Act
    const links = feedLinksFrom(pages, site);

    // Assess
    expect(links.filter((link) => link.lang === 'id').map((link) => link.title)).toEqual([
      'Nusantara Daily (RSS, id)', 'Nusantara Daily (Atom, id)', 'Nusantara Daily (JSON Feed, id)',
    ]);
  });
});
