import { describe, expect, it } from 'vitest';
import type { Article } from '../../../../lambdas/core/content/article.js';
import { renderFeedView } from '../../../../lambdas/core/pages/feed-view-page.js';
import { PAGE_CONTENT_SECURITY_POLICY } from '../../../../lambdas/core/pages/page-template.js';
import { planFeedPages, type FeedPage } from '../../../../lambdas/core/plan/feed-plan.js';
import { roleOfKey } from '../../../../lambdas/core/plan/document-keys.js';
import { buildArticle, buildSampleArticles, buildSite } from '../../../support/article-factory.js';
import { renderSite } from '../../../support/render-site.js';

const site = buildSite();

/** The subscription page of `channelId` planned for `articles`, with the articles by id. */
function subscriptionPage(articles: readonly Article[], channelId: string, options = site): { page: FeedPage; byId: Map<string, Article> } {
  const page = planFeedPages(articles, options).find((candidate) => candidate.channel.id === channelId && candidate.archive === undefined);
  if (page === undefined) throw new Error(`no channel ${channelId}`);
  return { page, byId: new Map(articles.map((article) => [article.id, article])) };
}

describe('renderFeedView', () => {
  it('shows the channel title, the site description and every item with title, date, summary and link, newest first', () => {
    // Prepare
    const { page, byId } = subscriptionPage(buildSampleArticles(), 'main:en');

    // Act
    const { body } = renderFeedView(page, byId, site);

    // Assess
    expect(body).toContain('<h1>Nusantara Daily</h1>');
    expect(body).toContain('<p>News from the archipelago, every morning.</p>');
    const links = [...body.matchAll(/<h3><a href="([^"]+)">/g)].map((match) => match[1]);
    expect(links).toEqual(['festival-guide', 'rice-prices', 'harbour-reopens'].map((slug) => `https://news.example.com/articles/${slug}/`));
    expect(body).toContain('Festival guide &lt;2021&gt;');
    expect(body).toContain('<time datetime="2021-11-03T08:00:00.000Z">');
    expect(body).toContain('<p>Summary of harbour-reopens.</p>');
  });

  it('lists the addresses of the three formats to copy into a reader', () => {
    // Prepare
    const { page, byId } = subscriptionPage(buildSampleArticles(), 'tag:en:weather');

    // Act
    const { body } = renderFeedView(page, byId, site);

    // Assess
    expect(body).toContain('<h2 id="subscribe">How to subscribe</h2>');
    for (const file of ['rss.xml', 'atom.xml', 'feed.json']) expect(body).toContain(`<code>https://news.example.com/tags/weather/${file}</code>`);
    expect(body).toContain('<link rel="alternate" type="application/rss+xml" href="https://news.example.com/tags/weather/rss.xml"');
  });

  it('names no JSON Feed address when partner access is on', () => {
    // Prepare
    const partnerSite = buildSite({ partnerAccess: true });
    const { page, byId } = subscriptionPage(buildSampleArticles(), 'main:en', partnerSite);

    // Act
    const { body } = renderFeedView(page, byId, partnerSite);

    // Assess
    expect(body).not.toContain('feed.json');
    expect(body).not.toContain('application/feed+json');
    expect(body).toContain('<code>https://news.example.com/atom.xml</code>');
  });

  it('keys the view in the channel folder with the feed-view role, as the layout reads it back', () => {
    // Prepare
    const { page, byId } = subscriptionPage(buildSampleArticles(), 'main:id');

    // Act
    const view = renderFeedView(page, byId, site);

    // Assess
    expect(view).toMatchObject({ key: 'id/feed.html', role: 'feed-view', channel: 'main:id', contentType: 'text/html; charset=utf-8' });
    expect(roleOfKey(view.key)).toBe('feed-view');
    expect(view.body).toContain('<html lang="id" dir="ltr">');
    expect(view.body).toContain('<section class="subscribe" aria-labelledby="subscribe" lang="en" dir="ltr">');
  });

  it('loads nothing the pages security policy forbids: no script, no inline style, no style sheet instruction', () => {
    // Prepare
    const { page, byId } = subscriptionPage(buildSampleArticles(), 'main:en');

    // Act
    const { body } = renderFeedView(page, byId, site);

    // Assess
    expect(PAGE_CONTENT_SECURITY_POLICY).not.toContain('script-src');
    expect(body).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=|xml-stylesheet/i);
    expect(body).toContain('<link rel="stylesheet" href="https://news.example.com/assets/site.css">');
  });

  it('says so when the channel has no articles yet', () => {
    // Prepare
    const { page, byId } = subscriptionPage([], 'main:en');

    // Act
    const { body } = renderFeedView(page, byId, site);

    // Assess
    expect(body).toContain('No articles yet.');
    expect(body).not.toContain('<ol');
  });

  it('refuses an archive page, which has no view', () => {
    // Prepare
    const articles = [0, 1, 2].map((day) => buildArticle(`story-${day}`, day));
    const small = buildSite({ itemsPerFeed: 2 });
    const archive = planFeedPages(articles, small).find((page) => page.archive === 1) as FeedPage;

    // Act
    const render = () => renderFeedView(archive, new Map(articles.map((article) => [article.id, article])), small);

    // Assess
    expect(render).toThrow(RangeError);
  });
});

describe('feed views in a publish', () => {
  it('writes one view per channel and none for archive pages', () => {
    // Prepare
    const articles = [...buildSampleArticles(), ...[0, 1, 2].map((day) => buildArticle(`story-${day}`, day))];

    // Act
    const documents = renderSite(articles, buildSite({ itemsPerFeed: 2 }));

    // Assess
    const views = documents.filter((document) => document.role === 'feed-view').map((document) => document.key).sort();
    expect(views).toEqual(['feed.html', 'id/feed.html', 'id/tags/ekonomi/feed.html', 'tags/culture/feed.html', 'tags/news/feed.html', 'tags/shipping/feed.html', 'tags/weather/feed.html']);
  });

  it('names no JSON Feed on any public page or list when partner access is on, yet still writes it', () => {
    // Prepare
    const partnerSite = buildSite({ partnerAccess: true });

    // Act
    const documents = renderSite(buildSampleArticles(), partnerSite);

    // Assess
    const json = documents.filter((document) => document.key.endsWith('feed.json'));
    expect(json.length).toBeGreaterThan(0);
    expect(json.every((document) => document.partnerOnly === true)).toBe(true);
    const publicDocuments = documents.filter((document) => !document.key.endsWith('.json'));
    for (const document of publicDocuments) expect(document.body, document.key).not.toMatch(/feed\.json|application\/feed\+json/);
  });

  it('names the JSON Feed on pages and in the feed list when partner access is off', () => {
    // Act
    const documents = renderSite(buildSampleArticles(), site);

    // Assess
    for (const key of ['index.html', 'feed.html', 'feeds.opml', 'articles/harbour-reopens/index.html']) {
      expect(documents.find((document) => document.key === key)?.body, key).toContain('https://news.example.com/feed.json');
    }
    expect(documents.some((document) => document.partnerOnly === true)).toBe(false);
  });
});
