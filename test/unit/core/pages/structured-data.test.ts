import { describe, expect, it } from 'vitest';
import { renderArticlePage } from '../../../../lambdas/core/pages/article-page.js';
import { renderIndexPage } from '../../../../lambdas/core/pages/render-pages.js';
import { buildArticle, buildSite } from '../../../support/article-factory.js';

/** Every JSON-LD block of a page, parsed back. */
function jsonLdOf(html: string): Record<string, unknown>[] {
  return [...html.matchAll(/<script type="application\/ld\+json">([^<]*)<\/script>/g)].map((match) => JSON.parse(match[1] ?? '') as Record<string, unknown>);
}

describe('structured data', () => {
  const site = buildSite();

  it('gives an article page a NewsArticle with every property search engines require', () => {
    // Prepare
    const article = buildArticle('story', 0, { image: 'https://news.example.com/lead.jpg', lang: 'id' });

    // Act
    const [data] = jsonLdOf(renderArticlePage(article, site, [], []));

    // Assess
    expect(data).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: article.title,
      datePublished: article.date.toISOString(),
      dateModified: article.date.toISOString(),
      author: [{ '@type': 'Person', name: 'Rina Editor' }],
      publisher: { '@type': 'Organization', name: site.title, logo: { '@type': 'ImageObject', url: site.image } },
      image: ['https://news.example.com/lead.jpg'],
      inLanguage: 'id',
      isAccessibleForFree: true,
    });
  });

  it('escapes < in JSON-LD so a title cannot close the script element', () => {
    // Prepare
    const article = buildArticle('story', 0, { title: 'Hi </script><script>alert(1)</script>' });

    // Act
    const html = renderArticlePage(article, site, [], []);

    // Assess
    expect(html).toContain('Hi \\u003c/script>\\u003cscript>alert(1)\\u003c/script>');
    expect(jsonLdOf(html)[0]?.headline).toBe(article.title);
  });

  it('gives an article page Open Graph properties and a canonical link', () => {
    // Prepare
    const article = buildArticle('story', 0, { image: 'https://news.example.com/lead.jpg' });

    // Act
    const html = renderArticlePage(article, site, [], []);

    // Assess
    expect(html).toContain('<link rel="canonical" href="https://news.example.com/articles/story/">');
    expect(html).toContain('<meta property="og:type" content="article">');
    expect(html).toContain('<meta property="og:url" content="https://news.example.com/articles/story/">');
    expect(html).toContain('<meta property="og:image" content="https://news.example.com/lead.jpg">');
  });

  it('gives the index a WebSite and an Organization', () => {
    // Act
    const [data] = jsonLdOf(renderIndexPage([], site, []).body);

    // Assess
    const graph = (data?.['@graph'] ?? []) as Record<string, unknown>[];
    expect(graph.map((node) => node['@type'])).toEqual(['WebSite', 'Organization']);
    expect(graph[0]).toMatchObject({ url: site.siteUrl, name: site.title, inLanguage: 'en' });
    expect(graph[1]).toMatchObject({ url: site.siteUrl, name: site.title });
  });
});
