/**
 * Languages as every part of the site shows them: their script direction and their names.
 * One list serves the feeds, the pages and the feed style sheet, so an article's body, its
 * page and its feed view always agree on the direction.
 */

/** Primary language subtags written right to left. */
export const RTL_LANGUAGES: ReadonlySet<string> = new Set([
  'ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'iw', 'ks', 'pnb', 'ps', 'sd', 'ug', 'ur', 'yi', 'syr', 'nqo',
]);

/** Script subtags written right to left (`ku-arab`, `pa-arab`, `az-arab`…). */
const RTL_SCRIPTS = /-(arab|hebr|thaa|syrc|nkoo|adlm|rohg)(-|$)/;

/** True when `lang` (a BCP 47 tag, any case) is written right to left. */
export function isRightToLeft(lang: string): boolean {
  const lower = lang.toLowerCase();
  const primary = lower.split('-')[0] ?? lower;
  return RTL_LANGUAGES.has(primary) || RTL_SCRIPTS.test(lower);
}

/** `rtl` for right-to-left languages (by primary subtag or script), else `ltr`. */
export function directionOf(lang: string): 'ltr' | 'rtl' {
  return isRightToLeft(lang) ? 'rtl' : 'ltr';
}

/**
 * The name of `lang` in `displayLang` — by default its own name for itself (`Deutsch`,
 * `العربية`) — or the tag when unknown.
 */
export function languageName(lang: string, displayLang = lang): string {
  try {
    return new Intl.DisplayNames([displayLang], { type: 'language' }).of(lang) ?? lang;
  } catch {
    return lang;
  }
}
