/**
 * The feed view: the HTML page a browser gets when it opens one of a channel's subscription
 * feeds (the edge answers a request that prefers `text/html` with it). It shows what the feed
 * holds and how to subscribe, with the pages' shell and security policy: no script, no XSLT.
 */
import type { Article, SiteConfig } from '../content/article.js';
import { FEED_FORMAT_LABELS, feedMediaType, publicFeedFormats } from '../plan/feed-links.js';
import type { FeedPage } from '../plan/feed-plan.js';
import { toOutputDocument, type OutputDocument } from '../plan/outputs.js';
import { escapeHtml } from '../text/escape.js';
import { renderArticleListItem } from './page-parts.js';
import { languageAttributes, renderShell } from './page-template.js';

/** The language of the view's own words ("How to subscribe"), whatever the channel's language. */
const VIEW_LANGUAGE = 'en';

/**
 * The feed view of `page`, a subscription page (it has a `viewKey`): the channel's title, the
 * site's description, the addresses of its public feed formats to copy into a reader, and its
 * items (title, date, summary, link) newest first. It depends only on what the page's
 * signature covers (its plan and its members) and the site, so it is rendered exactly when the
 * page is. `articles` must hold every member id of the page.
 * @throws RangeError when `page` is an archive page or a member is missing.
 */
export function renderFeedView(page: FeedPage, articles: ReadonlyMap<string, Article>, site: SiteConfig): OutputDocument {
  if (page.viewKey === undefined) throw new RangeError(`Feed page ${page.keys.rss} has no view`);
  const { channel } = page;
  const items = page.articleIds.map((id) => {
    const article = articles.get(id);
    if (article === undefined) throw new RangeError(`No article ${id} for feed view ${page.viewKey}`);
    return renderArticleListItem(article, site, channel.language);
  });
  const feeds = publicFeedFormats(site).map((format) => ({ format, url: site.siteUrl + page.keys[format] }));
  const english = languageAttributes(VIEW_LANGUAGE, channel.language);
  const body = renderShell({
    title: `Feed: ${channel.title}`,
    lang: channel.language,
    canonicalUrl: site.siteUrl + page.viewKey,
    description: site.description,
    siteUrl: site.siteUrl,
    siteTitle: site.title,
    siteLang: site.language,
    headLinks: feeds.map(
      ({ format, url }) =>
        `<link rel="alternate" type="${feedMediaType(format)}" href="${escapeHtml(url)}" title="${escapeHtml(`${channel.title} (${FEED_FORMAT_LABELS[format]})`)}">`,
    ),
    main: [
      `<h1>${escapeHtml(channel.title)}</h1>`,
      `<p>${escapeHtml(site.description)}</p>`,
      `<section class="subscribe" aria-labelledby="subscribe"${english}>`,
      '<h2 id="subscribe">How to subscribe</h2>',
      '<p>This is a web feed. Copy one of these addresses into your feed reader to follow new articles:</p>',
      `<ul class="feed-urls">${feeds.map(({ format, url }) => `<li>${FEED_FORMAT_LABELS[format]}: <code>${escapeHtml(url)}</code></li>`).join('')}</ul>`,
      `<p><a href="${escapeHtml(site.siteUrl)}">Visit the website</a></p>`,
      '</section>',
      '<section aria-labelledby="latest">',
      `<h2 id="latest"${english}>Latest articles</h2>`,
      items.length === 0 ? `<p${english}>No articles yet.</p>` : `<ol class="articles">\n${items.join('\n')}\n</ol>`,
      '</section>',
    ].join('\n'),
    footer: `<p${languageAttributes(site.language, channel.language)}>${escapeHtml(site.copyright)}</p>`,
  });
  return toOutputDocument(page.viewKey, body, 'feed-view', channel.id);
}
