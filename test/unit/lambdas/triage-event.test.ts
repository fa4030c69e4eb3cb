import type { S3Event, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { decodeS3Key, isContentKey, triageEvent } from '../../../lambdas/publish/triage-event.js';
import { loadEvent, toSqsEvent } from '../../fixtures/events/load-event.js';

const CONTENT_BUCKET = 'feed-content';

describe('decodeS3Key', () => {
  it.each([
    ['articles/a+b.md', 'articles/a b.md'],
    ['articles/caf%C3%A9.md', 'articles/café.md'],
    ['articles/%E6%97%A5%E6%9C%AC.md', 'articles/日本.md'],
    ['articles/1%2B1%3D2.md', 'articles/1+1=2.md'],
    ['site.yaml', 'site.yaml'],
  ])('decodes %s', (raw, expected) => {
    // Prepare
    const key = raw;

    // Act
    const decoded = decodeS3Key(key);

    // Assess
    expect(decoded).toBe(expected);
  });
});

describe('isContentKey', () => {
  it.each([
    ['site.yaml', true],
    ['articles/a.md', true],
    ['articles/2021/11/a b.md', true],
    ['articles/.md', false],
    ['articles/notes.txt', false],
    ['drafts/site.yaml', false],
    ['rss.xml', false],
    ['images/logo.png', false],
  ])('classifies %s as %s', (key, expected) => {
    // Prepare
    const candidate = key;

    // Act
    const result = isContentKey(candidate);

    // Assess
    expect(result).toBe(expected);
  });
});

describe('triageEvent', () => {
  it('decodes the keys of a direct S3 event', () => {
    // Prepare
    const event = loadEvent<S3Event>('s3-encoded-key');

    // Act
    const triage = triageEvent(event, CONTENT_BUCKET);

    // Assess
    expect(triage).toMatchObject({ fromQueue: false, contentKeys: ['articles/2026/01/café au lait!.md'] });
  });

  it('collects the keys of every message in a batch once, sorted', () => {
    // Prepare
    const event = loadEvent<SQSEvent>('sqs-batch');
    const duplicate = toSqsEvent(loadEvent<S3Event>('s3-put')).Records[0]!;
    event.Records.push({ ...duplicate, messageId: 'duplicate' });

    // Act
    const triage = triageEvent(event, CONTENT_BUCKET);

    // Assess
    expect(triage.contentKeys).toEqual(['articles/2025/12/old-article.md', 'articles/2026/01/new-article.md', 'site.yaml']);
    expect(triage.relevantMessageIds).toEqual([
      event.Records[0]!.messageId,
      event.Records[1]!.messageId,
      event.Records[3]!.messageId,
      'duplicate',
    ]);
    expect(triage.malformed).toEqual([]);
  });

  it('ignores records of other buckets and keys outside the content layout', () => {
    // Prepare
    const event = loadEvent<S3Event>('s3-outside-layout');

    // Act
    const triage = triageEvent(event, CONTENT_BUCKET);

    // Assess
    expect(triage.contentKeys).toEqual([]);
    expect(triage.ignored.map((record) => record.objectKey)).toEqual([
      'images/logo.png',
      'articles/notes.txt',
      'drafts/site.yaml',
      'articles/2026/01/new-article.md',
    ]);
    expect(triage.ignored[3]!.reason).toContain('feed-site');
  });

  it('ignores the test event S3 sends when a notification is configured', () => {
    // Prepare
    const event = loadEvent<SQSEvent>('sqs-test-event');

    // Act
    const triage = triageEvent(event, CONTENT_BUCKET);

    // Assess
    expect(triage).toMatchObject({ contentKeys: [], relevantMessageIds: [], malformed: [] });
    expect(triage.ignored).toEqual([{ objectKey: '', reason: 's3:TestEvent' }]);
  });

  it('reports each message that is not an S3 notification, alone', () => {
    // Prepare
    const event = loadEvent<SQSEvent>('sqs-malformed');

    // Act
    const triage = triageEvent(event, CONTENT_BUCKET);

    // Assess
    expect(triage.relevantMessageIds).toEqual([event.Records[0]!.messageId]);
    expect(triage.malformed).toEqual([
      { messageId: event.Records[1]!.messageId, reason: 'message body is not JSON' },
      { messageId: event.Records[2]!.messageId, reason: 'not an S3 event notification' },
    ]);
  });

  it('reports a message whose key is not valid percent-encoding as malformed', () => {
    // Prepare
    const notification = loadEvent<S3Event>('s3-put');
    notification.Records[0]!.s3.object.key = 'articles/%E0%A4%A.md';

    // Act
    const triage = triageEvent(toSqsEvent(notification), CONTENT_BUCKET);

    // Assess
    expect(triage.malformed).toHaveLength(1);
    expect(triage.malformed[0]!.reason).toContain('not URL-encoded UTF-8');
  });
});

describe('triageEvent redeliveries', () => {
  it('flags a batch in which a message naming content was delivered before', () => {
    // Prepare
    const first = loadEvent<SQSEvent>('sqs-s3-put');
    const again: SQSEvent = {
      Records: first.Records.map((record) => ({ ...record, attributes: { ...record.attributes, ApproximateReceiveCount: '3' } })),
    };

    // Act
    const fresh = triageEvent(first, CONTENT_BUCKET);
    const retried = triageEvent(again, CONTENT_BUCKET);

    // Assess
    expect(fresh.contentKeys.length).toBeGreaterThan(0);
    expect(fresh.redelivered).toBe(false);
    expect(retried.redelivered).toBe(true);
  });
});
