import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PARTNER_TOKEN_PATTERN, partnerTokenKey } from '../../infra/constructs/partner-access.js';
import { gatedViewerRequestCode, viewerRequestCode } from '../../infra/constructs/viewer-request-function.js';
import { FakeKeyValueStore, loadCloudFrontFunction } from './cloudfront-function-runtime.js';
import { UNSAFE_PATHS } from './unsafe-paths.js';

interface Request {
  method: string;
  uri: string;
  headers: Record<string, { value: string }>;
}

/** A response the function answers itself (a refusal or a preflight answer). */
interface GeneratedResponse {
  statusCode: number;
  statusDescription: string;
  headers: Record<string, { value: string }>;
  body: { encoding: string; data: string };
}

type Result = Request | GeneratedResponse;

const TOKEN = 'k3Jd9x-Qw8ZpL2vNf7RtYb4HsMa6CeUo1Gi5Xy0Tn';
const OTHER_TOKEN = 'p0Lk9MjN8hBg7VfC6xDz5SaQ4wEr3TyU2iOp1AsDf';

function gate(options: { header?: string; store?: FakeKeyValueStore } = {}) {
  const store = options.store ?? new FakeKeyValueStore({ [partnerTokenKey(TOKEN)]: 'Example Partner, 2026-11' });
  const code = gatedViewerRequestCode(options.header ?? 'x-feed-token');
  const handler = loadCloudFrontFunction<{ request: Request }, Promise<Result>>(code, store);
  return { store, handle: (request: Request) => handler({ request }) };
}

function request(uri: string, headers: Record<string, string> = {}, method = 'GET'): Request {
  return { method, uri, headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, { value }])) };
}

function isGenerated(result: Result): result is GeneratedResponse {
  return 'statusCode' in result;
}

describe('gatedViewerRequestCode', () => {
  it.each(['/feed.json', '/fr/feed.json', '/tags/world-news/feed.json', '/tags/world-news/archive/3/feed.json'])(
    'lets a request for %s with a stored token through, without the token header',
    async (uri) => {
      // Prepare
      const { store, handle } = gate();

      // Act
      const result = await handle(request(uri, { 'x-feed-token': TOKEN, accept: 'application/feed+json' }));

      // Assess
      expect(isGenerated(result)).toBe(false);
      expect(result).toEqual({ method: 'GET', uri, headers: { accept: { value: 'application/feed+json' } } });
      expect(store.lookups).toEqual([partnerTokenKey(TOKEN)]);
    },
  );

  it('refuses a JSON Feed request without a token with a 403 JSON body and no challenge', async () => {
    // Prepare
    const { store, handle } = gate();

    // Act
    const result = await handle(request('/feed.json'));

    // Assess
    expect(isGenerated(result) && result.statusCode).toBe(403);
    const refusal = result as GeneratedResponse;
    expect(refusal.headers['content-type']?.value).toBe('application/json; charset=utf-8');
    expect(refusal.headers['cache-control']?.value).toBe('no-store');
    expect(Object.keys(refusal.headers)).not.toContain('www-authenticate');
    expect(JSON.parse(refusal.body.data)).toEqual({ error: 'forbidden', message: 'This feed needs a partner token in the x-feed-token header.' });
    expect(store.lookups).toEqual([]);
  });

  it('refuses a well-formed token that is not in the store', async () => {
    // Prepare
    const { store, handle } = gate();

    // Act
    const result = await handle(request('/feed.json', { 'x-feed-token': OTHER_TOKEN }));

    // Assess
    expect(isGenerated(result) && result.statusCode).toBe(403);
    expect(JSON.parse((result as GeneratedResponse).body.data).message).toBe('This partner token is not valid.');
    expect(store.lookups).toEqual([partnerTokenKey(OTHER_TOKEN)]);
  });

  it('looks tokens up by digest, so the stored token itself never matches', async () => {
    // Prepare: a store holding the plain token as a key (an operator mistake).
    const { handle } = gate({ store: new FakeKeyValueStore({ [TOKEN]: 'plain' }) });

    // Act
    const result = await handle(request('/feed.json', { 'x-feed-token': TOKEN }));

    // Assess
    expect(isGenerated(result) && result.statusCode).toBe(403);
  });

  it.each([
    ['too short', 'abc123'],
    ['with spaces', `${TOKEN.slice(0, 20)} ${TOKEN.slice(20)}`],
    ['too long', 'a'.repeat(257)],
  ])('refuses a token %s without reading the store', async (_case, token) => {
    // Prepare
    const { store, handle } = gate();

    // Act
    const result = await handle(request('/feed.json', { 'x-feed-token': token }));

    // Assess
    expect(isGenerated(result) && result.statusCode).toBe(403);
    expect(store.lookups).toEqual([]);
  });

  it('refuses a HEAD request without a token, since its headers describe the feed', async () => {
    // Act
    const result = await gate().handle(request('/feed.json', {}, 'HEAD'));

    // Assess
    expect(isGenerated(result) && result.statusCode).toBe(403);
  });

  it('answers a CORS preflight for a JSON path itself, allowing the token header', async () => {
    // Prepare
    const { store, handle } = gate();
    const preflight = request('/feed.json', { origin: 'https://reader.example', 'access-control-request-headers': 'x-feed-token' }, 'OPTIONS');

    // Act
    const result = await handle(preflight);

    // Assess
    expect(isGenerated(result) && result.statusCode).toBe(204);
    const headers = (result as GeneratedResponse).headers;
    expect(headers['access-control-allow-origin']?.value).toBe('*');
    expect(headers['access-control-allow-methods']?.value).toBe('GET, HEAD, OPTIONS');
    expect(headers['access-control-allow-headers']?.value.split(', ')).toContain('x-feed-token');
    expect(store.lookups).toEqual([]);
  });

  it('routes OPTIONS on other paths as before', async () => {
    // Prepare
    const options = request('/rss.xml', {}, 'OPTIONS');

    // Act
    const result = await gate().handle(options);

    // Assess
    expect(result).toEqual(options);
  });

  it.each(['/feed%2Ejson', '/fr/feed%2ejson', '/%66eed.json', '/bad%E0%A4%Apath.json', '/broken%'])(
    'refuses %s, which S3 would decode to a JSON path or cannot decode, without a token',
    async (uri) => {
      // Act
      const result = await gate().handle(request(uri));

      // Assess
      expect(isGenerated(result) && result.statusCode).toBe(403);
    },
  );

  it.each(UNSAFE_PATHS)('refuses the raw path %s with 400 before the token gate, even with a valid token', async (uri) => {
    // Prepare
    const { store, handle } = gate();

    // Act
    const result = await handle(request(uri, { 'x-feed-token': TOKEN }));

    // Assess
    expect(isGenerated(result) && result.statusCode).toBe(400);
    expect(store.lookups).toEqual([]);
  });

  it.each(['/feed.json.br', '/fr/feed.json.gz'])('refuses a request for the stored encoding %s even with a valid token', async (uri) => {
    // Act
    const result = await gate().handle(request(uri, { 'x-feed-token': TOKEN }));

    // Assess
    expect(isGenerated(result) && result.statusCode).toBe(403);
  });

  it.each([
    ['/rss.xml', '/rss.xml'],
    ['/fr/atom.xml', '/fr/atom.xml'],
    ['/', '/index.html'],
    ['/articles/hello/', '/articles/hello/index.html'],
    ['/assets/site.css', '/assets/site.css'],
    ['/tags/json', '/tags/json'],
  ])('routes the public path %s to %s without a token or a store read', async (uri, expected) => {
    // Prepare
    const { store, handle } = gate();

    // Act
    const result = await handle(request(uri));

    // Assess
    expect(isGenerated(result)).toBe(false);
    expect((result as Request).uri).toBe(expected);
    expect(store.lookups).toEqual([]);
  });

  it('gives a browser the feed view of an XML feed without a token or a store read', async () => {
    // Prepare
    const { store, handle } = gate();

    // Act
    const result = await handle(request('/fr/rss.xml', { accept: 'text/html,application/xml;q=0.9' }));

    // Assess
    expect((result as Request).uri).toBe('/fr/feed.html');
    expect(store.lookups).toEqual([]);
  });

  it('refuses a browser without a token on the JSON Feed rather than showing it the view', async () => {
    // Act
    const result = await gate().handle(request('/feed.json', { accept: 'text/html' }));

    // Assess
    expect(isGenerated(result) && result.statusCode).toBe(403);
  });

  it('passes a valid request on to the stored variant the partner accepts, after the gate', async () => {
    // Act
    const result = await gate().handle(request('/feed.json', { 'x-feed-token': TOKEN, 'accept-encoding': 'gzip, br' }));

    // Assess
    expect((result as Request).uri).toBe('/feed.json.br');
  });

  it('refuses a compressed request without a token before choosing a variant', async () => {
    // Act
    const result = await gate().handle(request('/feed.json', { 'accept-encoding': 'gzip' }));

    // Assess
    expect(isGenerated(result) && result.statusCode).toBe(403);
  });

  it('gives public Atom its Gzip variant without a token', async () => {
    // Act
    const result = await gate().handle(request('/fr/atom.xml', { 'accept-encoding': 'gzip' }));

    // Assess
    expect((result as Request).uri).toBe('/fr/atom.xml.gz');
  });

  it('reads the token from the configured header', async () => {
    // Prepare
    const { handle } = gate({ header: 'X-Partner-Key' });

    // Act
    const named = await handle(request('/feed.json', { 'x-partner-key': TOKEN }));
    const defaultName = await handle(request('/feed.json', { 'x-feed-token': TOKEN }));

    // Assess
    expect(isGenerated(named)).toBe(false);
    expect(isGenerated(defaultName) && defaultName.statusCode).toBe(403);
  });

  it('fails closed when the store cannot be read (CloudFront answers 503)', async () => {
    // Prepare
    const { handle } = gate({ store: new FakeKeyValueStore({}, new Error('store unavailable')) });

    // Act / Assess
    await expect(handle(request('/feed.json', { 'x-feed-token': TOKEN }))).rejects.toThrow('store unavailable');
  });

  it('opens the associated store without naming it, so the code holds no id', () => {
    // Prepare
    const { store } = gate();

    // Act
    const code = gatedViewerRequestCode('x-feed-token');

    // Assess
    expect(store.handleIds).toEqual([]);
    expect(code).toContain('cf.kvs()');
  });

  it('parses as an ES module, imports included, as cloudfront-js-2.0 reads it', () => {
    // Prepare
    const folder = mkdtempSync(join(tmpdir(), 'partner-gate-'));
    const file = join(folder, 'function.mjs');
    writeFileSync(file, gatedViewerRequestCode('x-feed-token'));

    // Act
    const check = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
    rmSync(folder, { recursive: true, force: true });

    // Assess
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('fits the 10 KB CloudFront Functions code limit', () => {
    // Act
    const size = Buffer.byteLength(gatedViewerRequestCode('x-feed-token'));

    // Assess
    expect(size).toBeLessThan(10 * 1024);
  });

  it('leaves the ungated function free of imports and store reads', () => {
    // Act
    const code = viewerRequestCode();

    // Assess
    expect(code).not.toMatch(/import|kvs|x-feed-token/);
  });
});

describe('partnerTokenKey', () => {
  it('is the lower-case hex SHA-256 digest that `sha256sum` prints', () => {
    // Act
    const key = partnerTokenKey('abc');

    // Assess: the FIPS 180-2 test vector for "abc".
    expect(key).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('accepts the tokens `openssl rand -hex 32` and `openssl rand -base64 33` print', () => {
    // Assess
    expect(PARTNER_TOKEN_PATTERN.test('0123456789abcdef'.repeat(4))).toBe(true);
    expect(PARTNER_TOKEN_PATTERN.test('q83v+/Xy0Tn1AsDfk3Jd9xQw8ZpL2vNf7RtYb4HsMa6CeUo1')).toBe(true);
  });
});
