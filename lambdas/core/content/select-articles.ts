/**
 * Chooses what gets published from a set of parsed articles: drafts are left out, and when two
 * articles claim the same id or URL the one whose path sorts first wins, so the outcome never
 * depends on listing order.
 */
import type { Article } from './article.js';
import { ArticleParseError } from '../errors.js';

/** What selection reads of an article, so catalog entries (no body) are selected the same way. */
export type SelectableArticle = Pick<Article, 'draft' | 'sourcePath' | 'id' | 'url'>;

/** The published articles (sorted by source path) and the rejected duplicates. */
export interface ArticleSelection<T extends SelectableArticle = Article> {
  readonly articles: T[];
  readonly rejected: ArticleParseError[];
}

/**
 * Drops drafts, then rejects any article whose id or URL an earlier path (in code-unit order)
 * already uses. Each rejection's `field` is `id` or `url` and its reason names the other file.
 */
export function selectArticles<T extends SelectableArticle = Article>(articles: readonly T[]): ArticleSelection<T> {
  const sorted = articles
    .filter((article) => !article.draft)
    .sort((a, b) => (a.sourcePath < b.sourcePath ? -1 : a.sourcePath > b.sourcePath ? 1 : 0));
  const byId = new Map<string, string>();
  const byUrl = new Map<string, string>();
  const selected: T[] = [];
  const rejected: ArticleParseError[] = [];
  for (const article of sorted) {
    const idOwner = byId.get(article.id);
    const urlOwner = byUrl.get(article.url);
    if (idOwner !== undefined) {
      rejected.push(new ArticleParseError(article.sourcePath, `duplicate id "${article.id}", already used by ${idOwner}`, 'id'));
    } else if (urlOwner !== undefined) {
      rejected.push(new ArticleParseError(article.sourcePath, `duplicate url "${article.url}", already used by ${urlOwner}`, 'url'));
    } else {
      byId.set(article.id, article.sourcePath);
      byUrl.set(article.url, article.sourcePath);
      selected.push(article);
    }
  }
  return { articles: selected, rejected };
}
