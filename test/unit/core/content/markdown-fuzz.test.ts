import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { htmlBudget } from '../../../../lambdas/core/content/markdown-budget.js';
import { renderMarkdown } from '../../../../lambdas/core/content/markdown.js';
import { ContentInputError, MAX_FILE_BYTES } from '../../../../lambdas/core/content/safe-yaml.js';

/**
 * Amplification search: grammar-shaped bodies and known pathological inputs must either render
 * within the output budget or be refused with a `body` reason. Figures are attached as annotations.
 */
const BASE = { baseUrl: 'https://news.example.com/articles/2021/11/story/', lang: 'en' };

interface Measure { readonly input: number; readonly output: number; readonly ms: number; readonly heapMb: number; readonly reason?: string }

/** Renders once, measuring; a rejection must be a `body` ContentInputError. */
function measure(body: string): Measure {
  const heap = process.memoryUsage().heapUsed;
  const start = performance.now();
  let output = 0;
  let reason: string | undefined;
  try {
    output = renderMarkdown(body, BASE).length;
  } catch (error) {
    if (!(error instanceof ContentInputError) || error.field !== 'body') throw error;
    reason = error.reason;
  }
  const heapMb = Math.max(0, process.memoryUsage().heapUsed - heap) / 2 ** 20;
  return { input: body.length, output, ms: performance.now() - start, heapMb, reason };
}

/** `piece` repeated `count` times, `perBlock` to a paragraph (delimiters are bounded per block). */
function blocks(piece: string, count: number, perBlock: number): string {
  const block = `${piece.repeat(perBlock)}\n\n`;
  return block.repeat(Math.floor(count / perBlock)) + piece.repeat(count % perBlock);
}

const word = fc.constantFrom('news', 'Jakarta', 'é', '中文', 'x', '&', '<');
const prose = fc.array(word, { minLength: 1, maxLength: 40 }).map((words) => words.join(' '));
const table = fc.record({ columns: fc.integer({ min: 1, max: 1500 }), rows: fc.integer({ min: 1, max: 1500 }), cell: word })
  .map(({ columns, rows, cell }) => `|${' h |'.repeat(columns)}\n|${'-|'.repeat(columns)}\n${`| ${cell}\n`.repeat(rows)}`);
const reference = fc.record({
  url: fc.integer({ min: 1, max: 200_000 }), title: fc.integer({ min: 0, max: 5000 }), uses: fc.integer({ min: 1, max: 1500 }),
}).map(({ url, title, uses }) => `[r]: https://example.com/${'u'.repeat(url)} "${'t'.repeat(title)}"\n\n${blocks('[r] ', uses, 400)}`);
const nesting = fc.record({ marker: fc.constantFrom('> ', '- ', '1. ', '* > '), depth: fc.integer({ min: 1, max: 40 }), lines: fc.integer({ min: 1, max: 1500 }) })
  .map(({ marker, depth, lines }) => `${marker.repeat(depth)}item\n`.repeat(lines));
const emphasis = fc.record({ run: fc.constantFrom('*', '_', '**', '***', '~~', '*a_'), count: fc.integer({ min: 1, max: 1200 }) })
  .map(({ run, count }) => blocks(`${run}a`, count, 400));
const autolink = fc.record({ link: fc.constantFrom('www.example.com/a ', 'https://example.com/x?y=1 ', 'desk@example.org ', 'www.a.b.c.d.e_f '), count: fc.integer({ min: 1, max: 30_000 }) })
  .map(({ link, count }) => link.repeat(count));
const entity = fc.record({ entity: fc.constantFrom('&amp;', '&#x26;', '&NotEqualTilde;', '&#1;', '&', '\\<'), count: fc.integer({ min: 1, max: 60_000 }) })
  .map(({ entity, count }) => blocks(entity, count, 500));
const html = fc.record({ tag: fc.constantFrom('<div>x</div>', '<b id=x>', '<table><tr><td>', '<a href=x>', '<!-- c -->', '<p>'), count: fc.integer({ min: 1, max: 5000 }) })
  .map(({ tag, count }) => blocks(tag, count, 200));
const footnote = fc.record({ label: fc.integer({ min: 1, max: 999 }), uses: fc.integer({ min: 1, max: 1500 }) })
  .map(({ label, uses }) => `${blocks(`[^${'n'.repeat(label)}] `, uses, 500)}\n\n[^${'n'.repeat(label)}]: note\n`);
const title = fc.record({ length: fc.integer({ min: 1, max: 200_000 }), uses: fc.integer({ min: 1, max: 50 }) })
  .map(({ length, uses }) => blocks(`[a](https://example.com/ "${'t'.repeat(length)}") `, uses, 10));
const bodies = fc.array(fc.oneof(prose, table, reference, nesting, emphasis, autolink, entity, html, footnote, title), { minLength: 1, maxLength: 3 })
  // No article body is longer than the file limit.
  .map((parts) => parts.join('\n\n').slice(0, MAX_FILE_BYTES));

/** Known slow or amplifying inputs from Markdown parsers' issue trackers and cmark's pathological tests. */
const PATTERNS: Record<string, string> = {
  'table 1,000 x 1,000': `|${'a|'.repeat(1000)}\n|${'-|'.repeat(1000)}\n${'x\n'.repeat(1000)}`,
  'table 127 columns x 1,900 rows': `x\n${'-|'.repeat(127)}\n${'x\n'.repeat(1900)}`,
  'reference 1 MB x 900': `[a]: https://example.com/${'y'.repeat(1_000_000)}\n\n${blocks('[a] ', 900, 450)}`,
  'nested strong emphasis': blocks('*a **a ', 40_000, 250),
  'emphasis closers without openers': blocks('a* ', 60_000, 1000),
  'emphasis openers without closers': blocks('_a ', 60_000, 1000),
  'link closers without openers': blocks('a] ', 60_000, 1000),
  'link openers without closers': blocks('[a ', 60_000, 1000),
  'unclosed links': blocks('[a](<b', 30_000, 500),
  'mismatched openers and closers': blocks('*a_ ', 50_000, 1000),
  'nested brackets': `${'['.repeat(1000)}a${']'.repeat(1000)}`,
  'backslash backticks': blocks('\\``', 60_000, 1000),
  'angle pairs': blocks('<>', 60_000, 1000),
  'brackets and parentheses': blocks('[ (](', 40_000, 500),
  'paragraph of 1,999 pipe lines x 25': blocks('a|b\n', 49_000, 1999),
  'footnote label 999 x 1,500': `${blocks(`[^${'n'.repeat(999)}] `, 1500, 600)}\n\n[^${'n'.repeat(999)}]: note\n`,
  'many definitions': '[x]: https://example.com/\n'.repeat(1999),
  'autolink literals': 'www.example.com/a_b '.repeat(90_000),
  'email autolinks': 'a.b-c_d@example.org '.repeat(90_000),
  'entities': '&NotEqualTilde;'.repeat(120_000),
  'unclosed formatting tags': `${blocks('<b id=a1>', 3000, 500)}\n\n${'para\n\n'.repeat(3000)}`,
  'deep block quotes': `${'> '.repeat(32)}x\n`.repeat(1500),
};

describe('Markdown amplification search', () => {
  it.for<[string, string]>(Object.entries(PATTERNS))('keeps %s within the output budget or refuses it', { timeout: 120_000 }, async ([name, body], { annotate }) => {
    // Prepare
    const budget = htmlBudget(body.length);

    // Act
    const result = measure(body);

    // Assess
    expect(result.output).toBeLessThanOrEqual(budget);
    if (name.startsWith('table 1,000') || name.startsWith('reference')) expect(result.reason).toMatch(/tables have|reference links repeat/);
    await annotate(`in ${result.input} out ${result.output} ratio ${(result.output / result.input).toFixed(1)} ` +
      `${result.ms.toFixed(0)} ms heap +${result.heapMb.toFixed(0)} MiB ${result.reason ?? 'rendered'}`);
  });

  it('renders grammar-shaped bodies within the output budget or refuses them', async ({ annotate }) => {
    // Prepare
    const results: Measure[] = [];

    // Act
    fc.assert(fc.property(bodies, (body) => {
      const result = measure(body);
      results.push(result);
      expect(result.output).toBeLessThanOrEqual(htmlBudget(body.length));
    }), { seed: 20211108, numRuns: 40 });

    // Assess
    const rendered = results.filter((result) => result.reason === undefined);
    const ratio = Math.max(...rendered.map((result) => result.output / result.input));
    const slowest = results.reduce((a, b) => (b.ms > a.ms ? b : a));
    expect(results.some((result) => result.reason !== undefined)).toBe(true);
    await annotate(`${results.length} cases, ${rendered.length} rendered, largest output/input ratio ${ratio.toFixed(1)}, ` +
      `slowest ${slowest.ms.toFixed(0)} ms (in ${slowest.input}, ${slowest.reason ?? 'rendered'}), ` +
      `largest heap growth ${Math.max(...results.map((result) => result.heapMb)).toFixed(0)} MiB`);
  }, 600_000);
});
