import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_BODY_LINES, MAX_DELIMITERS_PER_BLOCK, MAX_DELIMITERS_PER_BODY, MAX_LINE_INDENT, MAX_TOTAL_INDENT,
  renderMarkdown, stripXmlIllegal,
} from '../../../../lambdas/core/content/markdown.js';
import { isRightToLeft } from '../../../../lambdas/core/text/language.js';

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
