import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event, SQSBatchResponse } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bundlePublishFeeds, type BundleReport } from '../../scripts/bundle.js';
import { toSqsEvent } from '../fixtures/events/load-event.js';
import { articleMarkdown, siteYaml } from '../support/content-files.js';
import { createLambdaContext } from '../support/lambda-context.js';
import { readPublishedTitles, readStoredDocument } from '../support/published-feeds.js';
import { LOCAL_S3_CREDENTIALS, startS3Server, type RunningS3Server } from '../../local/s3-server.js';

type BundledHandler = (event: unknown, context: unknown) => Promise<SQSBatchResponse>;

/**
 * Imports the built bundle, not the sources, and lets it make real S3 calls: this catches what
 * only bundling breaks (CommonJS `require` inside ESM, module/main field choice, missing files).
 */
describe('publish function bundle', () => {
  let s3rver: RunningS3Server;
  let outdir: string;
  let report: BundleReport;
  let handler: BundledHandler;
  const events: S3Event[] = [];

  beforeAll(async () => {
    s3rver = await startS3Server({ buckets: ['content', 'site'], onEvent: (event) => events.push(event) });
    outdir = await mkdtemp(join(tmpdir(), 'publish-bundle-'));
    report = await bundlePublishFeeds(outdir);
    // The bundle builds its own S3 client from the environment, exactly as in Lambda.
    vi.stubEnv('CONTENT_BUCKET', 'content');
    vi.stubEnv('SITE_BUCKET', 'site');
    vi.stubEnv('PUBLIC_BASE_URL', 'https://feeds.example.org/');
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ENDPOINT_URL_S3', s3rver.endpoint);
    vi.stubEnv('AWS_ACCESS_KEY_ID', LOCAL_S3_CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', LOCAL_S3_CREDENTIALS.secretAccessKey);
    vi.stubEnv('AWS_REQUEST_CHECKSUM_CALCULATION', 'WHEN_REQUIRED');
    vi.stubEnv('AWS_RESPONSE_CHECKSUM_VALIDATION', 'WHEN_REQUIRED');
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    const bundle = (await import(pathToFileURL(report.outfile).href)) as { handler: BundledHandler };
    handler = bundle.handler;
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await s3rver.close();
    await rm(outdir, { recursive: true, force: true });
  });

  it('builds one minified ES module with a source map', async () => {
    // Prepare
    const map = join(outdir, 'index.mjs.map');

    // Act
    const code = await import('node:fs/promises').then((fs) => fs.readFile(report.outfile, 'utf8'));

    // Assess
    expect(code.startsWith('import { createRequire as topLevelCreateRequire }')).toBe(true);
    expect(code).toContain('//# sourceMappingURL=index.mjs.map');
    await expect(import('node:fs/promises').then((fs) => fs.stat(map))).resolves.toBeTruthy();
    expect(report.gzipBytes).toBeLessThan(report.rawBytes);
  });

  it('publishes feeds to S3 from an SQS batch of S3 notifications', async () => {
    // Prepare
    await s3rver.client.send(new PutObjectCommand({ Bucket: 'content', Key: 'site.yaml', Body: siteYaml('Bundled News') }));
    await s3rver.client.send(
      new PutObjectCommand({
        Bucket: 'content',
        Key: 'articles/2026/01/bundled.md',
        Body: articleMarkdown('Bundled story', '2026-01-01T10:00:00Z'),
      }),
    );
    const event = toSqsEvent(...events);

    // Act
    const response = await handler(event, createLambdaContext());

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(await readPublishedTitles(s3rver.client, 'site')).toEqual({
      rss: ['Bundled story'],
      atom: ['Bundled story'],
      json: ['Bundled story'],
    });
    const json = await readStoredDocument(s3rver.client, 'site', 'feed.json');
    expect(json?.body).toContain('https://feeds.example.org/articles/bundled/');
  });
});
