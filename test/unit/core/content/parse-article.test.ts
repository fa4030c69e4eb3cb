import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArticleParseError } from '../../../../lambdas/core/errors.js';
import { parseArticle } from '../../../../lambdas/core/content/parse-article.js';
import { parseSiteConfig } from '../../../../lambdas/core/content/site-config.js';
import { makeArticleText } from '../../../support/content-files.js';
import { buildSite } from '../../../support/article-factory.js';

const ROOT = join(import.meta.dirname, '../../../..');
const SITE = buildSite();
const EN_PATH = 'articles/2021/11/un-condemns-drone-attack-on-iraqi-pm-residence.md';
const ID_PATH = 'articles/2021/11/un-condemns-drone-attack-on-iraqi-pm-residence.id.md';

/** The ArticleParseError thrown by `run`. */
function thrown(run: () => unknown): ArticleParseError {
  try {
    run();
  } catch (error) {
    if (error instanceof ArticleParseError) return error;
    throw error;
  }
  throw new Error('expected an ArticleParseError');
}

/** Parses a repository content file with the repository's site.yaml. */
function parseContent(path: string) {
  const site = parseSiteConfig('site.yaml', readFileSync(join(ROOT, 'content/site.yaml')));
  return parseArticle(path, readFileSync(join(ROOT, 'content', path)), site);
}

describe('parseArticle', () => {
  it('fills defaults: slug from the file name, site language and authors, id from the path', () => {
    // Prepare
    const text = makeArticleText();

    // Act
    const article = parseArticle('articles/2021/11/first-story.md', text, SITE);

    // Assess
    expect(article).toEqual({
      sourcePath: 'articles/2021/11/first-story.md',
      id: 'tag:news.example.com,2021:2021/11/first-story',
      slug: 'first-story',
      title: 'A title',
      date: new Date('2021-11-08T03:00:00.000Z'),
      lang: 'en',
      authors: SITE.authors,
      tags: [],
      draft: false,
      url: 'https://news.example.com/articles/first-story/',
      contentHtml: '<p>Body text.</p>',
    });
  });

  it('reads every optional field', () => {
    // Prepare
    const text = makeArticleText({
      updated: '2021-11-09',
      slug: 'custom',
      lang: 'ID',
      summary: 'One & two',
      authors: 'Reporter',
      tags: '[Iraq, PBB]',
      image: '/images/a.jpg',
      translationKey: 'k-1',
      draft: 'true',
      machineTranslated: 'false',
      translatedFrom: 'en',
      id: 'stories/42',
    });

    // Act
    const article = parseArticle('articles/x.md', text, SITE);

    // Assess
    expect(article).toMatchObject({
      id: 'tag:news.example.com,2021:stories/42',
      slug: 'custom',
      lang: 'id',
      updated: new Date('2021-11-08T17:00:00.000Z'),
      summary: 'One & two',
      authors: [{ name: 'Reporter' }],
      tags: ['Iraq', 'PBB'],
      image: 'https://news.example.com/images/a.jpg',
      translationKey: 'k-1',
      draft: true,
      machineTranslated: false,
      translatedFrom: 'en',
      url: 'https://news.example.com/id/articles/custom/',
    });
  });

  it('uses canonicalUrl as the URL and as the base for relative links', () => {
    // Prepare
    const text = makeArticleText({ canonicalUrl: 'https://www.example.org/2021/story.html' }, '[more](more.html)\n');

    // Act
    const article = parseArticle('articles/story.md', text, SITE);

    // Assess
    expect(article.url).toBe('https://www.example.org/2021/story.html');
    expect(article.contentHtml).toBe('<p><a href="https://www.example.org/2021/more.html">more</a></p>');
  });

  it('percent-encodes unusual path characters in the default id', () => {
    // Prepare
    const text = makeArticleText({ slug: 'cafe' });

    // Act
    const article = parseArticle('articles/2021/café story.md', text, SITE);

    // Assess
    expect(article.id).toBe('tag:news.example.com,2021:2021/caf%C3%A9%20story');
    expect(new URL(article.id).href).toBe(article.id);
  });

  it('asks for an explicit slug when the file name cannot be one', () => {
    // Prepare
    const text = makeArticleText();

    // Act
    const error = thrown(() => parseArticle('articles/2021/Breaking News.md', text, SITE));

    // Assess
    expect(error.field).toBe('slug');
    expect(error.reason).toMatch(/default from the file name: .*set "slug" explicitly/);
  });

  it.each(['articles/../site.yaml.md', '/articles/a.md', 'articles/a.txt', 'drafts/a.md', 'articles//a.md'])(
    'rejects the content path %s',
    (path) => {
      // Prepare
      const text = makeArticleText();

      // Act
      const error = thrown(() => parseArticle(path, text, SITE));

      // Assess
      expect(error.path).toBe(path);
      expect(error.field).toBe('path');
    },
  );

  it('reads dates without an offset in the site time zone', () => {
    // Prepare
    const text = makeArticleText({ date: '2021-11-08 08:00' });

    // Act
    const [jakarta, utc] = [SITE, buildSite({ timezone: 'UTC' })].map((site) => parseArticle('articles/a.md', text, site));

    // Assess
    expect(jakarta?.date.toISOString()).toBe('2021-11-08T01:00:00.000Z');
    expect(utc?.date.toISOString()).toBe('2021-11-08T08:00:00.000Z');
  });

  it('keeps plain-text fields exactly as written', () => {
    // Prepare
    const text = makeArticleText({ title: '"Q&amp;A: <b>why</b> 5 < 6 & \'quotes\'"' });

    // Act
    const article = parseArticle('articles/a.md', text, SITE);

    // Assess
    expect(article.title).toBe("Q&amp;A: <b>why</b> 5 < 6 & 'quotes'");
  });
});

describe('the first article and its translation', () => {
  it('carries every paragraph of the seed text into the HTML intact', () => {
    // Prepare
    const seed = readFileSync(join(ROOT, 'test/fixtures/seed-article.txt'), 'utf8');
    const paragraphs = seed.split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p !== '');

    // Act
    const article = parseContent(EN_PATH);

    // Assess
    expect(paragraphs).toHaveLength(16);
    expect(article.contentHtml).toBe(paragraphs.map((p) => `<p>${p}</p>`).join('\n'));
    expect(article.contentHtml).toContain('<p>JAKARTA - The United Nations has condemned');
    expect(article.contentHtml).toContain('António Guterres');
    expect(article.contentHtml).toContain('(system supported by DigitalSiber.id)</p>');
  });

  it('keeps the seed text byte for byte as the Markdown body', () => {
    // Prepare
    const seed = readFileSync(join(ROOT, 'test/fixtures/seed-article.txt'), 'utf8');

    // Act
    const source = readFileSync(join(ROOT, 'content', EN_PATH), 'utf8');

    // Assess
    expect(source.endsWith(`---\n\n${seed}\n`)).toBe(true);
  });

  it('describes the English story as machine-translated from Indonesian, dated in Jakarta', () => {
    // Prepare
    const path = EN_PATH;

    // Act
    const article = parseContent(path);

    // Assess
    expect(article).toMatchObject({
      title: "UN condemns drone attack on Iraqi Prime Minister's residence",
      date: new Date('2021-11-08T07:30:00.000Z'),
      lang: 'en',
      tags: ['Iraq', 'United Nations', 'Middle East'],
      machineTranslated: true,
      translatedFrom: 'id',
      url: 'https://news.example.com/articles/un-condemns-drone-attack-on-iraqi-pm-residence/',
      id: 'tag:news.example.com,2021:2021/11/un-condemns-drone-attack-on-iraqi-pm-residence',
    });
  });

  it('pairs the Indonesian version through the same translationKey under /id/', () => {
    // Prepare
    const english = parseContent(EN_PATH);

    // Act
    const indonesian = parseContent(ID_PATH);

    // Assess
    expect(indonesian.lang).toBe('id');
    expect(indonesian.translationKey).toBe(english.translationKey);
    expect(indonesian.url).toBe('https://news.example.com/id/articles/pbb-kecam-serangan-drone-kediaman-pm-irak/');
    expect(indonesian.id).not.toBe(english.id);
    expect(indonesian.contentHtml).toContain('bukan teks asli penerbit');
  });
});
