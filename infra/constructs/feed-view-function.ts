import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { Construct } from 'constructs';
import { FEED_VIEW_FILE } from '../../lambdas/core/plan/document-keys.js';
import { FEED_FORMATS } from '../../lambdas/core/plan/outputs.js';

/**
 * The browser view of the subscription feeds, at the edge. The publisher writes one HTML view
 * per channel (`<channel path>feed.html`); a browser asking for one of the channel's feeds gets
 * it, a feed reader gets the feed:
 * - on the viewer request, {@link FEED_VIEW_REQUEST_CODE} rewrites the URI of a subscription
 *   feed (`rss.xml`, `atom.xml`, `feed.json` of the root, a language or a tag channel; not an
 *   archive page) to the channel's view when the Accept header prefers `text/html` to every
 *   feed type. CloudFront keys its cache on the rewritten URI, so Accept never enters the
 *   cache key and each representation is one cache entry;
 * - on the viewer response, {@link FEED_VIEW_FUNCTION_CODE} adds `Vary: Accept` on those paths,
 *   so caches downstream keep the two apart.
 */

const FEED_FILES = Object.values(FEED_FORMATS).map((format) => format.file.replace(/\./g, '\\\\.')).join('|');
const VIEW_FILE = FEED_VIEW_FILE.replace(/\./g, '\\\\.');
// The channel folders of document-keys.ts: an optional language (never starting with `_`),
// then an optional `tags/<slug>/`.
const CHANNEL = '\\\\/(?:[^_\\\\/][^\\\\/]*\\\\/)?(?:tags\\\\/[^\\\\/]+\\\\/)?';

/**
 * Source of `feedViewUri(request)`, for the viewer-request function: the URI to fetch for this
 * request, the channel's view or the URI unchanged. Only GET and HEAD are rewritten. An Accept
 * header is read by its q-values: `text/html` must rank above every feed type named
 * (`*\/*` counts for neither), so a reader sending `application/rss+xml, text/html` keeps the
 * feed and a browser's `text/html,…,application/xml;q=0.9` gets the view.
 */
export const FEED_VIEW_REQUEST_CODE = String.raw`
var FEED_VIEW_SOURCE = new RegExp('^(${CHANNEL})(?:${FEED_FILES})$');
var FEED_VIEW_TYPES = ['application/rss+xml', 'application/atom+xml', 'application/feed+json', 'application/xml', 'text/xml', 'application/json'];
function acceptQuality(accept, types) {
  var best = 0;
  var ranges = accept.split(',');
  for (var i = 0; i < ranges.length; i++) {
    var params = ranges[i].split(';');
    if (types.indexOf(params[0].trim().toLowerCase()) === -1) continue;
    var q = 1;
    for (var j = 1; j < params.length; j++) {
      var param = params[j].trim().toLowerCase();
      if (param.indexOf('q=') === 0) q = parseFloat(param.slice(2)) || 0;
    }
    if (q > best) best = q;
  }
  return best;
}
function feedViewUri(request) {
  if (request.method !== 'GET' && request.method !== 'HEAD') return request.uri;
  var match = FEED_VIEW_SOURCE.exec(request.uri);
  var accept = request.headers['accept'];
  if (!match || !accept || !accept.value) return request.uri;
  var html = acceptQuality(accept.value, ['text/html']);
  return html > acceptQuality(accept.value, FEED_VIEW_TYPES) ? match[1] + '${FEED_VIEW_FILE}' : request.uri;
}
`.trim();

/**
 * Source of the viewer-response function (cloudfront-js-2.0) on the feed behaviours: on a
 * subscription feed's path or a view's path (CloudFront may show either, before or after the
 * rewrite), `Vary` gains `Accept`; a stored precompressed variant (`.br`, `.gz`) varies on
 * `Accept-Encoding` too. Every other response passes unchanged.
 */
export const FEED_VIEW_FUNCTION_CODE = String.raw`
var FEED_VIEW_PATH = new RegExp('^${CHANNEL}(?:${FEED_FILES}|${VIEW_FILE})(\\.br|\\.gz)?$');
function handler(event) {
  var response = event.response;
  var match = FEED_VIEW_PATH.exec(event.request.uri);
  if (!match) return response;
  var names = [];
  var vary = response.headers['vary'];
  if (vary && vary.value) names = vary.value.split(',').map(function (name) { return name.trim(); });
  if (match[1] && names.indexOf('Accept-Encoding') === -1) names.push('Accept-Encoding');
  if (names.indexOf('Accept') === -1) names.push('Accept');
  response.headers['vary'] = { value: names.join(', ') };
  return response;
}
`.trim();

/** A CloudFront header as functions see it. */
export interface FunctionHeader {
  value: string;
}

/** The part of a viewer-request event {@link FEED_VIEW_REQUEST_CODE} reads. */
export interface FeedViewRequest {
  readonly uri: string;
  readonly method: string;
  readonly headers: Record<string, FunctionHeader | undefined>;
}

/** The part of a viewer-response event {@link FEED_VIEW_FUNCTION_CODE} reads and changes. */
export interface ViewerResponseEvent {
  readonly request: { readonly uri: string; readonly headers: Record<string, FunctionHeader | undefined> };
  readonly response: { readonly statusCode: number; headers: Record<string, FunctionHeader | undefined> };
}

/**
 * `feedViewUri` as a JavaScript function, for the local edge and tests: they run the very code
 * the viewer-request function runs.
 */
export function loadFeedViewUri(): (request: FeedViewRequest) => string {
  return new Function(`${FEED_VIEW_REQUEST_CODE}\nreturn feedViewUri;`)() as (request: FeedViewRequest) => string;
}

/** The viewer-response handler as a JavaScript function, for the local edge and tests. */
export function loadFeedViewHandler(): (event: ViewerResponseEvent) => ViewerResponseEvent['response'] {
  return new Function(`${FEED_VIEW_FUNCTION_CODE}\nreturn handler;`)() as (
    event: ViewerResponseEvent,
  ) => ViewerResponseEvent['response'];
}

/** The viewer-response function of the feed behaviours; see {@link FEED_VIEW_FUNCTION_CODE}. */
export class FeedViewFunction extends cloudfront.Function {
  public constructor(scope: Construct, id: string) {
    super(scope, id, {
      code: cloudfront.FunctionCode.fromInline(FEED_VIEW_FUNCTION_CODE),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'Vary: Accept on subscription feeds (browsers get their HTML view)',
    });
  }
}
