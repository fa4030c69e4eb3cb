/**
 * Balancing of bidirectional formatting characters (Unicode UAX #9), so that text written by an
 * author can never change the direction of the text that follows it on a page or in a reader.
 *
 * Openers: the embeddings and overrides LRE, RLE, LRO, RLO (closed by PDF) and the isolates LRI,
 * RLI, FSI (closed by PDI). Following UAX #9 (rules X6a, X7), a PDI closes the innermost open
 * isolate together with every embedding opened inside it, and a PDF closes only the innermost
 * embedding or override, and only when it was opened inside the current isolate. Balancing
 * drops each closer that closes nothing and, at the end, closes what is still open (innermost
 * first). Nothing else changes: the marks LRM, RLM and ALM, every opener and every matched
 * closer stay where the author wrote them.
 */

/** UAX #9 `max_depth`: the deepest embedding level a renderer honours. */
export const MAX_BIDI_DEPTH = 125;

const PDF = '\u202C';
const PDI = '\u2069';
const EMBEDDING_OPENERS = new Set(['\u202A', '\u202B', '\u202D', '\u202E']);
const ISOLATE_OPENERS = new Set(['\u2066', '\u2067', '\u2068']);
const OPENER_OR_CLOSER = /[\u202A-\u202E\u2066-\u2069]/;
const OPENERS_AND_CLOSERS = /[\u202A-\u202E\u2066-\u2069]/g;

/** Every bidi formatting character: the openers and closers above and the marks LRM, RLM, ALM. */
export const BIDI_FORMATTING = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

/** Texts read as one paragraph, balanced, and how deep the input nested. */
export interface BalancedRun {
  /** The texts with unmatched closers dropped; the last one ends with the missing closers. */
  readonly texts: string[];
  /** The most embeddings, overrides and isolates open at once anywhere in the input. */
  readonly depth: number;
}

/** Open isolates and embeddings, innermost last: `true` for an isolate. */
type OpenStack = boolean[];

/**
 * Balances `texts` as consecutive pieces of one paragraph (the text nodes of one HTML block):
 * an opener in one piece may be closed in a later one. Missing closers go at the end of the
 * last piece. Texts without any opener or closer are returned as they are.
 */
export function balanceBidiRun(texts: readonly string[]): BalancedRun {
  if (!texts.some((text) => OPENER_OR_CLOSER.test(text))) return { texts: [...texts], depth: 0 };
  const open: OpenStack = [];
  let depth = 0;
  const balanced = texts.map((text) =>
    text.replace(OPENERS_AND_CLOSERS, (char) => {
      const kept = applyControl(open, char);
      depth = Math.max(depth, open.length);
      return kept ? char : '';
    }),
  );
  const closers = open.reverse().map((isolate) => (isolate ? PDI : PDF)).join('');
  if (balanced.length > 0) balanced[balanced.length - 1] += closers;
  return { texts: balanced, depth };
}

/** Balances one text (a front-matter field): see {@link balanceBidiRun}. */
export function balanceBidi(text: string): string {
  return balanceBidiRun([text]).texts[0] ?? text;
}

/** Applies one opener or closer to `open`; false when it is a closer that closes nothing. */
function applyControl(open: OpenStack, char: string): boolean {
  if (EMBEDDING_OPENERS.has(char) || ISOLATE_OPENERS.has(char)) {
    open.push(ISOLATE_OPENERS.has(char));
    return true;
  }
  if (char === PDF) {
    // Only an embedding opened inside the current isolate can be closed by a PDF.
    if (open.length === 0 || open[open.length - 1] === true) return false;
    open.pop();
    return true;
  }
  const isolate = open.lastIndexOf(true);
  if (isolate < 0) return false;
  // The PDI also closes every embedding opened since its isolate.
  open.length = isolate;
  return true;
}
