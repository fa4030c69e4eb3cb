/**
 * The human side of the site: an index page listing the newest articles with Subscribe links,
 * one page per article that has no page elsewhere (no `canonicalUrl`), and the style sheet.
 * Pure and deterministic: the same articles give the same bytes.
 */
import type { Article, SiteConfig } from '../content/article.js';
import { renderArticlePage } from './article-page.js';
import { SITE_CSS } from './site-css.js';
import { type FeedLink, feedLinksFrom, sortFeedLinks } from '../plan/feed-links.js';
import { feedStylesheetUrl, linkFeedStylesheet, renderFeedStylesheet } from './feed-stylesheet.js';
import { CACHE_CONTROL_FEED, contentTypeFor, type OutputDocument } from '../plan/outputs.js';
import { autodiscoveryLinks, renderDate, renderSubscribe } from './page-parts.js';
import { escapeHtml } from '../text/escape.js';
import { languageAttributes, renderShell, safeUrl, SITE_STYLESHEET_KEY } from './page-template.js';

export type { FeedLink } from '../plan/feed-links.js';
export { feedLinksFrom } from '../plan/feed-links.js';
export { PAGE_CONTENT_SECURITY_POLICY, SITE_STYLESHEET_KEY } from './page-template.js';

/** Key of the index page. */
export const INDEX_PAGE_KEY = 'index.html';

/**
 * Renders the style sheet, `index.html` and one `…/index.html` per article without
 * `canonicalUrl`, keyed by the article's URL below `site.siteUrl`. Input articles are
 * already selected (no drafts, no duplicate URLs).
 */
export function renderPages(articles: readonly Article[], site: SiteConfig, feeds: readonly FeedLink[]): OutputDocument[] {
  const sorted = sortNewestFirst(articles);
  const pages = sorted.flatMap((article) => {
    const key = articlePageKey(article, site);
    if (key === undefined) return [];
    return [toDocument(key, renderArticlePage(article, site, feeds, translationsOf(article, sorted)))];
  });
  pages.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return [
    toDocument(SITE_STYLESHEET_KEY, SITE_CSS),
    toDocument(INDEX_PAGE_KEY, renderIndexPage(sorted.slice(0, site.itemsPerFeed), site, feeds)),
    ...pages,
  ];
}

/**
 * Everything a browser needs around the feed documents from `renderFeeds`: the same feeds with
 * the XML ones linked to `feed.xsl`, then the style sheets, the index and the article pages.
 * Readers see the same feeds plus one processing instruction they ignore.
 */
export function addBrowserViews(
  feedDocuments: readonly OutputDocument[],
  articles: readonly Article[],
  site: SiteConfig,
): OutputDocument[] {
  const href = feedStylesheetUrl(site);
  const feeds = feedDocuments.map((document) => linkFeedStylesheet(document, href));
  return [...feeds, renderFeedStylesheet(site), ...renderPages(articles, site, feedLinksFrom(feeds, site))];
}

/**
 * The page key of an article published here (`articles/<slug>/index.html`, or
 * `<lang>/articles/<slug>/index.html`), or `undefined` when its page lives elsewhere.
 */
export function articlePageKey(article: Article, site: SiteConfig): string | undefined {
  if (article.canonicalUrl !== undefined) return undefined;
  if (!article.url.startsWith(site.siteUrl) || !article.url.endsWith('/')) return undefined;
  const path = article.url.slice(site.siteUrl.length);
  // Never write outside the site's own folders (an empty path would overwrite the index).
  if (path === '' || path.split('/').some((segment) => segment === '..' || segment === '.')) return undefined;
  return `${path}index.html`;
}

/** Newest first; equal dates by id, so the order never depends on the input order. */
function sortNewestFirst(articles: readonly Article[]): Article[] {
  return [...articles].sort((a, b) => b.date.getTime() - a.date.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The other-language versions of an article (same `translationKey`), by language. */
function translationsOf(article: Article, articles: readonly Article[]): Article[] {
  if (article.translationKey === undefined) return [];
  return articles
    .filter((other) => other.translationKey === article.translationKey && other.id !== article.id)
    .sort((a, b) => (a.lang < b.lang ? -1 : a.lang > b.lang ? 1 : 0));
}

function toDocument(key: string, body: string): OutputDocument {
  // Pages change whenever content is published, like the feeds they list.
  return { key, body, contentType: contentTypeFor(key), cacheControl: CACHE_CONTROL_FEED };
}

function renderIndexPage(articles: readonly Article[], site: SiteConfig, feeds: readonly FeedLink[]): string {
  const sortedFeeds = sortFeedLinks(feeds, site.language);
  const list =
    articles.length === 0
      ? '<p>No articles yet.</p>'
      : `<ol class="articles">\n${articles.map((article) => renderListItem(article, site)).join('\n')}\n</ol>`;
  return renderShell({
    title: site.title,
    lang: site.language,
    canonicalUrl: site.siteUrl,
    description: site.description,
    siteUrl: site.siteUrl,
    siteTitle: site.title,
    siteLang: site.language,
    headLinks: autodiscoveryLinks(sortedFeeds),
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

function renderListItem(article: Article, site: SiteConfig): string {
  const href = safeUrl(article.url) ?? site.siteUrl;
  const summary = article.summary ? `\n<p>${escapeHtml(article.summary)}</p>` : '';
  return (
    `<li${languageAttributes(article.lang, site.language)}><article>\n` +
    `<h3><a href="${escapeHtml(href)}">${escapeHtml(article.title)}</a></h3>\n` +
    `<p class="meta">${renderDate(article.date, article.lang, site.timezone)}</p>${summary}\n` +
    '</article></li>'
  );
}
