import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FEED_FORMATS } from '../../lambdas/core/plan/outputs.js';
import { createLocalS3Client } from '../../local/s3-server.js';
import { startLocalPipeline, type LocalPipeline } from '../../local/start-local-pipeline.js';

// No CloudWatch here: keep the handler's metric documents out of the test output. Hoisted,
// because the metrics module reads the variable when the pipeline's imports load.
vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

/** The example content shipped with the project, copied so tests can change it. */
const CONTENT_DIR = 'content';
const ROOT_FEEDS = Object.values(FEED_FORMATS).map((format) => format.file);
/**
 * How long a change may take to show before the test gives up. Generous on purpose: this test
 * proves the change arrives; publish latency is measured by the benchmarks, not asserted here.
 */
const DEADLINE_MS = 10_000;

function articleMarkdown(title: string, slug?: string): string {
  const slugLine = slug ? `slug: ${slug}\n` : '';
  return `---\ntitle: ${title}\n${slugLine}date: 2021-11-09T08:00:00+07:00\nlang: en\nsummary: A test article.\n---\n\nBody of ${title}.\n`;
}

async function fetchText(url: string): Promise<string> {
  const response = await fetch(url, { headers: { 'Cache-Control': 'no-cache' } });
  return response.ok ? response.text() : '';
}

/** Polls the three root feeds until each satisfies `check`; returns the elapsed milliseconds. */
async function waitForFeeds(baseUrl: string, check: (body: string) => boolean, since: number): Promise<number> {
  while (Date.now() - since < DEADLINE_MS) {
    const bodies = await Promise.all(ROOT_FEEDS.map((file) => fetchText(new URL(file, baseUrl).href)));
    if (bodies.every(check)) return Date.now() - since;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Number.POSITIVE_INFINITY;
}

async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function isPortFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

describe('startLocalPipeline', () => {
  let contentDir: string;
  let pipeline: LocalPipeline;
  const latencies: number[] = [];
  const changes: number[] = [];
  const removals: number[] = [];

  beforeAll(async () => {
    contentDir = await mkdtemp(join(tmpdir(), 'local-pipeline-'));
    await cp(CONTENT_DIR, contentDir, { recursive: true });
    pipeline = await startLocalPipeline({ contentDir, port: 0, scanIntervalMs: 500 });
  });

  afterAll(async () => {
    await pipeline?.close();
    await rm(contentDir, { recursive: true, force: true });
    if (latencies.length > 0) {
      process.stdout.write(`new file -> in all three feeds: ${latencies.join(', ')} ms; changed: ${changes.join(', ')} ms; deleted: ${removals.join(', ')} ms\n`);
    }
  });

  it('publishes the content folder with the local address as the public base URL', async () => {
    // Act
    const rss = await fetchText(`${pipeline.url}rss.xml`);
    const feedUrls = await pipeline.listFeedUrls();

    // Assess
    expect(rss).toContain('<rss');
    expect(rss).toContain(`${pipeline.url}rss.xml`);
    expect(feedUrls.slice(0, 3)).toEqual(ROOT_FEEDS.map((file) => `${pipeline.url}${file}`));
  });

  it('answers a conditional GET with 304', async () => {
    // Prepare
    const first = await fetch(`${pipeline.url}atom.xml`);
    const etag = first.headers.get('etag') ?? '';
    await first.arrayBuffer();

    // Act
    const second = await fetch(`${pipeline.url}atom.xml`, { headers: { 'If-None-Match': etag } });

    // Assess
    expect(etag).not.toBe('');
    expect(second.status).toBe(304);
  });

  it('serves JSON Feed with CORS allowed for any origin', async () => {
    // Act
    const response = await fetch(`${pipeline.url}feed.json`);
    const feed = (await response.json()) as { version: string };

    // Assess
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
  });

  it('shows a new, then changed article in all three feeds, and removes it when deleted', async () => {
    for (let run = 1; run <= 3; run += 1) {
      // Prepare
      const title = `Watched article number ${run} ${Date.now()}`;
      const changedTitle = `${title} (changed)`;
      const path = join(contentDir, 'articles', `watched-${run}.md`);
      const temporary = join(contentDir, 'articles', `.watched-${run}.md.tmp`);

      // Act
      const writtenAt = Date.now();
      await writeFile(path, articleMarkdown(title));
      const shownAfter = await waitForFeeds(pipeline.url, (body) => body.includes(title), writtenAt);
      // Saved the way many editors do: a temporary file renamed over the original.
      const changedAt = Date.now();
      await writeFile(temporary, articleMarkdown(changedTitle));
      await rename(temporary, path);
      const changedAfter = await waitForFeeds(pipeline.url, (body) => body.includes(changedTitle), changedAt);
      const deletedAt = Date.now();
      await unlink(path);
      const goneAfter = await waitForFeeds(pipeline.url, (body) => !body.includes(title), deletedAt);
      latencies.push(shownAfter);
      changes.push(changedAfter);
      removals.push(goneAfter);

      // Assess
      expect(shownAfter).toBeLessThan(DEADLINE_MS);
      expect(changedAfter).toBeLessThan(DEADLINE_MS);
      expect(goneAfter).toBeLessThan(DEADLINE_MS);
    }
  });

  it('publishes an article uploaded through the S3 API under a key that needs encoding', async () => {
    // Prepare
    const s3 = createLocalS3Client(pipeline.s3Endpoint);
    const title = `Uploaded with the SDK ${Date.now()}`;
    const key = 'articles/2021/sdk upload+draft ü.md';

    // Act
    const sentAt = Date.now();
    await s3.send(
      new PutObjectCommand({ Bucket: pipeline.contentBucket, Key: key, Body: articleMarkdown(title, 'sdk-upload') }),
    );
    const shownAfter = await waitForFeeds(pipeline.url, (body) => body.includes(title), sentAt);
    s3.destroy();

    // Assess
    expect(shownAfter).toBeLessThan(DEADLINE_MS);
  });
});

describe('npm start', () => {
  it('prints the site URL and rejected articles, stops within 5 seconds of SIGTERM and frees its ports', async () => {
    // Prepare
    const contentDir = await mkdtemp(join(tmpdir(), 'local-start-'));
    await cp(CONTENT_DIR, contentDir, { recursive: true });
    await writeFile(join(contentDir, 'articles', 'undated.md'), '---\ntitle: No date\n---\n\nBody.\n');
    const manifest = JSON.parse(await readFile('package.json', 'utf8')) as { scripts: { start: string } };
    const [command = '', ...scriptArgs] = manifest.scripts.start.split(' ');
    // The start script as package.json declares it, run without npm's wrapper so the signal
    // reaches it directly (npm forwards it the same way). A free port can be taken by another
    // test between the probe and the start: then try another one.
    const start = async (port: number) => {
      const child = spawn(join('node_modules', '.bin', command), [...scriptArgs, '--content', contentDir, '--port', String(port)], {
        stdio: ['ignore', 'pipe', 'pipe'],
        // The test setup silences the handler's logger; the command's own default must apply.
        env: { ...process.env, POWERTOOLS_LOG_LEVEL: undefined },
      });
      const streams = { output: '', errors: '' };
      child.stdout.on('data', (chunk: Buffer) => (streams.output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (streams.errors += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      while (!streams.output.includes('Press Ctrl-C')) {
        if (child.exitCode !== null) return { started: false as const, streams };
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return { started: true as const, child, exited, streams, port };
    };
    let attempt = await start(await findFreePort());
    for (let retry = 0; !attempt.started && /EADDRINUSE/.test(attempt.streams.errors) && retry < 3; retry += 1) {
      attempt = await start(await findFreePort());
    }
    if (!attempt.started) throw new Error(`npm start exited early:\n${attempt.streams.output}\n${attempt.streams.errors}`);
    const { child, exited, streams, port } = attempt;
    const siteUrl = `http://127.0.0.1:${port}/`;
    const rss = await fetchText(`${siteUrl}rss.xml`);

    // Act
    const signalledAt = Date.now();
    child.kill('SIGTERM');
    const code = await exited;
    const stoppedAfter = Date.now() - signalledAt;
    const s3Port = Number(/S3 API: http:\/\/127\.0\.0\.1:(\d+)/.exec(streams.output)?.[1]);
    const portsFree = [await isPortFree(port), await isPortFree(s3Port)];
    await rm(contentDir, { recursive: true, force: true });

    // Assess
    expect(streams.output).toContain(`Site:   ${siteUrl}`);
    expect(streams.output).toContain(`${siteUrl}feed.json`);
    expect(streams.output).toMatch(/^\[[\d:.]+\] articles\/undated\.md: .*date/m);
    expect(rss).toContain('<rss');
    expect(code).toBe(0);
    expect(stoppedAfter).toBeLessThan(5_000);
    expect(s3Port).toBeGreaterThan(0);
    expect(portsFree).toEqual([true, true]);
  });
});
