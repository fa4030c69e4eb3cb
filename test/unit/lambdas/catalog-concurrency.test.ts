import {
  DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, S3ServiceException, type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import type { S3Event, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { S3CatalogStore } from '../../../lambdas/adapters/s3-catalog-store.js';
import { CatalogConflictError } from '../../../lambdas/core/errors.js';
import { CATALOG_KEY, createEmptyCatalog } from '../../../lambdas/core/catalog/catalog.js';
import type { PublisherConfig } from '../../../lambdas/publish/config.js';
import { createHandler } from '../../../lambdas/publish/create-handler.js';
import { logger } from '../../../lambdas/shared/logger.js';
import { metrics } from '../../../lambdas/shared/metrics.js';
import { loadEvent, toSqsEvent } from '../../fixtures/events/load-event.js';
import { articleMarkdown, siteYaml } from '../../support/content-files.js';
import { createLambdaContext } from '../../support/lambda-context.js';
import { putObject, stubContentBucket, stubSiteBucket, type StoredObject } from './s3-stubs.js';

const s3Mock = mockClient(S3Client);
const CONFIG: PublisherConfig = Object.freeze({ contentBucket: 'feed-content', siteBucket: 'feed-site' });

/** An S3 notification for one uploaded content key, as SQS delivers it. */
function uploadEvent(key: string): SQSEvent {
  const template = loadEvent<S3Event>('s3-put');
  const record = template.Records[0]!;
  return toSqsEvent({ Records: [{ ...record, s3: { ...record.s3, object: { ...record.s3.object, key } } }] });
}

function invoke(event: SQSEvent) {
  return createHandler({ s3: new S3Client({}), config: CONFIG })(event, createLambdaContext());
}

function catalogWrites(): PutObjectCommandInput[] {
  return s3Mock.commandCalls(PutObjectCommand).map((call) => call.args[0].input).filter((input) => input.Key === CATALOG_KEY);
}

describe('catalog conditional writes', () => {
  let files: Record<string, string>;
  let site: Map<string, StoredObject>;

  beforeEach(async () => {
    s3Mock.reset();
    vi.restoreAllMocks();
    vi.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);
    files = { 'site.yaml': siteYaml(), 'articles/first.md': articleMarkdown('First story', '2026-01-01T10:00:00Z') };
    stubContentBucket(s3Mock, CONFIG.contentBucket, files);
    site = stubSiteBucket(s3Mock, CONFIG.siteBucket);
    await invoke(uploadEvent('articles/first.md'));
  });

  it('creates the first catalog with If-None-Match and replaces it with If-Match on the ETag it read', async () => {
    // Prepare
    const firstWrite = catalogWrites()[0];
    const etag = site.get(CATALOG_KEY)?.ETag;
    stubContentBucket(s3Mock, CONFIG.contentBucket, { ...files, 'articles/second.md': articleMarkdown('Second story', '2026-01-02T10:00:00Z') });

    // Act
    await invoke(uploadEvent('articles/second.md'));

    // Assess
    expect(firstWrite).toMatchObject({ IfNoneMatch: '*' });
    expect(catalogWrites()[1]).toMatchObject({ IfMatch: etag });
  });

  it('redoes a publish on the newer catalog when another publish replaced it in between (412)', async () => {
    // Prepare
    const both = {
      ...files,
      'articles/second.md': articleMarkdown('Second story', '2026-01-02T10:00:00Z'),
      'articles/third.md': articleMarkdown('Third story', '2026-01-03T10:00:00Z'),
    };
    stubContentBucket(s3Mock, CONFIG.contentBucket, both);
    let raced = false;
    s3Mock.on(PutObjectCommand, { Bucket: CONFIG.siteBucket, Key: CATALOG_KEY }).callsFake(async (input: PutObjectCommandInput) => {
      if (!raced) {
        // The concurrent publish of the third story reads the same catalog and writes first.
        raced = true;
        await invoke(uploadEvent('articles/third.md'));
      }
      return putObject(site, input);
    });
    const addMetric = vi.spyOn(metrics, 'addMetric');

    // Act
    const response = await invoke(uploadEvent('articles/second.md'));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const rss = String(site.get('rss.xml')?.Body);
    for (const title of ['First story', 'Second story', 'Third story']) expect(rss).toContain(title);
    expect(addMetric).toHaveBeenCalledWith('CatalogConflicts', 'Count', 1);
    // Read twice by the losing publish, once by the winner (plus the first publish's read).
    expect(s3Mock.commandCalls(GetObjectCommand).filter((call) => call.args[0].input.Key === CATALOG_KEY)).toHaveLength(4);
  });

  it('rebuilds over an unreadable catalog and replaces exactly the version it read', async () => {
    // Prepare
    putObject(site, { Bucket: CONFIG.siteBucket, Key: CATALOG_KEY, Body: 'not gzip' });
    const damaged = site.get(CATALOG_KEY)?.ETag;
    stubContentBucket(s3Mock, CONFIG.contentBucket, { ...files, 'articles/second.md': articleMarkdown('Second story', '2026-01-02T10:00:00Z') });
    s3Mock.resetHistory();

    // Act
    await invoke(uploadEvent('articles/second.md'));

    // Assess
    expect(s3Mock).toReceiveCommandTimes(ListObjectsV2Command, 1);
    expect(catalogWrites()).toEqual([expect.objectContaining({ IfMatch: damaged })]);
    expect(String(site.get('rss.xml')?.Body)).toContain('Second story');
  });

  it('turns a 412 into a CatalogConflictError', async () => {
    // Prepare
    const store = new S3CatalogStore({ s3: new S3Client({}), bucket: CONFIG.siteBucket });
    const stale = '"not-the-current-etag"';

    // Act
    const writing = store.write(createEmptyCatalog('site'), stale);

    // Assess
    await expect(writing).rejects.toThrow(CatalogConflictError);
    await expect(writing).rejects.toHaveProperty('cause.$metadata.httpStatusCode', 412);
  });
});

describe('removing dropped documents', () => {
  let site: Map<string, StoredObject>;
  const files = {
    'site.yaml': siteYaml(),
    'articles/first.md': articleMarkdown('First story', '2026-01-01T10:00:00Z'),
    'articles/doomed.md': articleMarkdown('Doomed story', '2026-01-02T10:00:00Z'),
  };

  beforeEach(async () => {
    s3Mock.reset();
    vi.restoreAllMocks();
    vi.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);
    stubContentBucket(s3Mock, CONFIG.contentBucket, files);
    site = stubSiteBucket(s3Mock, CONFIG.siteBucket);
    await invoke(uploadEvent('articles/first.md'));
    const { 'articles/doomed.md': _doomed, ...remaining } = files;
    stubContentBucket(s3Mock, CONFIG.contentBucket, remaining);
  });

  it('deletes the page of a deleted article', async () => {
    // Act
    await invoke(uploadEvent('articles/doomed.md'));

    // Assess
    expect(s3Mock).toReceiveCommandWith(DeleteObjectCommand, { Bucket: CONFIG.siteBucket, Key: 'articles/doomed/index.html' });
    expect(site.has('articles/doomed/index.html')).toBe(false);
  });

  it('still publishes when S3 refuses the delete, warns, and tries again on the next publish', async () => {
    // Prepare
    s3Mock.on(DeleteObjectCommand).rejects(new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 } }));
    const warn = vi.spyOn(logger, 'warn');

    // Act
    const response = await invoke(uploadEvent('articles/doomed.md'));
    await invoke(uploadEvent('articles/first.md'));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(String(site.get('rss.xml')?.Body)).not.toContain('Doomed story');
    expect(warn).toHaveBeenCalledWith('Documents not removed: s3:DeleteObject refused', { objectKeys: ['articles/doomed/index.html', 'articles/doomed/ninjs.json'] });
    expect(s3Mock).toReceiveCommandTimes(DeleteObjectCommand, 4);
  });
});
