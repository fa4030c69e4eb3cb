import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArticleParseError } from '../../../../lambdas/core/errors.js';
import { parseArticle } from '../../../../lambdas/core/content/parse-article.js';
import { MAX_FILE_BYTES, MAX_FRONT_MATTER_CHARS } from '../../../../lambdas/core/content/safe-yaml.js';
import { selectArticles } from '../../../../lambdas/core/content/select-articles.js';
import { makeArticleText } from '../../../support/content-files.js';
import { buildSite } from '../../../support/article-factory.js';

/**
 * Hostile and malformed article files (test/fixtures/hostile/), each with its expected outcome:
 * rejected with a named field and reason, or accepted with exact text and safe HTML.
 */
const FIXTURES = join(import.meta.dirname, '../../../fixtures/hostile');
const SITE = buildSite();

interface Rejection { readonly field: string | undefined; readonly reason: RegExp }
interface Acceptance {
  readonly title?: string;
  readonly summary?: string;
  readonly date?: string;
  readonly tags?: readonly string[];
  readonly authors?: readonly string[];
  readonly html?: string;
  readonly htmlContains?: readonly string[];
  readonly htmlExcludes?: readonly RegExp[];
}

const REJECTS: Record<string, Rejection> = {
  'yaml-anchor-alias.md': { field: 'summary', reason: /anchors are not allowed/ },
  'yaml-alias-bomb.md': { field: 'a', reason: /anchors are not allowed/ },
  'yaml-custom-tag.md': { field: 'summary', reason: /tags are not allowed \(!foo\)/ },
  'yaml-js-function-tag.md': { field: 'summary', reason: /tags are not allowed .*js\/function/ },
  'yaml-explicit-core-tag.md': { field: 'summary', reason: /tags are not allowed/ },
  'yaml-duplicate-key.md': { field: undefined, reason: /keys must be unique/ },
  'yaml-syntax-error.md': { field: undefined, reason: /^invalid YAML/ },
  'yaml-not-a-mapping.md': { field: undefined, reason: /must be a mapping/ },
  'yaml-merge-key.md': { field: '<<', reason: /unknown field/ },
  'yaml-proto-key.md': { field: '__proto__', reason: /unknown field/ },
  'yaml-document-end-marker.md': { field: undefined, reason: /multiple documents/ },
  'no-front-matter.md': { field: undefined, reason: /must start with a "---" line/ },
  'unclosed-front-matter.md': { field: undefined, reason: /not closed/ },
  'missing-title.md': { field: 'title', reason: /is required/ },
  'missing-date.md': { field: 'date', reason: /is required/ },
  'title-number.md': { field: 'title', reason: /expected a string, got number 1984/ },
  'title-blank.md': { field: 'title', reason: /must not be empty/ },
  'title-list.md': { field: 'title', reason: /expected a string, got a list/ },
  'title-multiline.md': { field: 'title', reason: /single line/ },
  'title-too-long.md': { field: 'title', reason: /longer than 500/ },
  'unknown-field.md': { field: 'titel', reason: /unknown field/ },
  'draft-string.md': { field: 'draft', reason: /expected a boolean/ },
  'machine-translated-number.md': { field: 'machineTranslated', reason: /expected a boolean/ },
  'summary-mapping.md': { field: 'summary', reason: /expected a string, got a mapping/ },
  'tags-not-a-list.md': { field: 'tags', reason: /expected a list/ },
  'tags-thousands.md': { field: 'tags', reason: /more than 50 tags/ },
  'tag-too-long.md': { field: 'tags[0]', reason: /longer than 100/ },
  'tag-number.md': { field: 'tags[0]', reason: /expected a string/ },
  'lang-invalid.md': { field: 'lang', reason: /not a BCP 47 language tag/ },
  'translated-from-invalid.md': { field: 'translatedFrom', reason: /not a BCP 47 language tag/ },
  'author-bad-email.md': { field: 'authors[0].email', reason: /not an email address/ },
  'author-unknown-key.md': { field: 'authors[0].emial', reason: /unknown field/ },
  'author-list-of-numbers.md': { field: 'authors[0]', reason: /expected a name or a mapping/ },
  'id-invalid.md': { field: 'id', reason: /characters of/ },
  'date-impossible-feb-30.md': { field: 'date', reason: /not a possible date/ },
  'date-hour-25.md': { field: 'date', reason: /not a possible date/ },
  'date-minute-60.md': { field: 'date', reason: /not a possible date/ },
  'date-offset-out-of-range.md': { field: 'date', reason: /impossible UTC offset/ },
  'date-free-text.md': { field: 'date', reason: /not an ISO 8601/ },
  'date-number.md': { field: 'date', reason: /expected an ISO 8601 date string/ },
  'date-slashes.md': { field: 'date', reason: /not an ISO 8601/ },
  'updated-before-date.md': { field: 'updated', reason: /must not be before date/ },
  'canonical-javascript.md': { field: 'canonicalUrl', reason: /must use http or https/ },
  'image-data-url.md': { field: 'image', reason: /must use http or https/ },
  'image-protocol-relative.md': { field: 'image', reason: /absolute URL or a site path/ },
  'slug-path-traversal.md': { field: 'slug', reason: /may only contain/ },
  'slug-encoded-traversal.md': { field: 'slug', reason: /may only contain/ },
  'slug-reserved-tags.md': { field: 'slug', reason: /reserved/ },
  'slug-reserved-archive.md': { field: 'slug', reason: /reserved/ },
  'slug-uppercase.md': { field: 'slug', reason: /may only contain/ },
  'slug-too-long.md': { field: 'slug', reason: /1 to 100 characters/ },
  'invalid-utf8.md': { field: undefined, reason: /not valid UTF-8/ },
  'binary-png.md': { field: undefined, reason: /not valid UTF-8/ },
  'utf16-with-bom.md': { field: undefined, reason: /not valid UTF-8/ },
  'nul-in-front-matter.md': { field: undefined, reason: /control character U\+0000/ },
  'bell-in-title.md': { field: undefined, reason: /control character U\+0007/ },
  'c1-control-in-summary.md': { field: undefined, reason: /control character U\+0085/ },
  'yaml-escaped-controls-title.md': { field: 'title', reason: /^value contains the control character U\+0007$/ },
  'yaml-escaped-c1-tag.md': { field: 'tags[0]', reason: /^value contains the control character U\+0085$/ },
  'yaml-escaped-lone-surrogate.md': { field: 'summary', reason: /^value is not valid Unicode \(lone surrogate\)$/ },
  'bidi-only-closers-title.md': { field: 'title', reason: /must not be empty/ },
  'bidi-nesting-too-deep.md': { field: 'title', reason: /nests bidi embeddings, overrides and isolates more than 125 deep/ },
  'bidi-nesting-too-deep-body.md': { field: 'body', reason: /nests bidi embeddings, overrides and isolates more than 125 deep/ },
  'bidi-in-email.md': { field: 'authors[0].email', reason: /must not contain bidi formatting characters/ },
  'deep-blockquote.md': { field: 'body', reason: /nested more than 64 characters deep/ },
  'deep-html-nesting.md': { field: 'body', reason: /nests too deeply to render/ },
  'emphasis-delimiter-flood.md': { field: 'body', reason: /block 1 has 6000 Markdown delimiter characters/ },
  'nested-brackets.md': { field: 'body', reason: /block 1 has 3000 Markdown delimiter characters/ },
  'table-cell-bomb.md': { field: 'body', reason: /tables have 1001000 cells .*more than 20000/ },
  'reference-bomb.md': { field: 'body', reason: /reference links repeat \d+ characters of link definitions/ },
};

const NO_ACTIVE_CONTENT = [/<script/i, /javascript:/i, /vbscript:/i, /data:/i, /\son[a-z]+=/i, /<iframe/i,
  /<svg/i, /<math/i, /<style/i, /style=/i, /<object/i, /<embed/i, /<form/i, /<input/i, /<link/i, /<base/i,
  /<meta/i, /]]>/, /<!--/];

const ACCEPTS: Record<string, Acceptance> = {
  'utf8-bom.md': { title: 'BOM title', html: '<p>Body text.</p>' },
  // `slug: en`: pages live under articles/, so a language-like slug clashes with nothing.
  'slug-language-code.md': { title: 'Safe title', html: '<p>Body text.</p>' },
  'crlf-line-endings.md': { title: 'CRLF title', summary: 'Line one', html: '<p>Para one</p>\n<p>Para two</p>' },
  'controls-in-body.md': { html: '<p>Clean text stays here.</p>\n<p>Ref    end.</p>' },
  'date-without-zone.md': { date: '2021-11-08T02:15:00.000Z' },
  'date-only.md': { date: '2021-11-07T17:00:00.000Z' },
  'script-tags.md': { htmlContains: ['<p>Before</p>', '<p>After  inline.</p>'], htmlExcludes: [/alert|cookie|evil/] },
  'javascript-urls.md': {
    htmlContains: ['<a>click</a>', '<a>entity</a>', '<a>vb</a>', '<a href="https://example.org/ok">ok</a>'],
  },
  'data-urls.md': { htmlContains: ['<img alt="img">', '<a>d2</a>'] },
  'event-handlers.md': { htmlContains: ['<img src="https://example.org/a.png">', '<p>hover</p>'], htmlExcludes: [/alert/] },
  'iframes.md': { htmlContains: ['<p>Text after.</p>'], htmlExcludes: [/evil|alert/] },
  'svg-payload.md': { htmlContains: ['<p>After svg.</p>'], htmlExcludes: [/alert|click/] },
  'mathml-payload.md': { htmlContains: ['<p>After math.</p>'], htmlExcludes: [/alert|<img/] },
  'css-tricks.md': { htmlContains: ['<div>overlay</div>', '<p>styled</p>'], htmlExcludes: [/display|position|evil|class=/] },
  'object-embed-form.md': { htmlExcludes: [/evil|password|<button/] },
  'base-meta-tags.md': {
    htmlContains: ['<a href="https://news.example.com/articles/base-meta-tags/page/">relative</a>'],
    htmlExcludes: [/evil|refresh/],
  },
  'html-comment.md': { html: '<p>Visible  text.</p>' },
  'cdata-terminators.md': {
    title: 'Title ]]> with ]]> twice',
    htmlContains: ['One ]]&gt; two ]]&gt; three ]]]]&gt;', '<code>]]&gt;\n</code>'],
  },
  'dom-clobbering.md': { htmlContains: ['id="user-content-__proto__"', 'name="user-content-getElementById"'] },
  'relative-urls.md': {
    htmlContains: [
      'href="https://news.example.com/articles/other/"',
      'href="https://news.example.com/about/"',
      'href="https://news.example.com/articles/relative-urls/#part"',
      'href="https://cdn.example.org/x.js"',
      'src="https://news.example.com/articles/relative-urls/images/p.jpg"',
      'cite="https://news.example.com/articles/relative-urls/notes/1"',
    ],
  },
  'entities-in-title.md': { title: 'AT&amp;T <b>bold</b> &lt;tag&gt; & more', summary: 'Fish &amp; chips <em>now</em>' },
  'unicode-text.md': { title: 'António — Ğüç 東京 🎉 שלום', tags: ['Timur Tengah', '東京'] },
  'tags-deduplicated.md': { tags: ['Iraq', 'United Nations'] },
  'rtl-arabic.md': {
    title: 'مرحبا',
    html: '<div dir="rtl" lang="ar"><p>مرحبا <a href="https://news.example.com/ar/articles/rtl-arabic/page/">رابط</a></p></div>',
  },
  // Bidi controls: balanced per field and per body block; balanced text is kept exactly as written.
  'bidi-override-title.md': { title: 'Invoice \u202egnp.exe\u202c' },
  'bidi-isolate-tag.md': { tags: ['safe\u2066tag\u2069'] },
  'bidi-override-author.md': { authors: ['Mallory \u202d\u202c'] },
  'bidi-embedding-summary.md': { summary: 'x \u202b y\u202c' },
  'bidi-unmatched-closers.md': { title: 'Breaking news', tags: ['desk'] },
  'bidi-arabic-newsroom.md': {
    title: '\u200fعاجل\u200e: \u2067الأمم المتحدة\u2069 تدين هجوم \u2066Baghdad 2021\u2069',
    summary: '\u202bنص \u202aUN-2021\u202c مضمن\u202c والرقم \u061c-5',
    tags: ['\u2068العراق\u2069', '\u2066UN\u2069'],
    authors: ['\u2067مراسل\u2069 \u2066(Reuters)\u2069'],
    html: '<div dir="rtl" lang="ar"><p>قال \u2066António Guterres\u2069 إن \u2067<strong>الهجوم</strong>\u2069 مدان.</p></div>',
  },
  'bidi-override-in-body.md': {
    html: '<p>Invoice \u202egnp.exe and *more\u202c</p>\n<ul>\n<li>one \u2067item\u2069</li>\n<li>two</li>\n</ul>\n' +
      '<p><img src="https://news.example.com/articles/bidi-override-in-body/logo.png" alt="logo\u202e\u202c"></p>',
  },
  'empty-body.md': { html: '' },
  'autolink-and-mailto.md': {
    htmlContains: ['href="https://example.org/auto"', 'href="http://www.example.org/"', 'href="mailto:desk@example.org"'],
  },
  'duplicate-slug-a.md': {},
  'duplicate-slug-b.md': {},
  'duplicate-id-a.md': {},
  'duplicate-id-b.md': {},
};

/** Parses one fixture file as `articles/hostile/<name>`. */
function parseFixture(name: string) {
  return parseArticle(`articles/hostile/${name}`, readFileSync(join(FIXTURES, name)), SITE);
}

/** The error thrown by `run`, or a failure when nothing is thrown. */
function thrown(run: () => unknown): ArticleParseError {
  try {
    run();
  } catch (error) {
    if (error instanceof ArticleParseError) return error;
    throw error;
  }
  throw new Error('expected an ArticleParseError');
}

describe('hostile input fixtures', () => {
  it('lists an expectation for every fixture file and at least 50 cases', () => {
    // Prepare
    const files = readdirSync(FIXTURES).sort();

    // Act
    const expected = [...Object.keys(REJECTS), ...Object.keys(ACCEPTS)].sort();

    // Assess
    expect(expected).toEqual(files);
    expect(files.length).toBeGreaterThanOrEqual(50);
  });

  it.each(Object.entries(REJECTS))('rejects %s naming the file, field and reason', (name, rejection) => {
    // Prepare
    const run = () => parseFixture(name);

    // Act
    const error = thrown(run);

    // Assess
    expect(error.path).toBe(`articles/hostile/${name}`);
    expect(error.field).toBe(rejection.field);
    expect(error.reason).toMatch(rejection.reason);
    expect(error.message).toContain(`articles/hostile/${name}: `);
  });

  it.each(Object.entries(ACCEPTS))('accepts %s with faithful text and safe HTML', (name, acceptance) => {
    // Prepare
    const { htmlContains = [], htmlExcludes = [], ...exact } = acceptance;

    // Act
    const article = parseFixture(name);

    // Assess
    if (exact.title !== undefined) expect(article.title).toBe(exact.title);
    if (exact.summary !== undefined) expect(article.summary).toBe(exact.summary);
    if (exact.date !== undefined) expect(article.date.toISOString()).toBe(exact.date);
    if (exact.tags !== undefined) expect(article.tags).toEqual(exact.tags);
    if (exact.authors !== undefined) expect(article.authors.map((person) => person.name)).toEqual(exact.authors);
    if (exact.html !== undefined) expect(article.contentHtml).toBe(exact.html);
    for (const fragment of htmlContains) expect(article.contentHtml).toContain(fragment);
    for (const pattern of [...NO_ACTIVE_CONTENT, ...htmlExcludes]) expect(article.contentHtml).not.toMatch(pattern);
    expect(article.contentHtml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFD-\uFFFF]/);
  });

  it('rejects the later of two articles sharing a slug, naming the earlier file', () => {
    // Prepare
    const articles = ['duplicate-slug-b.md', 'duplicate-slug-a.md'].map(parseFixture);

    // Act
    const { articles: kept, rejected } = selectArticles(articles);

    // Assess
    expect(kept.map((a) => a.sourcePath)).toEqual(['articles/hostile/duplicate-slug-a.md']);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.path).toBe('articles/hostile/duplicate-slug-b.md');
    expect(rejected[0]?.field).toBe('url');
    expect(rejected[0]?.reason).toContain('articles/hostile/duplicate-slug-a.md');
  });

  it('rejects the later of two articles sharing an id, naming the earlier file', () => {
    // Prepare
    const articles = ['duplicate-id-a.md', 'duplicate-id-b.md'].map(parseFixture);

    // Act
    const { rejected } = selectArticles(articles);

    // Assess
    expect(rejected.map((e) => [e.path, e.field])).toEqual([['articles/hostile/duplicate-id-b.md', 'id']]);
    expect(rejected[0]?.reason).toContain('tag:news.example.com,2021:story/42');
    expect(rejected[0]?.reason).toContain('articles/hostile/duplicate-id-a.md');
  });
});

describe('hostile input generated in memory', () => {
  it('rejects a file one byte over the size limit', () => {
    // Prepare
    const text = makeArticleText({}, 'x'.repeat(MAX_FILE_BYTES));
    const bytes = new TextEncoder().encode(text).subarray(0, MAX_FILE_BYTES + 1);

    // Act
    const error = thrown(() => parseArticle('articles/big.md', bytes, SITE));

    // Assess
    expect(error.reason).toBe(`is larger than the ${MAX_FILE_BYTES}-byte limit`);
  });

  it('counts the size of string input in UTF-8 bytes', () => {
    // Prepare
    const text = makeArticleText({}, 'é'.repeat(MAX_FILE_BYTES / 2));

    // Act
    const error = thrown(() => parseArticle('articles/big.md', text, SITE));

    // Assess
    expect(text.length).toBeLessThan(MAX_FILE_BYTES);
    expect(error.reason).toMatch(/byte limit/);
  });

  it('rejects a huge YAML document before parsing it', () => {
    // Prepare
    const text = makeArticleText({ summary: `"${'y'.repeat(MAX_FRONT_MATTER_CHARS)}"` });

    // Act
    const error = thrown(() => parseArticle('articles/huge.md', text, SITE));

    // Assess
    expect(error.reason).toMatch(/YAML is longer than/);
  });

  it('strips lone surrogates from a string body and rejects them in front matter', () => {
    // Prepare
    const body = makeArticleText({}, 'half \uD800 pair\n');
    const front = makeArticleText({ summary: '"half \uDC00 pair"' });

    // Act
    const article = parseArticle('articles/surrogate.md', body, SITE);
    const error = thrown(() => parseArticle('articles/surrogate.md', front, SITE));

    // Assess
    expect(article.contentHtml).toBe('<p>half  pair</p>');
    expect(error.reason).toMatch(/lone surrogate/);
  });

  it('renders a 1 MB body', { timeout: 60_000 }, () => {
    // Prepare
    const paragraph = `${'The mission urged calm and restraint in the days to come. '.repeat(20)}\n\n`;
    const body = paragraph.repeat(Math.ceil(1_000_000 / paragraph.length));

    // Act
    const article = parseArticle('articles/long.md', makeArticleText({}, body), SITE);

    // Assess
    expect(body.length).toBeGreaterThanOrEqual(1_000_000);
    expect(article.contentHtml.match(/<p>/g)).toHaveLength(Math.ceil(1_000_000 / paragraph.length));
  });
});
