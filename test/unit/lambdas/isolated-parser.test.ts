import { afterEach, describe, expect, it } from 'vitest';
import { parseArticle } from '../../../lambdas/core/content/parse-article.js';
import { ArticleParseError } from '../../../lambdas/core/errors.js';
import { DEFAULT_PARSE_LIMITS, IsolatedParserPool, type ParseLimits } from '../../../lambdas/publish/isolated-parser.js';
import { buildSite } from '../../support/article-factory.js';
import { articleMarkdown } from '../../support/content-files.js';

const SITE = buildSite();
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const NORMAL = encode(articleMarkdown('Normal story', '2026-01-01T10:00:00Z', '', 'Some *body* text.'));
/** A legal article (under every budget) whose parse needs far more than a few MB of heap and some time. */
const HEAVY = encode(articleMarkdown('Heavy story', '2026-01-02T10:00:00Z', '', 'A *b* [c](https://example.com/) `d`.\n\n'.repeat(20_000)));

// Each test starts workers (through tsx in development), which takes a second or two on a busy machine.
describe('IsolatedParserPool', { timeout: 30_000 }, () => {
  let pool: IsolatedParserPool | undefined;
  const start = (limits: Partial<ParseLimits> = {}): IsolatedParserPool => {
    pool = new IsolatedParserPool({ ...DEFAULT_PARSE_LIMITS, ...limits });
    return pool;
  };

  afterEach(async () => {
    await pool?.close();
  });

  it('parses an article exactly as the parser does in-process', async () => {
    // Prepare
    const parser = start();

    // Act
    const article = await parser.parse('articles/2026/01/normal.md', NORMAL, SITE);

    // Assess
    expect(article).toEqual(parseArticle('articles/2026/01/normal.md', NORMAL, SITE));
  });

  it('rejects a malformed article with the parser reason', async () => {
    // Prepare
    const parser = start();

    // Act
    const parsing = parser.parse('articles/2026/01/bad.md', encode('no front matter\n'), SITE);

    // Assess
    await expect(parsing).rejects.toBeInstanceOf(ArticleParseError);
    await expect(parsing).rejects.toThrow(/^articles\/2026\/01\/bad\.md: /);
  });

  it('rejects an article whose parse exceeds the memory limit, then parses the next one', async () => {
    // Prepare
    const parser = start({ resourceLimits: { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 4 }, workers: 1 });

    // Act
    const heavy = parser.parse('articles/2026/01/heavy.md', HEAVY, SITE);
    const next = parser.parse('articles/2026/01/normal.md', NORMAL, SITE);

    // Assess
    await expect(heavy).rejects.toThrow(new ArticleParseError('articles/2026/01/heavy.md', 'rendering exceeded memory limit', 'body'));
    await expect(next).resolves.toMatchObject({ title: 'Normal story' });
  });

  it('rejects an article whose parse misses the deadline, then parses the next one', async () => {
    // Prepare
    const parser = start({ deadlineMs: 500, workers: 1 });

    // Act
    const heavy = parser.parse('articles/2026/01/heavy.md', HEAVY, SITE);
    const next = heavy.catch(() => parser.parse('articles/2026/01/normal.md', NORMAL, SITE));

    // Assess
    await expect(heavy).rejects.toThrow('articles/2026/01/heavy.md: body: rendering exceeded time limit');
    await expect(next).resolves.toMatchObject({ title: 'Normal story' });
  });
});
