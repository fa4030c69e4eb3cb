/**
 * One article's own page (`articles/<slug>/index.html`): title, dates, authors, lead image,
 * the sanitized body, tags and links to its translations and feeds.
 */
import type { Article, Person, SiteConfig } from '../content/article.js';
import { type FeedLink, sortFeedLinks } from '../plan/feed-links.js';
import { directionOf } from '../text/language.js';
import { escapeHtml } from '../text/escape.js';
import { languageAttributes, renderShell, safeUrl } from './page-template.js';
import { autodiscoveryLinks, renderDate, renderSubscribe } from './page-parts.js';
import { machineTranslationText } from '../feeds/translation-note.js';
import { newsArticleJsonLd, openGraphMeta } from './structured-data.js';

/** What a page shows of another language version: only these fields, so a catalog entry will do. */
export type TranslationLink = Pick<Article, 'lang' | 'url' | 'title'>;

/** The page of `article`, whose canonical URL is `pageUrl`. `translations` are its other-language versions. */
export function renderArticlePage(
  article: Article,
  site: SiteConfig,
  feeds: readonly FeedLink[],
  translations: readonly TranslationLink[],
): string {
  const ownFeeds = feedsFor(feeds, article.lang);
  const alternates = translations.map(
    (other) => `<link rel="alternate" hreflang="${escapeHtml(other.lang)}" href="${escapeHtml(other.url)}">`,
  );
  return renderShell({
    title: `${article.title} – ${site.title}`,
    lang: article.lang,
    canonicalUrl: article.url,
    ...(article.summary ? { description: article.summary } : {}),
    siteUrl: site.siteUrl,
    siteTitle: site.title,
    siteLang: site.language,
    headLinks: [
      ...autodiscoveryLinks(ownFeeds),
      ...alternates,
      ...openGraphMeta({ type: 'article', title: article.title, url: article.url, siteName: site.title, lang: article.lang, ...(article.summary ? { description: article.summary } : {}), ...(article.image ? { image: article.image } : {}) }),
      newsArticleJsonLd(article, site),
    ],
    main: renderArticle(article, site, translations),
    footer: [
      `<nav aria-label="Site"><a href="${escapeHtml(site.siteUrl)}">All articles</a></nav>`,
      renderSubscribe(ownFeeds, article.lang),
      `<p${languageAttributes(site.language, article.lang)}>${escapeHtml(site.copyright)}</p>`,
    ].join('\n'),
  });
}

/** The feeds in the article's language, or every feed when none is in it. */
function feedsFor(feeds: readonly FeedLink[], lang: string): FeedLink[] {
  const own = feeds.filter((feed) => feed.lang === lang);
  return sortFeedLinks(own.length > 0 ? own : feeds, lang);
}

function renderArticle(article: Article, site: SiteConfig, translations: readonly TranslationLink[]): string {
  const image = safeUrl(article.image);
  return [
    '<article>',
    '<header>',
    `<h1>${escapeHtml(article.title)}</h1>`,
    `<p class="meta">${renderByline(article, site)}</p>`,
    '</header>',
    // The lead image only illustrates the title, so it is decorative for screen readers.
    ...(image ? [`<figure class="lead-image"><img src="${escapeHtml(image)}" alt=""></figure>`] : []),
    ...(article.machineTranslated ? [renderTranslationNote(article)] : []),
    `<div class="content">\n${article.contentHtml}\n</div>`,
    ...renderTags(article.tags),
    ...renderTranslations(translations),
    '</article>',
  ].join('\n');
}

function renderByline(article: Article, site: SiteConfig): string {
  const parts = [renderDate(article.date, article.lang, site.timezone)];
  if (article.updated && article.updated.getTime() !== article.date.getTime()) {
    parts.push(`updated ${renderDate(article.updated, article.lang, site.timezone)}`);
  }
  if (article.authors.length > 0) parts.push(`by ${article.authors.map(renderPerson).join(', ')}`);
  return parts.join(' · ');
}

function renderPerson(person: Person): string {
  const url = safeUrl(person.url);
  const name = escapeHtml(person.name);
  return url ? `<a href="${escapeHtml(url)}">${name}</a>` : name;
}

function renderTranslationNote(article: Article): string {
  return `<p class="meta" lang="en" dir="ltr">${escapeHtml(machineTranslationText(article))}</p>`;
}

function renderTags(tags: readonly string[]): string[] {
  if (tags.length === 0) return [];
  const items = tags.map((tag) => `<li>${escapeHtml(tag)}</li>`).join('');
  return [`<ul class="tags" aria-label="Tags">${items}</ul>`];
}

function renderTranslations(translations: readonly TranslationLink[]): string[] {
  if (translations.length === 0) return [];
  const items = translations.map(
    (other) =>
      `<li lang="${escapeHtml(other.lang)}" dir="${directionOf(other.lang)}">` +
      `<a href="${escapeHtml(other.url)}" hreflang="${escapeHtml(other.lang)}">${escapeHtml(other.title)}</a></li>`,
  );
  return [`<nav aria-label="Translations"><ul>${items.join('')}</ul></nav>`];
}
