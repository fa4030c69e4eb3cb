/**
 * Every escaping the publisher writes, in one place: XML text and attributes for the feeds and
 * the feed list, markup-in-feeds and the style sheet's pseudo-attribute, and HTML for the pages.
 * Two HTML variants exist on purpose, so each output keeps its exact bytes: feeds never escape
 * `'`, pages do (their attributes may be single-quoted).
 */

const NAMED: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function ref(char: string): string {
  return `&#x${char.charCodeAt(0).toString(16).toUpperCase()};`;
}

/**
 * Escapes text for an XML element. `numeric` writes `&`, `<` and `>` as hexadecimal character
 * references, which the RSS profile asks for in plain-text elements (titles, categories).
 * CR becomes a reference because XML parsers turn a raw CR into LF.
 */
export function escapeXml(text: string, numeric = false): string {
  return text.replace(/[&<>\r]/g, (char) => (numeric || char === '\r' ? ref(char) : (NAMED[char] ?? char)));
}

/**
 * Escapes text for a double-quoted attribute value: tab, LF and CR become references too,
 * since attribute-value normalization would turn them into spaces.
 */
export function escapeXmlAttribute(text: string): string {
  return text.replace(/[&<>"\t\n\r]/g, (char) => NAMED[char] ?? ref(char));
}

/**
 * Escapes `&`, `<`, `>` and `"`: plain text inside HTML carried by a feed (read back as the same
 * text by an HTML parser).
 */
export function escapeMarkup(text: string): string {
  return text.replace(/[&<>"]/g, (char) => NAMED[char] ?? char);
}

/** Escapes plain text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => NAMED[char] ?? char);
}
