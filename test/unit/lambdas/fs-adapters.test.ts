import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CACHE_CONTROL_FEED, FEED_FORMATS, type OutputDocument } from '../../../lambdas/core/plan/outputs.js';
import { FsArticleSource } from '../../../local/fs-article-source.js';
import { FsCatalogStore } from '../../../local/fs-catalog-store.js';
import { FsSiteWriter } from '../../../local/fs-site-writer.js';
import { createEmptyCatalog } from '../../../lambdas/core/catalog/catalog.js';
import { CatalogConflictError } from '../../../lambdas/core/errors.js';

function rssDocument(key: string, body: string): OutputDocument {
  return { key, body, contentType: FEED_FORMATS.rss.contentType, cacheControl: CACHE_CONTROL_FEED, role: 'subscription-feed' };
}

describe('file-system adapters', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'fs-adapters-'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  describe('FsArticleSource', () => {
    it('lists the Markdown files under articles/ as sorted slash-separated keys', async () => {
      // Prepare
      await mkdir(join(root, 'articles', '2026', '01'), { recursive: true });
      await writeFile(join(root, 'articles', '2026', '01', 'b.md'), 'b');
      await writeFile(join(root, 'articles', 'a.md'), 'a');
      await writeFile(join(root, 'articles', 'notes.txt'), 'not an article');
      await writeFile(join(root, 'site.yaml'), 'title: x');

      // Act
      const keys = await new FsArticleSource(root).listArticleKeys();

      // Assess
      expect(keys).toEqual(['articles/2026/01/b.md', 'articles/a.md']);
    });

    it('lists nothing when the articles folder is absent', async () => {
      // Prepare
      const source = new FsArticleSource(join(root, 'missing'));

      // Act
      const keys = await source.listArticleKeys();

      // Assess
      expect(keys).toEqual([]);
    });

    it('reads bytes, and undefined for a missing file', async () => {
      // Prepare
      await writeFile(join(root, 'site.yaml'), 'title: Ü');
      const source = new FsArticleSource(root);

      // Act
      const [present, missing] = await Promise.all([source.read('site.yaml'), source.read('articles/gone.md')]);

      // Assess
      expect(new TextDecoder().decode(present)).toBe('title: Ü');
      expect(missing).toBeUndefined();
    });

    it('refuses a key that leaves the content folder', async () => {
      // Prepare
      const source = new FsArticleSource(join(root, 'content'));

      // Act
      const reading = source.read('../secret.md');

      // Assess
      await expect(reading).rejects.toThrow('outside the content folder');
    });
  });

  describe('FsSiteWriter', () => {
    it('writes documents into nested folders and leaves unchanged files untouched', async () => {
      // Prepare
      const writer = new FsSiteWriter(root);
      await writer.write([rssDocument('id/rss.xml', '<rss/>')]);
      const before = await stat(join(root, 'id', 'rss.xml'));
      await new Promise((resolve) => setTimeout(resolve, 20));

      // Act
      const written = await writer.write([rssDocument('id/rss.xml', '<rss/>'), rssDocument('rss.xml', '<rss>new</rss>')]);

      // Assess
      expect(written).toEqual(['rss.xml']);
      expect((await stat(join(root, 'id', 'rss.xml'))).mtimeMs).toBe(before.mtimeMs);
      expect(await readFile(join(root, 'rss.xml'), 'utf8')).toBe('<rss>new</rss>');
    });

    it('refuses a key that leaves the output folder', async () => {
      // Prepare
      const writer = new FsSiteWriter(join(root, 'out'));

      // Act
      const publishing = writer.write([rssDocument('../escape.xml', '<rss/>')]);

      // Assess
      await expect(publishing).rejects.toThrow('outside the output folder');
    });
    it('removes files and the folders they leave empty, and lists what is left', async () => {
      // Prepare
      const writer = new FsSiteWriter(root);
      await writer.write([rssDocument('id/tags/x/rss.xml', '<rss/>'), rssDocument('rss.xml', '<rss/>')]);

      // Act
      const refused = await writer.remove(['id/tags/x/rss.xml']);
      const listed = await writer.list();

      // Assess
      expect(refused).toEqual([]);
      expect(listed.map((object) => object.key)).toEqual(['rss.xml']);
      await expect(stat(join(root, 'id'))).rejects.toThrow('ENOENT');
    });
  });

  describe('FsCatalogStore', () => {
    it('reads back the catalog it wrote, and a missing one as missing', async () => {
      // Prepare
      const store = new FsCatalogStore(root);
      const before = await store.read();

      // Act
      await store.write(createEmptyCatalog('site'), undefined);
      const after = await store.read();

      // Assess
      expect(before).toEqual({ state: 'missing' });
      expect(after).toMatchObject({ state: 'read', catalog: { siteHash: 'site' } });
      expect(await readFile(join(root, '_catalog', 'catalog.json'), 'utf8')).toContain('"siteHash":"site"');
    });

    it('refuses to replace a version other than the one read', async () => {
      // Prepare
      const store = new FsCatalogStore(root);
      await store.write(createEmptyCatalog('first'), undefined);
      const read = await store.read();
      await store.write(createEmptyCatalog('second'), read.state === 'read' ? read.etag : undefined);

      // Act
      const writing = store.write(createEmptyCatalog('third'), read.state === 'read' ? read.etag : undefined);

      // Assess
      await expect(writing).rejects.toBeInstanceOf(CatalogConflictError);
    });
  });
});
