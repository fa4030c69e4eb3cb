import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { S3Client } from '@aws-sdk/client-s3';
import { PAGE_CONTENT_SECURITY_POLICY } from '../lambdas/core/pages/page-template.js';
import { PRIVATE_SITE_PREFIX } from '../infra/constructs/feed-distribution.js';
import { applyFeedView, rewriteFeedView } from './edge-feed-view.js';
import { EdgeCache, type EdgeCacheOutcome } from './edge-cache.js';
import { chooseEncoding, CompressedBodies, isCompressible, representationEtag, type Encoding } from './edge-encoding.js';
import { createOriginReader, type StoredObject } from './edge-origin.js';

/**
 * A small stand-in for the CloudFront distribution in front of the site bucket: it caches
 * objects as the distribution's cache policy says (edge-cache.ts), serves them with their
 * stored headers, answers conditional requests itself, compresses every text type in gzip or
 * Brotli (edge-encoding.ts) and adds the response headers the distribution's policy adds.
 */

/** Options of {@link startEdge}. */
export interface EdgeOptions {
  /** Client for the S3 API that holds the site bucket. */
  readonly s3: S3Client;
  readonly bucket: string;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default 0 - a free port chosen by the system */
  readonly port?: number;
  /** Told how each origin-backed read went: a cache hit, a miss, a 304 revalidation... */
  readonly onCacheRead?: (key: string, outcome: EdgeCacheOutcome) => void;
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
  const server = createServer(createEdgeListener(options.s3, options.bucket, options.onCacheRead));
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
  onCacheRead?: (key: string, outcome: EdgeCacheOutcome) => void,
): (request: IncomingMessage, response: ServerResponse) => void {
  const edge: EdgeState = { cache: new EdgeCache(createOriginReader(s3, bucket), onCacheRead), compressed: new CompressedBodies() };
  return (request, response) => {
    serveRequest(edge, request, response).catch(() => {
      if (!response.headersSent) sendText(response, 502, 'Bad Gateway');
      else response.destroy();
    });
  };
}

interface EdgeState {
  readonly cache: EdgeCache;
  readonly compressed: CompressedBodies;
}

async function serveRequest(edge: EdgeState, request: IncomingMessage, response: ServerResponse): Promise<void> {
  // Behaviours and their headers are chosen on the path as asked, before the function runs.
  const asked = resolveObjectKey(request.url ?? '/');
  const key = resolveObjectKey(rewriteFeedView(request));
  // Matched on the decoded key, so `/feed%2Ejson` gets the JSON Feed headers like `/feed.json`.
  const headers = policyHeadersFor(asked ?? (request.url ?? '/').split(/[?#]/, 1)[0] ?? '/');
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
  const stored = await edge.cache.read(key);
  if (!stored) {
    sendText(response, 404, 'Not Found');
    return;
  }
  await sendObject(request, response, key, stored, edge.compressed, asked ?? key);
}

/**
 * The distribution's response headers policies, chosen by the same path patterns as its cache
 * behaviours: `*.json` (JSON Feed, with CORS for browser-based readers on other origins) and
 * everything else (pages, feeds and feed views), all under the pages' security policy. HSTS is
 * left out: browsers ignore it over plain HTTP.
 */
export function policyHeadersFor(keyOrPath: string): Record<string, string> {
  const headers: Record<string, string> = {
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Content-Security-Policy': PAGE_CONTENT_SECURITY_POLICY,
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

async function sendObject(
  request: IncomingMessage,
  response: ServerResponse,
  key: string,
  stored: StoredObject,
  compressed: CompressedBodies,
  askedKey: string,
): Promise<void> {
  const compressible = isCompressible(stored);
  const encoding = compressible ? chooseEncoding(request.headers['accept-encoding']) : undefined;
  const headers = buildObjectHeaders(stored, compressible, encoding);
  const etag = stored.etag === undefined ? undefined : representationEtag(stored.etag, encoding);
  if (isNotModified(request, { etag, lastModified: stored.lastModified })) {
    applyFeedView(askedKey, headers, 304);
    delete headers['Content-Type'];
    response.writeHead(304, headers).end();
    return;
  }
  applyFeedView(askedKey, headers, 200);
  const body = encoding ? await compressed.get(key, stored, encoding) : stored.body;
  headers['Content-Length'] = body.byteLength;
  if (encoding) headers['Content-Encoding'] = encoding;
  else if (stored.contentEncoding) headers['Content-Encoding'] = stored.contentEncoding;
  response.writeHead(200, headers);
  response.end(request.method === 'HEAD' ? undefined : body);
}

function buildObjectHeaders(stored: StoredObject, compressible: boolean, encoding: Encoding | undefined): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = { 'Content-Type': stored.contentType };
  // Each coding is its own representation, with its own ETag.
  if (stored.etag) headers.ETag = representationEtag(stored.etag, encoding);
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

function sendText(response: ServerResponse, status: number, text: string): void {
  const body = `${text}\n`;
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}
