import { describe, expect, it } from 'vitest';
import { viewerRequestCode } from '../../infra/constructs/viewer-request-function.js';
import { UNSAFE_PATHS } from './unsafe-paths.js';

interface Request {
  uri: string;
  method?: string;
  headers: Record<string, { value: string }>;
}

/** A response the function answers itself. */
interface GeneratedResponse {
  statusCode: number;
  headers: Record<string, { value: string }>;
}

/** Loads the function source the way the CloudFront runtime does: a script defining `handler`. */
function loadHandler(): (event: { request: Request }) => Request {
  return new Function(`${viewerRequestCode()}\nreturn handler;`)() as (event: { request: Request }) => Request;
}

function request(uri: string, acceptEncoding?: string): { request: Request } {
  return { request: { uri, headers: acceptEncoding === undefined ? {} : { 'accept-encoding': { value: acceptEncoding } } } };
}

describe('viewerRequestCode', () => {
  const plain = loadHandler();

  it.each([
    ['/', '/index.html'],
    ['/articles/hello/', '/articles/hello/index.html'],
    ['/id/articles/halo/', '/id/articles/halo/index.html'],
  ])('maps the directory URL %s to %s', (uri, expected) => {
    // Act
    const result = plain(request(uri, 'br'));

    // Assess
    expect(result.uri).toBe(expected);
  });

  it.each(['/atom.xml', '/feed.json', '/id/feed.json', '/tags/go/archive/3/atom.xml', '/feeds.opml'])('rewrites %s to its Brotli variant when the viewer accepts both codings', (uri) => {
    // Act
    const result = plain(request(uri, 'gzip, deflate, br'));

    // Assess
    expect(result.uri).toBe(`${uri}.br`);
  });

  it.each([
    ['gzip', '/atom.xml.gz'],
    ['br;q=0, gzip', '/atom.xml.gz'],
    ['x-gzip', '/atom.xml.gz'],
    ['br;q=0.5, gzip;q=0.8', '/atom.xml.gz'],
    ['br;q=0.8, gzip;q=0.8', '/atom.xml.br'],
    ['*', '/atom.xml.br'],
    ['br;q=0, *;q=0.3', '/atom.xml.gz'],
    ['GZIP;Q=1', '/atom.xml.gz'],
  ])('picks the variant the viewer prefers for Accept-Encoding %j', (acceptEncoding, expected) => {
    // Act
    const result = plain(request('/atom.xml', acceptEncoding));

    // Assess
    expect(result.uri).toBe(expected);
  });

  it.each([undefined, '', 'identity', 'deflate', 'br;q=0, gzip;q=0', '*;q=0', 'gzip;q=0, br;q=0.000'])('serves identity for Accept-Encoding %j', (acceptEncoding) => {
    // Act
    const result = plain(request('/feed.json', acceptEncoding));

    // Assess
    expect(result.uri).toBe('/feed.json');
  });

  it.each(['/rss.xml', '/index.html', '/assets/site.css', '/sitemap.xml', '/data.json', '/feed.json.br', '/myatom.xml'])('leaves %s to CloudFront, which compresses it or has no variant of it', (uri) => {
    // Act
    const result = plain(request(uri, 'br, gzip'));

    // Assess
    expect(result.uri).toBe(uri);
  });

  it.each([
    ['/rss.xml', '/feed.html'],
    ['/id/feed.json', '/id/feed.html'],
    ['/tags/world/atom.xml', '/tags/world/feed.html'],
  ])('gives a browser asking for %s the feed view %s', (uri, expected) => {
    // Act
    const result = plain({ request: { uri, method: 'GET', headers: { accept: { value: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } } } });

    // Assess
    expect(result.uri).toBe(expected);
  });

  it('keeps the feed for a reader that prefers a feed type', () => {
    // Act
    const result = plain({ request: { uri: '/rss.xml', method: 'GET', headers: { accept: { value: 'application/rss+xml, text/html;q=0.1' } } } });

    // Assess
    expect(result.uri).toBe('/rss.xml');
  });

  it('never asks for a variant of a directory index page', () => {
    // Act
    const result = plain(request('/articles/hello/', 'br'));

    // Assess
    expect(result.uri).toBe('/articles/hello/index.html');
  });

  it.each(UNSAFE_PATHS)('refuses the raw path %s with 400, before any rewrite', (uri) => {
    // Act
    const result = plain(request(uri, 'br, gzip')) as unknown as GeneratedResponse;

    // Assess
    expect(result.statusCode).toBe(400);
    expect(result.headers['cache-control']?.value).toBe('no-store');
  });

  it.each(['/articles/hello.world/', '/tags/c.net/rss.xml', '/...', '/a..b/', '/%2e%2e%2e/'])('lets the plain name %s through', (uri) => {
    // Act
    const result = plain(request(uri));

    // Assess
    expect(result).not.toHaveProperty('statusCode');
  });
});
