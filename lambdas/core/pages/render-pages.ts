/**
 * The human side of the site around the feeds: the index page listing the newest articles with
 * Subscribe links, and the site's style sheet (article pages are `article-page.ts`).
 * Pure and deterministic: the same articles give the same bytes.
 */
import type { Article, SiteConfig } from '../content/article.js';
import { SITE_CSS } from './site-css.js';
import { type FeedLink, sortFeedLinks } from '../plan/feed-links.js';
import { INDEX_PAGE_KEY, SITE_STYLESHEET_KEY } from '../plan/document-keys.js';
import { toOutputDocument, type OutputDocument } from '../plan/outputs.js';
import { escapeHtml } from '../text/escape.js';
import { autodiscoveryLinks, renderArticleListItem, renderSubscribe } from './page-parts.js';
import { renderShell } from './page-template.js';
import { openGraphMeta, websiteJsonLd } from './structured-data.js';

/** The site's style sheet, shared by every page and by the feed views. */
export function renderSiteStylesheet(): OutputDocument {
  return toOutputDocument(SITE_STYLESHEET_KEY, SITE_CSS, 'asset');
}

/**
 * `index.html`: the newest `site.itemsPerFeed` of `articles` (already selected: no drafts, no
 * duplicates), newest first, and the Subscribe links of `feeds`.
 */
export function renderIndexPage(articles: readonly Article[], site: SiteConfig, feeds: readonly FeedLink[]): OutputDocument {
  const newest = [...articles].sort((x, y) => y.date.getTime() - x.date.getTime() || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return toOutputDocument(INDEX_PAGE_KEY, renderIndexHtml(newest.slice(0, site.itemsPerFeed), site, feeds), 'index');
}

function renderIndexHtml(articles: readonly Article[], site: SiteConfig, feeds: readonly FeedLink[]): string {
  const sortedFeeds = sortFeedLinks(feeds, site.language);
  const list =
    articles.length === 0
      ? '<p>No articles yet.</p>'
      : `<ol class="articles">\n${articles.map((article) => renderArticleListItem(article, site, site.language)).join('\n')}\n</ol>`;
  return renderShell({
    title: site.title,
    lang: site.language,
    canonicalUrl: site.siteUrl,
    description: site.description,
    siteUrl: site.siteUrl,
    siteTitle: site.title,
    siteLang: site.language,
    headLinks: [
      ...autodiscoveryLinks(sortedFeeds),
      ...openGraphMeta({ type: 'website', title: site.title, url: site.siteUrl, siteName: site.title, lang: site.language, description: site.description, ...(site.image ? { image: site.image } : {}) }),
      websiteJsonLd(site),
    ],
    main: [
      `<h1>${escapeHtml(site.title)}</h1>`,
      `<p>${escapeHtml(site.description)}</p>`,
      '<section aria-labelledby="latest">',
      '<h2 id="latest">Latest articles</h2>',
      list,
      '</section>',
      renderSubscribe(sortedFeeds, site.language),
    ].join('\n'),
    footer: `<p>${escapeHtml(site.copyright)}</p>`,
  });
}
