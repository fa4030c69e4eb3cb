import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHandler } from '../../lambdas/publish/create-handler.js';
import { mapWithConcurrency } from '../../lambdas/shared/map-with-concurrency.js';
import { toSqsEvent } from '../fixtures/events/load-event.js';
import { diffSnapshots, isFeedKey, sameDocument, snapshotBucket, validateSnapshot, type BucketSnapshot } from '../support/bucket-snapshot.js';
import { createConditionalWriteLocks, emulateConditionalWrites } from '../support/conditional-writes.js';
import { articleMarkdown, siteYaml } from '../support/content-files.js';
import { createFaultyS3rverClient, FAULT_KINDS, type FaultInjector, type FaultKind } from '../support/fault-injection.js';
import { createLambdaContext } from '../support/lambda-context.js';
import { startS3Server, type RunningS3Server } from '../../local/s3-server.js';

// Keep the test output free of Embedded Metric Format lines.
vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const SITE_URL = 'https://news.example.com/';

/** Scenarios run side by side, each on its own buckets and client, to keep the sweep short. */
const SCENARIOS_AT_ONCE = 4;

/**
 * A sweep runs one publish per S3 call of the baseline, and Atom and JSON Feed documents take
 * three writes each (the document and its two precompressed variants): more than a minute on
 * a busy machine.
 */
const SWEEP_TIMEOUT_MS = 180_000;

/** The published state before the change: three articles over two tags. */
const BEFORE: Record<string, string> = {
  'site.yaml': siteYaml(),
  'articles/2026/01/first.md': articleMarkdown('First story', '2026-01-01T10:00:00Z', 'tags: [alpha]\n'),
  'articles/2026/01/second.md': articleMarkdown('Second story', '2026-01-02T10:00:00Z', 'tags: [alpha, beta]\n'),
  'articles/2026/01/third.md': articleMarkdown('Third story', '2026-01-03T10:00:00Z', 'tags: [beta]\n'),
};

/** One SQS batch worth of change: an update, a creation and a deletion. */
const CHANGE = {
  puts: {
    'articles/2026/01/second.md': articleMarkdown('Second story, revised', '2026-01-02T10:00:00Z', 'tags: [alpha, gamma]\n', 'New body.'),
    'articles/2026/01/fourth.md': articleMarkdown('Fourth story', '2026-01-04T10:00:00Z', 'tags: [gamma]\n'),
  } as Record<string, string>,
  deletes: ['articles/2026/01/third.md'],
};

/** Figures of the run, summed over every scenario. */
const tally = { scenarios: 0, faultsInjected: 0, publishes: 0, failedPublishes: 0, absorbedByConditionalRedo: 0, documentsChecked: 0, mixedSets: 0 };

describe('publish handler under S3 faults', () => {
  let s3rver: RunningS3Server;
  let bucketPairs = 0;
  const locks = createConditionalWriteLocks();
  /** The site bucket just before the change is published. */
  let before: BucketSnapshot;
  /** The site bucket after the change is published without a fault. */
  let expected: BucketSnapshot;
  /** Operations and writes of one fault-free publish of the change. */
  let baseline: { calls: number; writes: number; conditionalWrites: number; commands: string[] };

  /** Fresh content and site buckets holding BEFORE, published, with CHANGE uploaded but not yet published. */
  async function prepareScenario(): Promise<{ contentBucket: string; siteBucket: string; event: SQSEvent }> {
    bucketPairs += 1;
    const contentBucket = `content-${bucketPairs}`;
    const siteBucket = `site-${bucketPairs}`;
    await s3rver.client.send(new CreateBucketCommand({ Bucket: contentBucket }));
    await s3rver.client.send(new CreateBucketCommand({ Bucket: siteBucket }));
    await upload(contentBucket, BEFORE);
    const first = await publishCleanly(contentBucket, siteBucket, notifyEvent(contentBucket, Object.keys(BEFORE)));
    expect(first).toEqual({ batchItemFailures: [] });
    await upload(contentBucket, CHANGE.puts);
    for (const Key of CHANGE.deletes) await s3rver.client.send(new DeleteObjectCommand({ Bucket: contentBucket, Key }));
    return { contentBucket, siteBucket, event: notifyEvent(contentBucket, [...Object.keys(CHANGE.puts), ...CHANGE.deletes]) };
  }

  async function upload(bucket: string, files: Record<string, string>): Promise<void> {
    for (const [Key, Body] of Object.entries(files)) await s3rver.client.send(new PutObjectCommand({ Bucket: bucket, Key, Body }));
  }

  function publishCleanly(contentBucket: string, siteBucket: string, event: SQSEvent): Promise<SQSBatchResponse> {
    return createHandler({ s3: s3rver.client, config: { contentBucket, siteBucket } })(event, createLambdaContext());
  }

  /** Runs one publish of the change through a client that fails as `arm` says, then checks and retries it. */
  async function runScenario(
    label: string,
    arm: (faults: FaultInjector) => void,
    options: { functionTimeout?: boolean } = {},
  ): Promise<{ failed: boolean }> {
    const scenario = await prepareScenario();
    const { client, faults } = createFaultyS3rverClient(s3rver.endpoint);
    emulateConditionalWrites(client, locks, s3rver.client);
    arm(faults);
    const handler = createHandler({ s3: client, config: { contentBucket: scenario.contentBucket, siteBucket: scenario.siteBucket } });
    const response = await handler(scenario.event, createLambdaContext());
    const callsAtReturn = faults.calls.length;
    const inFlightAtReturn = faults.inFlight;
    tally.scenarios += 1;
    tally.publishes += 1;
    tally.faultsInjected += faults.injected;

    // Nothing may still be writing once the handler has answered (Lambda freezes it then).
    expect(inFlightAtReturn, `${label}: S3 calls still in flight when the handler returned`).toBe(0);
    const messageIds = scenario.event.Records.map((record) => record.messageId);
    const failedIds = response.batchItemFailures.map((failure) => failure.itemIdentifier).sort();
    // A function timeout fails the whole batch whatever the handler would have answered.
    const failed = options.functionTimeout === true || failedIds.length > 0;
    if (!options.functionTimeout) expect([[], messageIds], `${label}: batch item failures`).toContainEqual(failedIds);

    const during = await snapshotBucket(s3rver.client, scenario.siteBucket);
    expect(faults.calls.length, `${label}: S3 calls after the handler returned`).toBe(callsAtReturn);
    expect(describeIntermediateState(during), `${label}: documents neither before nor after the change`).toEqual([]);
    expect(validateSnapshot(during, SITE_URL), `${label}: invalid documents`).toEqual([]);
    tally.documentsChecked += during.size;
    tally.mixedSets += countMixedSets(during);

    if (failed) {
      tally.failedPublishes += 1;
      // SQS delivers the failed messages again: the retry runs on a healthy S3.
      const retried = await publishCleanly(scenario.contentBucket, scenario.siteBucket, scenario.event);
      tally.publishes += 1;
      expect(retried, `${label}: retry`).toEqual({ batchItemFailures: [] });
    }
    const after = await snapshotBucket(s3rver.client, scenario.siteBucket);
    tally.documentsChecked += after.size;
    expect(diffSnapshots(after, expected), `${label}: final documents`).toEqual({ missing: [], extra: [], changed: [] });
    client.destroy();
    return { failed };
  }

  /** Each document of an interrupted publish is either its version before the change or after it. */
  function describeIntermediateState(during: BucketSnapshot): string[] {
    return [...during.values()].flatMap((document) => {
      const old = before.get(document.key);
      const next = expected.get(document.key);
      if ((old && sameDocument(document, old)) || (next && sameDocument(document, next))) return [];
      return [document.key];
    });
  }

  /**
   * Feed folders whose formats a reader would see at different versions (one already rewritten,
   * created or removed, another not yet). Feeds the publish does not change are left out.
   */
  function countMixedSets(during: BucketSnapshot): number {
    const states = new Map<string, Set<'old' | 'new'>>();
    for (const key of new Set([...before.keys(), ...expected.keys()])) {
      const old = before.get(key);
      const next = expected.get(key);
      if (!isFeedKey(key) || (old && next && sameDocument(old, next))) continue;
      const now = during.get(key);
      const state = now === undefined ? (next === undefined ? 'new' : 'old') : next && sameDocument(now, next) ? 'new' : 'old';
      const folder = key.slice(0, key.lastIndexOf('/') + 1);
      states.set(folder, (states.get(folder) ?? new Set()).add(state));
    }
    return [...states.values()].filter((set) => set.size > 1).length;
  }

  beforeAll(async () => {
    s3rver = await startS3Server({ buckets: ['content', 'site'] });
    // S3 checks If-Match / If-None-Match on every write; s3rver ignores them.
    emulateConditionalWrites(s3rver.client, locks);
    const scenario = await prepareScenario();
    before = await snapshotBucket(s3rver.client, scenario.siteBucket);
    const { client, faults } = createFaultyS3rverClient(s3rver.endpoint);
    emulateConditionalWrites(client, locks, s3rver.client);
    const handler = createHandler({ s3: client, config: { contentBucket: scenario.contentBucket, siteBucket: scenario.siteBucket } });
    expect(await handler(scenario.event, createLambdaContext())).toEqual({ batchItemFailures: [] });
    expected = await snapshotBucket(s3rver.client, scenario.siteBucket);
    baseline = {
      calls: faults.calls.length,
      writes: faults.writesApplied,
      conditionalWrites: faults.calls.filter((call) => call.conditional).length,
      commands: faults.calls.map((call) => call.command),
    };
    client.destroy();
  });

  afterAll(async () => {
    await s3rver.close();
    if (process.env.RELIABILITY_REPORT) {
      const { appendFile } = await import('node:fs/promises');
      await appendFile(process.env.RELIABILITY_REPORT, `${JSON.stringify({ faults: { ...tally, baseline } })}\n`);
    }
  });

  it('publishes the change fault-free into documents equal to a from-scratch render', async () => {
    // Prepare
    const scratch = { contentBucket: 'content', siteBucket: 'site' };
    await upload(scratch.contentBucket, { ...BEFORE, ...CHANGE.puts });
    for (const Key of CHANGE.deletes) await s3rver.client.send(new DeleteObjectCommand({ Bucket: scratch.contentBucket, Key }));

    // Act
    const response = await publishCleanly(scratch.contentBucket, scratch.siteBucket, notifyEvent(scratch.contentBucket, ['site.yaml']));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const fromScratch = await snapshotBucket(s3rver.client, scratch.siteBucket);
    expect(validateSnapshot(fromScratch, SITE_URL)).toEqual([]);
    expect(diffSnapshots(expected, fromScratch)).toEqual({ missing: [], extra: [], changed: [] });
  });

  it.each(FAULT_KINDS.filter((kind) => kind !== 'timeout-after-apply'))(
    'keeps every document whole, fails the batch and completes on retry after a %s on any call',
    async (kind: FaultKind) => {
      // Prepare
      const indexes = Array.from({ length: baseline.calls }, (_, index) => index);

      // Act
      const outcomes = await mapWithConcurrency(indexes, SCENARIOS_AT_ONCE, (index) =>
        runScenario(`${kind} on call ${index} (${baseline.commands[index]})`, (faults) => faults.failCall(index, kind)),
      );

      // Assess
      expect(outcomes.filter((outcome) => outcome.failed)).toHaveLength(indexes.length);
    },
    SWEEP_TIMEOUT_MS,
  );

  it('keeps every document whole and completes when a write lands but its answer is lost, on any call', async () => {
    // Prepare
    const indexes = Array.from({ length: baseline.calls }, (_, index) => index);

    // Act
    const outcomes = await mapWithConcurrency(indexes, SCENARIOS_AT_ONCE, (index) =>
      runScenario(`timeout-after-apply on call ${index} (${baseline.commands[index]})`, (faults) => faults.failCall(index, 'timeout-after-apply')),
    );

    // Assess: the batch fails, except where the lost answer belonged to a conditional write, whose
    // retried attempt meets the new ETag (412) and the publisher redoes its work on top of it.
    const absorbed = outcomes.filter((outcome) => !outcome.failed).length;
    tally.absorbedByConditionalRedo += absorbed;
    expect(absorbed).toBeLessThanOrEqual(baseline.conditionalWrites);
    expect(outcomes).toHaveLength(indexes.length);
  }, SWEEP_TIMEOUT_MS);

  it('keeps every document whole and completes on retry when the function times out after any number of writes', async () => {
    // Prepare
    const cuts = Array.from({ length: baseline.writes }, (_, writes) => writes);

    // Act
    const outcomes = await mapWithConcurrency(cuts, SCENARIOS_AT_ONCE, (writes) =>
      runScenario(`timeout after ${writes} writes`, (faults) => faults.cutAfterWrites(writes), { functionTimeout: true }),
    );

    // Assess
    expect(outcomes).toHaveLength(baseline.writes);
  }, SWEEP_TIMEOUT_MS);

  // A publish cut off after writing some documents but before its catalog write leaves those
  // documents unknown to the catalog. When the article is deleted before the retry, the retry
  // sees a deletion of a path the catalog never listed; what repairs the site is the redelivery
  // (ApproximateReceiveCount 2): the publish lists the site bucket, rewrites or removes every
  // document written since the catalog, and so leaves nothing of the deleted article.
  it('leaves nothing of an article deleted before the retry of a publish cut off after any number of writes', async () => {
    // Prepare
    const created = 'articles/2026/01/fifth.md';
    const probe = await prepareScenario();
    await upload(probe.contentBucket, { [created]: articleMarkdown('Fifth story', '2026-01-05T10:00:00Z', 'tags: [delta]\n') });
    const { client, faults } = createFaultyS3rverClient(s3rver.endpoint);
    emulateConditionalWrites(client, locks, s3rver.client);
    const probeHandler = createHandler({ s3: client, config: { contentBucket: probe.contentBucket, siteBucket: probe.siteBucket } });
    await probeHandler(notifyEvent(probe.contentBucket, [created]), createLambdaContext());
    const writes = faults.writesApplied;
    client.destroy();

    // Act
    const outcomes = await mapWithConcurrency(Array.from({ length: writes }, (_, cut) => cut), SCENARIOS_AT_ONCE, async (cut) => {
      const scenario = await prepareScenario();
      await publishCleanly(scenario.contentBucket, scenario.siteBucket, scenario.event);
      // The operator's own files in the site bucket: a repair must leave them alone.
      for (const Key of ['favicon.png', 'about/index.html']) {
        await s3rver.client.send(new PutObjectCommand({ Bucket: scenario.siteBucket, Key, Body: 'operator file' }));
      }
      const beforeCreate = await snapshotBucket(s3rver.client, scenario.siteBucket);
      await upload(scenario.contentBucket, { [created]: articleMarkdown('Fifth story', '2026-01-05T10:00:00Z', 'tags: [delta]\n') });
      const cutOff = createFaultyS3rverClient(s3rver.endpoint);
      emulateConditionalWrites(cutOff.client, locks, s3rver.client);
      cutOff.faults.cutAfterWrites(cut);
      const createEvent = notifyEvent(scenario.contentBucket, [created]);
      await createHandler({ s3: cutOff.client, config: { contentBucket: scenario.contentBucket, siteBucket: scenario.siteBucket } })(createEvent, createLambdaContext());
      cutOff.client.destroy();
      // The author deletes the article before SQS delivers the failed creation again, with the deletion.
      await s3rver.client.send(new DeleteObjectCommand({ Bucket: scenario.contentBucket, Key: created }));
      const redelivered = createEvent.Records.map((record) => ({ ...record, attributes: { ...record.attributes, ApproximateReceiveCount: '2' } }));
      const retry = { Records: [...redelivered, ...notifyEvent(scenario.contentBucket, [created]).Records.map((record) => ({ ...record, messageId: 'deletion' }))] };
      const response = await publishCleanly(scenario.contentBucket, scenario.siteBucket, retry);
      tally.publishes += 2;
      tally.faultsInjected += cutOff.faults.injected;
      const after = await snapshotBucket(s3rver.client, scenario.siteBucket);
      return { cut, response, diff: diffSnapshots(after, beforeCreate) };
    });

    // Assess
    expect(writes).toBeGreaterThan(3);
    expect(outcomes.filter((outcome) => outcome.response.batchItemFailures.length > 0)).toEqual([]);
    expect(outcomes.filter((outcome) => outcome.diff.missing.length + outcome.diff.extra.length + outcome.diff.changed.length > 0)).toEqual([]);
  }, SWEEP_TIMEOUT_MS);

  it('absorbs a fault on the first attempt of any call through the SDK retry, without failing the batch', async () => {
    // Prepare
    const indexes = Array.from({ length: baseline.calls }, (_, index) => index);

    // Act
    const outcomes = await mapWithConcurrency(indexes, SCENARIOS_AT_ONCE, (index) => {
      const kind = FAULT_KINDS[index % FAULT_KINDS.length]!;
      return runScenario(`one ${kind} on call ${index}`, (faults) => faults.failCall(index, kind, { attempts: 1 }));
    });

    // Assess
    expect(outcomes.filter((outcome) => outcome.failed)).toEqual([]);
  }, SWEEP_TIMEOUT_MS);
});

/** One SQS message per changed key, as the S3 → SQS notification delivers them. */
function notifyEvent(bucket: string, keys: readonly string[]): SQSEvent {
  return toSqsEvent(
    ...keys.map((key) => ({
      Records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: bucket }, object: { key: encodeURIComponent(key).replace(/%2F/g, '/') } } }],
    })),
  );
}
