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

  it.each(['/atom.xml', '/feed.json', '/id/feed.json', '/rss.xml', '/feeds.opml'])('leaves %s as it is, whatever the viewer accepts', (uri) => {
    // Act
    const result = plain(request(uri, 'br, gzip'));

    // Assess: no precompressed sibling is asked for, since the publisher writes none
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
