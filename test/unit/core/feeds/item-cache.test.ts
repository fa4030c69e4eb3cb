import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../../../lambdas/core/content/article.js';
import { planFeedPages } from '../../../../lambdas/core/plan/feed-plan.js';
import { buildFeedSet } from '../../../../lambdas/core/feeds/render-feed-page.js';
import { clearItemCache, renderWithItemCache } from '../../../../lambdas/core/feeds/item-cache.js';
import { findTranslations } from '../../../../lambdas/core/plan/translations.js';
import { renderFormat, renderXmlDocument } from '../../../../lambdas/core/feeds/render-format.js';
import { buildArticle, buildSampleArticles, buildSite, EDITOR } from '../../../support/article-factory.js';

const SITE = buildSite({ itemsPerFeed: 4, websubHub: 'https://hub.example.com/' });

/** Every page's feed set, as the publisher renders them. */
function feedSets(articles: readonly Article[]) {
  const byId = new Map(articles.map((article) => [article.id, article]));
  const translations = findTranslations(articles);
  return planFeedPages(articles, SITE).map((page) => buildFeedSet(page, byId, translations, SITE));
}

const articleArbitrary = fc
  .record({
    slug: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'),
    day: fc.integer({ min: 0, max: 30 }),
    lang: fc.constantFrom('en', 'en', 'fr'),
    title: fc.string({ maxLength: 12 }),
    summary: fc.option(fc.constantFrom('A & B', '<b>x</b>', ']]>', ''), { nil: undefined }),
    tags: fc.subarray(['news', 'x & y', 'Économie']),
    translationKey: fc.option(fc.constantFrom('k1', 'k2'), { nil: undefined }),
    image: fc.option(fc.constantFrom('https://news.example.com/a.jpg', 'https://news.example.com/b.svg'), { nil: undefined }),
    authors: fc.constantFrom([], [EDITOR], [{ name: 'Ana "A" <ana>' }]),
  })
  .map(({ slug, day, lang, title, summary, tags, translationKey, image, authors }) =>
    buildArticle(slug, day, { lang, title, summary, tags, authors, ...(translationKey ? { translationKey } : {}), ...(image ? { image } : {}) }),
  );

describe('renderWithItemCache', () => {
  it('renders the same bytes as a whole-document render, cold and warm, for any window', () => {
    fc.assert(
      fc.property(fc.uniqueArray(articleArbitrary, { selector: (article) => article.id, maxLength: 14 }), (articles) => {
        // Prepare
        clearItemCache();
        const sets = feedSets(articles);

        for (const set of sets) {
          for (const dialect of ['rss', 'atom'] as const) {
            // Act
            const whole = renderXmlDocument(set, dialect);
            const cold = renderWithItemCache(set, dialect, renderXmlDocument);
            const warm = renderWithItemCache(set, dialect, renderXmlDocument);

            // Assess
            expect(cold).toBe(whole);
            expect(warm).toBe(whole);
          }
        }
      }),
      { numRuns: 80 },
    );
  }, 60_000);

  it('keeps items published as summary and link apart from the same articles in full', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(articleArbitrary, { selector: (article) => article.id, maxLength: 14 }),
        fc.subarray(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']),
        (articles, summarySlugs) => {
          // Prepare: every item cached in full first
          clearItemCache();
          const summaryOnly = new Set(articles.filter((article) => summarySlugs.includes(article.slug)).map((article) => article.id));
          const sets = feedSets(articles);
          for (const set of sets) for (const dialect of ['rss', 'atom'] as const) renderWithItemCache(set, dialect, renderXmlDocument);

          for (const set of sets.map((full) => ({ ...full, summaryOnly }))) {
            for (const dialect of ['rss', 'atom'] as const) {
              // Act
              const whole = renderXmlDocument(set, dialect);
              const cached = renderWithItemCache(set, dialect, renderXmlDocument);

              // Assess
              expect(cached).toBe(whole);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  }, 60_000);

  it('serializes only the new item when one article joins a cached window', () => {
    // Prepare
    clearItemCache();
    const articles = buildSampleArticles().filter((article) => article.lang === 'en');
    const [before] = feedSets(articles);
    renderFormat(before!, 'atom');
    const [after] = feedSets([...articles, buildArticle('newest', 9)]);
    const rendered: number[] = [];
    const counting = (set: Parameters<typeof renderXmlDocument>[0], dialect: 'rss' | 'atom') => {
      rendered.push(set.items.length);
      return renderXmlDocument(set, dialect);
    };

    // Act
    const document = renderWithItemCache(after!, 'atom', counting);

    // Assess
    expect(document).toBe(renderXmlDocument(after!, 'atom'));
    expect(rendered).toEqual([1]);
  });
});
