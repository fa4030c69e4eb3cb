import type { Article } from '../core/content/article.js';
import { ArticleParseError, SiteConfigError } from '../core/errors.js';
import { parseArticle } from '../core/content/parse-article.js';
import type { ArticleSource, FeedSink } from '../core/ports.js';
import { ARCHIVE_FOLDER } from '../core/plan/feed-plan.js';
import { FEED_FORMATS } from '../core/plan/outputs.js';
import { renderFeeds } from '../core/feeds/render-feeds.js';
import { addBrowserViews } from '../core/pages/render-pages.js';
import { selectArticles } from '../core/content/select-articles.js';
import { parseSiteConfig } from '../core/content/site-config.js';
import { mapWithConcurrency } from '../shared/map-with-concurrency.js';

/** Content-relative key of the site configuration. */
export const SITE_CONFIG_KEY = 'site.yaml';

/** Articles read at the same time; S3 serves each GET in tens of milliseconds. */
const READ_CONCURRENCY = 16;

/** What {@link publishFeeds} needs: where content comes from and where documents go. */
export interface PublishFeedsInput {
  readonly source: ArticleSource;
  readonly sink: FeedSink;
  /** Replaces site.yaml's `siteUrl` (the deployed public address, or a local preview's). */
  readonly siteUrlOverride?: string;
}

/** The outcome of one publish. */
export interface PublishFeedsResult {
  /** Articles rendered into the feeds (after drafts and duplicates were left out). */
  readonly published: number;
  /** Articles left out because they are invalid or duplicate, one error each. */
  readonly rejected: ArticleParseError[];
  /** Keys of the documents really written (unchanged documents are not). */
  readonly written: string[];
  /** UTF-8 bytes of the written documents. */
  readonly bytesWritten: number;
  /** Absolute URLs of the subscription feeds among `written`: the topics to announce. */
  readonly changedFeeds: string[];
  /** The WebSub hub named in site.yaml, if any. */
  readonly websubHub?: string;
}

/**
 * Renders the current content into every feed document, in memory, then hands them all to the
 * sink. The output depends only on the content, so duplicate or out-of-order triggers are
 * harmless. Throws {@link SiteConfigError} when site.yaml is missing or invalid; an invalid
 * article is only reported in `rejected`; any I/O error propagates unchanged.
 */
export async function publishFeeds(input: PublishFeedsInput): Promise<PublishFeedsResult> {
  const siteBytes = await input.source.read(SITE_CONFIG_KEY);
  if (siteBytes === undefined) throw new SiteConfigError(SITE_CONFIG_KEY, 'is missing');
  const overrides = input.siteUrlOverride === undefined ? {} : { siteUrl: input.siteUrlOverride };
  const site = parseSiteConfig(SITE_CONFIG_KEY, siteBytes, overrides);

  const keys = [...(await input.source.listArticleKeys())].sort();
  const parsed = await mapWithConcurrency(keys, READ_CONCURRENCY, async (key) => {
    const bytes = await input.source.read(key);
    // Deleted between the listing and the read: it is simply no longer published.
    if (bytes === undefined) return undefined;
    try {
      return parseArticle(key, bytes, site);
    } catch (error) {
      if (error instanceof ArticleParseError) return error;
      throw error;
    }
  });

  const articles = parsed.filter((item): item is Article => item !== undefined && !(item instanceof Error));
  const parseErrors = parsed.filter((item): item is ArticleParseError => item instanceof ArticleParseError);
  const selection = selectArticles(articles);
  const documents = addBrowserViews(renderFeeds(selection.articles, site), selection.articles, site);
  const written = await input.sink.publish(documents);

  const writtenKeys = new Set(written);
  const bytesWritten = documents
    .filter((document) => writtenKeys.has(document.key))
    .reduce((sum, document) => sum + Buffer.byteLength(document.body, 'utf8'), 0);
  return {
    published: selection.articles.length,
    rejected: [...parseErrors, ...selection.rejected],
    written,
    bytesWritten,
    changedFeeds: subscriptionFeedUrls(written, site.siteUrl),
    ...(site.websubHub === undefined ? {} : { websubHub: site.websubHub }),
  };
}

const FEED_FILES: readonly string[] = Object.values(FEED_FORMATS).map((format) => format.file);

/**
 * The absolute URLs of the subscription feeds among written keys. Archive pages are left out:
 * nobody subscribes to them, and once full they do not change.
 */
export function subscriptionFeedUrls(keys: readonly string[], siteUrl: string): string[] {
  return keys
    .filter((key) => FEED_FILES.includes(key.slice(key.lastIndexOf('/') + 1)))
    .filter((key) => !key.startsWith(ARCHIVE_FOLDER) && !key.includes(`/${ARCHIVE_FOLDER}`))
    .map((key) => siteUrl + key)
    .sort();
}
