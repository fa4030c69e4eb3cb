import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLocalS3Client } from '../../local/s3-server.js';
import { startLocalPipeline, type LocalPipeline } from '../../local/start-local-pipeline.js';
import { startHub, type FakeHub } from '../support/websub-hub.js';

vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const ARTICLE_KEY = 'articles/2021/11/hub-test.md';
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
    hub = await startHub();
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
});
