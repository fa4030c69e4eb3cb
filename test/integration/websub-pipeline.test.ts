import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLocalS3Client } from '../../local/s3-server.js';
import { startLocalPipeline, type LocalPipeline } from '../../local/start-local-pipeline.js';
import { HUB_PING_DELAY_MS } from '../../lambdas/core/plan/outputs.js';
import { startHub, type FakeHub } from '../support/websub-hub.js';

vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const ARTICLE_KEY = 'articles/2021/11/hub-test.md';

/** Consecutive publishes in the freshness run (the README's figure, through `npm start`, is 20). */
const PUBLISHES = 10;

/** An article that becomes the newest of the root feeds, with a title unique to run `index`. */
function breakingArticle(index: number): string {
  return `---\ntitle: Breaking story ${index}\ndate: 2030-01-01T00:${String(index).padStart(2, '0')}:00Z\nsummary: News number ${index}.\n---\n\nBody ${index}.\n`;
}

/** Fetches `urls` through the edge every `intervalMs` until stopped, as readers keep it warm. */
function keepWarm(urls: readonly string[], intervalMs: number): () => Promise<void> {
  let running = true;
  const loop = (async () => {
    while (running) {
      await Promise.all(urls.map((url) => fetch(url).then((response) => response.arrayBuffer()).catch(() => undefined)));
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}
const ARTICLE = `---
title: Hub test story
date: 2021-11-09T08:00:00+07:00
summary: An article that should be announced once per changed feed.
---

Body.
`;

describe('WebSub through the local pipeline', () => {
  let contentDir: string;
  let hub: FakeHub;
  let pipeline: LocalPipeline;
  const logLines: string[] = [];

  beforeAll(async () => {
    // Prepare: the example content, with a hub named in site.yaml
    hub = await startHub({ fetchTopics: true });
    contentDir = await mkdtemp(join(tmpdir(), 'websub-pipeline-'));
    await cp('content', contentDir, { recursive: true });
    const siteYaml = await readFile(join(contentDir, 'site.yaml'), 'utf8');
    await writeFile(join(contentDir, 'site.yaml'), `${siteYaml.trimEnd()}\nwebsubHub: ${hub.url}\n`);
    pipeline = await startLocalPipeline({ contentDir, port: 0, scanIntervalMs: 60_000, log: (line) => logLines.push(line) });
    await pipeline.settle();
  });

  afterAll(async () => {
    await pipeline?.close();
    await hub?.close();
    await rm(contentDir, { recursive: true, force: true });
  });

  it('pings the hub exactly once per changed feed after an upload', async () => {
    // Prepare
    hub.pings.length = 0;

    // Act
    await writeFile(join(contentDir, ARTICLE_KEY), ARTICLE);
    await pipeline.settle();

    // Assess: the new English article changes the three root feeds, nothing else
    const topics = hub.pings.map((ping) => ping.form.get('hub.url'));
    expect(hub.pings.every((ping) => ping.form.get('hub.mode') === 'publish')).toBe(true);
    expect(topics.sort()).toEqual([`${pipeline.url}atom.xml`, `${pipeline.url}feed.json`, `${pipeline.url}rss.xml`]);
    const rss = await (await fetch(`${pipeline.url}rss.xml`)).text();
    expect(rss).toContain('Hub test story');
    expect(rss).toMatch(/<atom:link [^>]*rel="hub"/);
    expect(rss).toContain(hub.url);
  });

  it('sends no ping when a republish changes nothing', async () => {
    // Prepare: the same bytes uploaded again trigger a publish that writes nothing
    hub.pings.length = 0;
    logLines.length = 0;
    const s3 = createLocalS3Client(pipeline.s3Endpoint);

    // Act
    await s3.send(new PutObjectCommand({ Bucket: pipeline.contentBucket, Key: ARTICLE_KEY, Body: ARTICLE }));
    await pipeline.settle();

    // Assess: a publish ran, and it announced nothing
    expect(logLines).toContain('published (1 change)');
    expect(hub.pings).toEqual([]);
  });

  it(`hands the hub the new version through the warm edge on every ping, over ${PUBLISHES} publishes`, { timeout: PUBLISHES * (HUB_PING_DELAY_MS + 10_000) }, async () => {
    // Prepare: readers polling the root feeds through the edge, so it always holds a copy
    const topics = ['rss.xml', 'atom.xml', 'feed.json'].map((file) => `${pipeline.url}${file}`);
    const stopReaders = keepWarm(topics, 100);
    const rounds: { index: number; fetched: string[] }[] = [];
    await mkdir(join(contentDir, 'articles/2030'), { recursive: true });

    // Act: one upload at a time; the publish pings only after HUB_PING_DELAY_MS
    for (let index = 1; index <= PUBLISHES; index += 1) {
      hub.fetches.length = 0;
      await writeFile(join(contentDir, `articles/2030/breaking-${index}.md`), breakingArticle(index));
      await pipeline.settle();
      rounds.push({ index, fetched: hub.fetches.map((fetched) => `${fetched.status} ${fetched.body.includes(`Breaking story ${index}`)}`) });
    }
    await stopReaders();

    // Assess: every ping's fetch got the new version (a 200 holding the new story), never the cached one
    expect(rounds).toEqual(Array.from({ length: PUBLISHES }, (_, offset) => ({ index: offset + 1, fetched: ['200 true', '200 true', '200 true'] })));
  });
});

describe('WebSub through the local pipeline with partner access on', () => {
  let contentDir: string;
  let hub: FakeHub;
  let pipeline: LocalPipeline;

  beforeAll(async () => {
    // Prepare: the example content with a hub, published as a deployment with partner access
    hub = await startHub({ fetchTopics: true });
    contentDir = await mkdtemp(join(tmpdir(), 'websub-partner-'));
    await cp('content', contentDir, { recursive: true });
    const siteYaml = await readFile(join(contentDir, 'site.yaml'), 'utf8');
    await writeFile(join(contentDir, 'site.yaml'), `${siteYaml.trimEnd()}\nwebsubHub: ${hub.url}\n`);
    pipeline = await startLocalPipeline({ contentDir, port: 0, scanIntervalMs: 60_000, partnerAccess: true });
    await pipeline.settle();
  });

  afterAll(async () => {
    await pipeline?.close();
    await hub?.close();
    await rm(contentDir, { recursive: true, force: true });
  });

  it('pings the hub for the public feeds only, and the public documents name no JSON Feed', async () => {
    // Prepare
    hub.pings.length = 0;

    // Act
    await writeFile(join(contentDir, ARTICLE_KEY), ARTICLE);
    await pipeline.settle();

    // Assess: RSS and Atom are topics; the JSON Feed is written for partners but never announced or linked
    const topics = hub.pings.map((ping) => ping.form.get('hub.url'));
    expect(topics.sort()).toEqual([`${pipeline.url}atom.xml`, `${pipeline.url}rss.xml`]);
    expect(await (await fetch(`${pipeline.url}feed.json`)).text()).toContain('Hub test story');
    for (const path of ['', 'feeds.opml', 'feed.html', 'id/']) expect(await (await fetch(`${pipeline.url}${path}`)).text(), path).not.toContain('feed.json');
  });
});
