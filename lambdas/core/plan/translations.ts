/**
 * Which other-language versions of an article exist (same `translationKey`): feeds link them
 * (Atom alternates, JSON Feed) and a feed page's signature depends on them.
 */
import type { Article } from '../content/article.js';
import { normalizeUrl } from '../text/url.js';
import { compareNewestFirst } from './feed-plan.js';

/** Another language version of an article (same `translationKey`). */
export interface Translation {
  readonly lang: string;
  readonly url: string;
}

/** What finding translations needs of an article (a `PlanEntry` or an `Article` will do). */
export type TranslationEntry = Pick<Article, 'id' | 'lang' | 'url' | 'translationKey' | 'date'>;

/**
 * For every article with a `translationKey`, the other language versions among the input
 * (one per language, the newest), ordered by language. Input order does not matter.
 */
export function findTranslations(articles: readonly TranslationEntry[]): Map<string, Translation[]> {
  const byKey = new Map<string, TranslationEntry[]>();
  for (const article of [...articles].sort(compareNewestFirst)) {
    if (article.translationKey === undefined) continue;
    const versions = byKey.get(article.translationKey) ?? [];
    byKey.set(article.translationKey, versions);
    versions.push(article);
  }
  const result = new Map<string, Translation[]>();
  for (const versions of byKey.values()) {
    for (const article of versions) {
      const others = new Map<string, string>();
      for (const other of versions) {
        if (other.lang !== article.lang && !others.has(other.lang)) others.set(other.lang, normalizeUrl(other.url) ?? other.url);
      }
      const links = [...others].sort(([a], [b]) => (a < b ? -1 : 1)).map(([lang, url]) => ({ lang, url }));
      if (links.length > 0) result.set(article.id, links);
    }
  }
  return result;
}
