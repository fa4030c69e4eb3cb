import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../lambdas/core/content/article.js';
import { parseArticle } from '../../lambdas/core/content/parse-article.js';
import { parseSiteConfig } from '../../lambdas/core/content/site-config.js';
import { NEWS_MAX_URLS, NEWS_WINDOW_MS } from '../../lambdas/core/discovery/news-sitemap.js';
import type { OutputDocument } from '../../lambdas/core/plan/outputs.js';
import { buildArticle, buildSite, daysAfterBase } from '../support/article-factory.js';
import { renderSite } from '../support/render-site.js';
import { ninjsValidator } from './ninjs-schema.js';
import { hasXmllint, validateSitemaps, xmllintRejects } from './sitemap-xsd.js';

/** The repository's own content/ folder, parsed as the Lambda does. */
const CONTENT_DIR = join(import.meta.dirname, '../../content');
const SEED = 'articles/2021/11/un-condemns-drone-attack-on-iraqi-pm-residence.md';
/** A day after the seed articles (2021-11-08T07:30Z): both are in the news sitemap. */
const CONTENT_NOW = new Date('2021-11-09T07:30:00Z');
/**
 * Half a day after the generated archive's last article (article n is dated n hours after the
 * fixture base): articles 9,965 to 9,999, 35 of them, are in the two-day window.
 */
const ARCHIVE_NOW = daysAfterBase(10_000 / 24 + 0.5);

/** xmllint is a Debian package (libxml2-utils); CI installs it, so there it must be present. */
const skipXsd = !hasXmllint() && !process.env.CI;

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

function renderContentFolder(): OutputDocument[] {
  const site = parseSiteConfig('site.yaml', readFileSync(join(CONTENT_DIR, 'site.yaml')));
  const articles = markdownFiles(join(CONTENT_DIR, 'articles'))
    .sort()
    .map((file) => parseArticle(relative(CONTENT_DIR, file).split('\\').join('/'), readFileSync(file), site));
  return renderSite(articles, site, CONTENT_NOW);
}

/** 10,000 articles an hour apart, every tenth in Indonesian as a translation of the one before. */
function generateArchive(count: number): Article[] {
  return Array.from({ length: count }, (_, index) => {
    const lang = index % 10 === 9 ? 'id' : 'en';
    const pair = index % 10 >= 8 ? { translationKey: `pair-${Math.floor(index / 10)}` } : {};
    return buildArticle(`story-${index}`, index / 24, { lang, ...pair, ...(index % 7 === 0 ? { updated: daysAfterBase(index / 24 + 1) } : {}) });
  });
}

let archive: OutputDocument[] | undefined;

/** Every document of the generated archive, rendered once for the tests that read it. */
function archiveDocuments(): OutputDocument[] {
  archive ??= renderSite(generateArchive(10_000), buildSite(), ARCHIVE_NOW);
  return archive;
}

const xml = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['url', 'sitemap', 'xhtml:link'].includes(name) });

function sitemapsOf(documents: readonly OutputDocument[]): OutputDocument[] {
  return documents.filter((document) => document.role === 'sitemap');
}

function byKey(documents: readonly OutputDocument[], key: string): OutputDocument {
  const document = documents.find((candidate) => candidate.key === key);
  if (document === undefined) throw new Error(`${key} was not rendered`);
  return document;
}

interface NewsUrl {
  loc: string;
  'news:news': { 'news:publication': { 'news:name': string; 'news:language': string }; 'news:publication_date': string; 'news:title': string };
}

/** The news sitemap's rules: at most 1,000 URLs, all in the window before `now`, every required tag. */
function newsProblems(document: OutputDocument, now: Date): string[] {
  const urls = (xml.parse(document.body) as { urlset: { url: NewsUrl[] } }).urlset.url;
  const problems = urls.length > NEWS_MAX_URLS ? [`${urls.length} URLs`] : [];
  for (const url of urls) {
    const news = url['news:news'];
    const published = Date.parse(news['news:publication_date']);
    if (!(published > now.getTime() - NEWS_WINDOW_MS && published <= now.getTime())) problems.push(`${url.loc}: outside the window`);
    if (!news['news:publication']['news:name'] || !news['news:publication']['news:language'] || !news['news:title']) problems.push(`${url.loc}: a tag is missing`);
  }
  return problems;
}

describe.skipIf(skipXsd)('sitemaps against the sitemaps.org schemas', () => {
  it('rejects a urlset whose url lacks loc (the validator can fail)', () => {
    // Act
    const rejected = xmllintRejects('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><lastmod>2021-11-08</lastmod></url></urlset>');

    // Assess
    expect(rejected).toBe(true);
  });

  it('validates every sitemap of the content folder', () => {
    // Prepare
    const sitemaps = sitemapsOf(renderContentFolder());

    // Act
    const problems = validateSitemaps(sitemaps);

    // Assess
    expect(sitemaps.map((document) => document.key).sort()).toEqual(['news-sitemap.xml', 'sitemap.xml', 'sitemaps/articles-1.xml']);
    expect(problems).toBe('');
  });

  it('validates every sitemap of a generated 10,000-article archive', () => {
    // Prepare
    const sitemaps = sitemapsOf(archiveDocuments());

    // Act
    const problems = validateSitemaps(sitemaps);

    // Assess
    expect(sitemaps).toHaveLength(12);
    expect(problems).toBe('');
  }, 120_000);
});

describe('news sitemap and robots.txt', () => {
  it('holds both language versions of the seed, with every required tag, on the content folder', () => {
    // Prepare
    const documents = renderContentFolder();

    // Act
    const news = byKey(documents, 'news-sitemap.xml');

    // Assess
    expect(newsProblems(news, CONTENT_NOW)).toEqual([]);
    expect(news.body).toContain('<news:language>en</news:language>');
    expect(news.body).toContain('<news:language>id</news:language>');
  });

  it('holds only the last two days of a 10,000-article archive', () => {
    // Prepare
    const documents = archiveDocuments();

    // Act
    const news = byKey(documents, 'news-sitemap.xml');

    // Assess
    expect(newsProblems(news, ARCHIVE_NOW)).toEqual([]);
    expect((xml.parse(news.body) as { urlset: { url: unknown[] } }).urlset.url).toHaveLength(35);
  }, 120_000);

  it('names the sitemap index and the news sitemap in robots.txt', () => {
    // Act
    const robots = byKey(renderContentFolder(), 'robots.txt');

    // Assess
    expect(robots.contentType).toBe('text/plain; charset=utf-8');
    expect(robots.body.split('\n')).toEqual(expect.arrayContaining(['Sitemap: https://news.example.com/sitemap.xml', 'Sitemap: https://news.example.com/news-sitemap.xml']));
  });
});

describe('ninjs documents', () => {
  it('validates the ninjs document of every article of the content folder', () => {
    // Prepare
    const documents = renderContentFolder().filter((document) => document.role === 'ninjs');
    const validate = ninjsValidator();

    // Act
    const invalid = documents.filter((document) => !validate(JSON.parse(document.body)));

    // Assess
    expect(documents.map((document) => document.key).sort()).toEqual([
      'articles/un-condemns-drone-attack-on-iraqi-pm-residence/ninjs.json',
      'id/articles/pbb-kecam-serangan-drone-kediaman-pm-irak/ninjs.json',
    ]);
    expect(invalid.map((document) => [document.key, validate.errors])).toEqual([]);
  });

  it('carries all 16 paragraphs of the seed article in its body', () => {
    // Prepare
    const document = byKey(renderContentFolder(), 'articles/un-condemns-drone-attack-on-iraqi-pm-residence/ninjs.json');

    // Act
    const ninjs = JSON.parse(document.body) as { bodies: { contentType: string; value: string }[]; uri: string };

    // Assess
    expect(SEED).toContain(document.key.split('/')[1]);
    expect(ninjs.uri).toBe('tag:news.example.com,2021:2021/11/un-condemns-drone-attack-on-iraqi-pm-residence');
    expect(ninjs.bodies[0]?.contentType).toBe('text/html');
    expect(ninjs.bodies[0]?.value.match(/<p>/g)).toHaveLength(16);
  });

  it('validates every ninjs document of a generated 10,000-article archive', () => {
    // Prepare
    const documents = archiveDocuments().filter((document) => document.role === 'ninjs');
    const validate = ninjsValidator();

    // Act
    const invalid = documents.filter((document) => !validate(JSON.parse(document.body)));

    // Assess
    expect(documents).toHaveLength(10_000);
    expect(invalid).toEqual([]);
  }, 120_000);
});
