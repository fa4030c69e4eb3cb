import type { S3Event, S3EventRecord, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createS3EventRouter, encodeEventKey, toSqsRecord } from '../../../local/s3-events.js';

const CONTENT = 'content';
const SITE = 'site';

/** One record shaped like s3rver's (keys raw, not URL-encoded). */
function s3rverNotification(bucket: string, key: string, eventName = 'ObjectCreated:Put'): S3Event {
  const record = {
    eventVersion: '2.0',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: '2026-01-01T00:00:00.000Z',
    eventName,
    userIdentity: { principalId: 'AWS:LOCAL' },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: { 'x-amz-request-id': 'REQ', 'x-amz-id-2': 'ID2' },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'testConfigId',
      bucket: { name: bucket, ownerIdentity: { principalId: 'OWNER' }, arn: `arn:aws:s3:::${bucket}` },
      object: { key, size: 1, eTag: 'etag', sequencer: '1' },
    },
  } as S3EventRecord;
  return { Records: [record] };
}

function keysOf(event: SQSEvent): string[] {
  return event.Records.map((message) => (JSON.parse(message.body) as S3Event).Records[0]?.s3.object.key ?? '');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('encodeEventKey', () => {
  it('encodes a key as S3 notifications do: spaces as +, slashes kept', () => {
    // Act
    const encoded = encodeEventKey('articles/2021/my post+draft ü.md');

    // Assess
    expect(encoded).toBe('articles/2021/my+post%2Bdraft+%C3%BC.md');
    expect(decodeURIComponent(encoded.replace(/\+/g, ' '))).toBe('articles/2021/my post+draft ü.md');
  });
});

describe('toSqsRecord', () => {
  it('wraps one S3 record as an SQS message whose body is an S3 notification', () => {
    // Prepare
    const [record] = s3rverNotification(CONTENT, 'articles/a b.md').Records;

    // Act
    const message = toSqsRecord(record!, 1, 1_000);
    const body = JSON.parse(message.body) as S3Event;

    // Assess
    expect(message.eventSource).toBe('aws:sqs');
    expect(message.attributes.ApproximateReceiveCount).toBe('1');
    expect(body.Records).toHaveLength(1);
    expect(body.Records[0]?.s3.object.key).toBe('articles/a+b.md');
    expect(body.Records[0]?.s3.bucket.name).toBe(CONTENT);
  });
});

describe('createS3EventRouter', () => {
  it('coalesces events arriving close together into one batch', async () => {
    // Prepare
    const batches: SQSEvent[] = [];
    const router = createS3EventRouter({ contentBucket: CONTENT, quietMs: 40, invoke: async (event) => void batches.push(event) });

    // Act
    router.accept(s3rverNotification(CONTENT, 'articles/a.md'));
    await sleep(10);
    router.accept(s3rverNotification(CONTENT, 'articles/b.md'));
    await router.idle();

    // Assess
    expect(batches).toHaveLength(1);
    expect(keysOf(batches[0]!)).toEqual(['articles/a.md', 'articles/b.md']);
  });

  it('ignores the site bucket so published feeds never trigger a publish', async () => {
    // Prepare
    const batches: SQSEvent[] = [];
    const router = createS3EventRouter({ contentBucket: CONTENT, quietMs: 10, invoke: async (event) => void batches.push(event) });

    // Act
    router.accept(s3rverNotification(SITE, 'rss.xml'));
    await sleep(30);
    await router.idle();

    // Assess
    expect(batches).toHaveLength(0);
  });

  it('never runs two invocations at once', async () => {
    // Prepare
    let running = 0;
    let maxRunning = 0;
    const batches: SQSEvent[] = [];
    const router = createS3EventRouter({
      contentBucket: CONTENT,
      quietMs: 5,
      invoke: async (event) => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        batches.push(event);
        await sleep(60);
        running -= 1;
      },
    });

    // Act
    router.accept(s3rverNotification(CONTENT, 'articles/a.md'));
    await sleep(20);
    router.accept(s3rverNotification(CONTENT, 'articles/b.md'));
    await sleep(20);
    router.accept(s3rverNotification(CONTENT, 'articles/c.md'));
    await router.idle();

    // Assess
    expect(maxRunning).toBe(1);
    expect(batches.flatMap(keysOf)).toEqual(['articles/a.md', 'articles/b.md', 'articles/c.md']);
  });

  it('holds events while a bulk upload runs and then delivers them as one batch', async () => {
    // Prepare
    const batches: SQSEvent[] = [];
    const router = createS3EventRouter({ contentBucket: CONTENT, quietMs: 5, maxWaitMs: 10, invoke: async (event) => void batches.push(event) });

    // Act
    await router.holdDuring(async () => {
      for (const key of ['articles/a.md', 'articles/b.md', 'articles/c.md']) {
        router.accept(s3rverNotification(CONTENT, key));
        await sleep(15);
      }
    });
    await router.idle();

    // Assess
    expect(batches).toHaveLength(1);
    expect(keysOf(batches[0]!)).toEqual(['articles/a.md', 'articles/b.md', 'articles/c.md']);
  });

  it('redelivers failed messages until their last delivery', async () => {
    // Prepare
    const receiveCounts: string[] = [];
    const errors: unknown[] = [];
    const router = createS3EventRouter({
      contentBucket: CONTENT,
      quietMs: 5,
      invoke: async (event): Promise<SQSBatchResponse> => {
        receiveCounts.push(...event.Records.map((m) => m.attributes.ApproximateReceiveCount));
        return { batchItemFailures: event.Records.map((m) => ({ itemIdentifier: m.messageId })) };
      },
      onError: (error) => errors.push(error),
    });

    // Act
    router.accept(s3rverNotification(CONTENT, 'articles/a.md'));
    await router.idle();

    // Assess
    expect(receiveCounts).toEqual(['1', '2', '3']);
    expect(errors).toHaveLength(1);
  });

  it('delivers nothing after close', async () => {
    // Prepare
    const batches: SQSEvent[] = [];
    const router = createS3EventRouter({ contentBucket: CONTENT, quietMs: 20, invoke: async (event) => void batches.push(event) });
    router.accept(s3rverNotification(CONTENT, 'articles/a.md'));

    // Act
    await router.close();
    await sleep(40);

    // Assess
    expect(batches).toHaveLength(0);
  });
});
