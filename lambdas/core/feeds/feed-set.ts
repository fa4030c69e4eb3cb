/**
 * What one feed document set is rendered from: the members of one planned page, its links and
 * translations, in the shape the three format renderers share.
 */
import type { Article, SiteConfig } from '../content/article.js';
import type { FeedFormat } from '../plan/outputs.js';
import type { Translation } from '../plan/translations.js';

/** Everything one feed set (RSS, Atom and JSON Feed in one language) is rendered from. */
export interface FeedSet {
  /** BCP 47 tag declared by every document of the set. */
  readonly language: string;
  /** Permanent feed id: `tag:<authority>:feed`, plus `/<lang>` outside the site language. */
  readonly id: string;
  readonly title: string;
  readonly site: SiteConfig;
  /** Absolute URL of each document of the set, which is also its self link. */
  readonly selfUrls: Readonly<Record<FeedFormat, string>>;
  /** Newest `updated ?? date` of the items; never the clock. */
  readonly updated: Date;
  /** Newest first, already limited to `site.itemsPerFeed`. */
  readonly items: readonly Article[];
  /** Other language versions of the items, by article id; absent ids have none. */
  readonly translations: ReadonlyMap<string, readonly Translation[]>;
  /** RFC 5005 links of this document; absent while its channel has no archive page. */
  readonly history?: FeedHistory;
  /**
   * Ids of the items published as summary and link, without their content, so the documents
   * stay within the site's byte budget (`render-within-budget.ts`); absent means none.
   */
  readonly summaryOnly?: ReadonlySet<string>;
}

/** True when the item `id` of `set` carries its full content (see {@link FeedSet.summaryOnly}). */
export function hasFullContent(set: Pick<FeedSet, 'summaryOnly'>, id: string): boolean {
  return set.summaryOnly?.has(id) !== true;
}

/**
 * Where a document sits in its channel's RFC 5005 archive (absolute URLs, one per format, so
 * every format links the same format). `prev-archive` is the next older page, `next-archive`
 * the next newer one.
 */
export interface FeedHistory {
  /** True for an archive page (`fh:archive`), false for the subscription document. */
  readonly archived: boolean;
  /** The subscription document (archive pages only). */
  readonly current?: Readonly<Record<FeedFormat, string>>;
  /** The next older archive page, if any. */
  readonly prevArchive?: Readonly<Record<FeedFormat, string>>;
  /** The next newer archive page, or the subscription document (archive pages only). */
  readonly nextArchive?: Readonly<Record<FeedFormat, string>>;
}
