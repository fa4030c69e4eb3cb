/**
 * The publish's reads from the content source, in one place: site.yaml, the changed or every
 * article (parsed, or rejected with the reason), and the full records a plan asks for. Reads
 * run a bounded number at a time; every parse goes through the given {@link ArticleParser}
 * (in production, isolated under a memory and time limit).
 */
import type { Article, SiteConfig } from '../core/content/article.js';
import type { Catalog, CatalogEntry } from '../core/catalog/catalog.js';
import type { ArticleChange } from '../core/changes/plan-changes.js';
import { parseSiteConfig, SITE_CONFIG_KEY } from '../core/content/site-config.js';
import { ArticleParseError, SiteConfigError } from '../core/errors.js';
import type { ArticleSource } from '../core/ports.js';
import { hashText } from '../core/text/digest.js';
import { mapWithConcurrency } from '../shared/map-with-concurrency.js';
import type { ArticleParser } from './isolated-parser.js';

/** Articles read at the same time; S3 serves each GET in tens of milliseconds. */
const READ_CONCURRENCY = 16;

/**
 * site.yaml's bytes and configuration (`siteUrlOverride` replaces its `siteUrl`).
 * @throws SiteConfigError when it is missing or invalid.
 */
export async function readSiteConfig(source: ArticleSource, siteUrlOverride: string | undefined): Promise<{ bytes: Uint8Array; site: SiteConfig }> {
  const bytes = await source.read(SITE_CONFIG_KEY);
  if (bytes === undefined) throw new SiteConfigError(SITE_CONFIG_KEY, 'is missing');
  return { bytes, site: parseSiteConfig(SITE_CONFIG_KEY, bytes, siteUrlOverride === undefined ? {} : { siteUrl: siteUrlOverride }) };
}

/** The article keys among `keys`, read and parsed; unchanged bytes (per `previous`) are skipped. */
export async function readChanges(
  source: ArticleSource,
  keys: readonly string[],
  previous: Catalog,
  site: SiteConfig,
  parse: ArticleParser,
): Promise<ArticleChange[]> {
  const articleKeys = keys.filter((key) => key !== SITE_CONFIG_KEY);
  const changes = await mapWithConcurrency(articleKeys, READ_CONCURRENCY, (key) => readChange(source, key, previous, site, parse));
  return changes.filter((change): change is ArticleChange => change !== undefined);
}

/** Every article of the source, plus a deletion for every entry of `previous` no longer listed. */
export async function readEverything(
  source: ArticleSource,
  previous: Catalog,
  site: SiteConfig,
  parse: ArticleParser,
  onProgress?: (done: number, total: number) => void,
): Promise<ArticleChange[]> {
  const keys = [...(await source.listArticleKeys())].sort();
  const unknown = { ...previous, entries: new Map() };
  let done = 0;
  const changes = await mapWithConcurrency(keys, READ_CONCURRENCY, async (key) => {
    const change = await readChange(source, key, unknown, site, parse);
    onProgress?.(++done, keys.length);
    return change;
  });
  const listed = new Set(keys);
  const gone = [...previous.entries.keys()].filter((path) => !listed.has(path)).map((path): ArticleChange => ({ kind: 'deleted', path }));
  return [...changes.filter((change): change is ArticleChange => change !== undefined), ...gone];
}

/** Full records of `entries` by source path; `undefined` for one that is gone or malformed now. */
export async function loadRecords(
  source: ArticleSource,
  entries: readonly CatalogEntry[],
  site: SiteConfig,
  parse: ArticleParser,
): Promise<Map<string, Article | undefined>> {
  const loaded = await mapWithConcurrency(entries, READ_CONCURRENCY, async (entry) => {
    const bytes = await source.read(entry.sourcePath);
    const parsed = bytes === undefined ? undefined : await parseOrReject(entry.sourcePath, bytes, site, parse);
    return [entry.sourcePath, parsed instanceof ArticleParseError ? undefined : parsed] as const;
  });
  return new Map(loaded);
}

async function readChange(source: ArticleSource, key: string, previous: Catalog, site: SiteConfig, parse: ArticleParser): Promise<ArticleChange | undefined> {
  const bytes = await source.read(key);
  if (bytes === undefined) return { kind: 'deleted', path: key };
  const sourceHash = hashText(bytes);
  const before = previous.entries.get(key);
  // A duplicate event, or a re-upload of the same bytes: nothing to do.
  if (before !== undefined && before.kept === undefined && before.sourceHash === sourceHash) return undefined;
  const parsed = await parseOrReject(key, bytes, site, parse);
  return parsed instanceof ArticleParseError ? { kind: 'rejected', path: key, sourceHash, error: parsed } : { kind: 'parsed', path: key, sourceHash, article: parsed };
}

/** The parsed article, or the reason it cannot be published; any other error propagates. */
async function parseOrReject(key: string, bytes: Uint8Array, site: SiteConfig, parse: ArticleParser): Promise<Article | ArticleParseError> {
  try {
    return await parse(key, bytes, site);
  } catch (error) {
    if (error instanceof ArticleParseError) return error;
    throw error;
  }
}
