import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import {
  addStylesheetInstruction,
  FEED_CONTENT_SECURITY_POLICY,
  feedStylesheetUrl,
  renderFeedStylesheet,
} from '../../../../lambdas/core/pages/feed-stylesheet.js';
import { FEED_STYLESHEET_KEY } from '../../../../lambdas/core/plan/document-keys.js';
import { renderFeeds, renderSite } from '../../../support/render-site.js';
import { buildSampleArticles, buildSite } from '../../../support/article-factory.js';
import { readBackFeed } from '../../../validation/read-back.js';
import { isFeedDocument, validateFeedDocuments } from '../../../validation/validate-feed-documents.js';

const site = buildSite();
const href = 'https://news.example.com/feed.xsl';
const instruction = `<?xml-stylesheet type="text/xsl" href="${href}"?>`;

/** The rendered feed with `key` from the sample articles. */
function sampleFeed(key: string): string {
  const document = renderFeeds(buildSampleArticles(), site).find((candidate) => candidate.key === key);
  expect(document, key).toBeDefined();
  return document?.body ?? '';
}

/** Parses XML the way a feed reader would, keeping processing instructions out of the result. */
function parse(xml: string): unknown {
  return new XMLParser({ ignoreAttributes: false, ignoreDeclaration: true, ignorePiTags: true }).parse(xml);
}

describe('addStylesheetInstruction', () => {
  it('inserts the instruction right after the XML declaration', () => {
    // Prepare
    const xml = '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel/></rss>\n';

    // Act
    const result = addStylesheetInstruction(xml, href);

    // Assess
    expect(result).toBe(`<?xml version="1.0" encoding="utf-8"?>\n${instruction}\n<rss version="2.0"><channel/></rss>\n`);
  });

  it('puts the instruction first when the document has no XML declaration', () => {
    // Prepare
    const xml = '<feed xmlns="http://www.w3.org/2005/Atom"/>';

    // Act
    const result = addStylesheetInstruction(xml, href);

    // Assess
    expect(result).toBe(`${instruction}\n${xml}`);
  });

  it('leaves a document that already names a style sheet unchanged', () => {
    // Prepare
    const once = addStylesheetInstruction(sampleFeed('rss.xml'), href);

    // Act
    const twice = addStylesheetInstruction(once, href);

    // Assess
    expect(twice).toBe(once);
  });

  it('escapes the href as a pseudo-attribute value', () => {
    // Prepare
    const xml = '<?xml version="1.0"?>\n<rss/>';

    // Act
    const result = addStylesheetInstruction(xml, 'https://x.example/a.xsl?x="1"&y=<2>');

    // Assess
    expect(result).toContain('href="https://x.example/a.xsl?x=&quot;1&quot;&amp;y=&lt;2&gt;"?>');
  });

  it.each(['rss.xml', 'atom.xml', 'id/rss.xml', 'id/atom.xml'])('keeps %s well-formed and unchanged for readers', (key) => {
    // Prepare
    const feed = sampleFeed(key);

    // Act
    const styled = addStylesheetInstruction(feed, feedStylesheetUrl(site));

    // Assess
    expect(XMLValidator.validate(styled)).toBe(true);
    expect(styled.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<?xml-stylesheet ')).toBe(true);
    expect(parse(styled)).toEqual(parse(feed));
  });
});

describe('feeds linked to the style sheet', () => {
  it('stay valid by every feed rule and read back the same in a feed reader', () => {
    // Prepare
    const articles = buildSampleArticles();
    const feeds = renderFeeds(articles, site);

    // Act
    const keys = new Set(feeds.map((feed) => feed.key));
    const styled = renderSite(articles, site).filter((document) => keys.has(document.key));

    // Assess
    expect(styled.filter((document) => document.body.includes('<?xml-stylesheet'))).toHaveLength(feeds.filter((feed) => /(rss|atom)\.xml$/.test(feed.key)).length);
    expect(validateFeedDocuments(styled, site.siteUrl)).toEqual([]);
    expect(styled.filter(isFeedDocument).map(readBackFeed)).toEqual(feeds.filter(isFeedDocument).map(readBackFeed));
  });
});

describe('renderFeedStylesheet', () => {
  it('renders a well-formed XSLT 1.0 document at feed.xsl', () => {
    // Act
    const document = renderFeedStylesheet(site);

    // Assess
    expect(document.key).toBe(FEED_STYLESHEET_KEY);
    expect(document.contentType).toBe('text/xsl; charset=utf-8');
    expect(XMLValidator.validate(document.body)).toBe(true);
    expect(document.body).toContain('<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"');
  });

  it('transforms both RSS channels and Atom feeds, with a subscribe note', () => {
    // Act
    const body = renderFeedStylesheet(site).body;

    // Assess
    expect(body).toContain('<xsl:template match="channel">');
    expect(body).toContain('<xsl:template match="item">');
    expect(body).toContain('<xsl:template match="atom:feed">');
    expect(body).toContain('<xsl:template match="atom:entry">');
    expect(body).toContain('Copy this URL into your feed reader');
  });

  it('links the site style sheet under the configured site URL, escaped', () => {
    // Prepare
    const odd = buildSite({ siteUrl: 'https://news.example.com/a&b/' });

    // Act
    const body = renderFeedStylesheet(odd).body;

    // Assess
    expect(body).toContain('<link rel="stylesheet" href="https://news.example.com/a&amp;b/assets/site.css"/>');
    expect(XMLValidator.validate(body)).toBe(true);
  });

  it('never emits unescaped markup from the feed', () => {
    // Act
    const body = renderFeedStylesheet(site).body;

    // Assess
    expect(body).not.toContain('disable-output-escaping');
  });
});

describe('FEED_CONTENT_SECURITY_POLICY', () => {
  it('allows only same-origin XSLT and style sheets', () => {
    // Act
    const directives = FEED_CONTENT_SECURITY_POLICY.split('; ');

    // Assess
    expect(directives).toContain("default-src 'none'");
    expect(directives).toContain("script-src 'self'");
    expect(directives).toContain("style-src 'self'");
  });
});
