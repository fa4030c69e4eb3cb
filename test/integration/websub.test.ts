import { afterEach, describe, expect, it } from 'vitest';
import type { ResolveHost } from '../../lambdas/adapters/hub-address.js';
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
    const results = await notifyHub({ hubUrl: hub.url, topicUrls: TOPICS, allowLoopbackHttp: true });

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
    const results = await notifyHub({ hubUrl: hub.url, topicUrls: [TOPICS[0]!], backoffMs: 10, allowLoopbackHttp: true });

    // Assess
    expect(results).toEqual([{ topicUrl: TOPICS[0], ok: true, attempts: 3, status: 204 }]);
    expect(hub.pings).toHaveLength(3);
  });

  it('gives up after the retries and reports the last answer', async () => {
    // Prepare
    hub = await startHub(100);

    // Act
    const results = await notifyHub({ hubUrl: hub.url, topicUrls: [TOPICS[0]!], retries: 3, backoffMs: 10, allowLoopbackHttp: true });

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
    const results = await notifyHub({ hubUrl: deadUrl, topicUrls: [TOPICS[0]!], retries: 1, backoffMs: 10, allowLoopbackHttp: true });

    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ ok: false, attempts: 2 });
    expect(results[0]?.error).toMatch(/ECONNREFUSED/);
  });

  it('sends nothing to the loopback hub without the local switch', async () => {
    // Prepare
    hub = await startHub();

    // Act
    const results = await notifyHub({ hubUrl: hub.url, topicUrls: [TOPICS[0]!] });

    // Assess
    expect(results).toEqual([{ topicUrl: TOPICS[0], ok: false, attempts: 0, error: 'hub URL must use https' }]);
    expect(hub.pings).toEqual([]);
  });

  it('connects to the checked address, not to a second lookup of the name', async () => {
    // Prepare: a name only the injected resolver knows, so the system resolver cannot be asked
    hub = await startHub();
    const port = new URL(hub.url).port;
    const resolveHost: ResolveHost = async () => [{ address: '127.0.0.1', family: 4 }];

    // Act
    const results = await notifyHub({
      hubUrl: `http://hub.invalid:${port}/publish`,
      topicUrls: [TOPICS[0]!],
      allowLoopbackHttp: true,
      resolveHost,
    });

    // Assess
    expect(results).toEqual([{ topicUrl: TOPICS[0], ok: true, attempts: 1, status: 204 }]);
    expect(hub.pings).toHaveLength(1);
  });

  it('does not follow a redirect, even to another loopback hub', async () => {
    // Prepare
    const target = await startHub();
    hub = await startHub(0, (response) => response.writeHead(307, { location: target.url }).end());

    // Act
    const results = await notifyHub({ hubUrl: hub.url, topicUrls: [TOPICS[0]!], allowLoopbackHttp: true, backoffMs: 10 });
    await target.close();

    // Assess
    expect(results).toEqual([
      { topicUrl: TOPICS[0], ok: false, attempts: 1, status: 307, error: `hub answered 307, redirect to ${target.url} not followed` },
    ]);
    expect(hub.pings).toHaveLength(1);
    expect(target.pings).toEqual([]);
  });

  it('does not wait for the answer body, even one that never ends', async () => {
    // Prepare: headers, one chunk, and a body left open
    hub = await startHub(0, (response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('x'.repeat(64 * 1024));
    });

    // Act
    const results = await notifyHub({ hubUrl: hub.url, topicUrls: [TOPICS[0]!], allowLoopbackHttp: true, timeoutMs: 2_000 });

    // Assess
    expect(results).toEqual([{ topicUrl: TOPICS[0], ok: true, attempts: 1, status: 200 }]);
  });
});
