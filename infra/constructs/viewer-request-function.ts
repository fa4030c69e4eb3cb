import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { Construct } from 'constructs';
import { PARTNER_TOKEN_PATTERN, type ResolvedPartnerAccess } from './partner-access.js';

/**
 * Feed files whose media type CloudFront does not compress itself: `application/atom+xml` and
 * `application/feed+json` are not on its list of compressible types (`application/rss+xml` is).
 * When precompressed feeds are on, the publisher stores `<key>.br` and `<key>.gz` siblings
 * (same Content-Type and Cache-Control, plus Content-Encoding) and the viewer request picks one.
 */
export const PRECOMPRESSED_FEED_FILES = ['atom.xml', 'feed.json'] as const;

/**
 * Refuses, with 400, a request path that is not one plain name per segment: a `.` or `..`
 * segment (also percent-encoded, `%2e`, `%2E%2E`), an empty segment (`//`), a backslash or an
 * encoded slash, backslash or NUL. Checked on the raw URI before anything else, so no later
 * rule (the token gate, the index mapping) ever sees such a path, and no such variant of a
 * URL becomes a cache entry of its own. The site publishes no key that needs any of them.
 */
export const PATH_GUARD_CODE = String.raw`
var UNSAFE_PATH = /\\|%5c|%2f|%00|\/\/|(^|\/)(\.|%2e){1,2}(\/|$)/i;
function badRequest() {
  return {
    statusCode: 400,
    statusDescription: 'Bad Request',
    headers: { 'content-type': { value: 'text/plain; charset=utf-8' }, 'cache-control': { value: 'no-store' } },
    body: { encoding: 'text', data: 'Bad Request' }
  };
}
`.trim();

/**
 * Source of the viewer-request function (cloudfront-js-2.0):
 * - a path refused by {@link PATH_GUARD_CODE} is answered 400, first;
 * - `/` and `/…/` become `/index.html` and `/…/index.html`, as on a web server (an S3 origin
 *   has no directory index);
 * - when `precompressed` is true, `…/atom.xml` and `…/feed.json` become their `.br` or `.gz`
 *   sibling, whichever the viewer accepts (Brotli first, `q=0` honoured). The function runs
 *   before the cache lookup, so each encoding is cached under its own URI.
 */
export function viewerRequestCode(precompressed: boolean): string {
  const files = PRECOMPRESSED_FEED_FILES.map((file) => file.replace('.', '\\.')).join('|');
  return `
${PATH_GUARD_CODE}
var PRECOMPRESSED = ${precompressed ? `/(^|\\/)(${files})$/` : 'null'};
function accepts(header, coding) {
  var parts = header.toLowerCase().split(',');
  for (var i = 0; i < parts.length; i++) {
    if (parts[i].split(';')[0].trim() !== coding) continue;
    var quality = /q=([0-9.]+)/.exec(parts[i]);
    return !quality || parseFloat(quality[1]) > 0;
  }
  return false;
}
function handler(event) {
  var request = event.request;
  if (UNSAFE_PATH.test(request.uri)) return badRequest();
  if (request.uri.charAt(request.uri.length - 1) === '/') {
    request.uri += 'index.html';
    return request;
  }
  var header = request.headers['accept-encoding'];
  if (!PRECOMPRESSED || !header || !PRECOMPRESSED.test(request.uri)) return request;
  if (accepts(header.value, 'br')) request.uri += '.br';
  else if (accepts(header.value, 'gzip')) request.uri += '.gz';
  return request;
}
`.trim();
}

/**
 * Store reads and hashing the gated function needs; both modules exist in cloudfront-js-2.0.
 * `cf.kvs()` without an id reads the one store associated with the function.
 */
export const PARTNER_GATE_IMPORTS = ["import cf from 'cloudfront';", "import crypto from 'crypto';"] as const;

/**
 * Source of the viewer-request function with partner access on: after the path guard
 * ({@link PATH_GUARD_CODE}, before the gate), JSON Feed requests must carry a token whose
 * SHA-256 digest is a key of the associated KeyValueStore; the routing above then runs unchanged.
 * - Gated: every path whose percent-decoded form ends in `.json` (`feed.json`, `fr/feed.json`,
 *   tag feeds, archive pages), whichever behaviour matched it. Decoding first matters: S3
 *   decodes the key, so `/feed%2Ejson` is the feed.
 * - The stored `.json.br` / `.json.gz` siblings are refused when asked for by name: partners
 *   get them through `Accept-Encoding`, with the JSON behaviour's headers.
 * - A CORS preflight (`OPTIONS`) on a JSON path is answered here with 204, allowing the token
 *   header: it carries no token and reads no feed, and S3 has no CORS rules to answer it with.
 * - A token of the wrong shape is refused without a store read; the token header is removed
 *   before the request goes on. Store errors throw, so CloudFront answers 503: never open.
 * - A refusal is a 403 with a small JSON body, `no-store`, and no `WWW-Authenticate`.
 */
export function gatedViewerRequestCode(precompressed: boolean, headerName: string): string {
  return `
${PARTNER_GATE_IMPORTS.join('\n')}
var TOKENS = cf.kvs();
var TOKEN_HEADER = ${JSON.stringify(headerName.toLowerCase())};
var TOKEN_SHAPE = ${PARTNER_TOKEN_PATTERN.toString()};
var JSON_FEED = /\\.json$/;
var STORED_ENCODING = /\\.json\\.(br|gz)$/;
${PATH_GUARD_CODE}
var route = (function () {
${viewerRequestCode(precompressed)}
return handler;
})();
function decodedPath(uri) {
  try { return decodeURIComponent(uri); } catch (e) { return null; }
}
function preflight() {
  return {
    statusCode: 204,
    statusDescription: 'No Content',
    headers: {
      'access-control-allow-origin': { value: '*' },
      'access-control-allow-methods': { value: 'GET, HEAD, OPTIONS' },
      'access-control-allow-headers': { value: TOKEN_HEADER + ', if-none-match, if-modified-since' },
      'access-control-max-age': { value: '86400' }
    }
  };
}
function refuse(message) {
  return {
    statusCode: 403,
    statusDescription: 'Forbidden',
    headers: {
      'content-type': { value: 'application/json; charset=utf-8' },
      'cache-control': { value: 'no-store' },
      'access-control-allow-origin': { value: '*' }
    },
    body: { encoding: 'text', data: JSON.stringify({ error: 'forbidden', message: message }) }
  };
}
async function handler(event) {
  var request = event.request;
  if (UNSAFE_PATH.test(request.uri)) return badRequest();
  var path = decodedPath(request.uri);
  if (path === null || STORED_ENCODING.test(path)) return refuse('Not available at this address.');
  if (!JSON_FEED.test(path)) return route(event);
  if (request.method === 'OPTIONS') return preflight();
  var header = request.headers[TOKEN_HEADER];
  if (!header || !TOKEN_SHAPE.test(header.value)) return refuse('This feed needs a partner token in the ' + TOKEN_HEADER + ' header.');
  var digest = crypto.createHash('sha256').update(header.value).digest('hex');
  if (!(await TOKENS.exists(digest))) return refuse('This partner token is not valid.');
  delete request.headers[TOKEN_HEADER];
  return route(event);
}
`.trim();
}

/** Settings of {@link ViewerRequestFunction}. */
export interface ViewerRequestFunctionProps {
  /** Whether `atom.xml` and `feed.json` are answered from their precompressed siblings. */
  readonly precompressedFeeds: boolean;
  /**
   * Require a partner token on JSON Feed paths; see {@link gatedViewerRequestCode}.
   * @default - no token is required anywhere
   */
  readonly partnerAccess?: ResolvedPartnerAccess;
}

/**
 * The CloudFront Function every request passes through; see {@link viewerRequestCode}, and
 * {@link gatedViewerRequestCode} when partner access is on. One function serves every
 * behaviour: CloudFront allows one viewer-request function per behaviour, and the token check
 * must hold whichever behaviour a JSON path falls into.
 */
export class ViewerRequestFunction extends cloudfront.Function {
  public constructor(scope: Construct, id: string, props: ViewerRequestFunctionProps) {
    const access = props.partnerAccess;
    super(scope, id, {
      code: cloudfront.FunctionCode.fromInline(
        access ? gatedViewerRequestCode(props.precompressedFeeds, access.headerName) : viewerRequestCode(props.precompressedFeeds),
      ),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: access
        ? 'Partner token on JSON Feed paths, directory index pages and precompressed feed variants'
        : 'Directory index pages and precompressed feed variants',
      ...(access ? { keyValueStore: access.keyValueStore } : {}),
    });
  }
}
