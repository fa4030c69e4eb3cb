/**
 * Rendering of one planned page (see `feed-plan.ts`): its members and RFC 5005 links turned
 * into a feed set, then into the three documents with their cache lifetimes.
 */
import type { Article, SiteConfig } from '../content/article.js';
import type { FeedHistory, FeedSet } from './feed-set.js';
import type { FeedPageKeys } from '../plan/document-keys.js';
import type { FeedPage } from '../plan/feed-plan.js';
import { FEED_FORMATS, toOutputDocument, type FeedFormat, type OutputDocument } from '../plan/outputs.js';
import type { Translation } from '../plan/translations.js';
import { renderWithinBudget } from './render-within-budget.js';

const FORMATS = Object.keys(FEED_FORMATS) as FeedFormat[];

/**
 * The three documents of one page (a subscription feed or an archive page of its channel), each
 * within the site's byte budget (`maxFeedBytes`, see `render-within-budget.ts`). `articles`
 * must hold every member id of the page.
 */
export function renderFeedPage(
  page: FeedPage,
  articles: ReadonlyMap<string, Article>,
  translations: ReadonlyMap<string, readonly Translation[]>,
  site: SiteConfig,
): OutputDocument[] {
  const set = buildFeedSet(page, articles, translations, site);
  const role = page.archive === undefined ? 'subscription-feed' : 'archive-page';
  const bodies = renderWithinBudget(set);
  return FORMATS.map((format) => {
    const document = toOutputDocument(page.keys[format], bodies[format], role, page.channel.id);
    return format === 'json' && site.partnerAccess === true ? { ...document, partnerOnly: true } : document;
  });
}

/** The feed set a page is rendered from: its members, links as absolute URLs, only their translations. */
export function buildFeedSet(
  page: FeedPage,
  articles: ReadonlyMap<string, Article>,
  translations: ReadonlyMap<string, readonly Translation[]>,
  site: SiteConfig,
): FeedSet {
  const items = page.articleIds.map((id) => {
    const article = articles.get(id);
    if (article === undefined) throw new RangeError(`No article ${id} for feed page ${page.keys.rss}`);
    return article;
  });
  const own = new Map<string, readonly Translation[]>();
  for (const id of page.articleIds) {
    const versions = translations.get(id);
    if (versions !== undefined) own.set(id, versions);
  }
  const { channel } = page;
  return {
    language: channel.language,
    id: `tag:${site.tagAuthority}:feed${channel.path === '' ? '' : `/${channel.path.slice(0, -1)}`}`,
    title: channel.title,
    site,
    selfUrls: toUrls(page.keys, site),
    updated: page.updated,
    items,
    translations: own,
    history: historyOf(page, site),
  };
}

function toUrls(keys: FeedPageKeys, site: SiteConfig): Readonly<Record<FeedFormat, string>> {
  return { rss: site.siteUrl + keys.rss, atom: site.siteUrl + keys.atom, json: site.siteUrl + keys.json };
}

function historyOf(page: FeedPage, site: SiteConfig): FeedHistory | undefined {
  const { current, prevArchive, nextArchive } = page.links;
  if (page.archive === undefined && prevArchive === undefined) return undefined;
  return {
    archived: page.archive !== undefined,
    ...(current ? { current: toUrls(current, site) } : {}),
    ...(prevArchive ? { prevArchive: toUrls(prevArchive, site) } : {}),
    ...(nextArchive ? { nextArchive: toUrls(nextArchive, site) } : {}),
  };
}
