/**
 * Publish latency through the local pipeline (`npm start`'s code: embedded S3 API, its object
 * events, the real handler, the CloudFront-like edge): from the upload of a new article to the
 * content bucket until all three feeds served by the edge show it.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startLocalPipeline } from '../local/start-local-pipeline.js';
import { mapWithConcurrency } from '../lambdas/shared/map-with-concurrency.js';
import { articleKey, articleText, BENCH_SITE_YAML } from './support/synthetic-content.js';

/** Latency of single-article publishes at one archive size. */
export interface LatencyMeasurement {
  readonly articles: number;
  /** Milliseconds of each publish, in order. */
  readonly samples: number[];
  readonly medianMs: number;
  /** Time to start the pipeline with the archive (upload and first publish). */
  readonly startMs: number;
}

const FEEDS = ['rss.xml', 'atom.xml', 'feed.json'];

/** Starts the pipeline on a folder of `articles` articles, then publishes `runs` new ones, one at a time. */
export async function measurePipelineLatency(articles: number, runs: number, log: (line: string) => void): Promise<LatencyMeasurement> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-content-'));
  try {
    await writeFile(join(dir, 'site.yaml'), BENCH_SITE_YAML);
    await mapWithConcurrency(Array.from({ length: articles }, (_, index) => index), 64, async (index) => {
      const path = join(dir, articleKey(index));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, articleText(index));
    });
    log(`  starting the local pipeline on ${articles} articles`);
    const started = performance.now();
    const pipeline = await startLocalPipeline({ contentDir: dir, port: 0, s3Port: 0, scanIntervalMs: 60_000 });
    const startMs = Math.round(performance.now() - started);
    const s3 = new S3Client({
      endpoint: pipeline.s3Endpoint, region: 'us-east-1', credentials: pipeline.credentials, forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
    });
    const samples: number[] = [];
    try {
      for (let run = 0; run < runs; run++) {
        const index = articles + run;
        const title = `Breaking story ${index}`;
        const upload = performance.now();
        await s3.send(new PutObjectCommand({ Bucket: pipeline.contentBucket, Key: articleKey(index), Body: articleText(index, title) }));
        await waitForFeeds(pipeline.url, title);
        samples.push(Math.round(performance.now() - upload));
      }
    } finally {
      s3.destroy();
      await pipeline.close();
    }
    const sorted = [...samples].sort((a, b) => a - b);
    return { articles, samples, medianMs: sorted[Math.floor(sorted.length / 2)] ?? 0, startMs };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Polls the edge every 5 ms until every feed contains `title` (30 s at most). The edge ignores
 * a viewer's `no-cache`, as CloudFront does, so this includes up to the edge lifetime of a copy.
 */
async function waitForFeeds(siteUrl: string, title: string): Promise<void> {
  const pending = new Set(FEEDS);
  const deadline = performance.now() + 30_000;
  while (pending.size > 0) {
    if (performance.now() > deadline) throw new Error(`feeds never showed "${title}": ${[...pending].join(', ')}`);
    for (const feed of [...pending]) {
      const response = await fetch(siteUrl + feed, { headers: { 'cache-control': 'no-cache' } });
      if ((await response.text()).includes(title)) pending.delete(feed);
    }
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
