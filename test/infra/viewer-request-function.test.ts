import { describe, expect, it } from 'vitest';
import { viewerRequestCode } from '../../infra/constructs/viewer-request-function.js';
import { UNSAFE_PATHS } from './unsafe-paths.js';

interface Request {
  uri: string;
  headers: Record<string, { value: string }>;
}

/** A response the function answers itself. */
interface GeneratedResponse {
  statusCode: number;
  headers: Record<string, { value: string }>;
}

/** Loads the function source the way the CloudFront runtime does: a script defining `handler`. */
function loadHandler(precompressed: boolean): (event: { request: Request }) => Request {
  return new Function(`${viewerRequestCode(precompressed)}\nreturn handler;`)() as (event: { request: Request }) => Request;
}

function request(uri: string, acceptEncoding?: string): { request: Request } {
  return { request: { uri, headers: acceptEncoding === undefined ? {} : { 'accept-encoding': { value: acceptEncoding } } } };
}

describe('viewerRequestCode', () => {
  const precompressed = loadHandler(true);
  const plain = loadHandler(false);

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

  it.each([
    ['/atom.xml', 'gzip, deflate, br', '/atom.xml.br'],
    ['/feed.json', 'gzip, deflate', '/feed.json.gz'],
    ['/id/feed.json', 'br;q=1.0, gzip;q=0.8', '/id/feed.json.br'],
    ['/atom.xml', 'br;q=0, gzip', '/atom.xml.gz'],
    ['/feed.json', 'identity', '/feed.json'],
    ['/feed.json', 'gzip;q=0', '/feed.json'],
  ])('serves %s with Accept-Encoding "%s" from %s', (uri, acceptEncoding, expected) => {
    // Act
    const result = precompressed(request(uri, acceptEncoding));

    // Assess
    expect(result.uri).toBe(expected);
  });

  it('leaves a feed alone when the viewer sends no Accept-Encoding', () => {
    // Act
    const result = precompressed(request('/atom.xml'));

    // Assess
    expect(result.uri).toBe('/atom.xml');
  });

  it.each(['/rss.xml', '/feed.xsl', '/assets/site.css', '/notatom.xml', '/feed.json.br'])('leaves %s to CloudFront compression', (uri) => {
    // Act
    const result = precompressed(request(uri, 'br, gzip'));

    // Assess
    expect(result.uri).toBe(uri);
  });

  it('never rewrites feeds when precompressed variants are off', () => {
    // Act
    const result = plain(request('/feed.json', 'br, gzip'));

    // Assess
    expect(result.uri).toBe('/feed.json');
  });

  it.each(UNSAFE_PATHS)('refuses the raw path %s with 400, before any rewrite', (uri) => {
    // Act
    const result = precompressed(request(uri, 'br, gzip')) as unknown as GeneratedResponse;

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
