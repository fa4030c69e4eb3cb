import { readFile } from 'node:fs/promises';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ArticleParseError } from '../../lambdas/core/errors.js';
import type { PublisherConfig } from '../../lambdas/publish/config.js';
import { createHandler } from '../../lambdas/publish/create-handler.js';
import { DEFAULT_PARSE_LIMITS, IsolatedParserPool, isolatedParser, type ArticleParser } from '../../lambdas/publish/isolated-parser.js';
import { logger } from '../../lambdas/shared/logger.js';
import { toSqsEvent } from '../fixtures/events/load-event.js';
import { articleMarkdown, siteYaml } from '../support/content-files.js';
import { createLambdaContext } from '../support/lambda-context.js';
import { readPublishedTitles } from '../support/published-feeds.js';
import { startS3Server, type RunningS3Server } from '../../local/s3-server.js';

// Keep the test output free of Embedded Metric Format lines.
vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const CONFIG: PublisherConfig = { contentBucket: 'content', siteBucket: 'site', publicBaseUrl: 'http://127.0.0.1:8080/' };
const hostile = (name: string): Promise<string> => readFile(new URL(`../fixtures/hostile/${name}`, import.meta.url), 'utf8');
/** Legal (under every Markdown budget) yet heavy: it stands in for an input that escapes the budgets. */
const RUNAWAY = articleMarkdown('Runaway story', '2026-01-03T10:00:00Z', '', 'A *b* [c](https://example.com/) `d`.\n\n'.repeat(20_000));

describe('poison pills through the handler against s3rver', { timeout: 120_000 }, () => {
  let s3rver: RunningS3Server;
  let lowLimits: IsolatedParserPool;
  const events: S3Event[] = [];

  /** Uploads the files one by one; each upload's notification becomes one message of a single batch. */
  async function upload(files: Record<string, string>, receiveCount = 1): Promise<SQSEvent> {
    events.length = 0;
    for (const [Key, Body] of Object.entries(files)) await s3rver.client.send(new PutObjectCommand({ Bucket: CONFIG.contentBucket, Key, Body }));
    const event = toSqsEvent(...events);
    return { Records: event.Records.map((record) => ({ ...record, attributes: { ...record.attributes, ApproximateReceiveCount: String(receiveCount) } })) };
  }

  beforeAll(async () => {
    s3rver = await startS3Server({ buckets: [CONFIG.contentBucket, CONFIG.siteBucket], onEvent: (event) => events.push(event) });
    // The same isolation with a heap limit far below what the runaway article needs.
    lowLimits = new IsolatedParserPool({ ...DEFAULT_PARSE_LIMITS, resourceLimits: { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 4 } });
  });

  afterAll(async () => {
    await lowLimits.close();
    await s3rver.close();
  });

  beforeEach(async () => {
    const handler = createHandler({ s3: s3rver.client, config: CONFIG });
    await handler(await upload({ 'site.yaml': siteYaml() }), createLambdaContext());
  });

  it('publishes the normal article of a batch and rejects the table and reference bombs beside it', async () => {
    // Prepare
    const handler = createHandler({ s3: s3rver.client, config: CONFIG });
    const error = vi.spyOn(logger, 'error');
    const event = await upload({
      'articles/bombs/table.md': await hostile('table-cell-bomb.md'),
      'articles/bombs/normal.md': articleMarkdown('Normal story', '2026-01-01T10:00:00Z'),
      'articles/bombs/reference.md': await hostile('reference-bomb.md'),
    });
    const started = performance.now();

    // Act
    const response = await handler(event, createLambdaContext());

    // Assess
    const seconds = (performance.now() - started) / 1000;
    expect(response).toEqual({ batchItemFailures: [] });
    expect((await readPublishedTitles(s3rver.client, CONFIG.siteBucket)).atom).toEqual(['Normal story']);
    const rejected = error.mock.calls.filter(([message]) => message === 'Article rejected').map(([, data]) => (data as { objectKey: string }).objectKey);
    expect(rejected.sort()).toEqual(['articles/bombs/reference.md', 'articles/bombs/table.md']);
    expect(seconds).toBeLessThan(30);
    error.mockRestore();
  });

  it('rejects a runaway parse at the memory limit and publishes the rest of the batch, then rebuilds over it', async () => {
    // Prepare
    const handler = createHandler({ s3: s3rver.client, config: CONFIG, parse: lowLimits.parse });
    const error = vi.spyOn(logger, 'error');
    const event = await upload({
      'articles/runaway/one.md': articleMarkdown('One', '2026-01-01T10:00:00Z'),
      'articles/runaway/runaway.md': RUNAWAY,
      'articles/runaway/two.md': articleMarkdown('Two', '2026-01-02T10:00:00Z'),
    });

    // Act
    const response = await handler(event, createLambdaContext());
    const rebuild = await handler({ rebuild: true }, createLambdaContext());

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(rebuild).toEqual({ batchItemFailures: [] });
    expect(error).toHaveBeenCalledWith('Article rejected', { objectKey: 'articles/runaway/runaway.md', reason: 'body: rendering exceeded memory limit' });
    expect((await readPublishedTitles(s3rver.client, CONFIG.siteBucket)).rss).toEqual(expect.arrayContaining(['Two', 'One']));
    expect((await readPublishedTitles(s3rver.client, CONFIG.siteBucket)).rss).not.toContain('Runaway story');
    error.mockRestore();
  });

  it('fails only the culprit of a redelivered batch, then quarantines it on its third delivery', async () => {
    // Prepare: a parser bug (not a rejection) for one key fails every publish that reads it.
    const buggy: ArticleParser = (path, bytes, site) =>
      path.endsWith('buggy.md') ? Promise.reject(new TypeError('parser bug')) : isolatedParser()(path, bytes, site);
    const handler = createHandler({ s3: s3rver.client, config: CONFIG, parse: buggy });
    const error = vi.spyOn(logger, 'error');
    const files = {
      'articles/split/first.md': articleMarkdown('Split first', '2026-02-01T10:00:00Z'),
      'articles/split/buggy.md': articleMarkdown('Buggy', '2026-02-02T10:00:00Z'),
      'articles/split/last.md': articleMarkdown('Split last', '2026-02-03T10:00:00Z'),
    };
    const firstDelivery = await upload(files);
    const secondDelivery = { Records: firstDelivery.Records.map((record) => ({ ...record, attributes: { ...record.attributes, ApproximateReceiveCount: '2' } })) };

    // Act
    const first = await handler(firstDelivery, createLambdaContext());
    const second = await handler(secondDelivery, createLambdaContext());
    const third = await handler({ Records: [{ ...secondDelivery.Records[1]!, attributes: { ...secondDelivery.Records[1]!.attributes, ApproximateReceiveCount: '3' } }] }, createLambdaContext());

    // Assess
    expect(first.batchItemFailures).toHaveLength(3);
    expect(second).toEqual({ batchItemFailures: [{ itemIdentifier: 'message-2' }] });
    expect(third).toEqual({ batchItemFailures: [] });
    expect(error).toHaveBeenCalledWith('Article quarantined', {
      objectKey: 'articles/split/buggy.md',
      reason: expect.stringContaining('quarantined after 3 failed publishes') as unknown as string,
      receiveCount: 3,
    });
    const titles = (await readPublishedTitles(s3rver.client, CONFIG.siteBucket)).json;
    expect(titles).toEqual(expect.arrayContaining(['Split first', 'Split last']));
    expect(titles).not.toContain('Buggy');
    error.mockRestore();
  });

  it('keeps a quarantined article out of a rebuild once its parse is rejected', async () => {
    // Prepare
    const rejecting: ArticleParser = (path, bytes, site) =>
      path.endsWith('buggy.md') ? Promise.reject(new ArticleParseError(path, 'rendering exceeded memory limit', 'body')) : isolatedParser()(path, bytes, site);
    const handler = createHandler({ s3: s3rver.client, config: CONFIG, parse: rejecting });

    // Act
    const rebuild = await handler({ rebuild: true }, createLambdaContext());

    // Assess
    expect(rebuild).toEqual({ batchItemFailures: [] });
    expect((await readPublishedTitles(s3rver.client, CONFIG.siteBucket)).json).not.toContain('Buggy');
  });
});
