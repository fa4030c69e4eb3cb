import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HTML_ALLOWANCE_CHARS, htmlBudget, MAX_HTML_CHARS, MAX_HTML_RATIO, MAX_NODES, MAX_REFERENCE_CHARS, MAX_TABLE_CELLS,
} from '../../../../lambdas/core/content/markdown-budget.js';
import {
  MAX_BACKTICKS_PER_BLOCK, MAX_BODY_LINES, MAX_DELIMITERS_PER_BLOCK, MAX_DELIMITERS_PER_BODY, MAX_LINE_INDENT, MAX_LINES_PER_BLOCK,
  MAX_TOTAL_INDENT, renderMarkdown, stripXmlIllegal,
} from '../../../../lambdas/core/content/markdown.js';
import { isRightToLeft } from '../../../../lambdas/core/text/language.js';

/** Bodies of hundreds of kilobytes take seconds to parse on a busy 2-core machine. */
const SLOW_BODY_TIMEOUT = 60_000;
const BASE = { baseUrl: 'https://news.example.com/articles/story/', lang: 'en' };

describe('renderMarkdown', () => {
  it('renders CommonMark and GFM tables, strikethrough and autolinks', () => {
    // Prepare
    const markdown = '# Head\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ www.example.org\n';

    // Act
    const html = renderMarkdown(markdown, BASE);

    // Assess
    expect(html).toContain('<h1>Head</h1>');
    expect(html).toContain('<td>1</td>');
    expect(html).toContain('<del>old</del>');
    expect(html).toContain('<a href="http://www.example.org/">www.example.org</a>');
  });

  it('makes relative links, images and footnote references absolute against the article URL', () => {
    // Prepare
    const markdown = 'See [next](../next/) and ![map](map.png)[^1].\n\n[^1]: Source.\n';

    // Act
    const html = renderMarkdown(markdown, BASE);

    // Assess
    expect(html).toContain('<a href="https://news.example.com/articles/next/">next</a>');
    expect(html).toContain('<img src="https://news.example.com/articles/story/map.png" alt="map">');
    expect(html).toContain('href="https://news.example.com/articles/story/#user-content-fn-1"');
    expect(html).not.toMatch(/(href|src)="(?!https:)/);
  });

  it('keeps safe inline HTML and drops what the allowlist does not name', () => {
    // Prepare
    const markdown = 'Hello <kbd>Ctrl</kbd> <marquee>moving</marquee> <span style="color:red" class="x">s</span>\n';

    // Act
    const html = renderMarkdown(markdown, BASE);

    // Assess
    expect(html).toBe('<p>Hello <kbd>Ctrl</kbd> moving <span>s</span></p>');
  });

  it('escapes markup-looking text in code', () => {
    // Prepare
    const markdown = 'Use `<script>` & `a<b`.\n';

    // Act
    const html = renderMarkdown(markdown, BASE);

    // Assess
    expect(html).toBe('<p>Use <code>&#x3C;script></code> &#x26; <code>a&#x3C;b</code>.</p>');
  });

  it('keeps mailto links and removes other schemes', () => {
    // Prepare
    const markdown = '[m](mailto:desk@example.org) [f](ftp://example.org/x) [i](irc://example.org/x)\n';

    // Act
    const html = renderMarkdown(markdown, BASE);

    // Assess
    expect(html).toBe('<p><a href="mailto:desk@example.org">m</a> <a>f</a> <a>i</a></p>');
  });

  it('wraps right-to-left languages in a dir="rtl" block', () => {
    // Prepare
    const options = { ...BASE, lang: 'fa' };

    // Act
    const html = renderMarkdown('سلام', options);

    // Assess
    expect(html).toBe('<div dir="rtl" lang="fa"><p>سلام</p></div>');
  });
});

describe('isRightToLeft', () => {
  it('recognizes right-to-left primary languages and scripts', () => {
    // Prepare
    const tags = ['ar', 'he', 'fa-ir', 'ur', 'az-arab', 'en', 'id', 'zh-hans'];

    // Act
    const results = tags.map(isRightToLeft);

    // Assess
    expect(results).toEqual([true, true, true, true, true, false, false, false]);
  });
});

describe('stripXmlIllegal', () => {
  it('removes C0 and C1 controls, noncharacters and lone surrogates but keeps tab, LF, CR and pairs', () => {
    // Prepare
    const text = 'a\u0000b\u0008c\td\ne\rf\u000bg\u0085h\uffffi\ud800j\ud83c\udf89';

    // Act
    const clean = stripXmlIllegal(text);

    // Assess
    expect(clean).toBe('abc\td\ne\rfghij\ud83c\udf89');
  });
});

describe('renderMarkdown complexity bounds', () => {
  it('rejects a body with more lines than the limit', () => {
    // Prepare
    const markdown = 'x\n'.repeat(MAX_BODY_LINES);

    // Act
    const render = () => renderMarkdown(markdown, BASE);

    // Assess
    expect(render).toThrow(`body: has more than ${MAX_BODY_LINES} lines`);
  });

  it('rejects nesting deeper than the indentation limit but accepts long rules', () => {
    // Prepare
    const deep = `${'- '.repeat(MAX_LINE_INDENT / 2 + 1)}x`;
    const rule = `Title\n${'-'.repeat(200)}\n\n${'* '.repeat(100)}`;

    // Act
    const render = () => renderMarkdown(deep, BASE);

    // Assess
    expect(render).toThrow(/nested more than 64 characters deep/);
    expect(renderMarkdown(rule, BASE)).toBe('<h2>Title</h2>\n<hr>');
  });

  it('rejects too much total indentation', () => {
    // Prepare
    const markdown = `${' '.repeat(40)}x\n`.repeat(MAX_TOTAL_INDENT / 40 + 1);

    // Act
    const render = () => renderMarkdown(markdown, BASE);

    // Assess
    expect(render).toThrow(/characters of indentation and nesting/);
  });

  it('counts delimiters per block, so the same delimiters split by blank lines pass', () => {
    // Prepare
    const flood = '*a* '.repeat(MAX_DELIMITERS_PER_BLOCK / 2 + 1);
    const split = flood.replaceAll('*a* *a* *a* *a* ', '*a* *a* *a* *a*\n\n');

    // Act
    const render = () => renderMarkdown(flood, BASE);

    // Assess
    expect(render).toThrow(/block 1 has \d+ Markdown delimiter characters/);
    expect(renderMarkdown(split, BASE)).toContain('<p><em>a</em> <em>a</em> <em>a</em> <em>a</em></p>');
  });

  it('rejects a body over the total delimiter limit', () => {
    // Prepare
    const markdown = '[a](b) [a](b) [a](b) [a](b)\n\n'.repeat(MAX_DELIMITERS_PER_BODY / 16 + 1);

    // Act
    const render = () => renderMarkdown(markdown, BASE);

    // Assess
    expect(render).toThrow(`body: has more than ${MAX_DELIMITERS_PER_BODY} Markdown delimiter characters`);
  });
});

describe('renderMarkdown output budget', () => {
  it('rejects a 6 KB table whose rows filled out to the header make a million cells', () => {
    // Prepare
    const markdown = `|${'a|'.repeat(1000)}\n|${'-|'.repeat(1000)}\n${'x\n'.repeat(1000)}`;

    // Act
    const render = () => renderMarkdown(markdown, BASE);

    // Assess
    expect(markdown.length).toBeLessThan(6200);
    expect(render).toThrow(`body: tables have 1001000 cells (rows × columns, short rows filled out), more than ${MAX_TABLE_CELLS}`);
  });

  it('renders a table of exactly the cell limit', () => {
    // Prepare
    const columns = 20;
    const markdown = `|${'h|'.repeat(columns)}\n|${'-|'.repeat(columns)}\n${`|${'1|'.repeat(columns)}\n`.repeat(MAX_TABLE_CELLS / columns - 1)}`;

    // Act
    const html = renderMarkdown(markdown, BASE);

    // Assess
    expect(html.match(/<td>/g)).toHaveLength(MAX_TABLE_CELLS - columns);
  });

  it('rejects a 1 MB link definition used 900 times before expanding it', () => {
    // Prepare
    const definition = `[a]: https://example.com/${'y'.repeat(1_000_000)}\n\n`;
    const markdown = definition + '[a] '.repeat(900);

    // Act
    const render = () => renderMarkdown(markdown, BASE);

    // Assess
    expect(render).toThrow(/^body: reference links repeat 900\d{6} characters of link definitions \(URL and title once per use\)/);
  });

  it('counts a definition once per use, titles included, and accepts uses under the limit', () => {
    // Prepare
    // Prose keeps the ratio budget out of the way, so the reference limit is the one reached.
    const definition = `${'Prose. '.repeat(6000)}\n\n[a]: https://example.com/x "${'t'.repeat(1000)}"\n\n`;
    const uses = Math.floor(MAX_REFERENCE_CHARS / 1023);

    // Act
    const under = renderMarkdown(definition + '[a] '.repeat(uses), BASE);
    const over = () => renderMarkdown(`${definition}${'[a] '.repeat(uses)}\n\n[a] [a]`, BASE);

    // Assess
    expect(under.match(/<a /g)).toHaveLength(uses);
    expect(over).toThrow(`more than ${MAX_REFERENCE_CHARS}`);
  });

  it('rejects footnote references whose numbered links and back references outgrow the ratio', () => {
    // Prepare
    const markdown = `${'[^1] '.repeat(900)}\n\n[^1]: note\n`;

    // Act
    const render = () => renderMarkdown(markdown, BASE);

    // Assess
    expect(render).toThrow(`more than ${htmlBudget(markdown.length)} (${HTML_ALLOWANCE_CHARS} + ${MAX_HTML_RATIO} × the body's ${markdown.length}`);
  });

  it('rejects escaped text over the budget on the HTML tree, before serialising it', () => {
    // Prepare
    const markdown = '&'.repeat(800_000);

    // Act
    const render = () => renderMarkdown(markdown, BASE);

    // Assess
    expect(render).toThrow(/^body: renders to about 48000\d\d characters of HTML, more than 4194304/);
  }, SLOW_BODY_TIMEOUT);

  it('rejects a body with more Markdown nodes than the limit', () => {
    // Prepare
    const markdown = 'www.a.io '.repeat(MAX_NODES / 2 + 1);

    // Act
    const render = () => renderMarkdown(markdown, BASE);

    // Assess
    expect(render).toThrow(new RegExp(`^body: has \\d+ Markdown nodes, more than ${MAX_NODES}$`));
  }, SLOW_BODY_TIMEOUT);

  it('rejects a block with more lines than the limit and accepts the same lines split', () => {
    // Prepare
    const long = 'a b\n'.repeat(MAX_LINES_PER_BLOCK + 1);
    const split = `${'a b\n'.repeat(MAX_LINES_PER_BLOCK / 2)}\n`.repeat(2);

    // Act
    const render = () => renderMarkdown(long, BASE);

    // Assess
    expect(render).toThrow(`body: block 1 has ${MAX_LINES_PER_BLOCK + 2} lines, more than ${MAX_LINES_PER_BLOCK}`);
    expect(renderMarkdown(split, BASE).match(/<p>/g)).toHaveLength(2);
  });
});

describe('renderMarkdown backtick bound', () => {
  it('rejects a block with more backticks than the limit, whose unmatched runs cost quadratic time', () => {
    // Prepare
    const markdown = '\\``'.repeat(MAX_BACKTICKS_PER_BLOCK / 2 + 1);

    // Act
    const render = () => renderMarkdown(markdown, BASE);

    // Assess
    expect(render).toThrow(`body: block 1 has ${MAX_BACKTICKS_PER_BLOCK + 2} backticks, more than ${MAX_BACKTICKS_PER_BLOCK}`);
  });
});

describe('htmlBudget', () => {
  it('allows a fixed allowance plus a multiple of the body, capped absolutely', () => {
    // Prepare
    const lengths = [0, 1000, 10_000_000];

    // Act
    const budgets = lengths.map(htmlBudget);

    // Assess
    expect(budgets).toEqual([HTML_ALLOWANCE_CHARS, HTML_ALLOWANCE_CHARS + MAX_HTML_RATIO * 1000, MAX_HTML_CHARS]);
  });
});

describe('renderMarkdown with arbitrary input', () => {
  it('never emits active markup, unsafe URLs, CDATA ends or XML-illegal characters', () => {
    // Prepare
    const pieces = fc.constantFrom(
      '<script>x</script>', '<a href="javascript:x">', '[a](javascript:x)', '![i](data:x)', '<img src=x onerror=y>',
      '<svg onload=x>', '<iframe>', '<style>', ' style="x"', ']]>', '&#1;', '\u0001', '\ud800', '*', '[', '](', '\n\n',
      '> ', '- ', '`', '<!--', '<math>', 'text', '"', "'", '<', '>', '&',
    );
    const bodies = fc.array(fc.oneof(pieces, fc.string({ maxLength: 5 })), { maxLength: 40 }).map((parts) => parts.join(''));
    // Text `<` is always escaped, so these patterns can only match real markup.
    const unsafeMarkup = /<(script|iframe|svg|math|style|object|embed)|<[a-z][^>]*\s(on\w+|style)=|<!--/i;
    const illegal = /]]>|[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFD-\uFFFF]/;
    const urls = /\s(?:href|src|cite)="([^"]*)"/g;

    // Act and Assess
    fc.assert(
      fc.property(bodies, (body) => {
        const html = renderMarkdown(body, BASE);
        expect(html).not.toMatch(unsafeMarkup);
        expect(html).not.toMatch(illegal);
        for (const [, url] of html.matchAll(urls)) expect(url).toMatch(/^(https:\/\/|http:\/\/|mailto:)/);
      }),
      { seed: 20211108, numRuns: 400 },
    );
  });
});
