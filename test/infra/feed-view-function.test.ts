import { Template } from 'aws-cdk-lib/assertions';
import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import {
  BROWSER_FEED_MEDIA_TYPE,
  FeedViewFunction,
  loadFeedViewHandler,
  type ViewerResponseEvent,
} from '../../infra/constructs/feed-view-function.js';

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8';
const READER = 'application/atom+xml, application/rss+xml;q=0.9, */*;q=0.1';

function respond(uri: string, accept: string | undefined, contentType: string, statusCode = 200, vary?: string) {
  const event: ViewerResponseEvent = {
    request: { uri, headers: { accept: accept === undefined ? undefined : { value: accept } } },
    response: { statusCode, headers: { 'content-type': { value: contentType }, vary: vary === undefined ? undefined : { value: vary } } },
  };
  return loadFeedViewHandler()(event).headers;
}

describe('feed view function', () => {
  it.each(['/rss.xml', '/fr/atom.xml', '/tags/iraq/rss.xml'])('gives a browser %s as application/xml', (uri) => {
    // Act
    const headers = respond(uri, BROWSER, 'application/atom+xml; charset=utf-8');

    // Assess
    expect(headers['content-type']?.value).toBe(BROWSER_FEED_MEDIA_TYPE);
    expect(headers.vary?.value).toBe('Accept');
  });

  it.each([READER, undefined, '*/*'])('keeps the feed media type for a reader sending Accept %j', (accept) => {
    // Act
    const headers = respond('/rss.xml', accept, 'application/rss+xml; charset=utf-8');

    // Assess
    expect(headers['content-type']?.value).toBe('application/rss+xml; charset=utf-8');
    expect(headers.vary?.value).toBe('Accept');
  });

  it('gives a browser a precompressed variant as application/xml, varying on both headers', () => {
    // Act
    const headers = respond('/atom.xml.br', BROWSER, 'application/atom+xml; charset=utf-8');

    // Assess
    expect(headers['content-type']?.value).toBe(BROWSER_FEED_MEDIA_TYPE);
    expect(headers.vary?.value).toBe('Accept-Encoding, Accept');
  });

  it('adds Accept to an existing Vary header once', () => {
    // Act
    const once = respond('/rss.xml', READER, 'application/rss+xml', 200, 'Accept');

    // Assess
    expect(once.vary?.value).toBe('Accept');
  });

  it('adds Accept to an existing Vary header', () => {
    // Act
    const headers = respond('/rss.xml', READER, 'application/rss+xml; charset=utf-8', 200, 'Accept-Encoding');

    // Assess
    expect(headers.vary?.value).toBe('Accept-Encoding, Accept');
  });

  it('leaves pages, JSON Feed and error answers alone', () => {
    // Act
    const page = respond('/index.html', BROWSER, 'text/html; charset=utf-8');
    const json = respond('/feed.json', BROWSER, 'application/feed+json; charset=utf-8');
    const missing = respond('/gone.xml', BROWSER, 'application/xml', 404);

    // Assess
    expect(page['content-type']?.value).toBe('text/html; charset=utf-8');
    expect(page.vary).toBeUndefined();
    expect(json['content-type']?.value).toBe('application/feed+json; charset=utf-8');
    expect(missing['content-type']?.value).toBe('application/xml');
  });

  it('synthesises a cloudfront-js-2.0 function holding this code', () => {
    // Prepare
    const stack = new Stack(new App(), 'Test');

    // Act
    new FeedViewFunction(stack, 'FeedView');

    // Assess
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionConfig: { Runtime: 'cloudfront-js-2.0', Comment: 'Browsers get XML feeds as application/xml so feed.xsl applies' },
    });
  });
});
