/**
 * An independent reading of UAX #9 rules X1–X8 (below max_depth), for checking the publisher's
 * bidi balancing from the outside: the named bidi formatting characters and a balance check.
 */

export const LRM = '\u200E', RLM = '\u200F', ALM = '\u061C';
export const LRE = '\u202A', RLE = '\u202B', PDF = '\u202C', LRO = '\u202D', RLO = '\u202E';
export const LRI = '\u2066', RLI = '\u2067', FSI = '\u2068', PDI = '\u2069';
export const EMBEDDINGS: readonly string[] = [LRE, RLE, LRO, RLO];
export const ISOLATES: readonly string[] = [LRI, RLI, FSI];
export const CLOSERS: readonly string[] = [PDF, PDI];

/**
 * True when no PDF or PDI in `text` closes nothing and nothing is left open at its end: then
 * `text` cannot change the direction of whatever is written after it.
 */
export function isBidiBalanced(text: string): boolean {
  const open: ('embedding' | 'isolate')[] = [];
  for (const char of text) {
    if (EMBEDDINGS.includes(char)) open.push('embedding');
    else if (ISOLATES.includes(char)) open.push('isolate');
    else if (char === PDF) {
      if (open.at(-1) !== 'embedding') return false;
      open.pop();
    } else if (char === PDI) {
      if (!open.includes('isolate')) return false;
      while (open.pop() !== 'isolate');
    }
  }
  return open.length === 0;
}
