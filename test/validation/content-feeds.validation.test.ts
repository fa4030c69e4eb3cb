import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../lambdas/core/content/parse-article.js';
import { renderFeeds } from '../support/render-site.js';
import { selectArticles } from '../../lambdas/core/content/select-articles.js';
import { parseSiteConfig } from '../../lambdas/core/content/site-config.js';
import { maySkipRelaxNg, validateAtomWithRelaxNg } from './atom-relaxng.js';
import { readBackFeed } from './read-back.js';
import { isFeedDocument, validateFeedDocuments } from './validate-feed-documents.js';

/** The repository's own content/ folder, parsed and rendered exactly as the Lambda does. */
const CONTENT_DIR = join(import.meta.dirname, '../../content');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

function renderContentFolder() {
  const site = parseSiteConfig('site.yaml', readFileSync(join(CONTENT_DIR, 'site.yaml')));
  const parsed = markdownFiles(join(CONTENT_DIR, 'articles'))
    .sort()
    .map((file) => parseArticle(relative(CONTENT_DIR, file).split('\\').join('/'), readFileSync(file), site));
  const { articles, rejected } = selectArticles(parsed);
  return { site, articles, rejected, docs: renderFeeds(articles, site) };
}

describe('feeds of the content folder', () => {
  // Prepare: the folder is parsed and rendered once for every test below
  const { site, articles, rejected, docs } = renderContentFolder();

  it('renders every article without rejections', () => {
    // Assess
    expect(rejected).toEqual([]);
    expect(articles.length).toBeGreaterThan(0);
    const published = docs.filter((doc) => doc.key.endsWith('feed.json') && !doc.key.includes('tags/') && !doc.key.includes('archive/')).flatMap((doc) => readBackFeed(doc).items.map((item) => item.id));
    expect(published.sort()).toEqual(articles.map((article) => article.id).sort());
  });

  it('passes every feed check', () => {
    // Act
    const problems = validateFeedDocuments(docs, site.siteUrl);

    // Assess
    expect(problems).toEqual([]);
  });

  it('reads back each article with its own title, link and date', () => {
    // Act
    const items = docs.filter(isFeedDocument).flatMap((doc) => readBackFeed(doc).items.map((item) => ({ key: doc.key, item })));

    // Assess
    for (const { key, item } of items) {
      const article = articles.find((candidate) => candidate.id === item.id);
      expect({ title: item.title, link: item.link, published: item.published }, key).toEqual({
        title: article?.title.trim(),
        link: article?.url,
        published: article?.date.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      });
    }
  });

  it.skipIf(maySkipRelaxNg())('validates its Atom documents against RFC 4287', () => {
    // Act
    const errors = validateAtomWithRelaxNg(docs.filter((doc) => doc.key.endsWith('atom.xml')));

    // Assess
    expect(errors).toEqual([]);
  }, 60_000); // a JVM start can take seconds on a busy machine
});
