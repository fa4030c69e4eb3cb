import { describe, expect, it } from 'vitest';
import type { OutputDocument } from '../../../../lambdas/core/plan/outputs.js';
import { articlePageKey, INDEX_PAGE_KEY, SITE_STYLESHEET_KEY } from '../../../../lambdas/core/plan/document-keys.js';
import { type FeedLink, feedLinksFrom } from '../../../../lambdas/core/plan/feed-links.js';
import { planFeedPages } from '../../../../lambdas/core/plan/feed-plan.js';
import { PAGE_CONTENT_SECURITY_POLICY } from '../../../../lambdas/core/pages/page-template.js';
import { renderPages, renderSite } from '../../../support/render-site.js';
import { buildArticle, buildSampleArticles, buildSite } from '../../../support/article-factory.js';

const site = buildSite();

/** The feed links of the sample articles' channels: English and Indonesian. */
function sampleFeeds(): FeedLink[] {
  return feedLinksFrom(planFeedPages(buildSampleArticles(), site), site);
}

/** The body of the document with `key`, failing the test when it is missing. */
function bodyOf(documents: readonly OutputDocument[], key: string): string {
  const document = documents.find((candidate) => candidate.key === key);
  expect(document, `document ${key}`).toBeDefined();
  return document?.body ?? '';
}

/** Every `<link …>` element of a page's head. */
function linkElements(html: string): string[] {
  return html.match(/<link [^>]*>/g) ?? [];
}

/** A page without its JSON-LD data blocks (the only `<script>` elements a page may carry). */
function withoutJsonLd(html: string): string {
  return html.replace(/<script type="application\/ld\+json">[^<]*<\/script>/g, '');
}

describe('renderPages', () => {
  it('renders a page at the URL path of every article without canonicalUrl', () => {
    // Prepare
    const articles = buildSampleArticles();

    // Act
    const keys = renderPages(articles, site, sampleFeeds()).map((document) => document.key);

    // Assess
    expect(keys).toEqual([
      SITE_STYLESHEET_KEY,
      INDEX_PAGE_KEY,
      'articles/festival-guide/index.html',
      'articles/harbour-reopens/index.html',
      'articles/rice-prices/index.html',
      'id/articles/harga-beras/index.html',
    ]);
  });

  it('serves every document as HTML or CSS with the feed cache lifetime', () => {
    // Prepare
    const articles = buildSampleArticles();

    // Act
    const documents = renderPages(articles, site, sampleFeeds());

    // Assess
    expect(documents.find((d) => d.key === SITE_STYLESHEET_KEY)?.contentType).toBe('text/css; charset=utf-8');
    for (const document of documents.filter((d) => d.key.endsWith('.html'))) {
      expect(document.contentType).toBe('text/html; charset=utf-8');
      expect(document.cacheControl).toMatch(/max-age=60/);
    }
  });

  it('gives no page to an article published elsewhere but links to it from the index', () => {
    // Prepare
    const canonicalUrl = 'https://other.example.org/stories/42';
    const elsewhere = buildArticle('elsewhere', 5, { canonicalUrl, url: canonicalUrl });

    // Act
    const documents = renderPages([elsewhere], site, sampleFeeds());

    // Assess
    expect(documents.map((d) => d.key)).toEqual([SITE_STYLESHEET_KEY, INDEX_PAGE_KEY]);
    expect(bodyOf(documents, INDEX_PAGE_KEY)).toContain(`<a href="${canonicalUrl}">Title of elsewhere</a>`);
  });

  it('shows titles, summaries and tags as text, never as markup', () => {
    // Prepare
    const hostile = buildArticle('hostile', 0, {
      title: 'AT&T <b>bold</b> "quoted"',
      summary: '<script>alert(1)</script>',
      tags: ['<i>tag</i>'],
    });

    // Act
    const documents = renderPages([hostile], site, sampleFeeds());

    // Assess
    const page = bodyOf(documents, 'articles/hostile/index.html');
    const index = bodyOf(documents, INDEX_PAGE_KEY);
    expect(page).toContain('<h1>AT&amp;T &lt;b&gt;bold&lt;/b&gt; &quot;quoted&quot;</h1>');
    expect(page).toContain('<li>&lt;i&gt;tag&lt;/i&gt;</li>');
    expect(index).toContain('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(withoutJsonLd(`${page}${index}`)).not.toMatch(/<script|<b>|<i>/);
    expect(page.match(/<\/script/g)).toHaveLength(1);
  });

  it('marks right-to-left articles with their language and direction', () => {
    // Prepare
    const arabic = buildArticle('khabar', 0, { lang: 'ar', title: 'خبر عاجل' });

    // Act
    const documents = renderPages([arabic], site, sampleFeeds());

    // Assess
    expect(bodyOf(documents, 'ar/articles/khabar/index.html')).toContain('<html lang="ar" dir="rtl">');
    expect(bodyOf(documents, INDEX_PAGE_KEY)).toContain('<li lang="ar" dir="rtl"><article>');
  });

  it('writes the page language, canonical link, date, authors, image and body', () => {
    // Prepare
    const [harbour] = buildSampleArticles();

    // Act
    const page = bodyOf(renderPages([harbour!], site, sampleFeeds()), 'articles/harbour-reopens/index.html');

    // Assess
    expect(page).toContain('<html lang="en" dir="ltr">');
    expect(page).toContain('<link rel="canonical" href="https://news.example.com/articles/harbour-reopens/">');
    expect(page).toContain('<time datetime="2021-11-01T08:00:00.000Z">November 1, 2021</time>');
    expect(page).toContain('by <a href="https://news.example.com/about/rina/">Rina Editor</a>');
    expect(page).toContain('<img src="https://news.example.com/images/harbour.jpg" alt="">');
    expect(page).toContain(harbour!.contentHtml);
    expect(page).toContain('<a href="https://news.example.com/">All articles</a>');
  });

  it('says a machine-translated article is one, and from which language', () => {
    // Prepare
    const article = buildArticle('translated', 0, { machineTranslated: true, translatedFrom: 'id' });

    // Act
    const page = bodyOf(renderPages([article], site, []), 'articles/translated/index.html');

    // Assess
    expect(page).toContain('<p class="meta" lang="en" dir="ltr">Machine-translated from Indonesian.</p>');
  });

  it('keeps the alt text of images in the body', () => {
    // Prepare
    const contentHtml = '<p><img src="https://news.example.com/map.png" alt="Map of the harbour"></p>';
    const article = buildArticle('map', 0, { contentHtml });

    // Act
    const page = bodyOf(renderPages([article], site, []), 'articles/map/index.html');

    // Assess
    expect(page).toContain('alt="Map of the harbour"');
  });

  it('drops an image whose URL is not http(s)', () => {
    // Prepare
    const article = buildArticle('trap', 0, { image: 'javascript:alert(1)' });

    // Act
    const page = bodyOf(renderPages([article], site, []), 'articles/trap/index.html');

    // Assess
    expect(page).not.toContain('javascript:');
    expect(page).not.toContain('lead-image');
  });

  it('advertises every feed of every language on the index page', () => {
    // Prepare
    const feeds = sampleFeeds();

    // Act
    const index = bodyOf(renderPages(buildSampleArticles(), site, feeds), INDEX_PAGE_KEY);

    // Assess
    const alternates = linkElements(index).filter((link) => link.includes('rel="alternate"'));
    expect(alternates).toEqual([
      '<link rel="alternate" type="application/rss+xml" href="https://news.example.com/rss.xml" title="Nusantara Daily (RSS)" hreflang="en">',
      '<link rel="alternate" type="application/atom+xml" href="https://news.example.com/atom.xml" title="Nusantara Daily (Atom)" hreflang="en">',
      '<link rel="alternate" type="application/feed+json" href="https://news.example.com/feed.json" title="Nusantara Daily (JSON Feed)" hreflang="en">',
      '<link rel="alternate" type="application/rss+xml" href="https://news.example.com/id/rss.xml" title="Nusantara Daily (RSS, id)" hreflang="id">',
      '<link rel="alternate" type="application/atom+xml" href="https://news.example.com/id/atom.xml" title="Nusantara Daily (Atom, id)" hreflang="id">',
      '<link rel="alternate" type="application/feed+json" href="https://news.example.com/id/feed.json" title="Nusantara Daily (JSON Feed, id)" hreflang="id">',
    ]);
  });

  it('shows visible Subscribe links for every feed', () => {
    // Prepare
    const feeds = sampleFeeds();

    // Act
    const index = bodyOf(renderPages([], site, feeds), INDEX_PAGE_KEY);

    // Assess
    expect(index).toContain('<h2 id="subscribe">Subscribe</h2>');
    for (const feed of feeds) expect(index).toContain(`<a href="${feed.url}" type="`);
    expect(index).toContain('<span lang="id" dir="ltr">Indonesia</span>');
  });

  it('advertises the feeds of the article language on its page', () => {
    // Prepare
    const indonesian = buildArticle('berita', 0, { lang: 'id' });

    // Act
    const page = bodyOf(renderPages([indonesian], site, sampleFeeds()), 'id/articles/berita/index.html');

    // Assess
    const feedLinks = linkElements(page).filter((link) => link.includes('type="application/'));
    expect(feedLinks).toHaveLength(3);
    expect(feedLinks.every((link) => link.includes('href="https://news.example.com/id/'))).toBe(true);
  });

  it('links translations to each other with hreflang', () => {
    // Prepare
    const articles = [
      buildArticle('rice-prices', 1, { translationKey: 'rice' }),
      buildArticle('harga-beras', 1, { lang: 'id', translationKey: 'rice' }),
    ];

    // Act
    const documents = renderPages(articles, site, sampleFeeds());

    // Assess
    expect(bodyOf(documents, 'articles/rice-prices/index.html')).toContain(
      '<link rel="alternate" hreflang="id" href="https://news.example.com/id/articles/harga-beras/">',
    );
    expect(bodyOf(documents, 'id/articles/harga-beras/index.html')).toContain(
      '<link rel="alternate" hreflang="en" href="https://news.example.com/articles/rice-prices/">',
    );
  });

  it('lists at most itemsPerFeed articles on the index, newest first', () => {
    // Prepare
    const articles = [0, 3, 1, 2].map((day) => buildArticle(`day-${day}`, day));
    const small = buildSite({ itemsPerFeed: 3 });

    // Act
    const index = bodyOf(renderPages(articles, small, []), INDEX_PAGE_KEY);

    // Assess
    const titles = [...index.matchAll(/<h3><a href="[^"]*">([^<]*)<\/a><\/h3>/g)].map((match) => match[1]);
    expect(titles).toEqual(['Title of day-3', 'Title of day-2', 'Title of day-1']);
  });

  it('says so when there are no articles yet', () => {
    // Act
    const index = bodyOf(renderPages([], site, []), INDEX_PAGE_KEY);

    // Assess
    expect(index).toContain('<p>No articles yet.</p>');
    expect(index).not.toContain('class="subscribe"');
  });

  it('renders the same bytes whatever the input order', () => {
    // Prepare
    const articles = buildSampleArticles();

    // Act
    const first = renderPages(articles, site, sampleFeeds());
    const second = renderPages([...articles].reverse(), site, [...sampleFeeds()].reverse());

    // Assess
    expect(second).toEqual(first);
  });

  it('loads nothing the content security policy forbids: no script, no inline style', () => {
    // Prepare
    const documents = renderPages(buildSampleArticles(), site, sampleFeeds());

    // Act
    const pages = documents.filter((document) => document.key.endsWith('.html')).map((document) => document.body);

    // Assess
    expect(PAGE_CONTENT_SECURITY_POLICY).toMatch(/default-src 'none'; style-src 'self'/);
    for (const page of pages) {
      // JSON-LD is a data block, never executed, so the CSP's missing script-src does not apply to it.
      expect(withoutJsonLd(page)).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=/i);
      expect(page).toContain('<link rel="stylesheet" href="https://news.example.com/assets/site.css">');
      expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    }
  });

  it('gives every page a language, one h1, landmarks, a skip link and alt text on every image', () => {
    // Prepare
    const documents = renderPages(buildSampleArticles(), site, sampleFeeds());

    // Act
    const pages = documents.filter((document) => document.key.endsWith('.html')).map((document) => document.body);

    // Assess
    expect(pages).toHaveLength(5);
    for (const page of pages) {
      expect(page).toMatch(/^<!DOCTYPE html>\n<html lang="[a-z-]+" dir="(ltr|rtl)">/);
      expect(page.match(/<h1>/g)).toHaveLength(1);
      for (const landmark of ['<header class="site"', '<main id="main">', '<footer class="site">']) expect(page).toContain(landmark);
      expect(page).toContain('<a class="skip" href="#main">');
      for (const image of page.match(/<img [^>]*>/g) ?? []) expect(image).toMatch(/ alt="[^"]*"/);
    }
  });

  it('renders the index page', () => {
    // Act
    const index = bodyOf(renderPages(buildSampleArticles(), site, sampleFeeds()), INDEX_PAGE_KEY);

    // Assess
    expect(index).toMatchSnapshot();
  });

  it('renders an article page', () => {
    // Act
    const documents = renderPages(buildSampleArticles(), site, sampleFeeds());

    // Assess
    expect(bodyOf(documents, 'articles/rice-prices/index.html')).toMatchSnapshot();
  });
});

describe('articlePageKey', () => {
  it('keys a page by the article URL below the site URL', () => {
    // Prepare
    const article = buildArticle('harga', 0, { lang: 'id' });

    // Act
    const key = articlePageKey(article, site);

    // Assess
    expect(key).toBe('id/articles/harga/index.html');
  });

  it('gives no key to a URL outside the site', () => {
    // Prepare
    const article = buildArticle('away', 0, { url: 'https://elsewhere.example.org/articles/away/' });

    // Act
    const key = articlePageKey(article, site);

    // Assess
    expect(key).toBeUndefined();
  });
});

describe('renderSite', () => {
  it('adds a feed view per channel, the style sheet and the pages, and links no feed to a style sheet', () => {
    // Prepare
    const articles = buildSampleArticles();

    // Act
    const documents = renderSite(articles, site);

    // Assess
    const byKey = new Map(documents.map((document) => [document.key, document]));
    for (const key of ['rss.xml', 'atom.xml', 'id/rss.xml', 'id/atom.xml']) expect(byKey.get(key)?.body).not.toContain('xml-stylesheet');
    expect([...byKey.keys()].filter((key) => key.endsWith('.xsl'))).toEqual([]);
    for (const key of ['feed.html', 'id/feed.html']) expect(byKey.get(key)?.role).toBe('feed-view');
    expect(byKey.get('index.html')?.body).toContain('href="https://news.example.com/id/atom.xml"');
    for (const page of renderPages(articles, site, sampleFeeds())) expect(byKey.get(page.key), page.key).toEqual(page);
  });
});
