import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { Construct } from 'constructs';
import { FEED_VIEW_REQUEST_CODE } from './feed-view-function.js';
import { CONTENT_ENCODINGS, precompressedKeyPattern } from '../../lambdas/core/plan/outputs.js';
import { PARTNER_TOKEN_PATTERN, type ResolvedPartnerAccess } from './partner-access.js';

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
 * Picks a stored precompressed variant (`<key>.br`, `<key>.gz`) for the keys the publisher
 * writes them for ({@link precompressedKeyPattern}: the types CloudFront does not compress
 * itself), from the viewer's `Accept-Encoding`: the coding with the highest `q`, Brotli on a tie
 * (as CloudFront's own compression does), `q=0` refusing a coding, `*` standing for any coding
 * not named; identity when neither is acceptable. The URI is rewritten before the cache lookup,
 * so each variant is its own cache entry, with its own S3 ETag: a conditional request is
 * answered for the bytes the viewer holds, and every variant follows the same lifetime.
 */
export function precompressedVariantCode(): string {
  const codings = CONTENT_ENCODINGS.map((encoding) => ({ name: encoding.name, suffix: encoding.keySuffix }));
  return `
var PRECOMPRESSED = ${precompressedKeyPattern().toString()};
var CODINGS = ${JSON.stringify(codings)};
function acceptedWeights(value) {
  var weights = {};
  var parts = value.toLowerCase().split(',');
  for (var i = 0; i < parts.length; i++) {
    var params = parts[i].split(';');
    var name = params[0].trim();
    if (name === 'x-gzip') name = 'gzip';
    var weight = 1;
    for (var j = 1; j < params.length; j++) {
      var param = params[j].trim();
      if (param.indexOf('q=') === 0) weight = Number(param.slice(2)) || 0;
    }
    if (name) weights[name] = weight;
  }
  return weights;
}
function selectPrecompressedVariant(request) {
  if (!PRECOMPRESSED.test(request.uri)) return;
  var header = request.headers['accept-encoding'];
  if (!header) return;
  var weights = acceptedWeights(header.value);
  var best = null;
  var bestWeight = 0;
  for (var i = 0; i < CODINGS.length; i++) {
    var weight = CODINGS[i].name in weights ? weights[CODINGS[i].name] : (weights['*'] || 0);
    if (weight > bestWeight) { best = CODINGS[i]; bestWeight = weight; }
  }
  if (best) request.uri += best.suffix;
}
`.trim();
}

/**
 * Source of the viewer-request function (cloudfront-js-2.0):
 * - a path refused by {@link PATH_GUARD_CODE} is answered 400, first;
 * - a browser asking for a subscription feed gets the channel's HTML view
 *   ({@link FEED_VIEW_REQUEST_CODE}, in `feed-view-function.ts`);
 * - `/` and `/…/` become `/index.html` and `/…/index.html`, as on a web server (an S3 origin
 *   has no directory index);
 * - a document with stored precompressed variants gets the one the viewer accepts
 *   ({@link precompressedVariantCode}).
 */
export function viewerRequestCode(): string {
  return `
${PATH_GUARD_CODE}
${FEED_VIEW_REQUEST_CODE}
${precompressedVariantCode()}
function handler(event) {
  var request = event.request;
  if (UNSAFE_PATH.test(request.uri)) return badRequest();
  request.uri = feedViewUri(request);
  if (request.uri.charAt(request.uri.length - 1) === '/') {
    request.uri += 'index.html';
    return request;
  }
  selectPrecompressedVariant(request);
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
export function gatedViewerRequestCode(headerName: string): string {
  return `
${PARTNER_GATE_IMPORTS.join('\n')}
var TOKENS = cf.kvs();
var TOKEN_HEADER = ${JSON.stringify(headerName.toLowerCase())};
var TOKEN_SHAPE = ${PARTNER_TOKEN_PATTERN.toString()};
var JSON_FEED = /\\.json$/;
var STORED_ENCODING = /\\.json\\.(br|gz)$/;
${PATH_GUARD_CODE}
var route = (function () {
${viewerRequestCode()}
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
  public constructor(scope: Construct, id: string, props: ViewerRequestFunctionProps = {}) {
    const access = props.partnerAccess;
    super(scope, id, {
      code: cloudfront.FunctionCode.fromInline(
        access ? gatedViewerRequestCode(access.headerName) : viewerRequestCode(),
      ),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: access
        ? 'Partner token on JSON Feed paths, feed views, directory index pages, precompressed variants'
        : 'Feed views, directory index pages and precompressed variants',
      ...(access ? { keyValueStore: access.keyValueStore } : {}),
    });
  }
}
