import { afterEach, describe, expect, it } from 'vitest';
import { notifyHub } from '../../lambdas/adapters/websub-notifier.js';
import { startHub, type FakeHub } from '../support/websub-hub.js';

const TOPICS = ['https://news.example.com/rss.xml', 'https://news.example.com/atom.xml', 'https://news.example.com/id/rss.xml'];

describe('notifyHub against an HTTP hub', () => {
  let hub: FakeHub | undefined;

  afterEach(async () => {
    await hub?.close();
    hub = undefined;
  });

  it('pings the hub once per changed feed with a publish form', async () => {
    // Prepare
    hub = await startHub();

    // Act
    const results = await notifyHub({ hubUrl: hub.url, topicUrls: TOPICS });

    // Assess
    expect(results.every((result) => result.ok && result.attempts === 1 && result.status === 204)).toBe(true);
    expect(hub.pings).toHaveLength(3);
    expect(hub.pings.map((ping) => ping.form.get('hub.url')).sort()).toEqual([...TOPICS].sort());
    expect(hub.pings.every((ping) => ping.form.get('hub.mode') === 'publish')).toBe(true);
    expect(hub.pings.every((ping) => ping.contentType === 'application/x-www-form-urlencoded')).toBe(true);
  });

  it('retries while the hub fails and counts every request', async () => {
    // Prepare
    hub = await startHub(2);

    // Act
    const results = await notifyHub({ hubUrl: hub.url, topicUrls: [TOPICS[0]!], backoffMs: 10 });

    // Assess
    expect(results).toEqual([{ topicUrl: TOPICS[0], ok: true, attempts: 3, status: 204 }]);
    expect(hub.pings).toHaveLength(3);
  });

  it('gives up after the retries and reports the last answer', async () => {
    // Prepare
    hub = await startHub(100);

    // Act
    const results = await notifyHub({ hubUrl: hub.url, topicUrls: [TOPICS[0]!], retries: 3, backoffMs: 10 });

    // Assess
    expect(results).toEqual([{ topicUrl: TOPICS[0], ok: false, attempts: 4, status: 503, error: 'hub answered 503' }]);
    expect(hub.pings).toHaveLength(4);
  });

  it('reports an unreachable hub without throwing', async () => {
    // Prepare: a port that was just released, so nothing listens on it
    hub = await startHub();
    const deadUrl = hub.url;
    await hub.close();
    hub = undefined;

    // Act
    const results = await notifyHub({ hubUrl: deadUrl, topicUrls: [TOPICS[0]!], retries: 1, backoffMs: 10 });

    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ ok: false, attempts: 2 });
    expect(results[0]?.error).toMatch(/fetch failed/);
  });
});
