import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { FEED_CONTENT_SECURITY_POLICY } from '../lambdas/core/pages/feed-stylesheet.js';
import { contentTypeFor } from '../lambdas/core/plan/outputs.js';
import { PAGE_CONTENT_SECURITY_POLICY } from '../lambdas/core/pages/page-template.js';
import { PRIVATE_SITE_PREFIX } from '../infra/constructs/feed-distribution.js';
import { loadFeedViewHandler } from '../infra/constructs/feed-view-function.js';

/**
 * A small stand-in for the CloudFront distribution in front of the site bucket: it serves
 * objects with their stored headers, answers conditional requests itself, compresses like
 * CloudFront does and adds the response headers the distribution's policy adds.
 */

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** CloudFront compresses only objects of 1,000 to 10,000,000 bytes. */
const MIN_COMPRESS_BYTES = 1_000;
const MAX_COMPRESS_BYTES = 10_000_000;

type Encoding = 'br' | 'gzip';

/** Compressed bodies by key, ETag and encoding, as CloudFront caches them. */
type CompressedCache = Map<string, Buffer>;

/** Feeds and pages of one site: a few dozen entries is plenty. */
const COMPRESSED_CACHE_ENTRIES = 64;

/** A stored object as the edge needs it. */
interface StoredObject {
  readonly body: Uint8Array;
  readonly contentType: string;
  readonly etag: string | undefined;
  readonly lastModified: Date | undefined;
  readonly cacheControl: string | undefined;
  readonly contentEncoding: string | undefined;
}

/** Options of {@link startEdge}. */
export interface EdgeOptions {
  /** Client for the S3 API that holds the site bucket. */
  readonly s3: S3Client;
  readonly bucket: string;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default 0 - a free port chosen by the system */
  readonly port?: number;
}

/** A listening edge server. */
export interface RunningEdge {
  /** Base URL ending in `/`, e.g. `http://127.0.0.1:8080/`. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and drops open connections. Safe to call twice. */
  close(): Promise<void>;
}

/** Starts the edge server and resolves once it listens. */
export async function startEdge(options: EdgeOptions): Promise<RunningEdge> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer(createEdgeListener(options.s3, options.bucket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://${host}:${port}/`, port, close: closeOnce(server) };
}

function closeOnce(server: Server): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Feed readers keep connections alive; without this `close` waits for them.
      server.closeAllConnections();
    });
    return closing;
  };
}

/** The request listener behind {@link startEdge}, usable with any `node:http` server. */
export function createEdgeListener(
  s3: S3Client,
  bucket: string,
): (request: IncomingMessage, response: ServerResponse) => void {
  const cache: CompressedCache = new Map();
  return (request, response) => {
    serveRequest({ s3, bucket, cache }, request, response).catch(() => {
      if (!response.headersSent) sendText(response, 502, 'Bad Gateway');
      else response.destroy();
    });
  };
}

interface EdgeState {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly cache: CompressedCache;
}

async function serveRequest(edge: EdgeState, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const key = resolveObjectKey(request.url ?? '/');
  // Matched on the decoded key, so `/feed%2Ejson` gets the JSON Feed headers like `/feed.json`.
  const headers = policyHeadersFor(key ?? (request.url ?? '/').split(/[?#]/, 1)[0] ?? '/');
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    sendText(response, 405, 'Method Not Allowed');
    return;
  }
  if (key === undefined) {
    sendText(response, 400, 'Bad Request');
    return;
  }
  if (key.startsWith(PRIVATE_SITE_PREFIX)) {
    // The distribution's bucket policy denies this prefix to CloudFront: S3 answers 403.
    sendText(response, 403, 'Forbidden');
    return;
  }
  const stored = await readObjectWithRetries(edge.s3, edge.bucket, key);
  if (!stored) {
    sendText(response, 404, 'Not Found');
    return;
  }
  await sendObject(request, response, key, stored, edge.cache);
}

/**
 * The distribution's response headers policies, chosen by the same path patterns as its cache
 * behaviours: `*.xml` (feeds a browser may style with feed.xsl), `*.json` (JSON Feed, with
 * CORS for browser-based readers on other origins) and everything else (pages). HSTS is left
 * out: browsers ignore it over plain HTTP.
 */
export function policyHeadersFor(keyOrPath: string): Record<string, string> {
  const headers: Record<string, string> = {
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Content-Security-Policy': keyOrPath.endsWith('.xml') ? FEED_CONTENT_SECURITY_POLICY : PAGE_CONTENT_SECURITY_POLICY,
  };
  if (keyOrPath.endsWith('.json')) {
    headers['Access-Control-Allow-Origin'] = '*';
    headers['Access-Control-Expose-Headers'] = 'ETag, Last-Modified';
  }
  return headers;
}

/**
 * Maps a request target to an object key, or `undefined` when the path is malformed or
 * tries to leave the bucket (dot segments, encoded or not, backslashes, NUL, empty
 * segments, encoded slashes: what the viewer-request function refuses). `/` and `/x/` map
 * to their `index.html`. The query string is ignored, as in the distribution's cache policy.
 */
export function resolveObjectKey(target: string): string | undefined {
  const rawPath = target.split(/[?#]/, 1)[0] ?? '';
  if (!rawPath.startsWith('/') || /%2f|%5c/i.test(rawPath)) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(rawPath.slice(1));
  } catch {
    return undefined;
  }
  if (path === '') return 'index.html';
  const segments = path.split('/');
  const directory = path.endsWith('/');
  if (directory) segments.pop();
  const unsafe = segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\') || s.includes('\0'));
  if (unsafe) return undefined;
  return directory ? `${path}index.html` : path;
}

/** Origin reads: attempts and the time allowed for each, as CloudFront retries its origin. */
const ORIGIN_ATTEMPTS = 4;
const ORIGIN_ATTEMPT_TIMEOUT_MS = 750;

/**
 * Reads an object, retrying a failed or stalled read. The embedded S3 API can stall a GET that
 * races a PUT of the same key; CloudFront likewise retries its origin before answering 502.
 */
async function readObjectWithRetries(s3: S3Client, bucket: string, key: string): Promise<StoredObject | undefined> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await readObject(s3, bucket, key, AbortSignal.timeout(ORIGIN_ATTEMPT_TIMEOUT_MS));
    } catch (error: unknown) {
      if (attempt >= ORIGIN_ATTEMPTS) throw error;
    }
  }
}

async function readObject(s3: S3Client, bucket: string, key: string, abortSignal: AbortSignal): Promise<StoredObject | undefined> {
  try {
    const output = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal });
    const body = output.Body ? await output.Body.transformToByteArray() : new Uint8Array();
    const storedType = output.ContentType;
    return {
      body,
      // Objects put without a type come back as S3's default; name them by extension instead.
      contentType: storedType && storedType !== 'binary/octet-stream' ? storedType : contentTypeFor(key),
      etag: output.ETag,
      lastModified: output.LastModified,
      cacheControl: output.CacheControl,
      contentEncoding: output.ContentEncoding,
    };
  } catch (error: unknown) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

function isNotFound(error: unknown): boolean {
  const candidate = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return candidate?.name === 'NoSuchKey' || candidate?.name === 'NotFound' || candidate?.$metadata?.httpStatusCode === 404;
}

async function sendObject(
  request: IncomingMessage,
  response: ServerResponse,
  key: string,
  stored: StoredObject,
  cache: CompressedCache,
): Promise<void> {
  const compressible = isCompressible(stored);
  const encoding = compressible ? chooseEncoding(request.headers['accept-encoding']) : undefined;
  const headers = buildObjectHeaders(stored, compressible, encoding);
  if (isNotModified(request, stored)) {
    applyFeedView(key, request, headers, 304);
    delete headers['Content-Type'];
    response.writeHead(304, headers).end();
    return;
  }
  applyFeedView(key, request, headers, 200);
  const body = encoding ? await compressCached(cache, key, stored, encoding) : stored.body;
  headers['Content-Length'] = body.byteLength;
  if (encoding) headers['Content-Encoding'] = encoding;
  else if (stored.contentEncoding) headers['Content-Encoding'] = stored.contentEncoding;
  response.writeHead(200, headers);
  response.end(request.method === 'HEAD' ? undefined : body);
}

/** The distribution's viewer-response function, the very code CloudFront runs. */
const feedViewHandler = loadFeedViewHandler();

/** Lets the feed view function choose the XML feeds' media type for this viewer. */
function applyFeedView(key: string, request: IncomingMessage, headers: OutgoingHttpHeaders, statusCode: number): void {
  const accept = request.headers.accept;
  const vary = headers.Vary === undefined ? undefined : { value: String(headers.Vary) };
  const result = feedViewHandler({
    request: { uri: `/${key}`, headers: { accept: accept === undefined ? undefined : { value: accept } } },
    response: { statusCode, headers: { 'content-type': { value: String(headers['Content-Type']) }, vary } },
  });
  const contentType = result.headers['content-type']?.value;
  if (contentType !== undefined) headers['Content-Type'] = contentType;
  if (result.headers.vary !== undefined) headers.Vary = result.headers.vary.value;
}

function buildObjectHeaders(stored: StoredObject, compressible: boolean, encoding: Encoding | undefined): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = { 'Content-Type': stored.contentType };
  // A compressed body is another representation of the object: CloudFront marks its ETag weak.
  if (stored.etag) headers.ETag = encoding && !stored.etag.startsWith('W/') ? `W/${stored.etag}` : stored.etag;
  if (stored.lastModified) headers['Last-Modified'] = stored.lastModified.toUTCString();
  if (stored.cacheControl) headers['Cache-Control'] = stored.cacheControl;
  if (compressible) headers.Vary = 'Accept-Encoding';
  return headers;
}

/**
 * RFC 9110 section 13.2.2: If-None-Match (weak comparison) wins over If-Modified-Since,
 * which compares whole seconds because HTTP dates have no fractions.
 */
export function isNotModified(request: IncomingMessage, stored: Pick<StoredObject, 'etag' | 'lastModified'>): boolean {
  const noneMatch = request.headers['if-none-match'];
  if (noneMatch !== undefined) {
    if (!stored.etag) return false;
    const current = stripWeak(stored.etag);
    return noneMatch.split(',').some((tag) => tag.trim() === '*' || stripWeak(tag.trim()) === current);
  }
  const modifiedSince = request.headers['if-modified-since'];
  if (modifiedSince === undefined || !stored.lastModified) return false;
  const since = Date.parse(modifiedSince);
  if (Number.isNaN(since)) return false;
  return Math.floor(stored.lastModified.getTime() / 1000) * 1000 <= since;
}

function stripWeak(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}

/**
 * The media types CloudFront compresses (its documented list, text and structured types only).
 * `application/atom+xml` and `application/feed+json` are not on it: CloudFront serves those
 * uncompressed unless the publisher stores precompressed copies.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/ServingCompressedFiles.html
 */
const COMPRESSIBLE_TYPES: ReadonlySet<string> = new Set([
  'application/javascript', 'application/json', 'application/rss+xml', 'application/xhtml+xml',
  'application/xml', 'application/x-javascript', 'image/svg+xml', 'text/css', 'text/csv',
  'text/html', 'text/javascript', 'text/js', 'text/plain', 'text/richtext',
  'text/tab-separated-values', 'text/xml', 'text/x-component', 'text/x-java-source', 'text/x-script',
]);

function isCompressible(stored: StoredObject): boolean {
  if (stored.contentEncoding) return false;
  const size = stored.body.byteLength;
  if (size < MIN_COMPRESS_BYTES || size > MAX_COMPRESS_BYTES) return false;
  return COMPRESSIBLE_TYPES.has((stored.contentType.split(';', 1)[0] ?? '').trim().toLowerCase());
}

/** Picks `br` over `gzip` when both are acceptable, as CloudFront does; honours `q=0`. */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding | undefined {
  if (!acceptEncoding) return undefined;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    weights.set(name, q ? Number(q.slice(2)) : 1);
  }
  const acceptable = (name: Encoding): boolean => (weights.get(name) ?? weights.get('*') ?? 0) > 0;
  if (acceptable('br')) return 'br';
  if (acceptable('gzip')) return 'gzip';
  return undefined;
}

async function compressCached(cache: CompressedCache, key: string, stored: StoredObject, encoding: Encoding): Promise<Buffer> {
  if (!stored.etag) return compress(stored.body, encoding);
  const cacheKey = `${key}\n${stored.etag}\n${encoding}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const body = await compress(stored.body, encoding);
  // Oldest entry out first (a Map iterates in insertion order).
  if (cache.size >= COMPRESSED_CACHE_ENTRIES) cache.delete(cache.keys().next().value ?? '');
  cache.set(cacheKey, body);
  return body;
}

function compress(body: Uint8Array, encoding: Encoding): Promise<Buffer> {
  if (encoding === 'gzip') return gzipAsync(body);
  return brotliAsync(body, {
    params: { [zlibConstants.BROTLI_PARAM_SIZE_HINT]: body.byteLength, [zlibConstants.BROTLI_PARAM_QUALITY]: 5 },
  });
}

function sendText(response: ServerResponse, status: number, text: string): void {
  const body = `${text}\n`;
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}
