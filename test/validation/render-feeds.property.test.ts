import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Article, SiteConfig } from '../../lambdas/core/content/article.js';
import type { OutputDocument } from '../../lambdas/core/plan/outputs.js';
import { renderFeeds } from '../support/render-site.js';
import { buildArticle, buildSite, EDITOR } from '../support/article-factory.js';
import { unescapeHtml } from './read-back.js';
import { validateFeedDocuments } from './validate-feed-documents.js';
import { childNamed, childrenNamed, parseXmlTree } from './xml-tree.js';

/**
 * Any text in any field must give well-formed, rule-abiding, schema-valid feeds that read
 * back to the same text, less only the characters XML cannot carry. The oracle for those
 * characters is written here independently of the production code.
 */
function isCarriable(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  if (code === 0x9 || code === 0xa || code === 0xd) return true;
  if (code < 0x20 || (code >= 0x80 && code <= 0x9f) || code === 0xfffe || code === 0xffff) return false;
  return !(code >= 0xd800 && code <= 0xdfff); // a lone surrogate (pairs arrive as one code point)
}

function carriable(text: string): string {
  return Array.from(text).filter(isCarriable).join('');
}

function escapeForHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text built from the characters that break feeds most often, mixed with any UTF-16 unit. */
const anyText = fc.string({
  unit: fc.oneof(
    fc.constantFrom('&', '<', '>', '"', "'", ']]>', '&amp;', '&lt;', '&#x26;', '\r', '\n', '\t', ' ', '\u0000', '\u0085', '\uFFFE', '\uD800', '😀', 'ع', 'é'),
    fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
  ),
  maxLength: 24,
});
const nonBlankText = anyText.filter((text) => carriable(text).trim() !== '');

const scenario = fc.record({
  title: anyText,
  summary: nonBlankText,
  tags: fc.array(anyText, { maxLength: 3 }),
  author: nonBlankText,
  body: anyText,
  siteTitle: nonBlankText,
  siteDescription: nonBlankText,
  copyright: nonBlankText,
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function renderScenario(input: Scenario): { article: Article; site: SiteConfig; docs: OutputDocument[] } {
  const site = buildSite({ title: input.siteTitle, description: input.siteDescription, copyright: input.copyright, authors: [EDITOR] });
  const article = buildArticle('story', 0, {
    title: input.title,
    summary: input.summary,
    tags: input.tags,
    authors: [{ name: input.author }],
    contentHtml: `<p>${escapeForHtml(input.body)}</p>`,
  });
  return { article, site, docs: renderFeeds([article], site) };
}

function body(docs: readonly OutputDocument[], key: string): string {
  return docs.find((doc) => doc.key === key)?.body ?? '';
}

/** The texts of one item and its feed, read with an exact (non-trimming) XML parser. */
function readExactly(docs: readonly OutputDocument[]): Record<string, unknown>[] {
  const channel = childNamed(parseXmlTree(body(docs, 'rss.xml')), 'channel')!;
  const rssItem = childNamed(channel, 'item')!;
  const atom = parseXmlTree(body(docs, 'atom.xml'));
  const entry = childNamed(atom, 'entry')!;
  const json = JSON.parse(body(docs, 'feed.json')) as { title: string; description: string; items: Record<string, unknown>[] };
  const jsonItem = json.items[0] ?? {};
  return [
    {
      feedTitle: childNamed(channel, 'title')?.text,
      description: childNamed(channel, 'description')?.text,
      title: childNamed(rssItem, 'title')?.text,
      summary: unescapeHtml(childNamed(rssItem, 'description')?.text ?? ''),
      content: childNamed(rssItem, 'content:encoded')?.text,
      tags: childrenNamed(rssItem, 'category').map((category) => category.text),
      authors: childrenNamed(rssItem, 'dc:creator').map((creator) => creator.text),
    },
    {
      feedTitle: childNamed(atom, 'title')?.text,
      description: childNamed(atom, 'subtitle')?.text,
      title: unescapeHtml(childNamed(entry, 'title')?.text ?? ''),
      summary: unescapeHtml(childNamed(entry, 'summary')?.text ?? ''),
      content: childNamed(entry, 'content')?.text,
      tags: childrenNamed(entry, 'category').map((category) => category.attributes.term),
      authors: childrenNamed(entry, 'author').map((author) => childNamed(author, 'name')?.text),
    },
    {
      feedTitle: json.title,
      description: json.description,
      title: jsonItem.title,
      summary: jsonItem.summary,
      content: jsonItem.content_html,
      tags: jsonItem.tags ?? [],
      authors: ((jsonItem.authors ?? []) as { name: string }[]).map((author) => author.name),
    },
  ];
}

describe('renderFeeds with any text', () => {
  it('renders valid feeds in every format', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        // Prepare, Act
        const { site, docs } = renderScenario(input);

        // Assess
        expect(validateFeedDocuments(docs, site.siteUrl)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it('reads back the same text in every format, less what XML cannot carry', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        // Prepare, Act
        const { docs } = renderScenario(input);

        // Assess
        const expected = {
          feedTitle: carriable(input.siteTitle),
          description: carriable(input.siteDescription),
          title: carriable(input.title),
          summary: carriable(input.summary),
          content: `<p>${escapeForHtml(carriable(input.body))}</p>`,
          tags: [...new Set(input.tags.map(carriable).filter((tag) => tag.trim() !== ''))],
          authors: [carriable(input.author)],
        };
        for (const read of readExactly(docs)) expect(read).toEqual(expected);
        expect(childNamed(childNamed(parseXmlTree(body(docs, 'rss.xml')), 'channel')!, 'copyright')?.text).toBe(carriable(input.copyright));
        expect(childNamed(parseXmlTree(body(docs, 'atom.xml')), 'rights')?.text).toBe(carriable(input.copyright));
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});
