/**
 * `npm run bench:freshness`: how soon a reader polling the warm edge sees a new article, and
 * whether the WebSub hub gets the new version, through `npm start`'s pipeline (embedded S3 API,
 * its object events, the real handler with its hub delay, the caching edge).
 *
 *   npm run bench:freshness [-- --publishes 20]
 *
 * Readers poll the three root feeds through the edge every 50 ms, so it always holds a copy;
 * each publish uploads one article and measures the time from the upload until every feed the
 * readers get shows it. The hub stand-in fetches each topic through the same edge on its ping.
 * Prints p50 and max over the publishes and the hub's count of fresh fetches.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';

const { FEED_FORMATS, FRESHNESS_BOUND_SECONDS, HUB_PING_DELAY_MS } = await import('../lambdas/core/plan/outputs.js');
const { createLocalS3Client } = await import('../local/s3-server.js');
const { startLocalPipeline } = await import('../local/start-local-pipeline.js');
const { startHub } = await import('../test/support/websub-hub.js');

const { values } = parseArgs({ options: { publishes: { type: 'string', default: '20' } } });
const publishes = Number(values.publishes);
const POLL_MS = 50;

/** An English article newer than anything in the example content, titled for run `index`. */
function articleText(index: number): string {
  const date = new Date(Date.UTC(2030, 0, 1, 0, index)).toISOString();
  return `---\ntitle: Freshness story ${index}\ndate: ${date}\nsummary: Story ${index} of the freshness run.\n---\n\nBody ${index}.\n`;
}

/** Percentile `p` (0..1) of `samples`, nearest rank. */
function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
}

const contentDir = await mkdtemp(join(tmpdir(), 'bench-freshness-'));
const hub = await startHub({ fetchTopics: true });
await cp('content', contentDir, { recursive: true });
const siteYaml = await readFile(join(contentDir, 'site.yaml'), 'utf8');
await writeFile(join(contentDir, 'site.yaml'), `${siteYaml.trimEnd()}\nwebsubHub: ${hub.url}\n`);
const pipeline = await startLocalPipeline({ contentDir, port: 0, s3Port: 0, scanIntervalMs: 60_000 });
const s3 = createLocalS3Client(pipeline.s3Endpoint);
const feeds = Object.values(FEED_FORMATS).map((format) => `${pipeline.url}${format.file}`);
const latest = new Map<string, string>();
let polling = true;
const readers = (async () => {
  while (polling) {
    await Promise.all(feeds.map(async (url) => latest.set(url, await (await fetch(url)).text())));
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
})();

const samples: number[] = [];
let freshHubFetches = 0;
try {
  for (let index = 1; index <= publishes; index += 1) {
    hub.fetches.length = 0;
    const title = `Freshness story ${index}`;
    const uploaded = performance.now();
    await s3.send(new PutObjectCommand({ Bucket: pipeline.contentBucket, Key: `articles/2030/freshness-${index}.md`, Body: articleText(index) }));
    while (!feeds.every((url) => latest.get(url)?.includes(title))) await new Promise((resolve) => setTimeout(resolve, 5));
    samples.push(Math.round(performance.now() - uploaded));
    // The publish ends after its hub ping; the next upload starts a publish of its own.
    await pipeline.settle();
    const fresh = hub.fetches.length === feeds.length && hub.fetches.every((fetched) => fetched.status === 200 && fetched.body.includes(title));
    if (fresh) freshHubFetches += 1;
    process.stderr.write(`publish ${index}: readers saw it after ${samples.at(-1)} ms; hub ${fresh ? 'fresh' : 'STALE'}\n`);
  }
} finally {
  polling = false;
  await readers;
  s3.destroy();
  await pipeline.close();
  await hub.close();
  await rm(contentDir, { recursive: true, force: true });
}
process.stdout.write(
  `Reader freshness over ${samples.length} publishes (upload to all three feeds at the warm edge): ` +
    `p50 ${percentile(samples, 0.5)} ms, max ${Math.max(...samples)} ms (bound ${FRESHNESS_BOUND_SECONDS} s after the writes)\n` +
    `Hub saw the new version on ${freshHubFetches} of ${samples.length} pings (each ${HUB_PING_DELAY_MS} ms after the writes)\n`,
);
