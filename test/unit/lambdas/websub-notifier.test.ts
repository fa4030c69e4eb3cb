import { describe, expect, it } from 'vitest';
import type { HubTransport } from '../../../lambdas/adapters/post-hub-form.js';
import { notifyHub } from '../../../lambdas/adapters/websub-notifier.js';
import { resolveHost, scriptedTransport } from '../../support/scripted-hub-transport.js';

const HUB = 'https://hub.example.com/';
const RSS = 'https://news.example.com/rss.xml';
const ATOM = 'https://news.example.com/atom.xml';

describe('notifyHub', () => {
  it('sends nothing when no feed changed', async () => {
    // Prepare
    const { send, requests } = scriptedTransport(204);

    // Act
    const results = await notifyHub({ hubUrl: HUB, topicUrls: [], send, resolveHost });

    // Assess
    expect(results).toEqual([]);
    expect(requests).toHaveLength(0);
  });

  it('sends nothing when the site has no hub', async () => {
    // Prepare
    const { send, requests } = scriptedTransport(204);

    // Act
    const results = await notifyHub({ hubUrl: undefined, topicUrls: [RSS], send, resolveHost });

    // Assess
    expect(results).toEqual([]);
    expect(requests).toHaveLength(0);
  });

  it('posts one publish form per changed feed', async () => {
    // Prepare
    const { send, requests } = scriptedTransport(204);

    // Act
    const results = await notifyHub({ hubUrl: HUB, topicUrls: [RSS, ATOM], send, resolveHost });

    // Assess
    expect(results).toEqual([
      { topicUrl: RSS, ok: true, attempts: 1, status: 204 },
      { topicUrl: ATOM, ok: true, attempts: 1, status: 204 },
    ]);
    expect(requests.map((request) => request.url.href)).toEqual([HUB, HUB]);
    const forms = requests.map((request) => new URLSearchParams(request.body));
    expect(forms.map((form) => [...form.entries()])).toEqual([
      [['hub.mode', 'publish'], ['hub.url', RSS]],
      [['hub.mode', 'publish'], ['hub.url', ATOM]],
    ]);
  });

  it('pings a feed listed twice only once', async () => {
    // Prepare
    const { send, requests } = scriptedTransport(202);

    // Act
    const results = await notifyHub({ hubUrl: HUB, topicUrls: [RSS, RSS], send, resolveHost });

    // Assess
    expect(results).toEqual([{ topicUrl: RSS, ok: true, attempts: 1, status: 202 }]);
    expect(requests).toHaveLength(1);
  });

  it('retries a 503 until the hub accepts', async () => {
    // Prepare
    const { send, requests } = scriptedTransport(503, 503, 204);

    // Act
    const results = await notifyHub({ hubUrl: HUB, topicUrls: [RSS], send, resolveHost, backoffMs: 0 });

    // Assess
    expect(results).toEqual([{ topicUrl: RSS, ok: true, attempts: 3, status: 204 }]);
    expect(requests).toHaveLength(3);
  });

  it('retries a 429 and a network error', async () => {
    // Prepare
    const { send, requests } = scriptedTransport(429, new TypeError('fetch failed'), 204);

    // Act
    const results = await notifyHub({ hubUrl: HUB, topicUrls: [RSS], send, resolveHost, backoffMs: 0 });

    // Assess
    expect(results[0]).toMatchObject({ ok: true, attempts: 3 });
    expect(requests).toHaveLength(3);
  });

  it('gives up after the first attempt and the given retries, without throwing', async () => {
    // Prepare
    const { send, requests } = scriptedTransport(500);

    // Act
    const results = await notifyHub({ hubUrl: HUB, topicUrls: [RSS], send, resolveHost, retries: 2, backoffMs: 0 });

    // Assess
    expect(results).toEqual([{ topicUrl: RSS, ok: false, attempts: 3, status: 500, error: 'hub answered 500' }]);
    expect(requests).toHaveLength(3);
  });

  it('does not retry a request the hub refuses', async () => {
    // Prepare
    const { send, requests } = scriptedTransport(400);

    // Act
    const results = await notifyHub({ hubUrl: HUB, topicUrls: [RSS], send, resolveHost, backoffMs: 0 });

    // Assess
    expect(results).toEqual([{ topicUrl: RSS, ok: false, attempts: 1, status: 400, error: 'hub answered 400' }]);
    expect(requests).toHaveLength(1);
  });

  it('reports a transport that throws something other than an Error', async () => {
    // Prepare
    const send: HubTransport = async () => {
      throw 'socket closed';
    };

    // Act
    const results = await notifyHub({ hubUrl: HUB, topicUrls: [RSS], send, resolveHost, retries: 1, backoffMs: 0 });

    // Assess
    expect(results).toEqual([{ topicUrl: RSS, ok: false, attempts: 2, error: 'socket closed' }]);
  });

  it('times out a hub that does not answer, and retries', async () => {
    // Prepare
    const { send, requests } = scriptedTransport('hang', 204);

    // Act
    const results = await notifyHub({ hubUrl: HUB, topicUrls: [RSS], send, resolveHost, backoffMs: 0, timeoutMs: 20 });

    // Assess
    expect(results).toEqual([{ topicUrl: RSS, ok: true, attempts: 2, status: 204 }]);
    expect(requests).toHaveLength(2);
  });

  it('waits longer before each retry', async () => {
    // Prepare
    const { send, requests } = scriptedTransport(503);
    const started = performance.now();

    // Act
    await notifyHub({ hubUrl: HUB, topicUrls: [RSS], send, resolveHost, retries: 2, backoffMs: 40 });

    // Assess: 40 ms, then 80 ms
    expect(requests).toHaveLength(3);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('sends the first ping only after the given delay', async () => {
    // Prepare
    const { send, requests } = scriptedTransport(204);
    const started = performance.now();
    let sentAt = 0;
    const timedSend: HubTransport = async (...args) => {
      sentAt = performance.now();
      return send(...args);
    };

    // Act
    await notifyHub({ hubUrl: HUB, topicUrls: [RSS, ATOM], send: timedSend, resolveHost, delayMs: 150 });

    // Assess
    expect(requests).toHaveLength(2);
    expect(sentAt - started).toBeGreaterThanOrEqual(145);
  });

  it('waits as long as the hub asks with Retry-After instead of its own backoff', async () => {
    // Prepare
    const requests: number[] = [];
    const send: HubTransport = async () => {
      requests.push(performance.now());
      return requests.length === 1 ? { status: 429, retryAfter: '1' } : { status: 204 };
    };

    // Act
    const results = await notifyHub({ hubUrl: HUB, topicUrls: [RSS], send, resolveHost, backoffMs: 60_000 });

    // Assess
    expect(results[0]).toMatchObject({ ok: true, attempts: 2 });
    const waited = (requests[1] ?? 0) - (requests[0] ?? 0);
    expect(waited).toBeGreaterThanOrEqual(990);
    expect(waited).toBeLessThan(5_000);
  });

  it('sends nothing to a hub URL that is not http(s)', async () => {
    // Prepare
    const { send, requests } = scriptedTransport(204);

    // Act
    const results = await notifyHub({ hubUrl: 'javascript:alert(1)', topicUrls: [RSS], send, resolveHost });

    // Assess
    expect(results).toEqual([{ topicUrl: RSS, ok: false, attempts: 0, error: 'hub URL is not an http(s) URL' }]);
    expect(requests).toHaveLength(0);
  });
});
