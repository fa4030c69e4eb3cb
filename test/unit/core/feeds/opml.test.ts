import { describe, expect, it } from 'vitest';
import { planFeedPages } from '../../../../lambdas/core/plan/feed-plan.js';
import { renderOpml } from '../../../../lambdas/core/feeds/opml.js';
import { OPML_KEY } from '../../../../lambdas/core/plan/document-keys.js';
import { CACHE_CONTROL_FEED, contentTypeFor } from '../../../../lambdas/core/plan/outputs.js';
import { buildArticle, buildSite } from '../../../support/article-factory.js';
import { feedOutlinesOf } from '../../../validation/opml-rules.js';
import { parseXmlTree } from '../../../validation/xml-tree.js';

describe('renderOpml', () => {
  it('lists every subscription feed of every channel with type, URLs and language, and no archive page', () => {
    // Prepare
    const site = buildSite({ itemsPerFeed: 1 });
    const pages = planFeedPages([buildArticle('a', 0, { tags: ['sport'] }), buildArticle('b', 1, { lang: 'id', tags: [] })], site);

    // Act
    const document = renderOpml(pages, site);

    // Assess
    expect(document).toMatchObject({ key: OPML_KEY, contentType: contentTypeFor('feeds.opml'), cacheControl: CACHE_CONTROL_FEED });
    expect(feedOutlinesOf(document.body).map(({ attributes }) => [attributes.type, attributes.xmlUrl, attributes.htmlUrl, attributes.language])).toEqual(
      ['rss.xml', 'atom.xml', 'feed.json', 'id/rss.xml', 'id/atom.xml', 'id/feed.json', 'tags/sport/rss.xml', 'tags/sport/atom.xml', 'tags/sport/feed.json'].map((key) => [
        'rss',
        `${site.siteUrl}${key}`,
        site.siteUrl,
        key.startsWith('id/') ? 'id' : 'en',
      ]),
    );
  });

  it('groups the three formats of a channel under one outline named by the channel title', () => {
    // Prepare
    const site = buildSite();
    const pages = planFeedPages([buildArticle('a', 0, { tags: ['World News'] })], site);

    // Act
    const body = parseXmlTree(renderOpml(pages, site).body).children.find((child) => child.name === 'body')!;

    // Assess
    expect(body.children.map((outline) => [outline.attributes.text, outline.children.map((feed) => feed.attributes.text)])).toEqual([
      ['Nusantara Daily', ['Nusantara Daily (RSS)', 'Nusantara Daily (Atom)', 'Nusantara Daily (JSON Feed)']],
      ['Nusantara Daily: World News', ['Nusantara Daily: World News (RSS)', 'Nusantara Daily: World News (Atom)', 'Nusantara Daily: World News (JSON Feed)']],
    ]);
  });

  it('escapes markup, quotes and ampersands in titles and tags and drops control characters', () => {
    // Prepare
    const site = buildSite({ title: 'A & B <"news">\u0007' });
    const pages = planFeedPages([buildArticle('a', 0, { tags: ['R&D "<x>"'] })], site);

    // Act
    const body = renderOpml(pages, site).body;

    // Assess
    const root = parseXmlTree(body);
    expect(root.children.find((child) => child.name === 'head')?.children.find((child) => child.name === 'title')?.text).toBe('A & B <"news">');
    expect(feedOutlinesOf(body).map((outline) => outline.attributes.text)).toContain('A & B <"news">: R&D "<x>" (Atom)');
    expect(body).not.toContain('\u0007');
  });

  it('renders the same bytes for the same plan', () => {
    // Prepare
    const site = buildSite();
    const articles = [buildArticle('a', 0, { tags: ['x', 'y'] }), buildArticle('b', 1, { tags: ['y'] })];

    // Act
    const first = renderOpml(planFeedPages(articles, site), site);
    const second = renderOpml(planFeedPages([...articles].reverse(), site), site);

    // Assess
    expect(second).toEqual(first);
  });
});
