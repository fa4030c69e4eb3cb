import type { S3Event, SQSEvent } from 'aws-lambda';
import { FeedPublisherError } from '../core/errors.js';
import { SITE_CONFIG_KEY } from '../core/content/site-config.js';

/** What triggers a publish: an SQS batch of S3 notifications, or an S3 notification itself. */
export type PublishEvent = SQSEvent | S3Event;

/** An event record or message body that is not an S3 event notification. */
export class MalformedNotificationError extends FeedPublisherError {}

/** A record that needs no publish, and why. */
export interface IgnoredRecord {
  readonly objectKey: string;
  readonly reason: string;
}

/** The content keys one notification names, and the records it ignores. */
export interface NotificationKeys {
  readonly keys: string[];
  readonly ignored: IgnoredRecord[];
}

/** One queued message that names content keys. */
export interface ContentMessage {
  readonly messageId: string;
  /** Decoded content keys, sorted, without duplicates. */
  readonly keys: string[];
  /** SQS `ApproximateReceiveCount`: 1 on the first delivery. */
  readonly receiveCount: number;
}

/** What one invocation has to do. */
export interface Triage {
  /** True for SQS batches: failures are reported per message, not thrown. */
  readonly fromQueue: boolean;
  /** Decoded content keys named by the event, sorted, without duplicates. */
  readonly contentKeys: string[];
  /** Messages naming at least one content key: they all fail together if the publish fails. */
  readonly relevantMessageIds: string[];
  /** The same messages with their keys, to publish one at a time after a failed attempt. */
  readonly contentMessages: ContentMessage[];
  /**
   * True when one of those messages was delivered before (`ApproximateReceiveCount` above 1):
   * an earlier attempt failed, maybe after writing some documents the catalog does not know.
   */
  readonly redelivered: boolean;
  /** Messages that are not S3 notifications: each fails on its own. */
  readonly malformed: { readonly messageId: string; readonly reason: string }[];
  readonly ignored: IgnoredRecord[];
}

/** Decodes an S3 notification key: `+` is a space, then percent-decoding (UTF-8). */
export function decodeS3Key(raw: string): string {
  return decodeURIComponent(raw.replace(/\+/g, ' '));
}

/** True for `site.yaml` and `articles/**\/*.md`: the keys whose change alters the feeds. */
export function isContentKey(key: string): boolean {
  return key === SITE_CONFIG_KEY || (/^articles\/.+\.md$/.test(key) && !key.endsWith('/.md'));
}

/**
 * Reads the content keys an S3 notification names. `s3:TestEvent` (sent when a notification is
 * configured) and records for other buckets or other keys are ignored. Throws
 * {@link MalformedNotificationError} for anything that is not an S3 notification.
 */
export function readNotification(notification: unknown, contentBucket: string): NotificationKeys {
  const body = notification as { Event?: unknown; Records?: unknown } | null;
  if (body?.Event === 's3:TestEvent') return { keys: [], ignored: [{ objectKey: '', reason: 's3:TestEvent' }] };
  if (!Array.isArray(body?.Records)) throw new MalformedNotificationError('not an S3 event notification');
  const keys: string[] = [];
  const ignored: IgnoredRecord[] = [];
  for (const record of body.Records as unknown[]) {
    const s3 = (record as { s3?: { bucket?: { name?: unknown }; object?: { key?: unknown } } } | null)?.s3;
    const bucket = s3?.bucket?.name;
    const rawKey = s3?.object?.key;
    if (typeof bucket !== 'string' || typeof rawKey !== 'string') {
      throw new MalformedNotificationError('record without s3.bucket.name and s3.object.key');
    }
    const key = decodeKey(rawKey);
    if (bucket !== contentBucket) ignored.push({ objectKey: key, reason: `bucket ${bucket} is not the content bucket` });
    else if (!isContentKey(key)) ignored.push({ objectKey: key, reason: 'outside the content layout' });
    else keys.push(key);
  }
  return { keys, ignored };
}

/** Sorts an invocation's records into content keys, ignored records and malformed messages. */
export function triageEvent(event: PublishEvent, contentBucket: string): Triage {
  const first = event.Records?.[0] as { eventSource?: string } | undefined;
  if (first?.eventSource !== 'aws:sqs') {
    const { keys, ignored } = readNotification(event, contentBucket);
    return { fromQueue: false, contentKeys: unique(keys), relevantMessageIds: [], contentMessages: [], redelivered: false, malformed: [], ignored };
  }
  const triage = { fromQueue: true, contentKeys: [] as string[], relevantMessageIds: [] as string[], redelivered: false };
  const contentMessages: ContentMessage[] = [];
  const malformed: Triage['malformed'] = [];
  const ignored: IgnoredRecord[] = [];
  for (const message of (event as SQSEvent).Records) {
    try {
      const found = readNotification(parseJson(message.body), contentBucket);
      ignored.push(...found.ignored);
      if (found.keys.length > 0) {
        const receiveCount = Number(message.attributes?.ApproximateReceiveCount ?? '1');
        triage.relevantMessageIds.push(message.messageId);
        contentMessages.push({ messageId: message.messageId, keys: unique(found.keys), receiveCount });
        if (receiveCount > 1) triage.redelivered = true;
      }
      triage.contentKeys.push(...found.keys);
    } catch (error) {
      if (!(error instanceof MalformedNotificationError)) throw error;
      malformed.push({ messageId: message.messageId, reason: error.message });
    }
  }
  return { ...triage, contentKeys: unique(triage.contentKeys), contentMessages, malformed, ignored };
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch (cause) {
    throw new MalformedNotificationError('message body is not JSON', { cause });
  }
}

function decodeKey(raw: string): string {
  try {
    return decodeS3Key(raw);
  } catch (cause) {
    throw new MalformedNotificationError(`object key "${raw.slice(0, 100)}" is not URL-encoded UTF-8`, { cause });
  }
}

function unique(keys: readonly string[]): string[] {
  return [...new Set(keys)].sort();
}
