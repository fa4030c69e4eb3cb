/**
 * Which feed documents exist and which articles each one holds: every channel (per language,
 * per language and tag) split into a subscription document and RFC 5005 archive pages. The
 * plan needs no article bodies, so an incremental publisher can plan from a catalog and render
 * only the pages that changed; {@link renderFeedPage} renders one page.
 */
import type { Article, SiteConfig } from '../content/article.js';
import { tagsOf } from '../content/tag-slug.js';
import { tagSlug } from '../content/tag-slug.js';
import { channelPath, feedPageKeys, feedViewKey, type FeedPageKeys } from './document-keys.js';

/** What planning needs of an article: no body, so a catalog can keep it for every article. */
export type PlanEntry = Pick<Article, 'id' | 'sourcePath' | 'slug' | 'lang' | 'tags' | 'date' | 'updated' | 'translationKey' | 'url'>;

/** One stream of items, published in three formats (rss.xml, atom.xml, feed.json) under `path`. */
export interface FeedChannel {
  /** Stable: `main:<lang>` or `tag:<lang>:<tag-slug>`. */
  readonly id: string;
  /** BCP 47 tag of every item. */
  readonly language: string;
  /** The tag of a tag channel (its name as first written, in code-unit order, and its slug). */
  readonly tag?: { readonly name: string; readonly slug: string };
  /** Folder of the subscription documents: `''`, `fr/`, `tags/world-news/`, `fr/tags/world-news/`. */
  readonly path: string;
  /** Plain-text feed title. */
  readonly title: string;
}

/**
 * RFC 5005 neighbours of a page, as keys (JSON Feed `next_url` is `prevArchive.json`). Every
 * archive page carries `prev-archive` or `next-archive` (a page with neither is incomplete to
 * the W3C validator): `next-archive` names the next newer archive page, and the newest one
 * names the subscription document. So a full page changes once more, when the page after it
 * appears, and never after.
 */
export interface FeedPageLinks {
  /** The subscription document (archive pages only). */
  readonly current?: FeedPageKeys;
  /** The next older archive page. */
  readonly prevArchive?: FeedPageKeys;
  /** The next newer archive page, or the subscription document after the newest (archive pages only). */
  readonly nextArchive?: FeedPageKeys;
}

/** One document set (3 formats) of a channel. */
export interface FeedPage {
  readonly channel: FeedChannel;
  /** undefined: the subscription (current) document; n >= 1: archive page n, counted from the oldest. */
  readonly archive?: number;
  /** Member article ids, newest first. */
  readonly articleIds: readonly string[];
  /** Keys of the three documents, e.g. `{ rss: 'tags/x/archive/3/rss.xml', ... }`. */
  readonly keys: FeedPageKeys;
  /** Key of the channel's feed view (subscription documents only; archive pages have none). */
  readonly viewKey?: string;
  /** Links to the other pages of the channel. */
  readonly links: FeedPageLinks;
  /**
   * Newest `updated ?? date` of the members. An empty subscription document (only the site
   * language's can be empty) takes the newest of all entries, else the epoch: never the clock.
   */
  readonly updated: Date;
}

/**
 * Every page of every channel, deterministic (same entries => same plan, same order): the
 * main channels (site language first, always, even without articles; then other languages
 * alphabetically), then the tag channels by language and slug. Per channel: the subscription
 * document (the newest `itemsPerFeed` items), then the full archive chunks, oldest first.
 */
export function planFeedPages(entries: readonly PlanEntry[], site: SiteConfig): FeedPage[] {
  const ordered = [...entries].sort(compareNewestFirst);
  const fallback = newestUpdate(ordered) ?? new Date(0);
  return planChannels(ordered, site).flatMap(([channel, members]) => planChannelPages(channel, members, site, fallback));
}

/** Newest publication date first; equal dates by id, so the order never depends on input order. */
export function compareNewestFirst(a: Pick<Article, 'date' | 'id'>, b: Pick<Article, 'date' | 'id'>): number {
  const byDate = b.date.getTime() - a.date.getTime();
  if (byDate !== 0) return byDate;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Newest `updated ?? date` among entries. */
function newestUpdate(entries: readonly Pick<Article, 'date' | 'updated'>[]): Date | undefined {
  let newest: number | undefined;
  for (const entry of entries) {
    const time = (entry.updated ?? entry.date).getTime();
    if (newest === undefined || time > newest) newest = time;
  }
  return newest === undefined ? undefined : new Date(newest);
}

type TagGroups = Map<string, { names: Set<string>; members: PlanEntry[] }>;

/** Channels with their members (newest first), in plan order. */
function planChannels(ordered: readonly PlanEntry[], site: SiteConfig): [FeedChannel, PlanEntry[]][] {
  const byLanguage = new Map<string, PlanEntry[]>([[site.language, []]]);
  const tagGroups = new Map<string, TagGroups>();
  for (const entry of ordered) {
    const members = byLanguage.get(entry.lang) ?? [];
    byLanguage.set(entry.lang, members);
    members.push(entry);
    const groups = tagGroups.get(entry.lang) ?? new Map();
    tagGroups.set(entry.lang, groups);
    addToTagGroups(groups, entry);
  }
  const languages = [site.language, ...[...byLanguage.keys()].filter((lang) => lang !== site.language).sort()];
  const main = languages.map((lang): [FeedChannel, PlanEntry[]] => [mainChannel(lang, site), byLanguage.get(lang) ?? []]);
  const tags = languages.flatMap((lang) =>
    [...(tagGroups.get(lang) ?? new Map())]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([slug, group]): [FeedChannel, PlanEntry[]] => [tagChannel(lang, slug, [...group.names].sort()[0] ?? slug, site), group.members]),
  );
  return [...main, ...tags];
}

/** Adds an entry to the group of each of its tags' slugs (once per slug). */
function addToTagGroups(groups: TagGroups, entry: PlanEntry): void {
  const slugs = new Set<string>();
  for (const name of tagsOf(entry)) {
    const slug = tagSlug(name);
    const group = groups.get(slug) ?? { names: new Set<string>(), members: [] };
    groups.set(slug, group);
    group.names.add(name);
    // Two tags of one article with the same slug list it once.
    if (!slugs.has(slug)) group.members.push(entry);
    slugs.add(slug);
  }
}

function mainChannel(lang: string, site: SiteConfig): FeedChannel {
  const title = lang === site.language ? site.title : `${site.title} (${lang})`;
  return { id: `main:${lang}`, language: lang, path: channelPath(lang, site), title };
}

function tagChannel(lang: string, slug: string, name: string, site: SiteConfig): FeedChannel {
  const title = lang === site.language ? `${site.title}: ${name}` : `${site.title} (${lang}): ${name}`;
  return { id: `tag:${lang}:${slug}`, language: lang, tag: { name, slug }, path: channelPath(lang, site, slug), title };
}

/** The subscription document, then archive pages 1..n (fixed chunks counted from the oldest). */
function planChannelPages(channel: FeedChannel, members: readonly PlanEntry[], site: SiteConfig, fallback: Date): FeedPage[] {
  const size = Math.max(1, site.itemsPerFeed);
  const full = Math.floor(members.length / size);
  const current = feedPageKeys(channel.path);
  const newest = members.slice(0, size);
  const subscription: FeedPage = {
    channel,
    articleIds: newest.map((entry) => entry.id),
    keys: current,
    viewKey: feedViewKey(channel.path),
    links: full > 0 ? { prevArchive: feedPageKeys(channel.path, full) } : {},
    updated: newestUpdate(newest) ?? fallback,
  };
  const archives = Array.from({ length: full }, (_, index): FeedPage => {
    const archive = index + 1;
    const chunk = members.slice(members.length - archive * size, members.length - index * size);
    return {
      channel,
      archive,
      articleIds: chunk.map((entry) => entry.id),
      keys: feedPageKeys(channel.path, archive),
      links: {
        current,
        ...(archive > 1 ? { prevArchive: feedPageKeys(channel.path, archive - 1) } : {}),
        nextArchive: archive < full ? feedPageKeys(channel.path, archive + 1) : current,
      },
      updated: newestUpdate(chunk) ?? fallback,
    };
  });
  return [subscription, ...archives];
}
