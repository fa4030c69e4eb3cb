import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { balanceBidi, balanceBidiRun } from '../../../../lambdas/core/text/bidi.js';
import {
  ALM, CLOSERS, EMBEDDINGS, FSI, isBidiBalanced, ISOLATES, LRE, LRI, LRM, PDF, PDI, RLE, RLI, RLM, RLO,
} from '../../../support/bidi-oracle.js';

/**
 * True when `output` is `input` with some closers removed, followed by closers only: every
 * character the author wrote other than a closer is kept, in order.
 */
function onlyClosersChanged(input: string, output: string): boolean {
  const out = [...output];
  let j = 0;
  for (const char of input) {
    if (out[j] === char) j += 1;
    else if (!CLOSERS.includes(char)) return false;
  }
  return out.slice(j).every((char) => CLOSERS.includes(char));
}

/** Text of letters (Latin and Arabic), spaces, line breaks, marks and every opener and closer. */
const bidiText = fc
  .array(fc.constantFrom('a', 'ب', ' ', '\n', '1', LRM, RLM, ALM, ...EMBEDDINGS, ...ISOLATES, ...CLOSERS), { maxLength: 40 })
  .map((chars) => chars.join(''));

/** Well-nested text: the shape an author who closes everything writes, isolates closing their embeddings too. */
const balancedText = fc.letrec<{ text: string; piece: string }>((tie) => ({
  text: fc.array(tie('piece'), { maxLength: 5 }).map((pieces) => pieces.join('')),
  piece: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('a', 'ب', ' ', '1', LRM, RLM, ALM),
    fc.tuple(fc.constantFrom(...EMBEDDINGS), tie('text')).map(([opener, inner]) => `${opener}${inner}${PDF}`),
    fc
      .tuple(fc.constantFrom(...ISOLATES), tie('text'), fc.array(fc.constantFrom(...EMBEDDINGS), { maxLength: 2 }))
      .map(([opener, inner, unclosed]) => `${opener}${inner}${unclosed.join('')}${PDI}`),
  ),
})).text;

describe('balanceBidi', () => {
  it('closes an unterminated override at the end of the text', () => {
    // Prepare
    const title = `Invoice ${RLO}gnp.exe`;

    // Act
    const balanced = balanceBidi(title);

    // Assess
    expect(balanced).toBe(`Invoice ${RLO}gnp.exe${PDF}`);
  });

  it('closes what is still open innermost first, one closer each', () => {
    // Prepare
    const text = `${RLI}a${LRE}b${FSI}c${RLO}d`;

    // Act
    const balanced = balanceBidi(text);

    // Assess
    expect(balanced).toBe(`${text}${PDF}${PDI}${PDF}${PDI}`);
  });

  it('drops a PDF or PDI that closes nothing and keeps every other character', () => {
    // Prepare
    const text = `${PDF}a${PDI}b${LRM}${RLE}c${PDF}${PDF}`;

    // Act
    const balanced = balanceBidi(text);

    // Assess
    expect(balanced).toBe(`ab${LRM}${RLE}c${PDF}`);
  });

  it('drops a PDF inside an isolate when the embedding it would close was opened outside', () => {
    // Prepare
    const text = `${RLE}a${LRI}b${PDF}c${PDI}d${PDF}`;

    // Act
    const balanced = balanceBidi(text);

    // Assess
    expect(balanced).toBe(`${RLE}a${LRI}bc${PDI}d${PDF}`);
  });

  it('lets a PDI close the embeddings opened inside its isolate without adding closers', () => {
    // Prepare
    const text = `${RLI}a${RLO}b${LRE}c${PDI}d`;

    // Act
    const balanced = balanceBidi(text);

    // Assess
    expect(balanced).toBe(text);
  });

  it('keeps the marks LRM, RLM and ALM as written', () => {
    // Prepare
    const text = `${RLM}مرحبا${LRM} 2021 ${ALM}-5`;

    // Act
    const balanced = balanceBidi(text);

    // Assess
    expect(balanced).toBe(text);
  });

  it('always gives balanced text', () => {
    fc.assert(
      fc.property(bidiText, (text) => {
        // Act
        const balanced = balanceBidi(text);

        // Assess
        expect(isBidiBalanced(balanced), JSON.stringify(balanced)).toBe(true);
      }),
    );
  });

  it('leaves balanced text unchanged', () => {
    fc.assert(
      fc.property(fc.oneof(balancedText, bidiText.filter(isBidiBalanced)), (text) => {
        // Prepare
        expect(isBidiBalanced(text)).toBe(true);

        // Act
        const balanced = balanceBidi(text);

        // Assess
        expect(balanced).toBe(text);
      }),
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(bidiText, (text) => {
        // Prepare
        const once = balanceBidi(text);

        // Act
        const twice = balanceBidi(once);

        // Assess
        expect(twice).toBe(once);
      }),
    );
  });

  it('only drops closers and appends closers, never touching anything else the author wrote', () => {
    fc.assert(
      fc.property(bidiText, (text) => {
        // Act
        const balanced = balanceBidi(text);

        // Assess
        expect(onlyClosersChanged(text, balanced), JSON.stringify([text, balanced])).toBe(true);
      }),
    );
  });
});

describe('balanceBidiRun', () => {
  it('matches an opener in one piece with a closer in a later piece', () => {
    // Prepare
    const pieces = [`a ${RLI}b `, 'strong', ` c${PDI} d`];

    // Act
    const { texts } = balanceBidiRun(pieces);

    // Assess
    expect(texts).toEqual(pieces);
  });

  it('appends the missing closers to the last piece only', () => {
    // Prepare
    const pieces = [`${RLO}a`, 'b', 'c'];

    // Act
    const { texts } = balanceBidiRun(pieces);

    // Assess
    expect(texts).toEqual([`${RLO}a`, 'b', `c${PDF}`]);
  });

  it('balances the pieces exactly as it balances their concatenation', () => {
    fc.assert(
      fc.property(fc.array(bidiText, { minLength: 1, maxLength: 5 }), (pieces) => {
        // Act
        const { texts } = balanceBidiRun(pieces);

        // Assess
        expect(texts.join('')).toBe(balanceBidi(pieces.join('')));
      }),
    );
  });

  it('reports the most openers open at once', () => {
    // Prepare
    const pieces = [`${RLE.repeat(3)}${PDF}${LRI.repeat(4)}`, `${PDI}${RLO}`];

    // Act
    const { depth } = balanceBidiRun(pieces);

    // Assess
    expect(depth).toBe(6);
  });

  it('reports depth 0 for text without openers or closers', () => {
    // Prepare
    const pieces = [`${RLM}نص${LRM}`, 'plain'];

    // Act
    const { texts, depth } = balanceBidiRun(pieces);

    // Assess
    expect({ texts, depth }).toEqual({ texts: pieces, depth: 0 });
  });
});
