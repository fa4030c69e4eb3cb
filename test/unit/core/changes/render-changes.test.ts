import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../../../lambdas/core/content/article.js';
import { createEmptyCatalog, markUncertain, type Catalog } from '../../../../lambdas/core/catalog/catalog.js';
import { hashText } from '../../../../lambdas/core/text/digest.js';
import { ArticleParseError } from '../../../../lambdas/core/errors.js';
import type { OutputDocument } from '../../../../lambdas/core/plan/outputs.js';
import { planChanges, type ArticleChange } from '../../../../lambdas/core/changes/plan-changes.js';
import { renderChanges } from '../../../../lambdas/core/changes/render-changes.js';
import { buildArticle, buildSite } from '../../../support/article-factory.js';
import { parsedChange as parsed, publishFromScratch, TEST_NOW } from '../../../support/render-site.js';

/** Small windows, so a few articles already fill archive pages. */
const SITE = buildSite({ itemsPerFeed: 3 });

/** A published site: documents by key, as a bucket would hold them. */
type Bucket = Map<string, OutputDocument>;

/** Everything one publish of `content` from an empty catalog writes. */
function renderFull(content: ReadonlyMap<string, Article>): Bucket {
  const { documents } = publishFromScratch([...content.values()], SITE);
  return new Map(documents.map((document) => [document.key, document]));
}

/**
 * Publishes `changes` onto `bucket` as the use case does: plan, give the plan the records it
 * names as missing (from `content`, counted in `loads`), plan again, render, apply.
 */
function publish(bucket: Bucket, catalog: Catalog, changes: ArticleChange[], content: ReadonlyMap<string, Article>) {
  const loads: string[] = [];
  const loaded = new Map<string, Article | undefined>();
  let plan = planChanges(catalog, changes, SITE, TEST_NOW, loaded);
  while (plan.missing.length > 0) {
    for (const entry of plan.missing) loaded.set(entry.sourcePath, content.get(entry.sourcePath));
    loads.push(...plan.missing.map((entry) => entry.sourcePath));
    plan = planChanges(catalog, changes, SITE, TEST_NOW, loaded);
  }
  const result = renderChanges(plan);
  const rendered = [...result.documents];
  for (const document of rendered) bucket.set(document.key, document);
  for (const key of result.removedKeys) bucket.delete(key);
  const documents = new Map(result.catalog.documents);
  for (const document of rendered) documents.set(document.key, hashText(document.body));
  return { result, rendered, loads, catalog: { ...result.catalog, documents } };
}

/** One random article version: slug from a small pool (so updates and duplicates happen), varied fields. */
const articleArbitrary = fc
  .record({
    slug: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'),
    file: fc.constantFrom('', '-copy'),
    day: fc.integer({ min: 0, max: 20 }),
    lang: fc.constantFrom('en', 'en', 'fr'),
    tags: fc.subarray(['news', 'world', 'Économie']),
    title: fc.constantFrom('One', 'Two & three', '<Four>'),
    translationKey: fc.option(fc.constantFrom('k1', 'k2'), { nil: undefined }),
    draft: fc.constantFrom(false, false, false, true),
    canonical: fc.boolean(),
  })
  .map(({ slug, file, day, lang, tags, title, translationKey, draft, canonical }) => {
    const base = buildArticle(slug, day, { lang, tags, title, draft, ...(translationKey ? { translationKey } : {}) });
    return {
      ...base,
      sourcePath: base.sourcePath.replace('.md', `${file}.md`),
      ...(canonical && slug === 'h' ? { canonicalUrl: 'https://elsewhere.example.org/h', url: 'https://elsewhere.example.org/h' } : {}),
    };
  });

type Operation = { kind: 'put'; article: Article } | { kind: 'delete'; index: number };

const operationArbitrary: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 3, arbitrary: articleArbitrary.map((article) => ({ kind: 'put' as const, article })) },
  { weight: 1, arbitrary: fc.nat(20).map((index) => ({ kind: 'delete' as const, index })) },
);

describe('renderChanges', () => {
  it('ends byte-identical to one publish from an empty catalog after any sequence of batches', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(operationArbitrary, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 8 }), async (batches) => {
        // Prepare
        const content = new Map<string, Article>();
        const bucket: Bucket = new Map();
        let catalog = createEmptyCatalog('site');

        for (const batch of batches) {
          const changes: ArticleChange[] = [];
          for (const operation of batch) {
            if (operation.kind === 'put') {
              content.set(operation.article.sourcePath, operation.article);
              changes.push(parsed(operation.article));
            } else {
              const path = [...content.keys()].sort()[operation.index % Math.max(1, content.size)];
              if (path === undefined) continue;
              content.delete(path);
              changes.push({ kind: 'deleted', path });
            }
          }

          // Act
          catalog = (await publish(bucket, catalog, changes, content)).catalog;

          // Assess
          const full = renderFull(content);
          expect([...bucket.keys()].sort()).toEqual([...full.keys()].sort());
          for (const [key, document] of full) expect(bucket.get(key), key).toEqual(document);
        }
      }),
      { numRuns: 60 },
    );
  }, 60_000);

  it('renders only the pages, ninjs document and sitemaps a new newest article changes and loads nothing', async () => {
    // Prepare
    const content = new Map(Array.from({ length: 19 }, (_, day) => buildArticle(`story-${day}`, day)).map((article) => [article.sourcePath, article]));
    const bucket: Bucket = new Map();
    const { catalog } = await publish(bucket, createEmptyCatalog('site'), [...content.values()].map(parsed), content);
    const newest = buildArticle('newest', 30, { tags: ['news'] });
    content.set(newest.sourcePath, newest);

    // Act
    const { rendered, loads } = await publish(bucket, catalog, [parsed(newest)], content);

    // Assess
    expect(loads).toEqual([]);
    expect(rendered.map((document) => document.key).sort()).toEqual([
      'articles/newest/index.html', 'articles/newest/ninjs.json', 'atom.xml', 'feed.html', 'feed.json', 'index.html', 'news-sitemap.xml',
      'robots.txt', 'rss.xml', 'sitemap.xml', 'sitemaps/articles-1.xml', 'tags/news/atom.xml', 'tags/news/feed.html', 'tags/news/feed.json',
      'tags/news/rss.xml',
    ]);
  });

  it.each([100, 3000])('rewrites at most the news sitemap, one sitemap chunk and the sitemap index when one article is added to %i', async (count) => {
    // Prepare
    const content = new Map(Array.from({ length: count }, (_, index) => buildArticle(`story-${index}`, index / 100)).map((article) => [article.sourcePath, article]));
    const { catalog } = await publish(new Map(), createEmptyCatalog('site'), [...content.values()].map(parsed), content);
    const added = buildArticle('added', 30);
    content.set(added.sourcePath, added);

    // Act
    const { rendered } = await publish(new Map(), catalog, [parsed(added)], content);

    // Assess
    const discovery = rendered.filter((document) => document.role === 'sitemap' || document.role === 'ninjs').map((document) => document.key);
    expect(discovery.sort()).toEqual(['articles/added/ninjs.json', 'news-sitemap.xml', 'sitemap.xml', `sitemaps/articles-${Math.ceil((count + 1) / 1000)}.xml`]);
  }, 60_000);

  it('keeps the last good version of an article whose update is malformed', async () => {
    // Prepare
    const good = buildArticle('steady', 1, { title: 'Good version' });
    const content = new Map([[good.sourcePath, good]]);
    const bucket: Bucket = new Map();
    const { catalog } = await publish(bucket, createEmptyCatalog('site'), [parsed(good)], content);
    const error = new ArticleParseError(good.sourcePath, 'must be a date', 'date');

    // Act
    const { result, rendered } = await publish(bucket, catalog, [{ kind: 'rejected', path: good.sourcePath, sourceHash: 'bad', error }], content);

    // Assess
    expect(result.kept).toEqual([good.sourcePath]);
    expect(result.rejected).toEqual([error]);
    expect(rendered).toEqual([]);
    expect(result.catalog.entries.get(good.sourcePath)?.kept).toEqual({ sourceHash: 'bad', reason: error.message });
    expect(result.catalog.records.get(good.sourcePath)).toEqual(good);
    expect(bucket.get('rss.xml')?.body).toContain('Good version');
  });

  it('leaves out a malformed article that was never published', async () => {
    // Prepare
    const error = new ArticleParseError('articles/new.md', 'no front matter');

    // Act
    const result = renderChanges(planChanges(createEmptyCatalog('site'), [{ kind: 'rejected', path: 'articles/new.md', sourceHash: 'x', error }], SITE, TEST_NOW));

    // Assess
    expect(result.kept).toEqual([]);
    expect(result.catalog.entries.size).toBe(0);
    expect(result.published).toBe(0);
  });
});

describe('planChanges', () => {
  it('names the archived records a shifted archive page needs, and renders nothing until it has them', () => {
    // Prepare
    const articles = Array.from({ length: 7 }, (_, day) => buildArticle(`story-${day}`, day));
    const { catalog } = publishFromScratch(articles, SITE);
    const oldest = articles[0]!;

    // Act
    const plan = planChanges(catalog, [{ kind: 'deleted', path: oldest.sourcePath }], SITE, TEST_NOW);

    // Assess
    expect(plan.missing.length).toBeGreaterThan(0);
    expect(plan.missing.every((entry) => !catalog.records.has(entry.sourcePath))).toBe(true);
    expect(() => renderChanges(plan)).toThrow(RangeError);
  });

  it('leaves out an entry whose record could not be loaded', () => {
    // Prepare
    const articles = Array.from({ length: 7 }, (_, day) => buildArticle(`story-${day}`, day));
    const { catalog } = publishFromScratch(articles, SITE);
    const changes: ArticleChange[] = [{ kind: 'deleted', path: articles[0]!.sourcePath }];
    const missing = planChanges(catalog, changes, SITE, TEST_NOW).missing;
    const lostPath = missing[0]!.sourcePath;
    const loaded = new Map<string, Article | undefined>(missing.map((entry) => [entry.sourcePath, articles.find((article) => article.sourcePath === entry.sourcePath)]));
    loaded.set(lostPath, undefined);

    // Act
    const plan = planChanges(catalog, changes, SITE, TEST_NOW, loaded);

    // Assess
    expect(plan.lost).toEqual([lostPath]);
    expect(plan.entries.has(lostPath)).toBe(false);
  });
});

describe('renderChanges over documents marked uncertain', () => {
  it('rewrites or removes every uncertain document, so a failed attempt leaves nothing behind', async () => {
    // Prepare: a published site with one article, then an attempt that wrote everything for a
    // second, tagged article but died before its catalog write; the article is deleted next.
    const first = buildArticle('first', 0, { tags: ['news'] });
    const second = buildArticle('second', 1, { tags: ['orphan-tag'] });
    const bucket: Bucket = new Map();
    const { catalog } = await publish(bucket, createEmptyCatalog('site', SITE), [parsed(first)], new Map([[first.sourcePath, first]]));
    const failedAttempt = renderFull(new Map([[first.sourcePath, first], [second.sourcePath, second]]));
    for (const [key, document] of failedAttempt) bucket.set(key, document);
    const left = [...failedAttempt.keys()].filter((key) => !catalog.documents.has(key) || catalog.documents.get(key) !== hashText(failedAttempt.get(key)!.body));

    // Act
    await publish(bucket, markUncertain(catalog, [...failedAttempt.keys()]), [{ kind: 'deleted', path: second.sourcePath }], new Map([[first.sourcePath, first]]));

    // Assess: what the failed attempt left is gone, and the site equals a full render
    expect(left).toEqual(expect.arrayContaining(['tags/orphan-tag/rss.xml', 'articles/second/index.html', 'rss.xml']));
    expect([...bucket.keys()].sort()).toEqual([...renderFull(new Map([[first.sourcePath, first]])).keys()].sort());
    for (const [key, document] of renderFull(new Map([[first.sourcePath, first]]))) expect(bucket.get(key)?.body, key).toBe(document.body);
  });

  it('without the marks, leaves the failed attempt in place (what the marks are for)', async () => {
    // Prepare
    const first = buildArticle('first', 0, { tags: ['news'] });
    const second = buildArticle('second', 1, { tags: ['orphan-tag'] });
    const bucket: Bucket = new Map();
    const { catalog } = await publish(bucket, createEmptyCatalog('site', SITE), [parsed(first)], new Map([[first.sourcePath, first]]));
    for (const [key, document] of renderFull(new Map([[first.sourcePath, first], [second.sourcePath, second]]))) bucket.set(key, document);

    // Act
    await publish(bucket, catalog, [{ kind: 'deleted', path: second.sourcePath }], new Map([[first.sourcePath, first]]));

    // Assess
    expect(bucket.has('articles/second/index.html')).toBe(true);
    expect(bucket.get('rss.xml')?.body).toContain('second');
  });
});
