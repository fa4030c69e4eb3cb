/**
 * Tag slugs: the folder of a tag's feeds (`tags/<slug>/`). A slug is derived from the tag
 * alone, so it never changes while the tag is written the same way, and it is always safe in a
 * URL path and an S3 key: `a-z0-9` and single inner hyphens, never empty.
 */
import type { Article } from './article.js';
import { removeUncarriableChars } from '../text/xml-text.js';

/** Longest readable part of a slug; longer names are cut and made unique by a hash suffix. */
export const MAX_TAG_SLUG_BASE = 60;

/** Letters that Unicode decomposition does not reduce to ASCII, but that have a common spelling. */
const LATIN_EXTRAS: Readonly<Record<string, string>> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ð: 'd', þ: 'th', ł: 'l', ı: 'i', ħ: 'h', ŋ: 'ng', ĸ: 'k', ſ: 's',
};

/**
 * The slug of a tag: transliterated Latin (`Café Życie` → `cafe-zycie`), lower case, every
 * other run of characters a single hyphen. When letters or digits had to be dropped (other
 * scripts: `東京`, `Берлин`) or the name was cut, a short hash of the whole name is appended,
 * so different tags keep different slugs (`東京` → `t-1x2y3z4`, `東京 news` → `news-…`).
 * Tags that differ only in case, accents or punctuation share a slug, on purpose.
 */
export function tagSlug(name: string): string {
  const folded = name.normalize('NFKC').toLowerCase().trim();
  const latin = [...folded.normalize('NFKD').replace(/\p{M}/gu, '')].map((char) => LATIN_EXTRAS[char] ?? char).join('');
  const lost = /[^\x00-\x7F]/.test(latin.replace(/[^\p{L}\p{N}]/gu, ''));
  const base = latin.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  const cut = base.length > MAX_TAG_SLUG_BASE;
  const readable = cut ? base.slice(0, MAX_TAG_SLUG_BASE).replace(/-+$/, '') : base;
  if (!lost && !cut && readable !== '') return readable;
  const hash = hashText(folded);
  return readable === '' ? `t-${hash}` : `${readable}-${hash}`;
}

/** FNV-1a (32 bit) of the UTF-16 code units, in base 36: short, stable, no dependencies. */
function hashText(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

/**
 * The article's tags as published: blank ones dropped and duplicates (after removing
 * uncarriable characters) kept once, since JSON Feed requires unique tags.
 */
export function tagsOf(article: Pick<Article, 'tags'>): string[] {
  const cleaned = article.tags.map(removeUncarriableChars).filter((tag) => tag.trim() !== '');
  return [...new Set(cleaned)];
}
