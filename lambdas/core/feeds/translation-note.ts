/**
 * The disclosure a machine-translated article carries wherever it is published: a sentence for
 * readers (in every feed's item content and on its page) and a JSON Feed extension object for
 * partners, who may want to filter or label such items.
 */
import type { Article } from '../content/article.js';
import { languageName } from '../text/language.js';
import { escapeMarkup } from '../text/escape.js';

/** "Machine-translated from Indonesian." — in English, the site's working language for notes. */
export function machineTranslationText(article: Pick<Article, 'translatedFrom'>): string {
  return `Machine-translated${article.translatedFrom ? ` from ${languageName(article.translatedFrom, 'en')}` : ''}.`;
}

/**
 * The item's HTML content in every feed: the sanitized body, followed for a machine
 * translation by a note, marked as English and left-to-right inside any article language.
 */
export function itemContentHtml(article: Pick<Article, 'contentHtml' | 'machineTranslated' | 'translatedFrom'>): string {
  if (!article.machineTranslated) return article.contentHtml;
  return `${article.contentHtml}\n<p lang="en" dir="ltr"><em>${escapeMarkup(machineTranslationText(article))}</em></p>`;
}

/** JSON Feed `_machine_translation` extension of an item, or undefined for a human text. */
export function machineTranslationExtension(
  article: Pick<Article, 'machineTranslated' | 'translatedFrom'>,
): { machine_translated: true; source_language?: string } | undefined {
  if (!article.machineTranslated) return undefined;
  return article.translatedFrom ? { machine_translated: true, source_language: article.translatedFrom } : { machine_translated: true };
}
