import { describe, expect, it } from 'vitest';
import { checkSlug, slugFromPath } from '../../../../lambdas/core/content/slug.js';

describe('slugFromPath', () => {
  it('uses the file name without .md', () => {
    // Prepare
    const path = 'articles/2021/11/un-condemns-drone-attack.md';

    // Act
    const slug = slugFromPath(path);

    // Assess
    expect(slug).toBe('un-condemns-drone-attack');
  });

  it('drops a language suffix from translated file names', () => {
    // Prepare
    const paths = ['articles/2021/11/story.id.md', 'articles/x/story.pt-br.md'];

    // Act
    const slugs = paths.map(slugFromPath);

    // Assess
    expect(slugs).toEqual(['story', 'story']);
  });
});

describe('checkSlug', () => {
  it('accepts lower-case words joined by single hyphens', () => {
    // Prepare
    const value = 'un-condemns-attack-2021';

    // Act
    const slug = checkSlug(value);

    // Assess
    expect(slug).toBe(value);
  });

  it.each(['../x', 'a/b', 'a--b', '-a', 'a-', 'A', 'a b', 'a.b', '', 'é'])('rejects the malformed slug %j', (value) => {
    // Prepare
    const check = () => checkSlug(value);

    // Act and Assess
    expect(check).toThrow(/^slug: /);
  });

  it.each(['tags', 'archive', 'index', 'articles', 'feed'])(
    'rejects the reserved slug %s',
    (value) => {
      // Prepare
      const check = () => checkSlug(value);

      // Act and Assess
      expect(check).toThrow(/reserved/);
    },
  );

  it.each(['new-york', 'war-news', 'en', 'id', 'pt-br'])('accepts the slug %s, which looks like a language tag', (value) => {
    // Prepare: article pages live under articles/, so a language-like slug clashes with nothing
    const check = () => checkSlug(value);

    // Act and Assess
    expect(check()).toBe(value);
  });

  it('accepts slugs that only start like a language code', () => {
    // Prepare
    const values = ['en-route', 'war-and-peace', 'id-cards'];

    // Act
    const slugs = values.map((value) => checkSlug(value));

    // Assess
    expect(slugs).toEqual(values);
  });

  it('rejects slugs longer than 100 characters', () => {
    // Prepare
    const value = 'a'.repeat(101);

    // Act and Assess
    expect(() => checkSlug(value)).toThrow(/1 to 100 characters/);
    expect(checkSlug('a'.repeat(100))).toHaveLength(100);
  });
});
