/**
 * Tells a WebSub hub that feeds changed, so it fetches them and pushes them to subscribers.
 *
 * The W3C WebSub Recommendation leaves publishing to each hub; every public hub accepts the
 * PubSubHubbub form `hub.mode=publish&hub.url=<topic>` as an `application/x-www-form-urlencoded`
 * POST. We send one request per topic: each topic gets its own outcome and retries, a hub that
 * rejects one URL does not lose the others, and hubs that read only the first `hub.url` still
 * hear about every feed. A publish touches a handful of feeds, so the extra requests are cheap.
 */

/** What to notify and how hard to try. */
export interface NotifyHubOptions {
  /** The hub's publish endpoint; nothing is sent when it is missing. */
  readonly hubUrl: string | undefined;
  /** Absolute URLs of the feeds that changed (duplicates are sent once). */
  readonly topicUrls: readonly string[];
  /** @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch;
  /** Further attempts after the first, on network errors, timeouts, 429 and 5xx. @default 3 */
  readonly retries?: number;
  /** Wait before the first retry; doubles for each next one. @default 500 */
  readonly backoffMs?: number;
  /** Time allowed for one request. @default 10000 */
  readonly timeoutMs?: number;
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
  /** Requests sent for this topic (0 when the hub URL is unusable). */
  readonly attempts: number;
  /** Status of the last answer, when there was one. */
  readonly status?: number;
  /** Why the last attempt failed, when it did. */
  readonly error?: string;
}

/** Longest wait a hub may ask for with Retry-After before we fall back to our own backoff. */
const MAX_RETRY_AFTER_MS = 30_000;

/**
 * Pings the hub once per changed topic, retrying transient failures with exponential backoff.
 * Never throws: every failure is reported in the returned list, so a publish that already
 * succeeded is not failed (and retried) because a hub is down.
 */
export async function notifyHub(options: NotifyHubOptions): Promise<HubNotification[]> {
  const topics = [...new Set(options.topicUrls)];
  if (options.hubUrl === undefined || topics.length === 0) return [];
  if (!isHttpUrl(options.hubUrl)) {
    return topics.map((topicUrl) => ({ topicUrl, ok: false, attempts: 0, error: 'hub URL is not an http(s) URL' }));
  }
  const hubUrl = options.hubUrl;
  if ((options.delayMs ?? 0) > 0) await sleep(options.delayMs ?? 0);
  return Promise.all(topics.map((topicUrl) => notifyTopic(hubUrl, topicUrl, options)));
}

async function notifyTopic(hubUrl: string, topicUrl: string, options: NotifyHubOptions): Promise<HubNotification> {
  const retries = Math.max(0, options.retries ?? 3);
  const backoffMs = Math.max(0, options.backoffMs ?? 500);
  let result: HubNotification = { topicUrl, ok: false, attempts: 0 };
  for (let attempt = 1; attempt <= retries + 1; attempt += 1) {
    const outcome = await ping(hubUrl, topicUrl, options);
    result = { topicUrl, attempts: attempt, ...outcome.result };
    if (result.ok || !outcome.retryable || attempt > retries) break;
    await sleep(outcome.retryAfterMs ?? backoffMs * 2 ** (attempt - 1));
  }
  return result;
}

interface PingOutcome {
  readonly result: { ok: boolean; status?: number; error?: string };
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
}

async function ping(hubUrl: string, topicUrl: string, options: NotifyHubOptions): Promise<PingOutcome> {
  const fetchFn = options.fetch ?? globalThis.fetch;
  try {
    const response = await fetchFn(hubUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': topicUrl }).toString(),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      redirect: 'follow',
    });
    // Free the connection: the hub's answer body carries nothing we use.
    await response.body?.cancel().catch(() => undefined);
    if (response.ok) return { result: { ok: true, status: response.status }, retryable: false };
    const retryable = response.status === 429 || response.status >= 500;
    const retryAfterMs = retryable ? parseRetryAfter(response.headers.get('retry-after')) : undefined;
    return {
      result: { ok: false, status: response.status, error: `hub answered ${response.status}` },
      retryable,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  } catch (error: unknown) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { result: { ok: false, error: message }, retryable: true };
  }
}

/** Retry-After in whole seconds (the HTTP-date form is ignored), capped; undefined when absent. */
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Math.min(Number(value.trim()) * 1000, MAX_RETRY_AFTER_MS);
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
