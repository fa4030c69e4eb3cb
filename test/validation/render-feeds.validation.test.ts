import { describe, expect, it } from 'vitest';
import type { Article } from '../../lambdas/core/content/article.js';
import type { OutputDocument } from '../../lambdas/core/plan/outputs.js';
import { parseArticle } from '../../lambdas/core/content/parse-article.js';
import { renderFeeds } from '../support/render-site.js';
import { buildArticle, buildSampleArticles, buildSite, EDITOR } from '../support/article-factory.js';
import { isBidiBalanced, PDF, RLO } from '../support/bidi-oracle.js';
import { maySkipRelaxNg, validateAtomWithRelaxNg } from './atom-relaxng.js';
import { isoSeconds, readBackFeed, type ReadBackItem } from './read-back.js';
import { isFeedDocument, validateFeedDocuments } from './validate-feed-documents.js';

const SITE = buildSite();

/** Reading back a 1 MB body, or starting a JVM for jing, can take seconds on a busy machine. */
const SLOW_TEST_TIMEOUT = 60_000;

/** What a reader must get back for an article whose text needs no cleaning. */
function expectedItem(article: Article, summary = article.summary ?? ''): ReadBackItem {
  return {
    id: article.id,
    title: article.title,
    link: article.url,
    published: isoSeconds(article.date),
    contentHtml: article.contentHtml,
    summary,
    authors: article.authors.map((person) => person.name),
    tags: article.tags,
    image: article.image,
  };
}

function docsIn(docs: readonly OutputDocument[], folder: string): OutputDocument[] {
  return docs.filter((doc) => doc.key.slice(0, doc.key.lastIndexOf('/') + 1) === folder);
}

// Every Atom document rendered in this file, validated against RFC 4287 in one jing run.
const atomDocuments: OutputDocument[] = [];

function render(articles: readonly Article[], site = SITE): OutputDocument[] {
  const docs = renderFeeds(articles, site);
  atomDocuments.push(...docs.filter((doc) => doc.key.endsWith('atom.xml')).map((doc) => ({ ...doc, key: `${atomDocuments.length}-${doc.key}` })));
  return docs;
}

describe('rendered feeds', () => {
  it('pass every check for the sample articles', () => {
    // Act
    const docs = render(buildSampleArticles());

    // Assess
    expect(validateFeedDocuments(docs, SITE.siteUrl)).toEqual([]);
  });

  it('pass every check when there are no articles', () => {
    // Act
    const docs = render([]);

    // Assess
    expect(validateFeedDocuments(docs, SITE.siteUrl)).toEqual([]);
  });

  it('read back in every format with the articles titles, links, ids, dates, content and summaries', () => {
    // Prepare
    const articles = buildSampleArticles();
    const [harbour, rice, festival, harga] = articles as [Article, Article, Article, Article];

    // Act
    const docs = render(articles);

    // Assess
    for (const doc of docsIn(docs, '').filter(isFeedDocument)) {
      const feed = readBackFeed(doc);
      expect(feed.items, doc.key).toEqual([
        expectedItem(festival),
        expectedItem(rice, 'Prices rose by 4 % in November, traders said.'),
        expectedItem(harbour),
      ]);
      expect({ title: feed.title, link: feed.link, language: feed.language, self: feed.selfUrl }, doc.key).toEqual({
        title: SITE.title,
        link: SITE.siteUrl,
        language: 'en',
        self: `${SITE.siteUrl}${doc.key}`,
      });
    }
    for (const doc of docsIn(docs, 'id/')) expect(readBackFeed(doc).items, doc.key).toEqual([expectedItem(harga)]);
  });

  it('pass every check with links between language versions', () => {
    // Prepare
    const articles = [
      buildArticle('rice-prices', 1, { translationKey: 'rice' }),
      buildArticle('harga-beras', 1, { lang: 'id', translationKey: 'rice' }),
      buildArticle('prix-du-riz', 2, { lang: 'fr', translationKey: 'rice' }),
    ];

    // Act
    const docs = render(articles);

    // Assess
    expect(validateFeedDocuments(docs, SITE.siteUrl)).toEqual([]);
  });

  it('read back the feed date from the newest update', () => {
    // Act
    const docs = render(buildSampleArticles());

    // Assess
    const dates = docsIn(docs, '').filter((doc) => isFeedDocument(doc) && !doc.key.endsWith('.json')).map((doc) => readBackFeed(doc).updated);
    expect(dates).toEqual(['2021-11-04T08:00:00Z', '2021-11-04T08:00:00Z']);
  });
});

/** An article whose every text field and body block leaves a bidi override or isolate open, as parsed. */
function parseBidiArticle(): Article {
  const text = [
    '---',
    'title: "Invoice \u202egnp.exe"',
    'date: 2021-11-08T10:00:00+07:00',
    'summary: "\u2067ملخص \u202bنص"',
    'tags: ["\u2066UN", "\u2069desk"]',
    'authors: ["\u2067مراسل"]',
    '---',
    'Body \u202eoverride\n\n- item \u2067isolate',
  ].join('\n');
  return parseArticle('articles/bidi.md', text, SITE);
}

/** Hostile text in every field, each case read back faithfully by a real reader. */
const HOSTILE: readonly { name: string; article: Article }[] = [
  { name: 'repeated ]]>', article: buildArticle('cdata', 0, { title: 'a]]>b]]>c', summary: ']]>]]>', contentHtml: '<p>x]]>y]]>z]]></p>', tags: [']]>'] }) },
  { name: '<script> as plain text', article: buildArticle('script', 0, { title: '<script>alert(1)</script>', summary: '<img src=x onerror=alert(1)>', tags: ['<script>'] }) },
  { name: 'literal &amp;', article: buildArticle('amp', 0, { title: 'Fish &amp; chips', summary: '&amp;&lt;', tags: ['R&amp;D'], authors: [{ name: 'A &amp; B' }] }) },
  { name: '< and quotes in tags', article: buildArticle('tags', 0, { tags: ['a<b', '"quoted"', "it's", 'x>y&z'] }) },
  { name: 'emoji', article: buildArticle('emoji', 0, { title: 'Family 👨‍👩‍👧 and flags 🇮🇩', summary: '😀', tags: ['🎉'] }) },
  {
    name: 'Arabic',
    article: buildArticle('arabic', 0, {
      lang: 'ar',
      title: 'الأمم المتحدة تدين الهجوم',
      summary: 'نص عربي',
      contentHtml: '<div dir="rtl" lang="ar"><p>نص عربي</p></div>',
      authors: [{ name: 'مراسل' }],
      tags: ['أخبار'],
    }),
  },
  { name: 'an empty body', article: buildArticle('empty', 0, { contentHtml: '', summary: 'Nothing yet.' }) },
  { name: 'bidi controls balanced by the parser', article: parseBidiArticle() },
];

describe('hostile text', () => {
  it.each(HOSTILE)('keeps feeds valid and text faithful with $name', ({ article }) => {
    // Act
    const docs = render([article]);

    // Assess
    expect(validateFeedDocuments(docs, SITE.siteUrl)).toEqual([]);
    for (const doc of docs.filter((candidate) => isFeedDocument(candidate) && candidate.key.startsWith(article.lang === 'en' ? '' : `${article.lang}/`))) {
      const [item] = readBackFeed(doc).items;
      if (item) expect(item, doc.key).toEqual(expectedItem(article));
    }
  });

  it('removes control characters and keeps the rest of the text', () => {
    // Prepare
    const article = buildArticle('controls', 0, { title: 'a\u0000b\u0007c\u0085d\uFFFEe', summary: 'f\u001Bg', tags: ['h\u000Ci'], authors: [{ name: 'j\u0008k' }] });

    // Act
    const docs = render([article]);

    // Assess
    expect(validateFeedDocuments(docs, SITE.siteUrl)).toEqual([]);
    for (const doc of docs.filter(isFeedDocument)) {
      const item = readBackFeed(doc).items[0];
      expect({ title: item?.title, summary: item?.summary, tags: item?.tags, authors: item?.authors }, doc.key).toEqual({
        title: 'abcde',
        summary: 'fg',
        tags: ['hi'],
        authors: ['jk'],
      });
    }
  });

  it('balances the excerpt a reader gets for an article without summary, even when cut inside an override', () => {
    // Prepare
    const article = buildArticle('excerpt', 0, { summary: undefined, contentHtml: `<p>${RLO}${'word '.repeat(80)}${PDF}</p>` });

    // Act
    const docs = render([article]);

    // Assess
    expect(validateFeedDocuments(docs, SITE.siteUrl)).toEqual([]);
    for (const doc of docs.filter(isFeedDocument)) {
      const summary = readBackFeed(doc).items[0]?.summary ?? '';
      expect(summary, doc.key).toMatch(new RegExp(`^${RLO}word .*word${PDF}…$`));
      expect(isBidiBalanced(summary), doc.key).toBe(true);
    }
  });

  it('renders a 1 MB body completely when the byte budget holds it', () => {
    // Prepare
    const paragraph = '<p>Line with &amp; entities, <em>markup</em> and ]]> markers — 🌊.</p>\n';
    const contentHtml = paragraph.repeat(Math.ceil(1_048_576 / paragraph.length));
    const article = buildArticle('long', 0, { contentHtml, authors: [EDITOR] });

    // Act
    const docs = render([article], buildSite({ maxFeedBytes: 4 * 1_048_576 }));

    // Assess
    expect(validateFeedDocuments(docs, SITE.siteUrl)).toEqual([]);
    // Readers (feedsmith included) trim the white space around element text.
    for (const doc of docs.filter(isFeedDocument)) expect(readBackFeed(doc).items[0]?.contentHtml, doc.key).toBe(contentHtml.trimEnd());
  }, SLOW_TEST_TIMEOUT);
});

describe('Atom documents against the RFC 4287 RELAX NG schema', () => {
  // jing comes from the Debian package of the same name; CI installs it.
  it.skipIf(maySkipRelaxNg())('validates every Atom document rendered above in one jing run', () => {
    // Prepare
    const docs = [...atomDocuments];

    // Act
    const errors = validateAtomWithRelaxNg(docs);

    // Assess
    expect(docs.length).toBeGreaterThan(10);
    expect(errors).toEqual([]);
  }, SLOW_TEST_TIMEOUT);

  it.skipIf(maySkipRelaxNg())('reports an Atom document that breaks the schema', () => {
    // Prepare
    const good = renderFeeds([buildArticle('story')], SITE).find((doc) => doc.key === 'atom.xml')!;
    const bad = { ...good, body: good.body.replace(/<id>tag:[^<]*story<\/id>/, '') };

    // Act
    const errors = validateAtomWithRelaxNg([bad]);

    // Assess
    expect(errors).toEqual([expect.stringMatching(/^atom\.xml:\d+:\d+: error: .*"id"/)]);
  }, SLOW_TEST_TIMEOUT);
});
