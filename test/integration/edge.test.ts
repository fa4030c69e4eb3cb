import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHE_CONTROL_ARCHIVE, CACHE_CONTROL_FEED, EDGE_TTL_SECONDS, FEED_FORMATS, contentTypeFor } from '../../lambdas/core/plan/outputs.js';
import { PAGE_CONTENT_SECURITY_POLICY } from '../../lambdas/core/pages/page-template.js';
import { createEdgeListener, startEdge, type RunningEdge } from '../../local/edge.js';
import type { EdgeCacheOutcome } from '../../local/edge-cache.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalS3Client, startS3Server, type RunningS3Server } from '../../local/s3-server.js';

const SITE_BUCKET = 'edge-site';
const CONTENT_BUCKET = 'edge-content';
const SECRET = 'secret-content-bucket-object';

/** An RSS body large enough (> 1,000 bytes) for CloudFront-style compression. */
const RSS_BODY = `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Edge</title>${'<item><title>Item</title></item>'.repeat(80)}</channel></rss>\n`;
const ATOM_BODY = `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>Edge</title>${'<entry><title>Entry</title></entry>'.repeat(80)}</feed>\n`;
const JSON_BODY = JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'Edge', items: [] });
const VIEW_BODY = `<!DOCTYPE html><title>Feed: Edge</title>${'<li>Item</li>'.repeat(80)}`;
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** One text document of each other type the site serves, keyed by object key. */
const TEXT_DOCUMENTS: Readonly<Record<string, string>> = {
  'feeds.opml': `<?xml version="1.0" encoding="utf-8"?>\n<opml version="2.0"><head><title>Feeds</title></head><body>${'<outline type="rss" text="Edge"/>'.repeat(20)}</body></opml>\n`,
  'assets/site.css': `body { font-family: system-ui; }\n${'p { margin: 0 0 1em; }\n'.repeat(30)}`,
  'sitemap.xml': `<?xml version="1.0" encoding="utf-8"?>\n<urlset>${'<url><loc>https://example.com/</loc></url>'.repeat(20)}</urlset>\n`,
  'data.json': JSON.stringify({ items: Array.from({ length: 40 }, (_, index) => ({ index })) }),
  'about/index.html': `<!doctype html><title>About</title>${'<p>About the site.</p>'.repeat(40)}`,
};

/** Waits `ms` milliseconds. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** Sends the target exactly as given (fetch would normalise dot segments away). */
function sendRaw(base: string, target: string, method = 'GET', headers: Record<string, string> = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path: target, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startEdge', () => {
  let directory: string;
  let s3Server: RunningS3Server;
  let s3: S3Client;
  let edge: RunningEdge;
  const cacheReads: [string, EdgeCacheOutcome][] = [];

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'edge-test-'));
    s3Server = await startS3Server({ directory, buckets: [SITE_BUCKET, CONTENT_BUCKET] });
    s3 = createLocalS3Client(s3Server.endpoint);
    const put = (Bucket: string, Key: string, Body: string, ContentType: string, CacheControl?: string) =>
      s3.send(new PutObjectCommand({ Bucket, Key, Body, ContentType, CacheControl }));
    await put(SITE_BUCKET, FEED_FORMATS.rss.file, RSS_BODY, FEED_FORMATS.rss.contentType, CACHE_CONTROL_FEED);
    await put(SITE_BUCKET, FEED_FORMATS.atom.file, ATOM_BODY, FEED_FORMATS.atom.contentType, CACHE_CONTROL_FEED);
    await put(SITE_BUCKET, FEED_FORMATS.json.file, JSON_BODY, FEED_FORMATS.json.contentType, CACHE_CONTROL_FEED);
    await put(SITE_BUCKET, 'feed.html', VIEW_BODY, 'text/html; charset=utf-8', CACHE_CONTROL_FEED);
    await put(SITE_BUCKET, 'index.html', '<!doctype html><title>Home</title>', 'text/html; charset=utf-8');
    await put(SITE_BUCKET, 'fr/index.html', '<!doctype html><title>Accueil</title>', 'text/html; charset=utf-8');
    for (const [key, body] of Object.entries(TEXT_DOCUMENTS)) await put(SITE_BUCKET, key, body, contentTypeFor(key), CACHE_CONTROL_FEED);
    await put(CONTENT_BUCKET, 'site.yaml', SECRET, 'application/yaml');
    edge = await startEdge({ s3, bucket: SITE_BUCKET, onCacheRead: (key, outcome) => cacheReads.push([key, outcome]) });
  });

  afterAll(async () => {
    await edge?.close();
    s3?.destroy();
    await s3Server?.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('serves the stored media type, ETag, Last-Modified and Cache-Control', async () => {
    // Prepare
    const url = `${edge.url}rss.xml`;

    // Act
    const response = await sendRaw(url, '/rss.xml');

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(FEED_FORMATS.rss.contentType);
    expect(response.headers.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(Date.parse(String(response.headers['last-modified']))).not.toBeNaN();
    expect(response.headers['cache-control']).toBe(CACHE_CONTROL_FEED);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.body.toString('utf8')).toBe(RSS_BODY);
  });

  it.each(['rss.xml', 'atom.xml', 'feed.json'])('serves the feed view to a browser asking for %s and the feed to a reader', async (key) => {
    // Prepare
    const readerAccept = 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.8';

    // Act
    const browser = await sendRaw(edge.url, `/${key}`, 'GET', { Accept: BROWSER_ACCEPT });
    const reader = await sendRaw(edge.url, `/${key}`, 'GET', { Accept: readerAccept });

    // Assess: two stored objects behind one URL, and caches told they depend on Accept
    const format = Object.values(FEED_FORMATS).find((candidate) => candidate.file === key);
    expect(browser.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(browser.body.toString('utf8')).toBe(VIEW_BODY);
    expect(reader.headers['content-type']).toBe(format?.contentType);
    expect(reader.body.toString('utf8')).not.toContain('<!DOCTYPE html>');
    for (const response of [browser, reader]) expect(String(response.headers.vary)).toMatch(/(^|, )Accept($|,)/);
  });

  it('answers 304 to a browser revalidating the feed view at the feed URL with the view ETag', async () => {
    // Prepare
    const first = await sendRaw(edge.url, '/rss.xml', 'GET', { Accept: BROWSER_ACCEPT });

    // Act
    const again = await sendRaw(edge.url, '/rss.xml', 'GET', { Accept: BROWSER_ACCEPT, 'If-None-Match': String(first.headers.etag) });
    const reader = await sendRaw(edge.url, '/rss.xml', 'GET', { 'If-None-Match': String(first.headers.etag) });

    // Assess: the view's ETag never validates the feed
    expect(again.status).toBe(304);
    expect(reader.status).toBe(200);
  });

  it('adds no Vary: Accept to pages', async () => {
    // Act
    const page = await sendRaw(edge.url, '/', 'GET', { Accept: BROWSER_ACCEPT });

    // Assess
    expect(String(page.headers.vary ?? '')).not.toMatch(/(^|, )Accept($|,)/);
  });

  it('answers 304 to If-None-Match with the current ETag', async () => {
    // Prepare
    const first = await sendRaw(edge.url, '/rss.xml');

    // Act
    const second = await sendRaw(edge.url, '/rss.xml', 'GET', { 'If-None-Match': String(first.headers.etag) });

    // Assess
    expect(second.status).toBe(304);
    expect(second.body.byteLength).toBe(0);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.headers['cache-control']).toBe(CACHE_CONTROL_FEED);
  });

  it('answers 200 to If-None-Match with another ETag', async () => {
    // Act
    const response = await sendRaw(edge.url, '/rss.xml', 'GET', { 'If-None-Match': '"0123456789abcdef0123456789abcdef"' });

    // Assess
    expect(response.status).toBe(200);
    expect(response.body.toString('utf8')).toBe(RSS_BODY);
  });

  it('answers 304 to If-Modified-Since at or after Last-Modified and 200 before it', async () => {
    // Prepare
    const first = await sendRaw(edge.url, '/rss.xml');
    const lastModified = String(first.headers['last-modified']);
    const earlier = new Date(Date.parse(lastModified) - 60_000).toUTCString();

    // Act
    const same = await sendRaw(edge.url, '/rss.xml', 'GET', { 'If-Modified-Since': lastModified });
    const before = await sendRaw(edge.url, '/rss.xml', 'GET', { 'If-Modified-Since': earlier });

    // Assess
    expect(same.status).toBe(304);
    expect(before.status).toBe(200);
  });

  it('compresses with gzip when asked and the body decodes back equal', async () => {
    // Act
    const response = await sendRaw(edge.url, '/rss.xml', 'GET', { 'Accept-Encoding': 'gzip' });

    // Assess
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers.vary).toBe('Accept-Encoding, Accept');
    expect(gunzipSync(response.body).toString('utf8')).toBe(RSS_BODY);
    expect(response.body.byteLength).toBeLessThan(Buffer.byteLength(RSS_BODY));
  });

  it('prefers br when both are accepted and the body decodes back equal', async () => {
    // Act
    const response = await sendRaw(edge.url, '/rss.xml', 'GET', { 'Accept-Encoding': 'gzip, deflate, br' });

    // Assess
    expect(response.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(response.body).toString('utf8')).toBe(RSS_BODY);
  });

  it.each([
    ['atom.xml', ATOM_BODY],
    ['feed.json', JSON_BODY],
    ...Object.entries(TEXT_DOCUMENTS),
  ])('compresses %s in br and gzip, each decoding to the identity bytes', async (key, body) => {
    // Act
    const br = await sendRaw(edge.url, `/${key}`, 'GET', { 'Accept-Encoding': 'br' });
    const gzip = await sendRaw(edge.url, `/${key}`, 'GET', { 'Accept-Encoding': 'gzip' });
    const identity = await sendRaw(edge.url, `/${key}`, 'GET', { 'Accept-Encoding': 'identity' });

    // Assess
    expect([br.headers['content-encoding'], gzip.headers['content-encoding'], identity.headers['content-encoding']]).toEqual(['br', 'gzip', undefined]);
    expect(identity.body.toString('utf8')).toBe(body);
    expect(brotliDecompressSync(br.body).equals(identity.body)).toBe(true);
    expect(gunzipSync(gzip.body).equals(identity.body)).toBe(true);
    for (const response of [br, gzip, identity]) expect(String(response.headers.vary)).toMatch(/(^|, )Accept-Encoding($|,)/);
  });

  it('adds the page Content-Security-Policy to feeds, feed views and pages, with framing denied', async () => {
    // Act
    const rss = await sendRaw(edge.url, '/rss.xml');
    const view = await sendRaw(edge.url, '/rss.xml', 'GET', { Accept: BROWSER_ACCEPT });
    const page = await sendRaw(edge.url, '/');

    // Assess
    expect(rss.headers['content-security-policy']).toBe(PAGE_CONTENT_SECURITY_POLICY);
    expect(view.headers['content-security-policy']).toBe(PAGE_CONTENT_SECURITY_POLICY);
    expect(page.headers['content-security-policy']).toBe(PAGE_CONTENT_SECURITY_POLICY);
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  });

  it('sends the identity body when the client refuses every encoding', async () => {
    // Act
    const response = await sendRaw(edge.url, '/rss.xml', 'GET', { 'Accept-Encoding': 'br;q=0, gzip;q=0' });

    // Assess
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.body.toString('utf8')).toBe(RSS_BODY);
  });

  it('gives each representation its own ETag and answers 304 to each one revalidated with it', async () => {
    // Prepare
    const encodings = ['br', 'gzip', 'identity'];
    const first = await Promise.all(encodings.map((coding) => sendRaw(edge.url, '/feed.json', 'GET', { 'Accept-Encoding': coding })));
    const etags = first.map((response) => String(response.headers.etag));

    // Act
    const again = await Promise.all(encodings.map((coding, index) => sendRaw(edge.url, '/feed.json', 'GET', { 'Accept-Encoding': coding, 'If-None-Match': etags[index]! })));

    // Assess
    expect(new Set(etags).size).toBe(3);
    expect(again.map((response) => response.status)).toEqual([304, 304, 304]);
    expect(again.map((response) => response.headers.etag)).toEqual(etags);
  });

  it('answers 200 when a compressed representation is revalidated with the identity ETag', async () => {
    // Prepare
    const identity = await sendRaw(edge.url, '/atom.xml', 'GET', { 'Accept-Encoding': 'identity' });

    // Act
    const br = await sendRaw(edge.url, '/atom.xml', 'GET', { 'Accept-Encoding': 'br', 'If-None-Match': String(identity.headers.etag) });

    // Assess
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
  });

  it('serves a warm copy for EDGE_TTL_SECONDS, then revalidates with S3 (304) and serves a new version', async () => {
    // Prepare: a feed cached at the edge
    const key = 'fresh/rss.xml';
    const put = (body: string) => s3.send(new PutObjectCommand({ Bucket: SITE_BUCKET, Key: key, Body: body, ContentType: FEED_FORMATS.rss.contentType, CacheControl: CACHE_CONTROL_FEED }));
    await put('<rss>first</rss>');
    cacheReads.length = 0;
    await sendRaw(edge.url, `/${key}`);

    // Act: a new version written while the copy is warm, then read before and after the TTL
    await put('<rss>second</rss>');
    const warm = await sendRaw(edge.url, `/${key}`);
    await sleep(EDGE_TTL_SECONDS * 1000 + 100);
    const expired = await sendRaw(edge.url, `/${key}`);
    await sleep(EDGE_TTL_SECONDS * 1000 + 100);
    const unchanged = await sendRaw(edge.url, `/${key}`);

    // Assess: the edge caches like CloudFront, and the bound holds
    expect(warm.body.toString('utf8')).toBe('<rss>first</rss>');
    expect(expired.body.toString('utf8')).toBe('<rss>second</rss>');
    expect(unchanged.body.toString('utf8')).toBe('<rss>second</rss>');
    expect(cacheReads.filter(([read]) => read === key).map(([, outcome]) => outcome)).toEqual(['miss', 'hit', 'refreshed', 'revalidated']);
  });

  it('keeps an archive page for its long lifetime', async () => {
    // Prepare
    const key = 'archive/1/rss.xml';
    const put = (body: string) => s3.send(new PutObjectCommand({ Bucket: SITE_BUCKET, Key: key, Body: body, ContentType: FEED_FORMATS.rss.contentType, CacheControl: CACHE_CONTROL_ARCHIVE }));
    await put('<rss>page one</rss>');
    await sendRaw(edge.url, `/${key}`);

    // Act
    await put('<rss>page one, relinked</rss>');
    await sleep(EDGE_TTL_SECONDS * 1000 + 100);
    const later = await sendRaw(edge.url, `/${key}`);

    // Assess
    expect(later.body.toString('utf8')).toBe('<rss>page one</rss>');
  });

  it('allows any origin on JSON Feed only', async () => {
    // Act
    const json = await sendRaw(edge.url, '/feed.json');
    const rss = await sendRaw(edge.url, '/rss.xml');

    // Assess
    expect(json.headers['access-control-allow-origin']).toBe('*');
    expect(JSON.parse(json.body.toString('utf8'))).toEqual(JSON.parse(JSON_BODY));
    expect(rss.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('gives a percent-encoded JSON Feed path the same CORS header', async () => {
    // Act
    const response = await sendRaw(edge.url, '/feed%2Ejson');

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe('*');
  });

  it('retries an origin read that fails or stalls, as CloudFront retries its origin', async () => {
    // Prepare: an origin whose first read hangs and second read fails
    let calls = 0;
    const flaky = {
      send: (command: unknown, options?: { abortSignal?: AbortSignal }) => {
        calls += 1;
        if (calls === 1) {
          return new Promise((_resolve, reject) => options?.abortSignal?.addEventListener('abort', () => reject(new Error('aborted'))));
        }
        if (calls === 2) return Promise.reject(new Error('socket hang up'));
        return s3.send(command as Parameters<S3Client['send']>[0]);
      },
    } as unknown as S3Client;
    const server = createServer(createEdgeListener(flaky, SITE_BUCKET));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;

    // Act
    const response = await sendRaw(`http://127.0.0.1:${port}/`, '/rss.xml');
    server.close();

    // Assess
    expect(response.status).toBe(200);
    expect(response.body.toString('utf8')).toBe(RSS_BODY);
    expect(calls).toBe(3);
  });

  it('refuses the private catalog prefix with 403, as the distribution does', async () => {
    // Prepare
    await s3.send(new PutObjectCommand({ Bucket: SITE_BUCKET, Key: '_catalog/catalog.json', Body: '{}', ContentType: 'application/json' }));

    // Act
    const direct = await sendRaw(edge.url, '/_catalog/catalog.json');
    const encoded = await sendRaw(edge.url, '/%5Fcatalog/catalog.json');

    // Assess
    expect(direct.status).toBe(403);
    expect(encoded.status).toBe(403);
    expect(direct.body.toString('utf8')).not.toContain('{}');
  });

  it('answers 404 with a short text body for a missing key', async () => {
    // Act
    const response = await sendRaw(edge.url, '/missing.xml');

    // Assess
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.body.toString('utf8')).toBe('Not Found\n');
  });

  it('serves index.html for the root and for a folder', async () => {
    // Act
    const root = await sendRaw(edge.url, '/');
    const folder = await sendRaw(edge.url, '/fr/');
    const missingFolder = await sendRaw(edge.url, '/de/');

    // Assess
    expect(root.body.toString('utf8')).toContain('<title>Home</title>');
    expect(folder.body.toString('utf8')).toContain('<title>Accueil</title>');
    expect(missingFolder.status).toBe(404);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    // Act
    const head = await sendRaw(edge.url, '/rss.xml', 'HEAD');

    // Assess
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(RSS_BODY)));
    expect(head.headers['content-type']).toBe(FEED_FORMATS.rss.contentType);
    expect(head.body.byteLength).toBe(0);
  });

  it.each(['POST', 'PUT', 'DELETE', 'OPTIONS'])('answers 405 to %s', async (method) => {
    // Act
    const response = await sendRaw(edge.url, '/rss.xml', method);

    // Assess
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD');
  });

  it.each([
    `/../${CONTENT_BUCKET}/site.yaml`,
    `/%2e%2e/${CONTENT_BUCKET}/site.yaml`,
    `/..%2f${CONTENT_BUCKET}%2fsite.yaml`,
    `/fr/..%2F..%2F${CONTENT_BUCKET}/site.yaml`,
    `/..%5c${CONTENT_BUCKET}%5csite.yaml`,
    '/rss.xml%00',
    '/%E0%A4%A',
    '/fr%2Findex.html',
    '//rss.xml',
  ])('refuses the path traversal or malformed target %s', async (target) => {
    // Act
    const response = await sendRaw(edge.url, target);

    // Assess: 400 as the viewer-request function answers, even where the decoded path names a stored object
    expect(response.status).toBe(400);
    expect(response.body.toString('utf8')).not.toContain(SECRET);
  });
});
