import { beforeEach, describe, expect, it } from 'vitest';
import { ArticleParseError, CatalogConflictError, SiteConfigError } from '../../../lambdas/core/errors.js';
import type { ArticleSource } from '../../../lambdas/core/ports.js';
import { publishSite, type PublishInput } from '../../../lambdas/publish/publish-site.js';
import { INVALID_ARTICLE, articleMarkdown, siteYaml } from '../../support/content-files.js';
import { memoryCatalogStore, memorySite, memorySource, type MemoryCatalogStore, type MemorySite } from '../../support/memory-ports.js';

const FIRST = 'articles/2026/01/first.md';
const SECOND = 'articles/2026/01/second.md';
const FIRST_PAGE = 'articles/first/index.html';
const NOW = new Date('2026-01-03T00:00:00Z');

describe('publishSite', () => {
  let files: Record<string, string>;
  let site: MemorySite;
  let store: MemoryCatalogStore;

  /** One publish of `changedKeys` over the current files, site and catalog. */
  function publish(changedKeys: readonly string[], extra: Partial<PublishInput> = {}) {
    return publishSite({ source: memorySource(files), catalogStore: store, writer: site, changedKeys, now: NOW, ...extra });
  }

  function body(key: string): string {
    return site.documents.get(key)?.body ?? '';
  }

  beforeEach(() => {
    files = {
      'site.yaml': siteYaml(),
      [FIRST]: articleMarkdown('First story', '2026-01-01T10:00:00Z', 'tags: [World]\n'),
      [SECOND]: articleMarkdown('Second story', '2026-01-02T10:00:00Z'),
    };
    site = memorySite();
    store = memoryCatalogStore();
  });

  it('renders everything over a missing catalog: feeds, pages, style sheets and the feed list', async () => {
    // Act
    const result = await publish([]);

    // Assess
    expect(result).toMatchObject({ rebuilt: 'no-catalog', published: 2, rejected: [], conflicts: 0 });
    expect([...site.documents.keys()]).toEqual(expect.arrayContaining(['rss.xml', 'atom.xml', 'feed.json', 'tags/world/rss.xml', FIRST_PAGE, 'index.html', 'feed.html', 'tags/world/feed.html', 'assets/site.css', 'feeds.opml']));
    expect(result.written.sort()).toEqual([...site.documents.keys()].sort());
    expect(result.bytesWritten).toBe(site.writes.reduce((sum, document) => sum + Buffer.byteLength(document.body), 0));
    expect(store.catalog?.entries.size).toBe(2);
  });

  it('leaves a rejected article out and publishes the rest', async () => {
    // Prepare
    files['articles/broken.md'] = INVALID_ARTICLE;

    // Act
    const result = await publish([]);

    // Assess
    expect(result.published).toBe(2);
    expect(result.rejected.map((error) => [error instanceof ArticleParseError, error.path])).toEqual([[true, 'articles/broken.md']]);
    expect(body('rss.xml')).toContain('First story');
  });

  it('skips an article deleted between listing and reading', async () => {
    // Act
    const result = await publishSite({ source: memorySource(files, [...Object.keys(files), 'articles/gone.md']), catalogStore: store, writer: site, changedKeys: [], now: NOW });

    // Assess
    expect(result).toMatchObject({ published: 2, rejected: [] });
  });

  it('uses the site URL override for links but keeps ids from site.yaml', async () => {
    // Act
    await publish([], { siteUrlOverride: 'https://d111.cloudfront.net/' });

    // Assess
    const json = JSON.parse(body('feed.json')) as { items: { id: string; url: string }[] };
    expect(json.items[1]).toEqual(expect.objectContaining({ url: 'https://d111.cloudfront.net/articles/first/', id: 'tag:news.example.com,2026:2026/01/first' }));
  });

  it('throws a SiteConfigError and writes nothing when site.yaml is missing', async () => {
    // Prepare
    delete files['site.yaml'];

    // Act
    const publishing = publish([]);

    // Assess
    await expect(publishing).rejects.toThrow(SiteConfigError);
    expect(site.writes).toEqual([]);
  });

  it('propagates a read failure before anything is written', async () => {
    // Prepare
    const failure = new Error('connection reset');
    const source: ArticleSource = { listArticleKeys: async () => [FIRST], read: async (key) => (key === 'site.yaml' ? new TextEncoder().encode(siteYaml()) : Promise.reject(failure)) };

    // Act
    const publishing = publishSite({ source, catalogStore: store, writer: site, changedKeys: [], now: NOW });

    // Assess
    await expect(publishing).rejects.toBe(failure);
    expect(site.writes).toEqual([]);
  });

  it('announces the subscription feeds written, never archive pages or other documents', async () => {
    // Prepare
    files['site.yaml'] = siteYaml('Test News', 'itemsPerFeed: 1\n');

    // Act
    const result = await publish([]);

    // Assess
    expect(site.documents.has('archive/1/rss.xml')).toBe(true);
    expect(result.topics).toContain('https://news.example.com/rss.xml');
    expect(result.topics).toContain('https://news.example.com/tags/world/feed.json');
    expect(result.topics.filter((url) => !/\/(rss\.xml|atom\.xml|feed\.json)$/.test(url) || url.includes('/archive/'))).toEqual([]);
  });

  it('announces the feeds of a tag named "Archive"', async () => {
    // Prepare
    await publish([]);
    files[FIRST] = articleMarkdown('First story', '2026-01-01T10:00:00Z', 'tags: [Archive]\n');

    // Act
    const result = await publish([FIRST]);

    // Assess
    expect(site.documents.has('tags/archive/rss.xml')).toBe(true);
    expect(result.topics).toEqual(expect.arrayContaining(['rss.xml', 'atom.xml', 'feed.json'].map((file) => `https://news.example.com/tags/archive/${file}`)));
  });

  it('removes the page and feed entries of a deleted article', async () => {
    // Prepare
    await publish([]);
    delete files[FIRST];

    // Act
    const result = await publish([FIRST]);

    // Assess
    expect(site.documents.has(FIRST_PAGE)).toBe(false);
    expect(site.documents.has('tags/world/rss.xml')).toBe(false);
    expect(body('rss.xml')).not.toContain('First story');
    expect(result.removedKeys).toEqual(expect.arrayContaining([FIRST_PAGE, 'tags/world/rss.xml']));
    expect(store.catalog?.documents.has(FIRST_PAGE)).toBe(false);
  });

  it('keeps the last good version of an article updated with a malformed file', async () => {
    // Prepare
    await publish([]);
    files[FIRST] = INVALID_ARTICLE;

    // Act
    const result = await publish([FIRST]);

    // Assess
    expect(result.kept).toEqual([FIRST]);
    expect(result.rejected.map((error) => error.path)).toEqual([FIRST]);
    expect(body('rss.xml')).toContain('First story');
    expect(site.documents.has(FIRST_PAGE)).toBe(true);
  });

  it('redoes the publish on the newer catalog when another publish wrote it first', async () => {
    // Prepare
    await publish([]);
    files['articles/2026/01/third.md'] = articleMarkdown('Third story', '2026-01-03T10:00:00Z');
    files[SECOND] = articleMarkdown('Second story, updated', '2026-01-02T10:00:00Z');
    const rival = { ...files };
    delete rival['articles/2026/01/third.md'];
    // The rival publish (of the second article only) wins the race for the catalog.
    store.beforeWrite = () => publishSite({ source: memorySource(rival), catalogStore: store, writer: memorySite(), changedKeys: [SECOND], now: NOW });

    // Act
    const result = await publish(['articles/2026/01/third.md']);

    // Assess
    expect(result.conflicts).toBe(1);
    expect([...(store.catalog?.entries.keys() ?? [])].sort()).toEqual([SECOND, 'articles/2026/01/third.md', FIRST].sort());
    expect(store.catalog?.entries.get(SECOND)?.title).toBe('Second story, updated');
    expect(body('rss.xml')).toContain('Third story');
  });

  it('gives up after repeated conflicts, leaving the retry to the queue', async () => {
    // Prepare
    await publish([]);
    files[SECOND] = articleMarkdown('Second story, updated', '2026-01-02T10:00:00Z');
    const lose = (): void => {
      store.version += 1;
      store.beforeWrite = lose;
    };
    store.beforeWrite = lose;

    // Act
    const publishing = publish([SECOND]);

    // Assess
    await expect(publishing).rejects.toBeInstanceOf(CatalogConflictError);
  });

  it('repairs what a cut-off attempt left: a page written for an article deleted before the retry', async () => {
    // Prepare
    await publish([]);
    const third = 'articles/2026/01/third.md';
    files[third] = articleMarkdown('Third story', '2026-01-03T10:00:00Z');
    site.clock = new Date(Date.now() + 60_000);
    store.failNextWrite = new Error('cut off before the catalog was written');
    await expect(publish([third])).rejects.toThrow('cut off');
    delete files[third];

    // Act
    const result = await publish([third], { repair: true });

    // Assess
    expect(result.repaired).toEqual(expect.arrayContaining(['articles/third/index.html', 'rss.xml']));
    expect(site.documents.has('articles/third/index.html')).toBe(false);
    expect(body('rss.xml')).not.toContain('Third story');
  });

  it('keeps a document whose delete is refused in the catalog and removes it on the next publish', async () => {
    // Prepare
    await publish([]);
    delete files[FIRST];
    site.refuse.add(FIRST_PAGE);
    const refused = await publish([FIRST]);
    site.refuse.clear();

    // Act
    const next = await publish([SECOND]);

    // Assess
    expect(refused.notRemoved).toEqual([FIRST_PAGE]);
    expect(next.removedKeys).toEqual([FIRST_PAGE]);
    expect(site.documents.has(FIRST_PAGE)).toBe(false);
  });
});
