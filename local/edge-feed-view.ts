/**
 * The distribution's feed view functions as the local edge applies them: the viewer-request
 * rewrite (a browser asking for a subscription feed gets its channel's `feed.html`) and the
 * viewer-response `Vary: Accept`, both the very code CloudFront runs.
 */
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { loadFeedViewHandler, loadFeedViewUri } from '../infra/constructs/feed-view-function.js';

/** The viewer-request function's feed view rewrite, the very code CloudFront runs. */
const feedViewUri = loadFeedViewUri();

/**
 * The request target after the distribution's feed view rewrite: a browser asking for a
 * subscription feed is given its channel's view (`feed.html`); the query string is kept.
 */
export function rewriteFeedView(request: IncomingMessage): string {
  const target = request.url ?? '/';
  const split = target.search(/[?#]/);
  const uri = split === -1 ? target : target.slice(0, split);
  const accept = request.headers.accept;
  const rewritten = feedViewUri({ uri, method: request.method ?? 'GET', headers: { accept: accept === undefined ? undefined : { value: accept } } });
  return split === -1 ? rewritten : rewritten + target.slice(split);
}

/** The distribution's viewer-response function, the very code CloudFront runs. */
const feedViewHandler = loadFeedViewHandler();

/** Lets the feed view function add `Vary: Accept` on the subscription feeds' paths (as asked). */
export function applyFeedView(askedKey: string, headers: OutgoingHttpHeaders, statusCode: number): void {
  const vary = headers.Vary === undefined ? undefined : { value: String(headers.Vary) };
  const result = feedViewHandler({
    request: { uri: `/${askedKey}`, headers: {} },
    response: { statusCode, headers: { 'content-type': { value: String(headers['Content-Type']) }, vary } },
  });
  if (result.headers.vary !== undefined) headers.Vary = result.headers.vary.value;
}

