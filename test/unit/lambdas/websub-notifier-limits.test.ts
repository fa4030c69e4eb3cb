import { describe, expect, it } from 'vitest';
import type { ResolveHost } from '../../../lambdas/adapters/hub-address.js';
import type { HubTransport } from '../../../lambdas/adapters/post-hub-form.js';
import { notifyHub } from '../../../lambdas/adapters/websub-notifier.js';
import { PUBLIC_ADDRESS, resolveHost, scriptedTransport } from '../../support/scripted-hub-transport.js';

const HUB = 'https://hub.example.com/';
const RSS = 'https://news.example.com/rss.xml';
const ATOM = 'https://news.example.com/atom.xml';

describe('notifyHub limits', () => {
  it('sends every ping to the address checked once, without asking DNS again', async () => {
    // Prepare
    const { send, requests } = scriptedTransport(204);
    const lookups: string[] = [];
    const countingResolver: ResolveHost = async (hostname) => {
      lookups.push(hostname);
      return [PUBLIC_ADDRESS];
    };

    // Act
    await notifyHub({ hubUrl: HUB, topicUrls: [RSS, ATOM], send, resolveHost: countingResolver });

    // Assess
    expect(lookups).toEqual(['hub.example.com']);
    expect(requests.map((request) => request.address)).toEqual([PUBLIC_ADDRESS, PUBLIC_ADDRESS]);
  });

  it('fails a ping the hub answers with a redirect, without following or retrying it', async () => {
    // Prepare
    const { send, requests } = scriptedTransport({ status: 302, location: 'http://169.254.169.254/latest/meta-data/' });

    // Act
    const results = await notifyHub({ hubUrl: HUB, topicUrls: [RSS], send, resolveHost, backoffMs: 0 });

    // Assess
    expect(results).toEqual([
      { topicUrl: RSS, ok: false, attempts: 1, status: 302, error: 'hub answered 302, redirect to http://169.254.169.254/latest/meta-data/ not followed' },
    ]);
    expect(requests.map((request) => request.url.href)).toEqual([HUB]);
  });

  it('keeps at most the given number of pings in flight', async () => {
    // Prepare
    let inFlight = 0;
    let most = 0;
    const send: HubTransport = async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return { status: 204 };
    };
    const topics = Array.from({ length: 12 }, (_, index) => `https://news.example.com/tags/t${index}/rss.xml`);

    // Act
    const results = await notifyHub({ hubUrl: HUB, topicUrls: topics, send, resolveHost, concurrency: 4 });

    // Assess
    expect(results.every((result) => result.ok)).toBe(true);
    expect(most).toBe(4);
  });

  it('stops every ping and retry when the time budget is spent', async () => {
    // Prepare
    const { send, requests } = scriptedTransport('hang');
    const started = performance.now();

    // Act
    const results = await notifyHub({ hubUrl: HUB, topicUrls: [RSS, ATOM], send, resolveHost, timeoutMs: 10_000, backoffMs: 0, budgetMs: 60 });

    // Assess
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(results.every((result) => !result.ok)).toBe(true);
    expect(requests).toHaveLength(2);
  });

  it('sends nothing when the resolved hub address is refused', async () => {
    // Prepare
    const { send, requests } = scriptedTransport(204);
    const privateResolver: ResolveHost = async () => [{ address: '10.0.0.7', family: 4 }];

    // Act
    const results = await notifyHub({ hubUrl: HUB, topicUrls: [RSS, ATOM], send, resolveHost: privateResolver });

    // Assess
    expect(results).toEqual([
      { topicUrl: RSS, ok: false, attempts: 0, error: 'hub address 10.0.0.7 is refused (private)' },
      { topicUrl: ATOM, ok: false, attempts: 0, error: 'hub address 10.0.0.7 is refused (private)' },
    ]);
    expect(requests).toHaveLength(0);
  });
});
