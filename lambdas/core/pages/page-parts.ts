/**
 * Pieces that the index, the article pages and the feed views show: feed autodiscovery,
 * Subscribe links, article list items and dates.
 */
import type { Article, SiteConfig } from '../content/article.js';
import { FEED_FORMAT_LABELS, type FeedLink, feedMediaType } from '../plan/feed-links.js';
import { languageName } from '../text/language.js';
import { escapeHtml } from '../text/escape.js';
import { languageAttributes, safeUrl } from './page-template.js';

/** `<link rel="alternate">` for every feed, in the given order (readers take the first one). */
export function autodiscoveryLinks(feeds: readonly FeedLink[]): string[] {
  return feeds.map(
    (feed) =>
      `<link rel="alternate" type="${feedMediaType(feed.format)}" href="${escapeHtml(feed.url)}"` +
      ` title="${escapeHtml(feed.title)}" hreflang="${escapeHtml(feed.lang)}">`,
  );
}

/**
 * A Subscribe section listing, per language, links to its RSS, Atom and JSON Feed documents.
 * Empty when there are no feeds.
 */
export function renderSubscribe(feeds: readonly FeedLink[], pageLang: string): string {
  if (feeds.length === 0) return '';
  const languages = [...new Set(feeds.map((feed) => feed.lang))];
  const items = languages.map((lang) => {
    const links = feeds
      .filter((feed) => feed.lang === lang)
      .map(
        (feed) =>
          `<a href="${escapeHtml(feed.url)}" type="${feedMediaType(feed.format)}" hreflang="${escapeHtml(lang)}">` +
          `${FEED_FORMAT_LABELS[feed.format]}</a>`,
      );
    return `<li><span${languageAttributes(lang, pageLang)}>${escapeHtml(languageName(lang))}</span>: ${links.join(' · ')}</li>`;
  });
  return [
    '<section class="subscribe" aria-labelledby="subscribe">',
    '<h2 id="subscribe">Subscribe</h2>',
    '<p>Copy a feed link into your feed reader.</p>',
    `<ul>${items.join('')}</ul>`,
    '</section>',
  ].join('\n');
}

/** `<time>` with the exact instant, shown as a long date in `lang` and the site's time zone. */
export function renderDate(date: Date, lang: string, timeZone: string): string {
  return `<time datetime="${date.toISOString()}">${escapeHtml(formatDate(date, lang, timeZone))}</time>`;
}

function formatDate(date: Date, lang: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone }).format(date);
  } catch {
    // An unknown language tag or zone still shows a readable, unambiguous date.
    return date.toISOString().slice(0, 10);
  }
}

/** One article in a list of articles (inside a list in `outerLang`): linked title, date and summary. */
export function renderArticleListItem(article: Article, site: SiteConfig, outerLang: string): string {
  const href = safeUrl(article.url) ?? site.siteUrl;
  const summary = article.summary ? `\n<p>${escapeHtml(article.summary)}</p>` : '';
  return (
    `<li${languageAttributes(article.lang, outerLang)}><article>\n` +
    `<h3><a href="${escapeHtml(href)}">${escapeHtml(article.title)}</a></h3>\n` +
    `<p class="meta">${renderDate(article.date, article.lang, site.timezone)}</p>${summary}\n` +
    '</article></li>'
  );
}
