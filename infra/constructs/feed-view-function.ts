import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { Construct } from 'constructs';

/** Media type XML feeds get when a browser navigates to them, so it applies `feed.xsl`. */
export const BROWSER_FEED_MEDIA_TYPE = 'application/xml; charset=utf-8';

/**
 * Source of the viewer-response function (cloudfront-js-2.0) on the XML feed behaviour.
 *
 * Browsers do not run an XSL style sheet for `application/rss+xml` or `application/atom+xml`:
 * Chromium shows such a feed as source text. Feed readers, on the other hand, must keep
 * getting the feed media types. So the type is chosen per viewer, after the cache: a request
 * that accepts `text/html` (a browser navigating to the feed) gets `application/xml`, on which
 * every browser that still has XSLT applies `feed.xsl`; any other request gets the stored feed
 * type. `Vary: Accept` tells shared caches downstream that the type depends on it. The cached
 * object is the same for both, so the viewer's choice costs no cache entry.
 */
export const FEED_VIEW_FUNCTION_CODE = `
var FEED = /\\.xml(\\.br|\\.gz)?$/;
function handler(event) {
  var response = event.response;
  if (!FEED.test(event.request.uri)) return response;
  var names = [];
  var vary = response.headers['vary'];
  if (vary && vary.value) names = vary.value.split(',').map(function (name) { return name.trim(); });
  // A precompressed variant depends on Accept-Encoding too, whichever adds Vary first.
  if (FEED.exec(event.request.uri)[1] && names.indexOf('Accept-Encoding') === -1) names.push('Accept-Encoding');
  if (names.indexOf('Accept') === -1) names.push('Accept');
  response.headers['vary'] = { value: names.join(', ') };
  var accept = event.request.headers['accept'];
  if (response.statusCode === 200 && accept && accept.value.toLowerCase().indexOf('text/html') !== -1) {
    response.headers['content-type'] = { value: '${BROWSER_FEED_MEDIA_TYPE}' };
  }
  return response;
}
`.trim();

/** A CloudFront header as functions see it. */
export interface FunctionHeader {
  value: string;
}

/** The part of a viewer-response event {@link FEED_VIEW_FUNCTION_CODE} reads and changes. */
export interface ViewerResponseEvent {
  readonly request: { readonly uri: string; readonly headers: Record<string, FunctionHeader | undefined> };
  readonly response: { readonly statusCode: number; headers: Record<string, FunctionHeader | undefined> };
}

/**
 * The function's handler as a JavaScript function, for the local edge and tests: they run the
 * very code CloudFront runs.
 */
export function loadFeedViewHandler(): (event: ViewerResponseEvent) => ViewerResponseEvent['response'] {
  return new Function(`${FEED_VIEW_FUNCTION_CODE}\nreturn handler;`)() as (
    event: ViewerResponseEvent,
  ) => ViewerResponseEvent['response'];
}

/** The viewer-response function of the XML feed behaviour; see {@link FEED_VIEW_FUNCTION_CODE}. */
export class FeedViewFunction extends cloudfront.Function {
  public constructor(scope: Construct, id: string) {
    super(scope, id, {
      code: cloudfront.FunctionCode.fromInline(FEED_VIEW_FUNCTION_CODE),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'Browsers get XML feeds as application/xml so feed.xsl applies',
    });
  }
}
