import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';

/** One stored document: its text and the headers S3 serves with it. */
export interface StoredDocument {
  readonly body: string;
  readonly contentType: string | undefined;
  readonly cacheControl: string | undefined;
  readonly metadata: Record<string, string>;
  readonly lastModified: Date | undefined;
  readonly eTag: string | undefined;
}

/** Reads one object as text with its headers, or `undefined` when it does not exist. */
export async function readStoredDocument(s3: S3Client, bucket: string, key: string): Promise<StoredDocument | undefined> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return {
      body: (await object.Body?.transformToString('utf-8')) ?? '',
      contentType: object.ContentType,
      cacheControl: object.CacheControl,
      metadata: object.Metadata ?? {},
      lastModified: object.LastModified,
      eTag: object.ETag,
    };
  } catch (error) {
    if (error instanceof NoSuchKey) return undefined;
    throw error;
  }
}

/** Item titles of each format, as a feed reader library parses them back. */
export interface FeedTitles {
  readonly rss: string[];
  readonly atom: string[];
  readonly json: string[];
}

/** Parses the three feed documents of one language with feedsmith, a feed reader library. */
export function parseFeedTitles(documents: { rss: string; atom: string; json: string }): FeedTitles {
  const rss = parseRssFeed(documents.rss);
  const atom = parseAtomFeed(documents.atom);
  const json = parseJsonFeed(JSON.parse(documents.json) as unknown);
  return {
    rss: (rss.items ?? []).map((item) => item.title ?? ''),
    atom: (atom.entries ?? []).map((entry) => entry.title?.value ?? ''),
    json: (json.items ?? []).map((item) => item.title ?? ''),
  };
}

/** Reads and parses the three feeds of one language from a site bucket. */
export async function readPublishedTitles(s3: S3Client, bucket: string, prefix = ''): Promise<FeedTitles> {
  const [rss, atom, json] = await Promise.all(
    ['rss.xml', 'atom.xml', 'feed.json'].map(async (file) => (await readStoredDocument(s3, bucket, `${prefix}${file}`))?.body),
  );
  if (rss === undefined || atom === undefined || json === undefined) throw new Error(`feeds under "${prefix}" are missing`);
  return parseFeedTitles({ rss, atom, json });
}
