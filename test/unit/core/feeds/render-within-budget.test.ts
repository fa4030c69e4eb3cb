import { describe, expect, it } from 'vitest';
import type { Article, SiteConfig } from '../../../../lambdas/core/content/article.js';
import { createEmptyCatalog, type CatalogEntry } from '../../../../lambdas/core/catalog/catalog.js';
import { planChanges } from '../../../../lambdas/core/changes/plan-changes.js';
import { renderChanges } from '../../../../lambdas/core/changes/render-changes.js';
import { planFeedPages } from '../../../../lambdas/core/plan/feed-plan.js';
import { buildFeedSet } from '../../../../lambdas/core/feeds/render-feed-page.js';
import type { FeedSet } from '../../../../lambdas/core/feeds/feed-set.js';
import { renderSite, TEST_NOW } from '../../../support/render-site.js';
import { renderFormat } from '../../../../lambdas/core/feeds/render-format.js';
import { clearItemCache } from '../../../../lambdas/core/feeds/item-cache.js';
import { byteLimitsOf, renderWithinBudget, utf8Length, type FeedDocuments } from '../../../../lambdas/core/feeds/render-within-budget.js';
import { hashText } from '../../../../lambdas/core/text/digest.js';
import { buildArticle, buildSampleArticles, buildSite } from '../../../support/article-factory.js';

/** The smallest budget site.yaml accepts, so a few tens of kilobytes already overflow. */
const SMALL = buildSite({ maxFeedBytes: 65_536 });

/** An HTML body of about `bytes` UTF-8 bytes, `unit` repeated inside paragraphs. */
function bodyOf(bytes: number, unit = 'Harbour traffic resumed this morning. '): string {
  const paragraph = `<p>${unit.repeat(Math.max(1, Math.floor(400 / unit.length)))}</p>\n`;
  return paragraph.repeat(Math.max(1, Math.round(bytes / utf8Length(paragraph))));
}

/** The subscription feed set of the site language for `articles`. */
function mainSet(articles: readonly Article[], site: SiteConfig): FeedSet {
  const byId = new Map(articles.map((article) => [article.id, article]));
  const [page] = planFeedPages(articles, site);
  return buildFeedSet(page!, byId, new Map(), site);
}

/** Per format, whether each item (newest first) carries its content. */
function fullness(documents: FeedDocuments): Record<string, boolean[]> {
  const rss = documents.rss.split('<item>').slice(1).map((item) => item.includes('<content:encoded>'));
  const atom = documents.atom.split('<entry>').slice(1).map((entry) => entry.includes('<content type="html">'));
  const json = (JSON.parse(documents.json) as { items: Record<string, unknown>[] }).items.map((item) => 'content_html' in item);
  return { rss, atom, json };
}

describe('renderWithinBudget', () => {
  it('renders a set that fits exactly as each format renders it alone', () => {
    // Prepare
    const set = mainSet(buildSampleArticles(), buildSite());

    // Act
    const documents = renderWithinBudget(set);

    // Assess
    expect(documents).toEqual({ rss: renderFormat(set, 'rss'), atom: renderFormat(set, 'atom'), json: renderFormat(set, 'json') });
  });

  it('keeps the newest items in full and publishes the older ones as summary and link', () => {
    // Prepare
    const articles = Array.from({ length: 6 }, (_, day) => buildArticle(`story-${day}`, day, { contentHtml: bodyOf(18_000) }));

    // Act
    const documents = renderWithinBudget(mainSet(articles, SMALL));

    // Assess
    const expected = [true, true, true, false, false, false];
    expect(fullness(documents)).toEqual({ rss: expected, atom: expected, json: expected });
    for (const format of ['rss', 'atom', 'json'] as const) expect(utf8Length(documents[format])).toBeLessThanOrEqual(byteLimitsOf(SMALL)[format]);
  });

  it('decides once for the three formats, by the format that needs the most room', () => {
    // Prepare: markup is escaped in XML, so each item takes about twice as many bytes there as in JSON
    const articles = Array.from({ length: 4 }, (_, day) => buildArticle(`story-${day}`, day, { contentHtml: bodyOf(15_000, '<b>x</b> ') }));
    const set = mainSet(articles, SMALL);

    // Act
    const documents = renderWithinBudget(set);

    // Assess: JSON alone would hold every item in full
    expect(utf8Length(renderFormat(set, 'json'))).toBeLessThan(65_536);
    const full = fullness(documents);
    expect(full.rss).toEqual([true, false, false, false]);
    expect([full.atom, full.json]).toEqual([full.rss, full.rss]);
  });

  it('publishes an item too large alone as summary and link, and older items still in full', () => {
    // Prepare
    const huge = buildArticle('huge', 3, { contentHtml: bodyOf(80_000) });
    const older = [1, 2].map((day) => buildArticle(`story-${day}`, day, { contentHtml: bodyOf(5_000) }));

    // Act
    const documents = renderWithinBudget(mainSet([huge, ...older], SMALL));

    // Assess
    const expected = [false, true, true];
    expect(fullness(documents)).toEqual({ rss: expected, atom: expected, json: expected });
    const item = (JSON.parse(documents.json) as { items: Record<string, unknown>[] }).items[0];
    expect(item).toMatchObject({ url: huge.url, summary: huge.summary, content_text: huge.summary });
  });

  it('publishes every item as summary and link when titles and summaries alone exceed the budget', () => {
    // Prepare
    const articles = Array.from({ length: 40 }, (_, day) => buildArticle(`story-${day}`, day, { summary: 'Long summary. '.repeat(140) }));

    // Act
    const documents = renderWithinBudget(mainSet(articles, SMALL));

    // Assess
    const none = articles.map(() => false);
    expect(fullness(documents)).toEqual({ rss: none, atom: none, json: none });
    expect(utf8Length(documents.json)).toBeGreaterThan(65_536);
  });

  it('gives the same bytes from a cold and a warm item cache', () => {
    // Prepare
    const articles = Array.from({ length: 5 }, (_, day) => buildArticle(`story-${day}`, day, { contentHtml: bodyOf(25_000, 'Ünïcödé 🌊 text. ') }));
    const set = mainSet(articles, SMALL);
    clearItemCache();

    // Act
    const cold = renderWithinBudget(set);
    const warm = renderWithinBudget(set);

    // Assess
    expect(warm).toEqual(cold);
    expect(fullness(cold).rss).toContain(false);
  });
});

describe('byteLimitsOf', () => {
  it('gives every format the whole budget: the feeds are served exactly as rendered', () => {
    // Prepare
    const site = buildSite({ maxFeedBytes: 200_000 });

    // Act
    const limits = byteLimitsOf(site);

    // Assess
    expect(limits).toEqual({ rss: 200_000, atom: 200_000, json: 200_000 });
  });

  it('applies the 1 MiB default when the site names no budget', () => {
    // Prepare
    const { maxFeedBytes: _, ...site } = buildSite({ maxFeedBytes: 200_000 });

    // Act
    const limits = byteLimitsOf(site);

    // Assess
    expect(limits.json).toBe(1_048_576);
  });
});

describe('utf8Length', () => {
  it.each([
    ['ASCII', 'feed', 4],
    ['two-byte letters', 'Üé', 4],
    ['three-byte letters', '新聞', 6],
    ['a surrogate pair', '🌊', 4],
    ['pairs across encoding slices', '🌊'.repeat(20_000), 80_000],
    ['a lone surrogate (written as U+FFFD)', '\uD800', 3],
  ])('counts %s', (_, text, bytes) => {
    // Act
    const length = utf8Length(text);

    // Assess
    expect(length).toBe(bytes);
    expect(length).toBe(new TextEncoder().encode(text).length);
  });
});

describe('the budget in an incremental publish', () => {
  it('publishes the same bytes as a full render when large articles arrive one by one', async () => {
    // Prepare
    const site = buildSite({ itemsPerFeed: 3, maxFeedBytes: 65_536 });
    const articles = Array.from({ length: 7 }, (_, day) => buildArticle(`story-${day}`, day, { contentHtml: bodyOf(day % 2 === 0 ? 28_000 : 70_000) }));
    const published = new Map<string, string>();
    let catalog = createEmptyCatalog('site');
    const recordsOf = (entries: readonly CatalogEntry[]) =>
      new Map(entries.map((entry) => [entry.sourcePath, articles.find((article) => article.sourcePath === entry.sourcePath)]));

    for (const [index, article] of articles.entries()) {
      // Act
      const change = { kind: 'parsed' as const, path: article.sourcePath, sourceHash: hashText(JSON.stringify(article)), article };
      let plan = planChanges(catalog, [change], site, TEST_NOW);
      if (plan.missing.length > 0) plan = planChanges(catalog, [change], site, TEST_NOW, recordsOf(plan.missing));
      const result = renderChanges(plan);
      for (const document of result.documents) published.set(document.key, document.body);
      catalog = result.catalog;

      // Assess
      const content = articles.slice(0, index + 1);
      const full = renderSite(content, site);
      for (const document of full) expect(published.get(document.key), document.key).toBe(document.body);
    }
    expect(published.get('archive/1/rss.xml')).toBeDefined();
    expect(utf8Length(published.get('rss.xml')!)).toBeLessThanOrEqual(65_536);
  }, 60_000);
});
