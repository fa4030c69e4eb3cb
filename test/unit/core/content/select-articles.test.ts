import { describe, expect, it } from 'vitest';
import { selectArticles } from '../../../../lambdas/core/content/select-articles.js';
import { buildArticle } from '../../../support/article-factory.js';

describe('selectArticles', () => {
  it('drops drafts and returns the rest sorted by source path', () => {
    // Prepare
    const articles = [
      buildArticle('b'),
      buildArticle('draft', 0, { draft: true }),
      buildArticle('a'),
    ];

    // Act
    const { articles: kept, rejected } = selectArticles(articles);

    // Assess
    expect(kept.map((a) => a.slug)).toEqual(['a', 'b']);
    expect(rejected).toEqual([]);
  });

  it('rejects the later path when two articles share an id, whatever the input order', () => {
    // Prepare
    const first = buildArticle('one', 0, { id: 'tag:x,2021:same' });
    const second = buildArticle('two', 0, { id: 'tag:x,2021:same' });

    // Act
    const results = [selectArticles([second, first]), selectArticles([first, second])];

    // Assess
    for (const { articles, rejected } of results) {
      expect(articles).toEqual([first]);
      expect(rejected.map((e) => e.message)).toEqual([
        'articles/2021/11/two.md: id: duplicate id "tag:x,2021:same", already used by articles/2021/11/one.md',
      ]);
    }
  });

  it('rejects the later path when two articles share a URL', () => {
    // Prepare
    const first = buildArticle('one', 0, { url: 'https://news.example.com/articles/x/' });
    const second = buildArticle('two', 0, { url: 'https://news.example.com/articles/x/' });

    // Act
    const { articles, rejected } = selectArticles([second, first]);

    // Assess
    expect(articles).toEqual([first]);
    expect(rejected[0]?.field).toBe('url');
    expect(rejected[0]?.reason).toContain('already used by articles/2021/11/one.md');
  });

  it('lets a published article keep a URL that a draft also uses', () => {
    // Prepare
    const draft = buildArticle('a', 0, { draft: true, url: 'https://news.example.com/articles/x/' });
    const live = buildArticle('b', 0, { url: 'https://news.example.com/articles/x/' });

    // Act
    const { articles, rejected } = selectArticles([draft, live]);

    // Assess
    expect(articles).toEqual([live]);
    expect(rejected).toEqual([]);
  });
});
