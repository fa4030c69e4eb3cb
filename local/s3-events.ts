import { createHash, randomUUID } from 'node:crypto';
import type { S3Event, S3EventRecord, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

/**
 * Turns the embedded S3 API's object events into what the deployed function receives:
 * S3 notifications delivered through an SQS queue, a batch of messages per invocation.
 * Events are coalesced for a short while (one upload of many files becomes one publish),
 * and invocations never overlap, as with a function whose concurrency is one.
 */

/** The queue the local batches pretend to come from. */
export const LOCAL_QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:feed-publisher-local';

/** How many times a message is delivered before it is dropped, like a redrive policy. */
const MAX_RECEIVE_COUNT = 3;

/** Options of {@link createS3EventRouter}. */
export interface S3EventRouterOptions {
  /** Only this bucket's events are delivered (the site bucket's own writes must not trigger a publish). */
  readonly contentBucket: string;
  /** The function under test, invoked with one SQS batch at a time. */
  readonly invoke: (event: SQSEvent) => Promise<SQSBatchResponse | void>;
  /** @default 150 - milliseconds of quiet before a batch is delivered */
  readonly quietMs?: number;
  /** @default 1000 - longest wait for quiet, so a steady stream still publishes */
  readonly maxWaitMs?: number;
  /** Called after each invocation with the batch and the messages that failed. */
  readonly onInvoked?: (event: SQSEvent, failedMessageIds: readonly string[]) => void;
  /** Called when an invocation throws, or a message is dropped after its last delivery. */
  readonly onError?: (error: unknown) => void;
}

/** Accepts S3 notifications and delivers them to the function. */
export interface S3EventRouter {
  /** Queues the records of one notification (the listener for s3rver's `event`). */
  accept(notification: S3Event): void;
  /**
   * Queues but does not deliver events while `work` runs, then delivers them as usual: a bulk
   * upload becomes one batch instead of one per `maxWaitMs`.
   */
  holdDuring<T>(work: () => Promise<T>): Promise<T>;
  /** Resolves once nothing is queued, waiting or running. */
  idle(): Promise<void>;
  /** Stops delivering; waits for a running invocation. Queued messages are dropped. */
  close(): Promise<void>;
}

/**
 * Encodes a key the way S3 does in event notifications (form encoding: spaces become `+`,
 * `/` is kept). s3rver sends keys raw; the function decodes them as it must for S3.
 */
export function encodeEventKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/gi, '/').replace(/%20/g, '+');
}

/** Wraps one S3 record as the SQS message an S3 → SQS notification produces. */
export function toSqsRecord(record: S3EventRecord, receiveCount = 1, now = Date.now()): SQSRecord {
  const encoded: S3EventRecord = {
    ...record,
    s3: { ...record.s3, object: { ...record.s3.object, key: encodeEventKey(record.s3.object.key) } },
  };
  const body = JSON.stringify({ Records: [encoded] });
  return {
    messageId: randomUUID(),
    receiptHandle: randomUUID(),
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: String(now),
      SenderId: 'AIDAS3NOTIFICATIONS',
      ApproximateFirstReceiveTimestamp: String(now),
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: LOCAL_QUEUE_ARN,
    awsRegion: 'us-east-1',
  };
}

/** Creates a router delivering `contentBucket`'s events to `invoke`. */
export function createS3EventRouter(options: S3EventRouterOptions): S3EventRouter {
  const quietMs = options.quietMs ?? 150;
  const maxWaitMs = options.maxWaitMs ?? 1000;
  let pending: SQSRecord[] = [];
  let firstQueuedAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let closed = false;
  let waiters: Array<() => void> = [];
  let inFlight = 0;
  let holds = 0;

  const settleWaiters = (): void => {
    if (pending.length > 0 || timer || inFlight > 0) return;
    const done = waiters;
    waiters = [];
    for (const resolve of done) resolve();
  };

  const deliver = (): void => {
    timer = undefined;
    // Released holds schedule the delivery again.
    if (holds > 0) return;
    const batch = pending;
    pending = [];
    inFlight += 1;
    running = running
      .then(() => (closed ? undefined : invokeOnce(options, batch, requeue)))
      .then(() => {
        inFlight -= 1;
        settleWaiters();
      });
  };

  const schedule = (): void => {
    if (closed) return;
    const now = Date.now();
    if (!timer) firstQueuedAt = now;
    if (timer) clearTimeout(timer);
    const wait = Math.max(0, Math.min(quietMs, firstQueuedAt + maxWaitMs - now));
    timer = setTimeout(deliver, wait);
  };

  const requeue = (messages: readonly SQSRecord[]): void => {
    if (messages.length === 0 || closed) return;
    pending.push(...messages);
    schedule();
  };

  return {
    accept: (notification) => {
      const records = (notification.Records ?? []).filter((r) => r.s3?.bucket?.name === options.contentBucket);
      if (records.length === 0 || closed) return;
      pending.push(...records.map((record) => toSqsRecord(record)));
      schedule();
    },
    holdDuring: async (work) => {
      holds += 1;
      try {
        return await work();
      } finally {
        holds -= 1;
        if (holds === 0 && pending.length > 0 && !timer) schedule();
      }
    },
    idle: () =>
      new Promise<void>((resolve) => {
        waiters.push(resolve);
        settleWaiters();
      }),
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      pending = [];
      await running;
      settleWaiters();
    },
  };
}

/** One invocation; failed messages go back to the queue until their last delivery. */
async function invokeOnce(
  options: S3EventRouterOptions,
  batch: readonly SQSRecord[],
  requeue: (messages: readonly SQSRecord[]) => void,
): Promise<void> {
  if (batch.length === 0) return;
  const event: SQSEvent = { Records: [...batch] };
  let failedIds: string[];
  try {
    const response = await options.invoke(event);
    failedIds = (response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier);
  } catch (error: unknown) {
    // A thrown invocation fails the whole batch, as the SQS event source treats it.
    options.onError?.(error);
    failedIds = batch.map((message) => message.messageId);
  }
  options.onInvoked?.(event, failedIds);
  const failed = batch.filter((message) => failedIds.includes(message.messageId));
  const receiveCount = (message: SQSRecord): number => Number(message.attributes.ApproximateReceiveCount);
  const dropped = failed.filter((message) => receiveCount(message) >= MAX_RECEIVE_COUNT);
  if (dropped.length > 0) {
    options.onError?.(new Error(`gave up on ${dropped.length} change(s) after ${MAX_RECEIVE_COUNT} attempts`));
  }
  requeue(
    failed
      .filter((message) => receiveCount(message) < MAX_RECEIVE_COUNT)
      .map((message) => ({ ...message, attributes: { ...message.attributes, ApproximateReceiveCount: String(receiveCount(message) + 1) } })),
  );
}
