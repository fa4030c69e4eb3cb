import { createHash } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { XMLValidator } from 'fast-xml-parser';
import { documentKeyOf, roleOfKey } from '../../lambdas/core/plan/document-keys.js';
import type { OutputDocument } from '../../lambdas/core/plan/outputs.js';
import { validateFeedDocument } from '../validation/validate-feed-documents.js';
import { readStoredDocument } from './published-feeds.js';

/**
 * What a site bucket serves, read back as documents, for tests that compare a bucket after
 * faults or races with one published from scratch. The private `_catalog/` prefix (state of an
 * incremental publisher, never served) is left out: only what readers can fetch is compared.
 */

/** A site bucket's public documents by key. */
export type BucketSnapshot = ReadonlyMap<string, OutputDocument>;

/** Prefix of the publisher's private state in the site bucket (CloudFront denies it). */
export const PRIVATE_PREFIX = '_catalog/';

const FEED_FILES = ['rss.xml', 'atom.xml', 'feed.json'];

/** Reads every public object of `bucket` (all listing pages) with its media type and Cache-Control. */
export async function snapshotBucket(s3: S3Client, bucket: string): Promise<BucketSnapshot> {
  const keys: string[] = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket })) {
    for (const object of page.Contents ?? []) {
      if (object.Key && !object.Key.startsWith(PRIVATE_PREFIX)) keys.push(object.Key);
    }
  }
  const documents = await Promise.all(
    keys.sort().map(async (key): Promise<OutputDocument> => {
      const stored = documentKeyOf(key) === key ? await readStoredDocument(s3, bucket, key) : await readVariant(s3, bucket, key);
      if (stored === undefined) throw new Error(`${key} vanished while the bucket was read`);
      // A stored object keeps no role: the layout says what it would be.
      return { key, body: stored.body, contentType: stored.contentType ?? '', cacheControl: stored.cacheControl ?? '', role: roleOfKey(key) ?? 'asset' };
    }),
  );
  return new Map(documents.map((document) => [document.key, document]));
}

/** A stored precompressed variant, its body decoded, so it compares with its document as text. */
async function readVariant(s3: S3Client, bucket: string, key: string): Promise<{ body: string; contentType?: string; cacheControl?: string }> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const bytes = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
  const decoded = object.ContentEncoding === 'br' ? brotliDecompressSync(bytes) : object.ContentEncoding === 'gzip' ? gunzipSync(bytes) : bytes;
  return { body: decoded.toString('utf8'), ...(object.ContentType ? { contentType: object.ContentType } : {}), ...(object.CacheControl ? { cacheControl: object.CacheControl } : {}) };
}

/** How two snapshots differ: keys only in one of them, and keys whose document differs. */
export interface SnapshotDiff {
  readonly missing: string[];
  readonly extra: string[];
  readonly changed: string[];
}

/** Compares `actual` with `expected` key by key (body, media type and Cache-Control). */
export function diffSnapshots(actual: BucketSnapshot, expected: BucketSnapshot): SnapshotDiff {
  return {
    missing: [...expected.keys()].filter((key) => !actual.has(key)),
    extra: [...actual.keys()].filter((key) => !expected.has(key)),
    changed: [...expected.keys()].filter((key) => actual.has(key) && !sameDocument(actual.get(key)!, expected.get(key)!)),
  };
}

/** True when both documents would be served identically. */
export function sameDocument(a: OutputDocument, b: OutputDocument): boolean {
  return a.body === b.body && a.contentType === b.contentType && a.cacheControl === b.cacheControl;
}

/** True for the subscription feeds (RSS, Atom, JSON Feed) of any set: root, language, tag, archive. */
export function isFeedKey(key: string): boolean {
  return FEED_FILES.some((file) => key === file || key.endsWith(`/${file}`));
}

const verdicts = new Map<string, string[]>();

/**
 * Problems of each stored feed on its own (well-formed, schema, W3C rules, read back by a feed
 * reader), and of every other XML document (well-formed). Verdicts are cached by content, since
 * a sweep meets the same few versions of each document again and again.
 */
export function validateSnapshot(snapshot: BucketSnapshot, siteUrl: string): string[] {
  return [...snapshot.values()].flatMap((document) => {
    const id = createHash('sha256').update(document.key).update('\0').update(document.body).digest('hex');
    let problems = verdicts.get(id);
    if (problems === undefined) {
      problems = validateStoredDocument(document, siteUrl);
      verdicts.set(id, problems);
    }
    return problems.map((problem) => `${document.key}: ${problem}`);
  });
}

/**
 * Problems of the precompressed variants of a settled bucket: each must decode to its document,
 * with its headers. (While a publish is under way, a variant may be ahead of its document.)
 */
export function validateVariants(snapshot: BucketSnapshot): string[] {
  return [...snapshot.values()].flatMap((variant) => {
    const documentKey = documentKeyOf(variant.key);
    if (documentKey === variant.key) return [];
    const document = snapshot.get(documentKey);
    if (document === undefined) return [`${variant.key}: a variant without its document`];
    return sameDocument(variant, document) ? [] : [`${variant.key}: differs from ${documentKey}`];
  });
}

function validateStoredDocument(document: OutputDocument, siteUrl: string): string[] {
  if (isFeedKey(document.key)) return validateFeedDocument(document, siteUrl);
  if (/\.(xml|opml)$/.test(document.key)) {
    const result = XMLValidator.validate(document.body);
    return result === true ? [] : [`not well-formed: ${result.err.msg}`];
  }
  return document.body.length > 0 ? [] : ['empty document'];
}
