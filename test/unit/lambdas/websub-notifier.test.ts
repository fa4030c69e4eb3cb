import { describe, expect, it } from 'vitest';
import { notifyHub } from '../../../lambdas/adapters/websub-notifier.js';

const HUB = 'https://hub.example.com/';
const RSS = 'https://news.example.com/rss.xml';
const ATOM = 'https://news.example.com/atom.xml';

interface RecordedRequest {
  readonly url: string;
  readonly init: RequestInit;
}

type Step = number | Error | 'hang';

/**
 * A fetch that answers from a script, one step per request (status code, thrown error, or a
 * request that only ends when aborted), repeating the last step, and records every request.
 */
function scriptedFetch(...steps: Step[]): { fetch: typeof globalThis.fetch; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const fetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
    requests.push({ url: String(input), init });
    const step = steps[Math.min(requests.length, steps.length) - 1] ?? 204;
    if (step instanceof Error) throw step;
    if (step === 'hang') {
      return new Promise<Response>((_, reject) => {
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    }
    return new Response(step === 204 ? null : 'hub says', { status: step });
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

describe('notifyHub', () => {
  it('sends nothing when no feed changed', async () => {
    // Prepare
    const { fetch, requests } = scriptedFetch(204);

    // Act
    const results = await notifyHub({ hubUrl: HUB, topicUrls: [], fetch });

    // Assess
    expect(results).toEqual([]);
    expect(requests).toHaveLength(0);
  });

  it('sends nothing when the site has no hub', async () => {
    // Prepare
    const { fetch, requests } = scriptedFetch(204);

    // Act
    const results = await notifyHub({ hubUrl: undefined, topicUrls: [RSS], fetch });

    // Assess
    expect(results).toEqual([]);
    expect(requests).toHaveLength(0);
  });

  it('posts one publish form per changed feed', async () => {
    // Prepare
    const { fetch, requests } = scriptedFetch(204);

    // Act
    const results = await notifyHub({ hubUrl: HUB, topicUrls: [RSS, ATOM], fetch });

    // Assess
    expect(results).toEqual([
      { topicUrl: RSS, ok: true, attempts: 1, status: 204 },
      { topicUrl: ATOM, ok: true, attempts: 1, status: 204 },
    ]);
    expect(requests.map((request) => request.url)).toEqual([HUB, HUB]);
    const forms = requests.map((request) => new URLSearchParams(String(request.init.body)));
    expect(forms.map((form) => [...form.entries()])).toEqual([
      [['hub.mode', 'publish'], ['hub.url', RSS]],
      [['hub.mode', 'publish'], ['hub.url', ATOM]],
    ]);
    expect(requests[0]?.init.method).toBe('POST');
    expect(requests[0]?.init.headers).toEqual({ 'content-type': 'application/x-www-form-urlencoded' });
  });

  it('pings a feed listed twice only once', async () => {
    // Prepare
    const { fetch, requests } = scriptedFetch(202);

    // Act
    const results = await notifyHub({ hubUrl: HUB, topicUrls: [RSS, RSS], fetch });

    // Assess
    expect(results).toEqual([{ topicUrl: RSS, ok: true, attempts: 1, status: 202 }]);
    expect(requests).toHaveLength(1);
  });

  it('retries a 503 until the hub accepts', async () => {
    // Prepare
    const { fetch, requests } = scriptedFetch(503, 503, 204);

    // Act
    const results = await notifyHub({ hubUrl: HUB, topicUrls: [RSS], fetch, backoffMs: 0 });

    // Assess
    expect(results).toEqual([{ topicUrl: RSS, ok: true, attempts: 3, status: 204 }]);
    expect(requests).toHaveLength(3);
  });

  it('retries a 429 and a network error', async () => {
    // Prepare
    const { fetch, requests } = scriptedFetch(429, new TypeError('fetch failed'), 204);

    // Act
    const results = await notifyHub({ hubUrl: HUB, topicUrls: [RSS], fetch, backoffMs: 0 });

    // Assess
    expect(results[0]).toMatchObject({ ok: true, attempts: 3 });
    expect(requests).toHaveLength(3);
  });

  it('gives up after the first attempt and the given retries, without throwing', async () => {
    // Prepare
    const { fetch, requests } = scriptedFetch(500);

    // Act
    const results = await notifyHub({ hubUrl: HUB, topicUrls: [RSS], fetch, retries: 2, backoffMs: 0 });

    // Assess
    expect(results).toEqual([{ topicUrl: RSS, ok: false, attempts: 3, status: 500, error: 'hub answered 500' }]);
    expect(requests).toHaveLength(3);
  });

  it('does not retry a request the hub refuses', async () => {
    // Prepare
    const { fetch, requests } = scriptedFetch(400);

    // Act
    const results = await notifyHub({ hubUrl: HUB, topicUrls: [RSS], fetch, backoffMs: 0 });

    // Assess
    expect(results).toEqual([{ topicUrl: RSS, ok: false, attempts: 1, status: 400, error: 'hub answered 400' }]);
    expect(requests).toHaveLength(1);
  });

  it('reports a fetch that throws something other than an Error', async () => {
    // Prepare
    const fetch = (async () => {
      throw 'socket closed';
    }) as typeof globalThis.fetch;

    // Act
    const results = await notifyHub({ hubUrl: HUB, topicUrls: [RSS], fetch, retries: 1, backoffMs: 0 });

    // Assess
    expect(results).toEqual([{ topicUrl: RSS, ok: false, attempts: 2, error: 'socket closed' }]);
  });

  it('times out a hub that does not answer, and retries', async () => {
    // Prepare
    const { fetch, requests } = scriptedFetch('hang', 204);

    // Act
    const results = await notifyHub({ hubUrl: HUB, topicUrls: [RSS], fetch, backoffMs: 0, timeoutMs: 20 });

    // Assess
    expect(results).toEqual([{ topicUrl: RSS, ok: true, attempts: 2, status: 204 }]);
    expect(requests).toHaveLength(2);
  });

  it('waits longer before each retry', async () => {
    // Prepare
    const { fetch, requests } = scriptedFetch(503);
    const started = performance.now();

    // Act
    await notifyHub({ hubUrl: HUB, topicUrls: [RSS], fetch, retries: 2, backoffMs: 40 });

    // Assess: 40 ms, then 80 ms
    expect(requests).toHaveLength(3);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('sends the first ping only after the given delay', async () => {
    // Prepare
    const { fetch, requests } = scriptedFetch(204);
    const started = performance.now();
    let sentAt = 0;
    const timedFetch = (async (input: string | URL | Request, init?: RequestInit) => {
      sentAt = performance.now();
      return fetch(input, init);
    }) as typeof globalThis.fetch;

    // Act
    await notifyHub({ hubUrl: HUB, topicUrls: [RSS, ATOM], fetch: timedFetch, delayMs: 150 });

    // Assess
    expect(requests).toHaveLength(2);
    expect(sentAt - started).toBeGreaterThanOrEqual(145);
  });

  it('waits as long as the hub asks with Retry-After instead of its own backoff', async () => {
    // Prepare
    const requests: number[] = [];
    const fetch = (async () => {
      requests.push(performance.now());
      return requests.length === 1
        ? new Response(null, { status: 429, headers: { 'retry-after': '1' } })
        : new Response(null, { status: 204 });
    }) as typeof globalThis.fetch;

    // Act
    const results = await notifyHub({ hubUrl: HUB, topicUrls: [RSS], fetch, backoffMs: 60_000 });

    // Assess
    expect(results[0]).toMatchObject({ ok: true, attempts: 2 });
    const waited = (requests[1] ?? 0) - (requests[0] ?? 0);
    expect(waited).toBeGreaterThanOrEqual(990);
    expect(waited).toBeLessThan(5_000);
  });

  it('sends nothing to a hub URL that is not http(s)', async () => {
    // Prepare
    const { fetch, requests } = scriptedFetch(204);

    // Act
    const results = await notifyHub({ hubUrl: 'javascript:alert(1)', topicUrls: [RSS], fetch });

    // Assess
    expect(results).toEqual([{ topicUrl: RSS, ok: false, attempts: 0, error: 'hub URL is not an http(s) URL' }]);
    expect(requests).toHaveLength(0);
  });
});
