/**
 * Tells a WebSub hub that feeds changed, so it fetches them and pushes them to subscribers.
 *
 * The W3C WebSub Recommendation leaves publishing to each hub; every public hub accepts the
 * PubSubHubbub form `hub.mode=publish&hub.url=<topic>` as an `application/x-www-form-urlencoded`
 * POST. We send one request per topic: each topic gets its own outcome and retries, a hub that
 * rejects one URL does not lose the others, and hubs that read only the first `hub.url` still
 * hear about every feed. A publish touches a handful of feeds, so the extra requests are cheap.
 */
import { mapWithConcurrency } from '../shared/map-with-concurrency.js';
import { resolveHubTarget, type ResolveHost, type ResolvedAddress } from './hub-address.js';
import { postHubForm, type HubAnswer, type HubTransport } from './post-hub-form.js';

/** What to notify and how hard to try. */
export interface NotifyHubOptions {
  /** The hub's publish endpoint; nothing is sent when it is missing. */
  readonly hubUrl: string | undefined;
  /** Absolute URLs of the feeds that changed (duplicates are sent once). */
  readonly topicUrls: readonly string[];
  /**
   * Lets plain http reach a loopback hub: the local preview's switch. Deployed, only https to
   * a public address is sent. @default false
   */
  readonly allowLoopbackHttp?: boolean;
  /** Resolves the hub's host name. @default dns.lookup, every address */
  readonly resolveHost?: ResolveHost;
  /** Sends one form to the checked address. @default postHubForm */
  readonly send?: HubTransport;
  /** Further attempts after the first, on network errors, timeouts, 429 and 5xx. @default 3 */
  readonly retries?: number;
  /** Wait before the first retry; doubles for each next one. @default 500 */
  readonly backoffMs?: number;
  /** Time allowed for one request. @default 10000 */
  readonly timeoutMs?: number;
  /** Time allowed for every ping and retry together; nothing starts after it. @default 30000 */
  readonly budgetMs?: number;
  /** Pings in flight at once. @default 4 */
  readonly concurrency?: number;
  /**
   * Wait before the first ping, so that no cache in front of the topics can still hand the hub
   * the old version (the publisher passes `HUB_PING_DELAY_MS`, derived from the edge TTL).
   * @default 0
   */
  readonly delayMs?: number;
}

/** The outcome for one topic, ready to log. */
export interface HubNotification {
  readonly topicUrl: string;
  /** True when the hub answered 2xx. */
  readonly ok: boolean;
  /** Requests sent for this topic (0 when the hub URL or its address is refused). */
  readonly attempts: number;
  /** Status of the last answer, when there was one. */
  readonly status?: number;
  /** Why the last attempt failed, when it did. */
  readonly error?: string;
}

/** Longest wait a hub may ask for with Retry-After before we fall back to our own backoff. */
const MAX_RETRY_AFTER_MS = 30_000;

/** Settings of one notifyHub call, defaults applied. */
interface PingPlan {
  readonly target: { readonly url: URL; readonly address: ResolvedAddress };
  readonly send: HubTransport;
  readonly retries: number;
  readonly backoffMs: number;
  readonly timeoutMs: number;
  /** `performance.now()` after which nothing new starts. */
  readonly deadline: number;
}

/**
 * Pings the hub once per changed topic, at most `concurrency` at a time, retrying transient
 * failures with exponential backoff within the time budget. The hub's address is resolved and
 * checked once (see {@link resolveHubTarget}); a refused hub gets no request at all. Never
 * throws: every failure is reported in the returned list, so a publish that already succeeded
 * is not failed (and retried) because a hub is down or refused.
 */
export async function notifyHub(options: NotifyHubOptions): Promise<HubNotification[]> {
  const topics = [...new Set(options.topicUrls)];
  if (options.hubUrl === undefined || topics.length === 0) return [];
  const target = await resolveHubTarget(options.hubUrl, {
    allowLoopbackHttp: options.allowLoopbackHttp === true,
    ...(options.resolveHost ? { resolveHost: options.resolveHost } : {}),
  });
  if (!target.allowed) return topics.map((topicUrl) => ({ topicUrl, ok: false, attempts: 0, error: target.reason }));
  if ((options.delayMs ?? 0) > 0) await sleep(options.delayMs ?? 0);
  const started = performance.now();
  const plan: PingPlan = {
    target,
    send: options.send ?? postHubForm,
    retries: Math.max(0, options.retries ?? 3),
    backoffMs: Math.max(0, options.backoffMs ?? 500),
    timeoutMs: options.timeoutMs ?? 10_000,
    deadline: started + (options.budgetMs ?? 30_000),
  };
  return mapWithConcurrency(topics, options.concurrency ?? 4, (topicUrl) => notifyTopic(topicUrl, plan));
}

async function notifyTopic(topicUrl: string, plan: PingPlan): Promise<HubNotification> {
  let result: HubNotification = { topicUrl, ok: false, attempts: 0, error: 'time budget for hub pings spent' };
  for (let attempt = 1; attempt <= plan.retries + 1; attempt += 1) {
    const remaining = plan.deadline - performance.now();
    if (remaining <= 0) break;
    const outcome = await ping(topicUrl, plan, Math.ceil(Math.min(plan.timeoutMs, remaining)));
    result = { topicUrl, attempts: attempt, ...outcome.result };
    if (result.ok || !outcome.retryable || attempt > plan.retries) break;
    const wait = outcome.retryAfterMs ?? plan.backoffMs * 2 ** (attempt - 1);
    // A retry that could only start after the budget is not worth waiting for.
    if (performance.now() + wait >= plan.deadline) break;
    await sleep(wait);
  }
  return result;
}

interface PingOutcome {
  readonly result: { ok: boolean; status?: number; error?: string };
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
}

async function ping(topicUrl: string, plan: PingPlan, timeoutMs: number): Promise<PingOutcome> {
  try {
    const answer = await plan.send({
      url: plan.target.url,
      address: plan.target.address,
      body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': topicUrl }).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return judgeAnswer(answer);
  } catch (error: unknown) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { result: { ok: false, error: message }, retryable: true };
  }
}

/** 2xx succeeds; a redirect is a failure (never followed: it could point anywhere); 429 and 5xx are retried. */
function judgeAnswer(answer: HubAnswer): PingOutcome {
  const { status } = answer;
  if (status >= 200 && status < 300) return { result: { ok: true, status }, retryable: false };
  if (status >= 300 && status < 400) {
    const error = `hub answered ${status}, redirect${answer.location ? ` to ${answer.location}` : ''} not followed`;
    return { result: { ok: false, status, error }, retryable: false };
  }
  const retryable = status === 429 || status >= 500;
  const retryAfterMs = retryable ? parseRetryAfter(answer.retryAfter) : undefined;
  return {
    result: { ok: false, status, error: `hub answered ${status}` },
    retryable,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

/** Retry-After in whole seconds (the HTTP-date form is ignored), capped; undefined when absent. */
function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Math.min(Number(value.trim()) * 1000, MAX_RETRY_AFTER_MS);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
