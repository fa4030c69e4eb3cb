/**
 * S3 requests, bytes and time of a one-article publish on top of an archive of N articles, for
 * the incremental path (the handler: catalog + changed article) and the full path (list, read
 * and render everything, compare every document), side by side on the same change.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SQSEvent } from 'aws-lambda';
import { S3ArticleSource } from '../lambdas/adapters/s3-article-source.js';
import { S3CatalogStore } from '../lambdas/adapters/s3-catalog-store.js';
import { S3SiteWriter } from '../lambdas/adapters/s3-site-writer.js';
import type { Article } from '../lambdas/core/content/article.js';
import { createEmptyCatalog, hashSite } from '../lambdas/core/catalog/catalog.js';
import { hashText } from '../lambdas/core/text/digest.js';
import { parseArticle } from '../lambdas/core/content/parse-article.js';
import { planChanges, type ArticleChange } from '../lambdas/core/changes/plan-changes.js';
import { renderChanges } from '../lambdas/core/changes/render-changes.js';
import { MAX_FILE_BYTES } from '../lambdas/core/content/safe-yaml.js';
import { parseSiteConfig } from '../lambdas/core/content/site-config.js';
import { createHandler } from '../lambdas/publish/create-handler.js';
import type { CatalogStore } from '../lambdas/core/ports.js';
import { publishSite } from '../lambdas/publish/publish-site.js';
import { mapWithConcurrency } from '../lambdas/shared/map-with-concurrency.js';
import { createLambdaContext } from '../test/support/lambda-context.js';
import { createLocalS3Client, startS3Server } from '../local/s3-server.js';
import { MemoryS3Client } from './support/memory-s3.js';
import { countRequests, createTally, totalRequests, type RequestTally } from './support/request-tally.js';
import { articleKey, articleText, BENCH_SITE_YAML } from './support/synthetic-content.js';

/** One measured publish. */
export interface PublishMeasurement {
  readonly articles: number;
  readonly path: 'incremental' | 'full';
  readonly backend: 's3rver' | 'memory';
  readonly requests: Record<string, number>;
  readonly totalRequests: number;
  readonly bytesUp: number;
  readonly bytesDown: number;
  readonly milliseconds: number;
  /** True when the figures come from the formula of the full path, not from a run. */
  readonly estimated?: boolean;
}

/** Buckets of the local server: content, the incremental site and the full path's site. */
export const BUCKETS = { content: 'content', site: 'site', full: 'full-site' } as const;
const CONFIG = { contentBucket: BUCKETS.content, siteBucket: BUCKETS.site };

/** An SQS batch naming one content key. */
export function eventFor(key: string): SQSEvent {
  const body = JSON.stringify({ Records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: BUCKETS.content }, object: { key } } }] });
  return { Records: [{ messageId: 'bench', receiptHandle: 'bench', body, attributes: {} as never, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:bench', awsRegion: 'us-east-1' }] };
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

function toMeasurement(articles: number, path: PublishMeasurement['path'], backend: PublishMeasurement['backend'], tally: RequestTally, milliseconds: number): PublishMeasurement {
  return { articles, path, backend, requests: { ...tally.counts }, totalRequests: totalRequests(tally), bytesUp: tally.bytesUp, bytesDown: tally.bytesDown, milliseconds: Math.round(milliseconds) };
}

/**
 * On a real local S3 server: seeds N articles, brings both site buckets to a steady state (a
 * rebuild for the catalog, in `rebuildInChild` when given, a full publish for the full path),
 * uploads article N, then publishes it both ways with counting clients.
 */
export async function measureOnS3rver(
  articles: number,
  log: (line: string) => void,
  rebuildInChild?: (endpoint: string, contentBucket: string, siteBucket: string) => Promise<void>,
): Promise<{ measurements: PublishMeasurement[]; close: () => Promise<void>; endpoint: string }> {
  const server = await startS3Server({ buckets: Object.values(BUCKETS) });
  const { client } = server;
  log(`  seeding ${articles} articles into s3rver`);
  await client.send(new PutObjectCommand({ Bucket: BUCKETS.content, Key: 'site.yaml', Body: BENCH_SITE_YAML }));
  await mapWithConcurrency(Array.from({ length: articles }, (_, index) => index), 32, (index) =>
    client.send(new PutObjectCommand({ Bucket: BUCKETS.content, Key: articleKey(index), Body: articleText(index) })),
  );
  log('  steady state: rebuild (catalog) and full publish');
  if (rebuildInChild) await rebuildInChild(server.endpoint, BUCKETS.content, BUCKETS.site);
  else await createHandler({ s3: client, config: CONFIG })({ rebuild: true }, createLambdaContext());
  await publishFull(client);
  await client.send(new PutObjectCommand({ Bucket: BUCKETS.content, Key: articleKey(articles), Body: articleText(articles) }));

  let tally = createTally();
  const counted = createLocalS3Client(server.endpoint);
  countRequests(counted, () => tally);
  const [, incrementalMs] = await timed(() => createHandler({ s3: counted, config: CONFIG })(eventFor(articleKey(articles)), createLambdaContext()));
  const incremental = toMeasurement(articles, 'incremental', 's3rver', tally, incrementalMs);
  tally = createTally();
  const [, fullMs] = await timed(() => publishFull(counted));
  const full = toMeasurement(articles, 'full', 's3rver', tally, fullMs);
  counted.destroy();
  return { measurements: [incremental, full], close: () => server.close(), endpoint: server.endpoint };
}

/** A catalog store that never holds a catalog: every publish through it is a full one. */
const NO_CATALOG: CatalogStore = { read: async () => ({ state: 'missing' }), write: async () => undefined };

/**
 * The full path: the same publish over a missing catalog, so it lists and reads every article,
 * renders everything and compares every document (HeadObject).
 */
function publishFull(s3: S3Client) {
  return publishSite({
    source: new S3ArticleSource({ s3, bucket: BUCKETS.content, maxBytes: MAX_FILE_BYTES }),
    catalogStore: NO_CATALOG,
    writer: new S3SiteWriter({ s3, bucket: BUCKETS.full }),
    changedKeys: [],
    now: new Date(),
  });
}

/**
 * In memory, for archives a local server cannot hold quickly: the content bucket is generated
 * on read, and the catalog is seeded by the real incremental core from parsed records of one
 * template article (varied per index) without rendering the archive (documents are rendered
 * only when iterated). The publish itself is the real handler on a counting in-memory client.
 * The full path is estimated from its formula: one LIST per 1,000 keys, a GET per article and
 * site.yaml, a HeadObject per document, a PutObject per changed document.
 */
export async function measureInMemory(articles: number, log: (line: string) => void): Promise<PublishMeasurement[]> {
  const s3 = new MemoryS3Client();
  const keys = Array.from({ length: articles + 1 }, (_, index) => articleKey(index));
  const present = new Set(keys.slice(0, articles));
  s3.addVirtualBucket(BUCKETS.content, {
    keys: () => [...present],
    read: (key) => (key === 'site.yaml' ? BENCH_SITE_YAML : present.has(key) ? articleText(Number(/story-(\d+)/.exec(key)?.[1])) : undefined),
  });
  log(`  seeding a catalog of ${articles} articles in memory`);
  const site = parseSiteConfig('site.yaml', BENCH_SITE_YAML, {});
  const changes = seedChanges(articles, site);
  const rendered = renderChanges(planChanges(createEmptyCatalog(hashSite(new TextEncoder().encode(BENCH_SITE_YAML), undefined), site), changes, site, new Date()));
  await new S3CatalogStore({ s3, bucket: BUCKETS.site }).write(rendered.catalog, undefined);
  present.add(articleKey(articles));
  s3.tally = createTally();
  const [, milliseconds] = await timed(() => createHandler({ s3, config: CONFIG })(eventFor(articleKey(articles)), createLambdaContext()));
  const incremental = toMeasurement(articles, 'incremental', 'memory', s3.tally, milliseconds);
  const feedPages = [...rendered.catalog.signatures.keys()].filter((key) => key.endsWith('rss.xml')).length;
  const documents = rendered.catalog.signatures.size + 2 * feedPages;
  const puts = (incremental.requests.PutObject ?? 0) - 1;
  const requests = { ListObjectsV2: Math.ceil((articles + 1) / 1000), GetObject: articles + 2, HeadObject: documents, PutObject: puts };
  const bytesDown = (articles + 1) * articleText(articles).length;
  const full: PublishMeasurement = {
    articles, path: 'full', backend: 'memory', requests, totalRequests: Object.values(requests).reduce((a, b) => a + b, 0),
    bytesUp: incremental.bytesUp, bytesDown, milliseconds: 0, estimated: true,
  };
  return [incremental, full];
}

/**
 * Records for articles 0..n-1 as the parser gives them, cloned from ten parsed templates (the
 * same language and tags as index mod 10): parsing 100,000 bodies would take minutes.
 */
function seedChanges(count: number, site: ReturnType<typeof parseSiteConfig>): ArticleChange[] {
  const templates = Array.from({ length: 10 }, (_, index) => parseArticle(articleKey(index), articleText(index), site));
  return Array.from({ length: count }, (_, index): ArticleChange => {
    const template = templates[index % 10] as Article;
    const path = articleKey(index);
    const name = path.slice('articles/'.length, -'.md'.length);
    const slug = name.slice(name.lastIndexOf('/') + 1);
    const article: Article = {
      ...template,
      sourcePath: path,
      id: `tag:${site.tagAuthority}:${name}`,
      slug,
      title: `Story number ${index}`,
      summary: `Summary of story ${index}.`,
      date: new Date(Date.parse(template.date.toISOString()) + (index - (index % 10)) * 3_600_000),
      url: template.url.replace(template.slug, slug),
      contentHtml: template.contentHtml.replaceAll(`story ${index % 10}<`, `story ${index}<`).replaceAll(`/notes/${index % 10}"`, `/notes/${index}"`),
    };
    return { kind: 'parsed', path, sourceHash: hashText(articleText(index)), article };
  });
}
