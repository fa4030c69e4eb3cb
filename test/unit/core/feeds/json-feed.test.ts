import { describe, expect, it } from 'vitest';
import { renderJsonFeed, JSON_FEED_VERSION } from '../../../../lambdas/core/feeds/json-feed.js';
import { planFeedSets } from '../../../support/render-site.js';
import { buildArticle, buildSite } from '../../../support/article-factory.js';

function renderRootJson(articles = [buildArticle('story')], site = buildSite()): Record<string, unknown> & { items: Record<string, unknown>[] } {
  const [set] = planFeedSets(articles, site);
  if (!set) throw new Error('no feed set');
  return JSON.parse(renderJsonFeed(set)) as Record<string, unknown> & { items: Record<string, unknown>[] };
}

describe('renderJsonFeed', () => {
  it('declares JSON Feed 1.1 with authors arrays and language, never the deprecated author', () => {
    // Act
    const feed = renderRootJson();

    // Assess
    expect(feed.version).toBe(JSON_FEED_VERSION);
    expect(feed).toMatchObject({ language: 'en', authors: [{ name: 'Rina Editor', url: 'https://news.example.com/about/rina/' }] });
    expect(feed).not.toHaveProperty('author');
    expect(feed.items[0]).toMatchObject({ language: 'en', authors: [{ name: 'Rina Editor', url: 'https://news.example.com/about/rina/' }] });
    expect(feed.items[0]).not.toHaveProperty('author');
  });

  it('writes publication and modification dates separately', () => {
    // Prepare
    const article = buildArticle('story', 0, { date: new Date('2021-11-07T01:00:00Z'), updated: new Date('2021-11-08T02:30:00Z') });

    // Act
    const [item] = renderRootJson([article]).items;

    // Assess
    expect(item).toMatchObject({ date_published: '2021-11-07T01:00:00.000Z', date_modified: '2021-11-08T02:30:00.000Z' });
  });

  it('leaves out optional members that have no value', () => {
    // Prepare
    const site = buildSite({ description: '', icon: undefined, image: undefined });
    const article = buildArticle('story', 0, { tags: [], image: undefined });

    // Act
    const feed = renderRootJson([article], site);

    // Assess
    expect(Object.keys(feed)).toEqual(['version', 'title', 'home_page_url', 'feed_url', 'authors', 'language', 'items']);
    expect(Object.keys(feed.items[0] ?? {})).toEqual(['id', 'url', 'title', 'content_html', 'summary', 'date_published', 'date_modified', 'authors', 'language', '_ninjs']);
  });

  it('points every item to its ninjs document with the _ninjs extension', () => {
    // Prepare
    const site = buildSite();
    const article = buildArticle('story');

    // Act
    const feed = renderRootJson([article], site);

    // Assess
    expect(feed.items[0]?._ninjs).toEqual({ about: 'https://iptc.org/standards/ninjs/', url: 'https://news.example.com/articles/story/ninjs.json' });
  });

  it('ends the document with a newline', () => {
    // Prepare
    const [set] = planFeedSets([], buildSite());

    // Act
    const body = renderJsonFeed(set!);

    // Assess
    expect(body.endsWith('}\n')).toBe(true);
  });
});
