import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ContentInputError } from '../../../../lambdas/core/content/safe-yaml.js';
import { renderMarkdown } from '../../../../lambdas/core/content/markdown.js';
import { CLOSERS, EMBEDDINGS, isBidiBalanced, ISOLATES, LRI, PDF, PDI, RLE, RLI, RLM, RLO } from '../../../support/bidi-oracle.js';

const BASE = { baseUrl: 'https://news.example.com/articles/story/', lang: 'en' };

/** The text a reader gets when it flattens the HTML: tags dropped, attribute values with them. */
function flatten(html: string): string {
  return html.replace(/<[^>]*>/g, '');
}

describe('balanceBlockBidi (through renderMarkdown)', () => {
  it('closes an unterminated override at the end of its own paragraph', () => {
    // Prepare
    const markdown = `Invoice ${RLO}gnp.exe\n\nNext paragraph.`;

    // Act
    const html = renderMarkdown(markdown, BASE);

    // Assess
    expect(html).toBe(`<p>Invoice ${RLO}gnp.exe${PDF}</p>\n<p>Next paragraph.</p>`);
  });

  it('keeps an isolate that spans inline elements exactly as written', () => {
    // Prepare
    const markdown = `${RLM}Said ${RLI}**الأمم** [المتحدة](https://un.org/)${PDI} today.`;

    // Act
    const html = renderMarkdown(markdown, BASE);

    // Assess
    expect(html).toBe(`<p>${RLM}Said ${RLI}<strong>الأمم</strong> <a href="https://un.org/">المتحدة</a>${PDI} today.</p>`);
  });

  it('balances each list item and table cell on its own', () => {
    // Prepare
    const markdown = `- one ${RLE}a\n- two${PDF}\n\n| h |\n|---|\n| ${LRI}x |\n`;

    // Act
    const html = renderMarkdown(markdown, BASE);

    // Assess
    expect(html).toContain(`<li>one ${RLE}a${PDF}</li>\n<li>two</li>`);
    expect(html).toContain(`<td>${LRI}x${PDI}</td>`);
  });

  it('balances characters written as character references', () => {
    // Prepare
    const markdown = '&#x202E;abc &#x2069;';

    // Act
    const html = renderMarkdown(markdown, BASE);

    // Assess
    expect(html).toBe(`<p>${RLO}abc ${PDF}</p>`);
  });

  it('balances alt and title text on their own', () => {
    // Prepare
    const markdown = `![logo${RLO}](logo.png "t${RLI}")`;

    // Act
    const html = renderMarkdown(markdown, BASE);

    // Assess
    expect(html).toBe(`<p><img src="https://news.example.com/articles/story/logo.png" alt="logo${RLO}${PDF}" title="t${RLI}${PDI}"></p>`);
  });

  it('closes an override in raw inline HTML at the top level before the body ends', () => {
    // Prepare
    const markdown = `<span>\n${RLO}raw\n</span>`;

    // Act
    const html = renderMarkdown(markdown, BASE);

    // Assess
    expect(html).toBe(`<span>\n${RLO}raw\n${PDF}</span>`);
  });

  it('refuses a block nesting more than 125 deep, naming the body', () => {
    // Prepare
    const markdown = `${(RLE + LRI).repeat(63)}deep`;

    // Act
    const render = () => renderMarkdown(markdown, BASE);

    // Assess
    expect(render).toThrow(ContentInputError);
    expect(render).toThrow('body: nests bidi embeddings, overrides and isolates more than 125 deep');
  });

  it('leaves every block, and so the whole body, balanced for a reader that flattens it', () => {
    // Prepare
    const piece = fc.constantFrom(
      'a', 'ب', ' ', '*', '**', '`', '[x](y)', '\n', '\n\n', '- ', '> ', '<span>', '</span>', '<b>', '\n| a |\n|---|\n| ',
      ...EMBEDDINGS, ...ISOLATES, ...CLOSERS,
    );

    // Act and Assess
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const html = renderMarkdown(pieces.join(''), BASE);
        expect(isBidiBalanced(flatten(html)), JSON.stringify(html)).toBe(true);
      }),
    );
  });
});
