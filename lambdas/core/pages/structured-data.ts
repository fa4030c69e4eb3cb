/**
 * What search engines and link previews read in a page's head: schema.org JSON-LD
 * (`NewsArticle` on article pages, `WebSite` and `Organization` on the index) and Open Graph.
 * JSON-LD sits in `<script type="application/ld+json">`, a data block browsers never execute,
 * so the pages' CSP (no script-src) does not apply to it; `<` is written as `\u003c`, so no
 * text can close the element early.
 */
import type { Article, SiteConfig } from '../content/article.js';
import { authorsOf } from '../feeds/build-feed.js';
import { escapeHtml } from '../text/escape.js';
import { safeUrl } from './page-template.js';

/** A JSON-LD data block; every `<` escaped, so `</script>` cannot appear inside it. */
export function jsonLdScript(data: Record<string, unknown>): string {
  return `<script type="application/ld+json">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>`;
}

function publisherOf(site: SiteConfig): Record<string, unknown> {
  const logo = safeUrl(site.image ?? site.icon);
  return { '@type': 'Organization', name: site.title, url: site.siteUrl, ...(logo ? { logo: { '@type': 'ImageObject', url: logo } } : {}) };
}

/** `NewsArticle` JSON-LD of an article page. */
export function newsArticleJsonLd(article: Article, site: SiteConfig): string {
  const image = safeUrl(article.image);
  return jsonLdScript({
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    '@id': article.url,
    mainEntityOfPage: article.url,
    headline: article.title,
    ...(article.summary ? { description: article.summary } : {}),
    datePublished: article.date.toISOString(),
    dateModified: (article.updated ?? article.date).toISOString(),
    author: authorsOf(article, site).map((person) => ({ '@type': 'Person', name: person.name, ...(safeUrl(person.url) ? { url: person.url } : {}) })),
    publisher: publisherOf(site),
    ...(image ? { image: [image] } : {}),
    inLanguage: article.lang,
    isAccessibleForFree: true,
    ...(article.tags.length > 0 ? { keywords: article.tags.join(', ') } : {}),
  });
}

/** `WebSite` and `Organization` JSON-LD of the index page. */
export function websiteJsonLd(site: SiteConfig): string {
  return jsonLdScript({
    '@context': 'https://schema.org',
    '@graph': [
      { '@type': 'WebSite', '@id': `${site.siteUrl}#website`, url: site.siteUrl, name: site.title, description: site.description, inLanguage: site.language, publisher: { '@id': `${site.siteUrl}#organization` } },
      { ...publisherOf(site), '@id': `${site.siteUrl}#organization` },
    ],
  });
}

/** Open Graph `<meta>` elements (https://ogp.me/) of a page. */
export function openGraphMeta(page: { type: 'article' | 'website'; title: string; url: string; siteName: string; lang: string; description?: string; image?: string }): string[] {
  const image = safeUrl(page.image);
  const properties: [string, string | undefined][] = [
    ['og:type', page.type],
    ['og:title', page.title],
    ['og:url', page.url],
    ['og:site_name', page.siteName],
    ['og:locale', page.lang.replace('-', '_')],
    ['og:description', page.description],
    ['og:image', image],
  ];
  return properties.flatMap(([property, content]) => (content ? [`<meta property="${property}" content="${escapeHtml(content)}">`] : []));
}
