import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Context, SQSEvent } from 'aws-lambda';
import { FEED_FORMATS } from '../lambdas/core/plan/outputs.js';
import { createHandler } from '../lambdas/publish/create-handler.js';
import { startEdge, type RunningEdge } from './edge.js';
import { createS3EventRouter, type S3EventRouter } from './s3-events.js';
import { LOCAL_S3_CREDENTIALS, startS3Server, type RunningS3Server } from './s3-server.js';
import { watchContent, type ContentChange, type ContentWatcher } from './watch-content.js';

/** Bucket names of the local pipeline (deployed stacks let CloudFormation name theirs). */
export const LOCAL_BUCKETS = { content: 'content', site: 'site' } as const;

/** Options of {@link startLocalPipeline}. */
export interface LocalPipelineOptions {
  /** Content folder holding `site.yaml` and `articles/`. */
  readonly contentDir: string;
  /** Port of the site; 0 picks a free one. */
  readonly port: number;
  /** @default port + 1 when `port` is set and that port is free, else any free port */
  readonly s3Port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default 1000 - milliseconds between scans of the content folder */
  readonly scanIntervalMs?: number;
  /** Receives one human-readable line per notable event (publishes, errors). @default no output */
  readonly log?: (line: string) => void;
  /**
   * Publish as a deployment with partner access on does: no public document names the JSON
   * Feed and the hub hears only of RSS and Atom (the local edge itself asks for no token).
   * @default false
   */
  readonly partnerAccess?: boolean;
}

/** A running local pipeline. */
export interface LocalPipeline {
  /** The site, e.g. `http://127.0.0.1:8080/`; also the feeds' public base URL. */
  readonly url: string;
  /** The S3 API endpoint, e.g. `http://127.0.0.1:8081`. */
  readonly s3Endpoint: string;
  readonly contentBucket: string;
  readonly siteBucket: string;
  /** Credentials every request to {@link s3Endpoint} must be signed with (AWS Signature Version 4). */
  readonly credentials: typeof LOCAL_S3_CREDENTIALS;
  /** URLs of every feed currently in the site bucket. */
  listFeedUrls(): Promise<string[]>;
  /** Resolves once the folder has been scanned and every resulting publish has finished. */
  settle(): Promise<void>;
  /** Stops every part, frees both ports and removes the data folder. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts the embedded S3 API (content and site buckets), the real publish handler fed by the
 * API's own object events in SQS-shaped batches, the CloudFront-like edge serving the site
 * bucket, and the watcher that uploads the content folder. Resolves after the first publish.
 */
export async function startLocalPipeline(options: LocalPipelineOptions): Promise<LocalPipeline> {
  const contentDir = resolve(options.contentDir);
  await assertFolder(contentDir);
  const log = options.log ?? (() => undefined);
  const host = options.host ?? '127.0.0.1';
  const dataDir = await mkdtemp(join(tmpdir(), 'feed-publisher-local-'));
  const parts = new Parts(dataDir);
  try {
    let router: S3EventRouter | undefined;
    const s3Server = await startS3Api(options, host, dataDir, (event) => router?.accept(event));
    parts.s3Server = s3Server;
    const { client: s3 } = s3Server;
    const edge = await startEdge({ s3, bucket: LOCAL_BUCKETS.site, host, port: options.port });
    parts.edge = edge;
    router = createRouter(s3, edge.url, log, options.partnerAccess === true);
    parts.router = router;
    const watcher = watchContent({
      dir: contentDir,
      apply: (change) => applyChange(s3, change, log),
      intervalMs: options.scanIntervalMs ?? 1000,
      wrapApply: (applyAll) => router.holdDuring(applyAll),
      onError: (error) => log(`content: ${describeError(error)}`),
    });
    parts.watcher = watcher;
    await watcher.ready;
    await router.idle();
    return describePipeline(parts, s3Server, edge, s3, router, watcher);
  } catch (error: unknown) {
    await parts.close();
    throw error;
  }
}

function describePipeline(
  parts: Parts,
  s3Server: RunningS3Server,
  edge: RunningEdge,
  s3: S3Client,
  router: S3EventRouter,
  watcher: ContentWatcher,
): LocalPipeline {
  return {
    url: edge.url,
    s3Endpoint: s3Server.endpoint,
    contentBucket: LOCAL_BUCKETS.content,
    siteBucket: LOCAL_BUCKETS.site,
    credentials: LOCAL_S3_CREDENTIALS,
    listFeedUrls: () => listFeedUrls(s3, edge.url),
    settle: async () => {
      await watcher.scan();
      await router.idle();
    },
    close: () => parts.close(),
  };
}

/** Starts the S3 API on the requested port, the site port + 1, or any free port. */
async function startS3Api(
  options: LocalPipelineOptions,
  host: string,
  dataDir: string,
  onEvent: Parameters<typeof startS3Server>[0]['onEvent'],
): Promise<RunningS3Server> {
  const start = (port: number) =>
    startS3Server({ directory: join(dataDir, 's3'), buckets: Object.values(LOCAL_BUCKETS), host, port, onEvent });
  if (options.s3Port !== undefined) return start(options.s3Port);
  if (options.port === 0 || options.port === 65_535) return start(0);
  try {
    return await start(options.port + 1);
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return start(0);
  }
}

/** Routes the content bucket's events to the real handler, one SQS-shaped batch at a time. */
function createRouter(s3: S3Client, siteUrl: string, log: (line: string) => void, partnerAccess: boolean): S3EventRouter {
  const handler = createHandler({
    s3,
    // localPreview: a hub on this machine (plain http, loopback) may be pinged; nothing else opens.
    config: { contentBucket: LOCAL_BUCKETS.content, siteBucket: LOCAL_BUCKETS.site, publicBaseUrl: siteUrl, localPreview: true, ...(partnerAccess ? { partnerAccess } : {}) },
  });
  return createS3EventRouter({
    contentBucket: LOCAL_BUCKETS.content,
    invoke: (event: SQSEvent) => handler(event, createLocalContext()),
    onInvoked: (event, failed) => {
      const keys = event.Records.length;
      log(failed.length === 0 ? `published (${keys} change${keys === 1 ? '' : 's'})` : `publish failed for ${failed.length} of ${keys} changes`);
    },
    onError: (error) => log(`publish: ${describeError(error)}`),
  });
}

/** Applies one content change with single-object calls: s3rver emits no event for batch deletes. */
async function applyChange(s3: S3Client, change: ContentChange, log: (line: string) => void): Promise<void> {
  const Bucket = LOCAL_BUCKETS.content;
  if (change.kind === 'delete') {
    await s3.send(new DeleteObjectCommand({ Bucket, Key: change.key }));
    log(`deleted ${change.key}`);
    return;
  }
  const ContentType = change.key.endsWith('.yaml') ? 'application/yaml' : 'text/markdown; charset=utf-8';
  await s3.send(new PutObjectCommand({ Bucket, Key: change.key, Body: change.body, ContentType }));
  log(`uploaded ${change.key}`);
}

/**
 * The URL of every feed document in the site bucket: the root feeds, then each language
 * folder's, RSS, Atom and JSON Feed in that order. Lists one folder level at a time, so
 * thousands of article pages never push the feeds past a listing page.
 */
async function listFeedUrls(s3: S3Client, siteUrl: string): Promise<string[]> {
  const files: string[] = Object.values(FEED_FORMATS).map((format) => format.file);
  const root = await listFolder(s3, '');
  const folders = root.folders.filter((folder) => folder !== 'articles/').sort();
  const levels = [root.keys, ...(await Promise.all(folders.map(async (folder) => (await listFolder(s3, folder)).keys)))];
  return levels.flatMap((keys) =>
    files.flatMap((file) => keys.filter((key) => key === file || key.endsWith(`/${file}`))).map((key) => new URL(key, siteUrl).href),
  );
}

async function listFolder(s3: S3Client, prefix: string): Promise<{ keys: string[]; folders: string[] }> {
  const listing = await s3.send(new ListObjectsV2Command({ Bucket: LOCAL_BUCKETS.site, Prefix: prefix, Delimiter: '/' }));
  return {
    keys: (listing.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : [])),
    folders: (listing.CommonPrefixes ?? []).flatMap((common) => (common.Prefix ? [common.Prefix] : [])),
  };
}

/** A Lambda context for local invocations (the handler only reads names and ids from it). */
function createLocalContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'publish-feeds-local',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:publish-feeds-local',
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/publish-feeds-local',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

async function assertFolder(path: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) throw new Error(`Content folder not found: ${path}`);
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Whatever has been started so far, stopped in reverse order exactly once. */
class Parts {
  s3Server?: RunningS3Server;
  edge?: RunningEdge;
  router?: S3EventRouter;
  watcher?: ContentWatcher;
  private closing?: Promise<void>;

  constructor(private readonly dataDir: string) {}

  close(): Promise<void> {
    this.closing ??= this.closeAll();
    return this.closing;
  }

  private async closeAll(): Promise<void> {
    await this.watcher?.close();
    await this.router?.close();
    await this.edge?.close();
    await this.s3Server?.close();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
