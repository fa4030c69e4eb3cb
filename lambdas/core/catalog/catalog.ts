/**
 * The catalog: one object in the site bucket (`_catalog/catalog.json`) that remembers what the
 * last publish saw and wrote, so the next publish reads and renders only what changed.
 * It holds, for every article, what planning needs (no body) plus fingerprints; the full
 * records of the articles shown in a subscription document or the index (the window store);
 * the hash of every published document; and a signature per rendered page.
 */
import { createHash } from 'node:crypto';
import type { Article, SiteConfig } from '../content/article.js';
import { hashText } from '../text/digest.js';
import { FEED_FORMATS, type OutputDocument } from '../plan/outputs.js';
import { CatalogFormatError } from '../errors.js';
import type { PlanEntry } from '../plan/feed-plan.js';
import { roleOfKey } from '../plan/document-keys.js';

/**
 * Bumped whenever the layout below, or the set of documents a publish renders, changes: an older
 * catalog then triggers a full rebuild (3: sitemaps, ninjs, structured data, budgets, next-archive).
 */
const CATALOG_SCHEMA_VERSION = 3;

/** Site-relative key of the catalog (the distribution denies `_catalog/*`). */
export const CATALOG_KEY = '_catalog/catalog.json';

/** What the catalog keeps of one article source file. */
export interface CatalogEntry extends PlanEntry {
  /** Plain-text title: article pages link their translations by title. */
  readonly title: string;
  readonly draft: boolean;
  /** Key of the article's own page, when it is published here (no canonicalUrl). */
  readonly pageKey?: string;
  /** {@link fingerprintArticle} of the record this entry was made from. */
  readonly fingerprint: string;
  /** SHA-256 of the source bytes this entry was parsed from. */
  readonly sourceHash: string;
  /**
   * Set while the current source is malformed and this, its last good version, stays
   * published: the rejected source's hash and the reason.
   */
  readonly kept?: { readonly sourceHash: string; readonly reason: string };
}

/** The catalog in memory. */
export interface Catalog {
  readonly schemaVersion: number;
  /** {@link hashSite} of site.yaml's bytes, the site URL override and partner access: a change forces a rebuild. */
  readonly siteHash: string;
  /** The site configuration the catalog was built with, so a publish need not read site.yaml. */
  readonly site?: SiteConfig;
  /** The site URL override `site` was parsed with. */
  readonly siteUrlOverride?: string;
  /** Every published-or-draft article, by source path. */
  readonly entries: ReadonlyMap<string, CatalogEntry>;
  /** Full records by source path: members of subscription documents, the index, kept versions. */
  readonly records: ReadonlyMap<string, Article>;
  /** {@link hashDocument} of every published document, by key, shortened to {@link DIGEST_LENGTH}. */
  readonly documents: ReadonlyMap<string, string>;
  /** Signature of every rendered page (feed pages by their RSS key, HTML pages by key). */
  readonly signatures: ReadonlyMap<string, string>;
}

/** An empty catalog for a site: every page counts as changed. */
export function createEmptyCatalog(siteHash: string, site?: SiteConfig, siteUrlOverride?: string): Catalog {
  return {
    schemaVersion: CATALOG_SCHEMA_VERSION,
    siteHash,
    ...(site === undefined ? {} : { site }),
    ...(siteUrlOverride === undefined ? {} : { siteUrlOverride }),
    entries: new Map(),
    records: new Map(),
    documents: new Map(),
    signatures: new Map(),
  };
}

/**
 * The catalog with `keys` marked uncertain: their stored bytes may not be what the catalog
 * says (a failed attempt wrote or removed them after this catalog was written). Their hash is
 * blanked, so a key still published is rewritten and one no longer published is removed, and
 * the signature of the page owning each key is dropped, so that page is rendered again.
 */
export function markUncertain(catalog: Catalog, keys: Iterable<string>): Catalog {
  const documents = new Map(catalog.documents);
  const signatures = new Map(catalog.signatures);
  for (const key of keys) {
    documents.set(key, '');
    signatures.delete(ownerOf(key));
  }
  return { ...catalog, documents, signatures };
}

/**
 * The signature key of the page a document belongs to: the three formats of a feed page and,
 * for a subscription page, its feed view share the signature of its RSS key; every other
 * document signs itself. Uncertain keys come from a
 * listing of the bucket, not from a plan, so their role is read from the layout.
 */
function ownerOf(key: string): string {
  const role = roleOfKey(key);
  if (role !== 'subscription-feed' && role !== 'archive-page' && role !== 'feed-view') return key;
  return `${key.slice(0, key.lastIndexOf('/') + 1)}${FEED_FORMATS.rss.file}`;
}

/**
 * The site hash of site.yaml's bytes, the site URL override (both change every URL) and
 * whether partner access is on (it changes which feed URLs the public documents name).
 */
export function hashSite(siteBytes: Uint8Array, siteUrlOverride: string | undefined, partnerAccess = false): string {
  return hashText(`${hashText(siteBytes)}\n${siteUrlOverride ?? ''}${partnerAccess ? '\npartner-access' : ''}`);
}

/**
 * SHA-256 of everything a document write changes: the body and the headers S3 stores with it,
 * so a new Cache-Control or media type counts as a change even when the bytes stay the same.
 */
export function hashDocument(document: OutputDocument): string {
  return createHash('sha256').update(`${document.contentType}\n${document.cacheControl}\n`).update(document.body, 'utf8').digest('hex');
}

/** A digest of everything an article renders from: equal fingerprints give equal output. */
function fingerprintArticle(article: Article): string {
  return hashText(JSON.stringify(article));
}

/** The catalog entry of a parsed article. */
export function toCatalogEntry(article: Article, sourceHash: string, pageKey: string | undefined): CatalogEntry {
  return {
    id: article.id,
    sourcePath: article.sourcePath,
    slug: article.slug,
    lang: article.lang,
    tags: article.tags,
    date: article.date,
    ...(article.updated === undefined ? {} : { updated: article.updated }),
    ...(article.translationKey === undefined ? {} : { translationKey: article.translationKey }),
    url: article.url,
    title: article.title,
    draft: article.draft,
    ...(pageKey === undefined ? {} : { pageKey }),
    fingerprint: fingerprintArticle(article),
    sourceHash,
  };
}

/** Serializes a catalog as JSON (dates as ISO strings, maps as sorted objects). */
export function encodeCatalog(catalog: Catalog): string {
  return JSON.stringify({
    schemaVersion: catalog.schemaVersion,
    siteHash: catalog.siteHash,
    site: catalog.site,
    siteUrlOverride: catalog.siteUrlOverride,
    entries: sortedObject(catalog.entries),
    records: sortedObject(catalog.records),
    documents: sortedObject(catalog.documents),
    signatures: sortedObject(catalog.signatures),
  });
}

/**
 * Reads a catalog written by {@link encodeCatalog}.
 * @throws CatalogFormatError when the text is not a catalog of {@link CATALOG_SCHEMA_VERSION}.
 */
export function decodeCatalog(text: string): Catalog {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (cause) {
    throw new CatalogFormatError('catalog is not JSON', { cause });
  }
  if (raw?.schemaVersion !== CATALOG_SCHEMA_VERSION) {
    throw new CatalogFormatError(`catalog schema ${String(raw?.schemaVersion)} is not ${CATALOG_SCHEMA_VERSION}`);
  }
  if (typeof raw.siteHash !== 'string' || ![raw.entries, raw.records, raw.documents, raw.signatures].every(isObject)) {
    throw new CatalogFormatError('catalog lacks a part');
  }
  return {
    schemaVersion: CATALOG_SCHEMA_VERSION,
    siteHash: raw.siteHash,
    ...(isObject(raw.site) ? { site: raw.site as unknown as SiteConfig } : {}),
    ...(typeof raw.siteUrlOverride === 'string' ? { siteUrlOverride: raw.siteUrlOverride } : {}),
    entries: reviveMap(raw.entries, (entry) => reviveDates(entry as CatalogEntry)),
    records: reviveMap(raw.records, (record) => reviveDates(record as Article)),
    documents: reviveMap(raw.documents, String),
    signatures: reviveMap(raw.signatures, String),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sortedObject<T>(map: ReadonlyMap<string, T>): Record<string, T> {
  return Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function reviveMap<T>(value: unknown, revive: (item: unknown) => T): Map<string, T> {
  return new Map(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, revive(item)]));
}

/** JSON turned `date` and `updated` into strings; everything else survives as written. */
function reviveDates<T extends { date: Date; updated?: Date }>(value: T): T {
  const raw = value as unknown as { date: string; updated?: string };
  return { ...value, date: new Date(raw.date), ...(raw.updated === undefined ? {} : { updated: new Date(raw.updated) }) };
}
