import CachePolicy from 'http-cache-semantics';
import { EDGE_CACHE_TTLS } from '../infra/constructs/feed-distribution.js';
import type { OriginAnswer, OriginConditions, OriginReader, StoredObject } from './edge-origin.js';

/**
 * The edge's object cache, kept as CloudFront keeps its cache: RFC 9111 semantics from
 * `http-cache-semantics` (storability, age, the validators a revalidation sends, how a 304
 * refreshes a stored response), the lifetime chosen by the distribution's cache policy rule
 * ({@link edgeLifetimeSeconds}, the same constants as the construct), and viewers' own
 * Cache-Control ignored, as CloudFront ignores it. Expired copies are revalidated with
 * If-None-Match, so an unchanged object costs the origin a 304.
 */

/** What became of one read, for tests and benchmarks. */
export type EdgeCacheOutcome = 'hit' | 'miss' | 'revalidated' | 'refreshed' | 'not-found';

interface Entry {
  readonly object: StoredObject;
  readonly policy: CachePolicy;
  /** When the origin read behind this copy started: an older read never replaces a newer copy. */
  readonly requestedAt: number;
}

/** A site has a few thousand documents at most; beyond this the oldest copy goes first. */
const MAX_ENTRIES = 5_000;

/**
 * CloudFront's rule for how long it keeps an object: `s-maxage`, else `max-age` (else
 * `Expires`), else the policy's default TTL, clamped into the policy's [min, max].
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/Expiration.html
 */
export function edgeLifetimeSeconds(policy: CachePolicy, stored: Pick<StoredObject, 'cacheControl'>): number {
  const stated = /(?:^|,)\s*(?:s-maxage|max-age)\s*=/i.test(stored.cacheControl ?? '');
  const lifetime = stated ? policy.maxAge() : EDGE_CACHE_TTLS.defaultSeconds;
  return Math.min(Math.max(lifetime, EDGE_CACHE_TTLS.minSeconds), EDGE_CACHE_TTLS.maxSeconds);
}

/** A cache of the site bucket in front of an origin reader. */
export class EdgeCache {
  private readonly entries = new Map<string, Entry>();

  public constructor(
    private readonly origin: OriginReader,
    private readonly onRead: (key: string, outcome: EdgeCacheOutcome) => void = () => undefined,
  ) {}

  /** The object at `key` as the edge would serve it now, or `undefined` for a 404. */
  public async read(key: string): Promise<StoredObject | undefined> {
    const entry = this.entries.get(key);
    if (entry && entry.policy.age() < edgeLifetimeSeconds(entry.policy, entry.object)) {
      this.onRead(key, 'hit');
      return entry.object;
    }
    const requestedAt = Date.now();
    const request = edgeRequest(key);
    const validators = entry ? entry.policy.revalidationHeaders(request) : {};
    const answer = await this.origin(key, originConditions(validators));
    return this.settle(key, entry, answer, requestedAt);
  }

  private settle(key: string, entry: Entry | undefined, answer: OriginAnswer, requestedAt: number): StoredObject | undefined {
    if (answer.status === 404) {
      // CloudFront keeps a 404 for the error caching TTL, which is no longer than a feed's; not kept here.
      this.entries.delete(key);
      this.onRead(key, 'not-found');
      return undefined;
    }
    if (answer.status === 304 && entry) {
      const { policy } = entry.policy.revalidatedPolicy(edgeRequest(key), { status: 304, headers: responseHeaders(entry.object) });
      this.store(key, { object: entry.object, policy, requestedAt });
      this.onRead(key, 'revalidated');
      return entry.object;
    }
    if (answer.status === 304) throw new Error(`Origin answered 304 to an unconditional read of ${key}`);
    const policy = new CachePolicy(edgeRequest(key), { status: 200, headers: responseHeaders(answer.object) }, { shared: true, cacheHeuristic: 0 });
    if (policy.storable()) this.store(key, { object: answer.object, policy, requestedAt });
    else this.entries.delete(key);
    this.onRead(key, entry ? 'refreshed' : 'miss');
    return answer.object;
  }

  private store(key: string, entry: Entry): void {
    const current = this.entries.get(key);
    if (current && current.requestedAt > entry.requestedAt) return;
    this.entries.delete(key);
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value ?? '');
    this.entries.set(key, entry);
  }
}

/**
 * The validators to send: the ETag alone when there is one. Last-Modified counts whole seconds,
 * so it cannot tell two writes of one second apart, and the embedded S3 API (unlike S3) lets a
 * matching If-Modified-Since win over a failing If-None-Match.
 */
function originConditions(validators: CachePolicy.Headers): OriginConditions {
  const etag = validators['if-none-match'];
  if (typeof etag === 'string') return { ifNoneMatch: etag };
  const since = validators['if-modified-since'];
  return typeof since === 'string' ? { ifModifiedSince: new Date(since) } : {};
}

/** The request the edge makes for a key: no viewer headers, as the cache policy forwards none. */
function edgeRequest(key: string): CachePolicy.Request {
  return { url: `/${key}`, method: 'GET', headers: {} };
}

function responseHeaders(object: StoredObject): CachePolicy.Headers {
  return {
    ...(object.cacheControl ? { 'cache-control': object.cacheControl } : {}),
    ...(object.etag ? { etag: object.etag } : {}),
    ...(object.lastModified ? { 'last-modified': object.lastModified.toUTCString() } : {}),
    date: new Date().toUTCString(),
  };
}
