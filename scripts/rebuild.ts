/**
 * `npm run rebuild`: renders every document and a fresh catalog from the content bucket, the
 * same way the publish function does on `{ "rebuild": true }`. On a terminal it shows the
 * articles read, the rate and the time left.
 *
 *   npm run rebuild -- --content-bucket <name> --site-bucket <name> [--endpoint <url>] [--public-base-url <url>]
 *
 * Buckets default to CONTENT_BUCKET and SITE_BUCKET; `--endpoint` targets a local S3 API
 * (path-style, e.g. the one `npm start` prints).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ArticleSource } from '../lambdas/adapters/s3-article-source.js';
import { S3CatalogStore } from '../lambdas/adapters/s3-catalog-store.js';
import { S3SiteWriter } from '../lambdas/adapters/s3-site-writer.js';
import { MAX_FILE_BYTES } from '../lambdas/core/content/safe-yaml.js';
import { publishSite, type PublishResult } from '../lambdas/publish/publish-site.js';

/** Where and how to rebuild. */
export interface RebuildOptions {
  readonly s3: S3Client;
  readonly contentBucket: string;
  readonly siteBucket: string;
  readonly publicBaseUrl?: string;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Rebuilds the site bucket (documents and catalog) from the content bucket. */
export function rebuildSite(options: RebuildOptions): Promise<PublishResult> {
  const { s3 } = options;
  return publishSite({
    source: new S3ArticleSource({ s3, bucket: options.contentBucket, maxBytes: MAX_FILE_BYTES }),
    catalogStore: new S3CatalogStore({ s3, bucket: options.siteBucket }),
    writer: new S3SiteWriter({ s3, bucket: options.siteBucket }),
    changedKeys: [],
    rebuild: true,
    now: new Date(),
    ...(options.publicBaseUrl ? { siteUrlOverride: options.publicBaseUrl } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}

/** A progress line: `1,234 / 10,000 articles  512/s  0:17 left`. */
export function formatProgress(done: number, total: number, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const leftSeconds = rate > 0 ? Math.ceil((total - done) / rate) : 0;
  const left = `${Math.floor(leftSeconds / 60)}:${String(leftSeconds % 60).padStart(2, '0')}`;
  return `${done.toLocaleString('en')} / ${total.toLocaleString('en')} articles  ${Math.round(rate)}/s  ${left} left`;
}

/** Reports progress at most ten times a second, on one rewritten line, only on a terminal. */
export function createProgressPrinter(stream: NodeJS.WriteStream, now: () => number = Date.now): (done: number, total: number) => void {
  const started = now();
  let shown = 0;
  return (done, total) => {
    if (!stream.isTTY) return;
    const time = now();
    if (done < total && time - shown < 100) return;
    shown = time;
    stream.write(`\r${formatProgress(done, total, time - started)}\u001b[K${done === total ? '\n' : ''}`);
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'content-bucket': { type: 'string' },
      'site-bucket': { type: 'string' },
      endpoint: { type: 'string' },
      'public-base-url': { type: 'string' },
    },
  });
  const contentBucket = values['content-bucket'] ?? process.env.CONTENT_BUCKET;
  const siteBucket = values['site-bucket'] ?? process.env.SITE_BUCKET;
  if (!contentBucket || !siteBucket) throw new Error('Give --content-bucket and --site-bucket (or CONTENT_BUCKET and SITE_BUCKET)');
  const s3 = values.endpoint
    ? new S3Client({
        endpoint: values.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
        forcePathStyle: true,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      })
    : new S3Client({});
  const started = Date.now();
  const result = await rebuildSite({
    s3, contentBucket, siteBucket, onProgress: createProgressPrinter(process.stderr),
    ...(values['public-base-url'] ? { publicBaseUrl: values['public-base-url'] } : {}),
  });
  s3.destroy();
  console.log(
    `Rebuilt ${result.published} articles in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
      `${result.written.length} documents written, ${result.removedKeys.length} removed, ${result.rejected.length} rejected`,
  );
  for (const error of result.rejected) console.log(`  ${error.message}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
