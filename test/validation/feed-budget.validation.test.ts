import { beforeAll, describe, expect, it } from 'vitest';
import type { Article, SiteConfig } from '../../lambdas/core/content/article.js';
import type { OutputDocument } from '../../lambdas/core/plan/outputs.js';
import { renderSite } from '../support/render-site.js';
import { buildArticle, buildSite } from '../support/article-factory.js';
import { maySkipRelaxNg, validateAtomWithRelaxNg } from './atom-relaxng.js';
import { readBackFeed, type ReadBackItem } from './read-back.js';
import { isFeedDocument, validateFeedDocuments } from './validate-feed-documents.js';

/** Rendering and reading back tens of megabytes, or starting a JVM, takes seconds on a busy machine. */
const SLOW_TEST_TIMEOUT = 180_000;
const MIB = 1_048_576;

/** An article body of `kib` KiB: prose paragraphs with a little markup, links absolute. */
function longBody(kib: number): string {
  const paragraph = '<p>The harbour authority said on Monday that <em>shipping traffic</em> would resume once the storm damage to the eastern pier had been assessed; fishermen, traders and ferry operators gathered at the port office to ask when the <a href="https://news.example.com/articles/harbour/">temporary berths</a> would open, and officials promised a schedule by the end of the week.</p>\n';
  return paragraph.repeat(Math.round((kib * 1024) / paragraph.length));
}

/** `count` articles of `kib` KiB, one day apart (the last is the newest); untagged, so one channel holds them. */
function longArticles(count: number, kib: number, prefix = 'report'): Article[] {
  return Array.from({ length: count }, (_, day) => buildArticle(`${prefix}-${day}`, day, { contentHtml: longBody(kib), tags: [] }));
}

// Every Atom document rendered in this file, validated against RFC 4287 in one jing run.
const atomDocuments: OutputDocument[] = [];

/** What the publisher writes for `articles`: the feeds, the XML ones linked to the browser view. */
function publish(articles: readonly Article[], site: SiteConfig): OutputDocument[] {
  const docs = renderSite(articles, site).filter(isFeedDocument);
  atomDocuments.push(...docs.filter((doc) => doc.key.endsWith('atom.xml')).map((doc) => ({ ...doc, key: `${atomDocuments.length}-${doc.key}` })));
  return docs;
}

function bytesOf(doc: OutputDocument): number {
  return Buffer.byteLength(doc.body, 'utf8');
}

/** An item read back as published in full: its whole body. */
function isComplete(item: ReadBackItem, article: Article): boolean {
  return item.contentHtml === article.contentHtml.trimEnd();
}

/** An item read back as summary and link: no content, its summary and its article's URL. */
function isSummaryAndLink(item: ReadBackItem, article: Article): boolean {
  return item.contentHtml === '' && item.summary === article.summary && item.link === article.url;
}

describe('feed documents over the byte budget', () => {
  const site = buildSite();
  const articles = longArticles(20, 460);
  const newestFirst = [...articles].reverse();
  let docs: OutputDocument[] = [];

  beforeAll(() => {
    docs = publish(articles, site);
  }, SLOW_TEST_TIMEOUT);

  it('keep every subscription document of twenty 460 KiB articles within 1 MiB', () => {
    // Act
    const sizes = Object.fromEntries(docs.map((doc) => [doc.key, bytesOf(doc)]));

    // Assess
    expect(Object.keys(sizes)).toEqual(expect.arrayContaining(['rss.xml', 'atom.xml', 'feed.json']));
    for (const [key, size] of Object.entries(sizes)) expect(size, key).toBeLessThanOrEqual(MIB);
  }, SLOW_TEST_TIMEOUT);

  it('publish the newest item complete and the older ones as summary and link, the same in every format', () => {
    // Act
    const feeds = docs.filter((doc) => !doc.key.includes('/')).map((doc) => ({ key: doc.key, items: readBackFeed(doc).items }));

    // Assess
    for (const { key, items } of feeds) {
      expect(items.map((item) => item.id), key).toEqual(newestFirst.map((article) => article.id));
      expect(isComplete(items[0]!, newestFirst[0]!), key).toBe(true);
      expect(items.slice(-10).every((item, index) => isSummaryAndLink(item, newestFirst[10 + index]!)), key).toBe(true);
    }
    const fullness = feeds.map(({ items }) => items.map((item) => item.contentHtml !== ''));
    expect(fullness[1]).toEqual(fullness[0]);
    expect(fullness[2]).toEqual(fullness[0]);
  }, SLOW_TEST_TIMEOUT);

  it('stay valid in every format', () => {
    // Act
    const problems = validateFeedDocuments(docs, site.siteUrl);

    // Assess
    expect(problems).toEqual([]);
  }, SLOW_TEST_TIMEOUT);

  it('publish an item larger than the budget alone as summary and link', () => {
    // Prepare
    const huge = buildArticle('huge', 5, { contentHtml: longBody(1200) });
    const small = buildArticle('small', 1);

    // Act
    const published = publish([small, huge], site);

    // Assess
    expect(validateFeedDocuments(published, site.siteUrl)).toEqual([]);
    for (const doc of published.filter((candidate) => !candidate.key.includes('/'))) {
      const [first, second] = readBackFeed(doc).items;
      expect(bytesOf(doc), doc.key).toBeLessThanOrEqual(MIB);
      expect([isSummaryAndLink(first!, huge), isComplete(second!, small)], doc.key).toEqual([true, true]);
    }
  }, SLOW_TEST_TIMEOUT);

  it('keep archive pages within the budget too', () => {
    // Prepare: five items per document, so two full archive pages of 460 KiB articles
    const archived = buildSite({ itemsPerFeed: 5 });
    const reports = longArticles(12, 460, 'archived');

    // Act
    const published = publish(reports, archived);

    // Assess
    const pages = published.filter((doc) => /^archive\/\d+\//.test(doc.key));
    expect(pages.map((doc) => doc.key)).toEqual(expect.arrayContaining(['archive/1/rss.xml', 'archive/2/atom.xml', 'archive/2/feed.json']));
    for (const doc of pages) {
      const items = readBackFeed(doc).items;
      expect(bytesOf(doc), doc.key).toBeLessThanOrEqual(MIB);
      expect(items[0]?.contentHtml, doc.key).not.toBe('');
      expect(items.at(-1)?.contentHtml, doc.key).toBe('');
    }
    expect(validateFeedDocuments(published, archived.siteUrl)).toEqual([]);
  }, SLOW_TEST_TIMEOUT);

  it('keep a budget set in site.yaml', () => {
    // Prepare
    const tight = buildSite({ maxFeedBytes: 600_000 });

    // Act
    const published = publish(longArticles(3, 460, 'tight'), tight);

    // Assess
    for (const doc of published) expect(bytesOf(doc), doc.key).toBeLessThanOrEqual(600_000);
    expect(validateFeedDocuments(published, tight.siteUrl)).toEqual([]);
  }, SLOW_TEST_TIMEOUT);
});

describe('Atom documents over the byte budget against the RFC 4287 RELAX NG schema', () => {
  // jing comes from the Debian package of the same name; CI installs it.
  it.skipIf(maySkipRelaxNg())('validates every Atom document rendered above in one jing run', () => {
    // Prepare
    const docs = [...atomDocuments];

    // Act
    const errors = validateAtomWithRelaxNg(docs);

    // Assess
    expect(docs.length).toBeGreaterThan(5);
    expect(errors).toEqual([]);
  }, SLOW_TEST_TIMEOUT);
});
