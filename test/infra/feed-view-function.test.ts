import { Template } from 'aws-cdk-lib/assertions';
import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import {
  FEED_VIEW_FUNCTION_CODE,
  FEED_VIEW_REQUEST_CODE,
  FeedViewFunction,
  loadFeedViewHandler,
  loadFeedViewUri,
  type ViewerResponseEvent,
} from '../../infra/constructs/feed-view-function.js';

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8';
const READER = 'application/atom+xml, application/rss+xml;q=0.9, */*;q=0.1';

function rewrite(uri: string, accept: string | undefined, method = 'GET'): string {
  return loadFeedViewUri()({ uri, method, headers: { accept: accept === undefined ? undefined : { value: accept } } });
}

function respond(uri: string, statusCode = 200, vary?: string) {
  const event: ViewerResponseEvent = {
    request: { uri, headers: {} },
    response: { statusCode, headers: { 'content-type': { value: 'text/html; charset=utf-8' }, vary: vary === undefined ? undefined : { value: vary } } },
  };
  return loadFeedViewHandler()(event).headers;
}

describe('feed view rewrite (viewer request)', () => {
  it.each([
    ['/rss.xml', '/feed.html'],
    ['/atom.xml', '/feed.html'],
    ['/feed.json', '/feed.html'],
    ['/fr/atom.xml', '/fr/feed.html'],
    ['/tags/iraq/rss.xml', '/tags/iraq/feed.html'],
    ['/fr/tags/iraq/feed.json', '/fr/tags/iraq/feed.html'],
  ])('gives a browser asking for %s the channel view %s', (uri, view) => {
    // Act
    const rewritten = rewrite(uri, BROWSER);

    // Assess
    expect(rewritten).toBe(view);
  });

  it.each([
    ['a feed reader', READER],
    ['no Accept header', undefined],
    ['any type', '*/*'],
    ['feed types before HTML', 'application/rss+xml, text/html;q=0.5'],
    ['HTML and a feed type equally', 'application/atom+xml, text/html'],
    ['HTML refused', 'text/html;q=0, application/xml'],
  ])('keeps the feed for %s', (_, accept) => {
    // Act
    const rewritten = rewrite('/rss.xml', accept);

    // Assess
    expect(rewritten).toBe('/rss.xml');
  });

  it.each(['/archive/3/rss.xml', '/tags/iraq/archive/1/atom.xml', '/_catalog/rss.xml', '/index.html', '/a/b/c/rss.xml', '/feed%2Ejson'])(
    'leaves %s alone, which is no subscription feed path',
    (uri) => {
      // Act
      const rewritten = rewrite(uri, BROWSER);

      // Assess
      expect(rewritten).toBe(uri);
    },
  );

  it('rewrites a HEAD like a GET but never another method', () => {
    // Act
    const head = rewrite('/rss.xml', BROWSER, 'HEAD');
    const options = rewrite('/rss.xml', BROWSER, 'OPTIONS');

    // Assess
    expect([head, options]).toEqual(['/feed.html', '/rss.xml']);
  });

  it('is plain ES5 with no import, as the viewer-request function embeds it', () => {
    // Assess
    expect(FEED_VIEW_REQUEST_CODE).not.toMatch(/\b(import|let|const)\b|=>/);
    expect(FEED_VIEW_FUNCTION_CODE).not.toMatch(/\b(import|let|const)\b/);
  });
});

describe('feed view function (viewer response)', () => {
  it.each(['/rss.xml', '/fr/atom.xml', '/tags/iraq/feed.json', '/feed.html', '/fr/tags/iraq/feed.html'])('adds Vary: Accept on %s', (uri) => {
    // Act
    const headers = respond(uri);

    // Assess
    expect(headers.vary?.value).toBe('Accept');
  });

  it('adds Accept to an existing Vary header once', () => {
    // Act
    const headers = respond('/rss.xml', 200, 'Accept-Encoding, Accept');

    // Assess
    expect(headers.vary?.value).toBe('Accept-Encoding, Accept');
  });

  it('varies a stored precompressed variant on both headers', () => {
    // Act
    const headers = respond('/atom.xml.br');

    // Assess
    expect(headers.vary?.value).toBe('Accept-Encoding, Accept');
  });

  it('leaves pages and archive pages alone', () => {
    // Act
    const page = respond('/index.html');
    const archive = respond('/archive/2/rss.xml');

    // Assess
    expect(page.vary).toBeUndefined();
    expect(archive.vary).toBeUndefined();
  });

  it('never changes the media type', () => {
    // Act
    const headers = respond('/rss.xml');

    // Assess
    expect(headers['content-type']?.value).toBe('text/html; charset=utf-8');
  });

  it('synthesises a cloudfront-js-2.0 function holding this code', () => {
    // Prepare
    const stack = new Stack(new App(), 'Test');

    // Act
    new FeedViewFunction(stack, 'FeedView');

    // Assess
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionConfig: { Runtime: 'cloudfront-js-2.0', Comment: 'Vary: Accept on subscription feeds (browsers get their HTML view)' },
      FunctionCode: FEED_VIEW_FUNCTION_CODE,
    });
  });
});
