import { describe, expect, it } from 'vitest';
import { decodeHtmlEntities, excerptHtml, removeUncarriableChars } from '../../../../lambdas/core/text/xml-text.js';

describe('removeUncarriableChars', () => {
  it('removes C0, C1, U+FFFE/U+FFFF and unpaired surrogates but keeps tab, LF, CR and emoji', () => {
    // Prepare
    const text = '\u0000a\u0001\u001F\t\n\r\u0080b\u009F\uFFFE\uFFFF\uD83D😀\uDE00c';

    // Act
    const cleaned = removeUncarriableChars(text);

    // Assess
    expect(cleaned).toBe('a\t\n\rb😀c');
  });
});

describe('decodeHtmlEntities', () => {
  it('decodes named basics and numeric references and leaves unknown names', () => {
    // Prepare
    const input = '&amp;&lt;&#x26;&#38;&nbsp;&bogus;';

    // Act
    const output = decodeHtmlEntities(input);

    // Assess
    expect(output).toBe('&<&&\u00A0&bogus;');
  });
});

describe('excerptHtml', () => {
  it('separates block elements with spaces and joins inline ones', () => {
    // Prepare
    const input = '<h1>Title</h1><p>One <strong>two</strong>.</p><ul><li>a</li><li>b</li></ul>';

    // Act
    const output = excerptHtml(input);

    // Assess
    expect(output).toBe('Title One two. a b');
  });

  it('cuts long text at a word boundary with an ellipsis', () => {
    // Prepare
    const html = `<p>${'word '.repeat(100)}</p>`;

    // Act
    const excerpt = excerptHtml(html, 22);

    // Assess
    expect(excerpt).toBe('word word word word…');
  });

  it('does not split surrogate pairs', () => {
    // Prepare
    const input = '😀'.repeat(10);

    // Act
    const output = excerptHtml(input, 5);

    // Assess
    expect(output).toBe('😀😀😀😀😀…');
  });

  it('closes an override the cut left open, before the ellipsis', () => {
    // Prepare
    const html = `<p>word \u202e${'word '.repeat(10)}\u202c</p>`;

    // Act
    const excerpt = excerptHtml(html, 22);

    // Assess
    expect(excerpt).toBe('word \u202eword word word\u202c…');
  });
});
