import { describe, expect, it } from 'vitest';
import { ArticleParseError, SiteConfigError } from '../../../lambdas/core/errors.js';
import type { OutputDocument } from '../../../lambdas/core/plan/outputs.js';
import type { ArticleSource, FeedSink } from '../../../lambdas/core/ports.js';
import { publishFeeds, subscriptionFeedUrls } from '../../../lambdas/publish/publish-feeds.js';
import { INVALID_ARTICLE, articleMarkdown, siteYaml } from '../../support/content-files.js';

/** Content held in memory; `listed` may name keys that are gone by the time they are read. */
function memorySource(files: Record<string, string>, listed = Object.keys(files)): ArticleSource {
  return {
    listArticleKeys: async () => listed.filter((key) => key.startsWith('articles/')),
    read: async (key) => (files[key] === undefined ? undefined : new TextEncoder().encode(files[key])),
  };
}

/** A sink that records each publish call and writes everything. */
function recordingSink(): FeedSink & { calls: OutputDocument[][] } {
  const calls: OutputDocument[][] = [];
  return { calls, publish: async (documents) => (calls.push([...documents]), documents.map((d) => d.key)) };
}

describe('publishFeeds', () => {
  it('renders every article into the three feeds and the pages in one sink call', async () => {
    // Prepare
    const source = memorySource({
      'site.yaml': siteYaml(),
      'articles/2026/01/first.md': articleMarkdown('First story', '2026-01-01T10:00:00Z'),
      'articles/2026/01/second.md': articleMarkdown('Second story', '2026-01-02T10:00:00Z'),
    });
    const sink = recordingSink();

    // Act
    const result = await publishFeeds({ source, sink });

    // Assess
    expect(sink.calls).toHaveLength(1);
    const keys = sink.calls[0]!.map((d) => d.key);
    expect(keys.slice(0, 3)).toEqual(['rss.xml', 'atom.xml', 'feed.json']);
    expect(keys).toEqual(expect.arrayContaining(['index.html', 'feed.xsl', 'assets/site.css']));
    expect(keys.filter((key) => key.startsWith('articles/'))).toHaveLength(2);
    const json = JSON.parse(sink.calls[0]!.find((d) => d.key === 'feed.json')!.body) as { items: { title: string }[] };
    expect(json.items.map((item) => item.title)).toEqual(['Second story', 'First story']);
    expect(result).toMatchObject({ published: 2, rejected: [], written: keys });
    expect(result.bytesWritten).toBe(sink.calls[0]!.reduce((sum, d) => sum + Buffer.byteLength(d.body), 0));
  });

  it('leaves a rejected article out and publishes the rest', async () => {
    // Prepare
    const source = memorySource({
      'site.yaml': siteYaml(),
      'articles/good.md': articleMarkdown('Good story', '2026-01-01T10:00:00Z'),
      'articles/broken.md': INVALID_ARTICLE,
    });
    const sink = recordingSink();

    // Act
    const result = await publishFeeds({ source, sink });

    // Assess
    expect(result.published).toBe(1);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]).toBeInstanceOf(ArticleParseError);
    expect(result.rejected[0]!.path).toBe('articles/broken.md');
    expect(sink.calls[0]!.find((d) => d.key === 'rss.xml')!.body).toContain('Good story');
  });

  it('skips an article deleted between listing and reading', async () => {
    // Prepare
    const files = { 'site.yaml': siteYaml(), 'articles/kept.md': articleMarkdown('Kept', '2026-01-01T10:00:00Z') };
    const source = memorySource(files, [...Object.keys(files), 'articles/gone.md']);
    const sink = recordingSink();

    // Act
    const result = await publishFeeds({ source, sink });

    // Assess
    expect(result).toMatchObject({ published: 1, rejected: [] });
  });

  it('uses the site URL override for links but keeps ids from site.yaml', async () => {
    // Prepare
    const source = memorySource({ 'site.yaml': siteYaml(), 'articles/a.md': articleMarkdown('A', '2026-01-01T10:00:00Z') });
    const sink = recordingSink();

    // Act
    await publishFeeds({ source, sink, siteUrlOverride: 'https://d111.cloudfront.net/' });

    // Assess
    const json = JSON.parse(sink.calls[0]!.find((d) => d.key === 'feed.json')!.body) as { items: { id: string; url: string }[] };
    expect(json.items[0]!.url).toBe('https://d111.cloudfront.net/articles/a/');
    expect(json.items[0]!.id).toBe('tag:news.example.com,2026:a');
  });

  it('throws a SiteConfigError and writes nothing when site.yaml is missing', async () => {
    // Prepare
    const source = memorySource({ 'articles/a.md': articleMarkdown('A', '2026-01-01T10:00:00Z') });
    const sink = recordingSink();

    // Act
    const publishing = publishFeeds({ source, sink });

    // Assess
    await expect(publishing).rejects.toThrow(SiteConfigError);
    expect(sink.calls).toEqual([]);
  });

  it('propagates a read failure before anything is written', async () => {
    // Prepare
    const failure = new Error('connection reset');
    const source: ArticleSource = {
      listArticleKeys: async () => ['articles/a.md'],
      read: async (key) => {
        if (key === 'site.yaml') return new TextEncoder().encode(siteYaml());
        throw failure;
      },
    };
    const sink = recordingSink();

    // Act
    const publishing = publishFeeds({ source, sink });

    // Assess
    await expect(publishing).rejects.toBe(failure);
    expect(sink.calls).toEqual([]);
  });
});

describe('subscriptionFeedUrls', () => {
  it('keeps the subscription feeds of every folder and leaves out pages and archive pages', () => {
    // Prepare
    const keys = ['rss.xml', 'index.html', 'fr/feed.json', 'tags/iraq/atom.xml', 'archive/1/rss.xml', 'fr/archive/2/atom.xml', 'feed.xsl'];

    // Act
    const urls = subscriptionFeedUrls(keys, 'https://news.example.com/');

    // Assess
    expect(urls).toEqual([
      'https://news.example.com/fr/feed.json',
      'https://news.example.com/rss.xml',
      'https://news.example.com/tags/iraq/atom.xml',
    ]);
  });
});
