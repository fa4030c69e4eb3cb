/**
 * Character-level helpers shared by every feed format: which characters a feed can carry,
 * how references are decoded and how HTML becomes a plain excerpt (escaping is `escape.ts`).
 * Pure string functions, no dependencies.
 */
import { balanceBidi } from './bidi.js';

/**
 * Characters an XML 1.0 document cannot carry (C0 controls other than tab, LF and CR,
 * U+FFFE, U+FFFF and unpaired surrogates), plus the C1 controls U+0080–U+009F, which are
 * legal XML but draw `BadCharacters` warnings from the W3C validator and mean nothing in text.
 */
const UNCARRIABLE =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u0080-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Removes the characters no feed document may carry (see {@link UNCARRIABLE}). Removing them,
 * rather than replacing them with U+FFFD, is what keeps the validator silent.
 */
export function removeUncarriableChars(text: string): string {
  return text.replace(UNCARRIABLE, '');
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00A0' };

/** Decodes the character references an HTML serializer writes (named basics and numeric). */
export function decodeHtmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

// Block boundaries separate words; inline tags (<strong>, <a>) do not.
const BLOCK_TAG = /<\/?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|pre|figure|figcaption|hr|section|article)\b[^>]*>/gi;

/**
 * A plain-text excerpt of an HTML fragment: tags dropped, references decoded, white space
 * collapsed, cut at a word boundary near `maxLength` characters with an ellipsis. Its bidi
 * controls are balanced, since the cut may fall between an override and its end.
 */
export function excerptHtml(html: string, maxLength = 280): string {
  const spaced = html.replace(BLOCK_TAG, ' ').replace(/<[^>]*>/g, '');
  const text = decodeHtmlEntities(spaced).replace(/\s+/g, ' ').trim();
  const chars = Array.from(text);
  if (chars.length <= maxLength) return balanceBidi(text);
  const cut = chars.slice(0, maxLength).join('');
  const space = cut.lastIndexOf(' ');
  return `${balanceBidi((space > maxLength / 2 ? cut.slice(0, space) : cut).trimEnd())}…`;
}
