import { beforeEach, describe, expect, it } from 'vitest';
import { publishSite, type PublishInput } from '../../../lambdas/publish/publish-site.js';
import { articleMarkdown, siteYaml } from '../../support/content-files.js';
import { memoryCatalogStore, memorySite, memorySource, type MemoryCatalogStore, type MemorySite } from '../../support/memory-ports.js';

const FIRST = 'articles/2026/01/first.md';
const NOW = new Date('2026-01-02T00:00:00Z');

describe('publishSite with partner access', () => {
  let files: Record<string, string>;
  let site: MemorySite;
  let store: MemoryCatalogStore;

  function publish(changedKeys: readonly string[], extra: Partial<PublishInput> = {}) {
    return publishSite({ source: memorySource(files), catalogStore: store, writer: site, changedKeys, now: NOW, ...extra });
  }

  function body(key: string): string {
    return site.documents.get(key)?.body ?? '';
  }

  beforeEach(() => {
    files = {
      'site.yaml': siteYaml('Test News', 'websubHub: https://hub.example.org/\n'),
      [FIRST]: articleMarkdown('First story', '2026-01-01T10:00:00Z', 'tags: [World]\n'),
    };
    site = memorySite();
    store = memoryCatalogStore();
  });

  it('announces only the public feeds to the hub, yet writes the JSON Feed for partners', async () => {
    // Act
    const result = await publish([], { partnerAccess: true });

    // Assess
    expect(site.documents.has('feed.json')).toBe(true);
    expect(result.topics).toEqual(expect.arrayContaining(['https://news.example.com/rss.xml', 'https://news.example.com/tags/world/atom.xml']));
    expect(result.topics.filter((url) => url.endsWith('.json'))).toEqual([]);
  });

  it('names no hub in the JSON Feed, which the hub could not fetch without a token', async () => {
    // Act
    await publish([], { partnerAccess: true });

    // Assess
    expect(JSON.parse(body('feed.json'))).not.toHaveProperty('hubs');
    expect(body('rss.xml')).toContain('https://hub.example.org/');
  });

  it('announces the JSON Feed and names it on the pages when partner access is off', async () => {
    // Act
    const result = await publish([]);

    // Assess
    expect(result.topics).toContain('https://news.example.com/feed.json');
    expect(body('index.html')).toContain('https://news.example.com/feed.json');
    expect(JSON.parse(body('feed.json'))).toHaveProperty('hubs');
  });

  it('rebuilds everything when partner access is turned on, and the pages then drop the JSON Feed', async () => {
    // Prepare
    await publish([]);

    // Act
    const result = await publish([], { partnerAccess: true });

    // Assess
    expect(result.rebuilt).toBe('site-changed');
    for (const key of ['index.html', 'feed.html', 'feeds.opml', 'articles/first/index.html']) expect(body(key), key).not.toContain('feed.json');
  });

  it('rebuilds everything when partner access is turned off again', async () => {
    // Prepare
    await publish([], { partnerAccess: true });

    // Act
    const result = await publish([]);

    // Assess
    expect(result.rebuilt).toBe('site-changed');
    expect(body('feeds.opml')).toContain('https://news.example.com/feed.json');
  });

  it('applies changes without a rebuild while partner access stays on', async () => {
    // Prepare
    await publish([], { partnerAccess: true });
    files[FIRST] = articleMarkdown('First story, updated', '2026-01-01T10:00:00Z', 'tags: [World]\n');

    // Act
    const result = await publish([FIRST], { partnerAccess: true });

    // Assess
    expect(result.rebuilt).toBeUndefined();
    expect(body('feed.html')).toContain('First story, updated');
    expect(body('feed.html')).not.toContain('feed.json');
  });
});
