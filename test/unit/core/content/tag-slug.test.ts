import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TAG_SLUG_BASE, tagSlug } from '../../../../lambdas/core/content/tag-slug.js';

const SAFE_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

describe('tagSlug', () => {
  it.each([
    ['World News', 'world-news'],
    ['  Économie & Finance ', 'economie-finance'],
    ['Straße', 'strasse'],
    ['Łódź', 'lodz'],
    ['C++', 'c'],
    ['2021', '2021'],
  ])('transliterates %j to %j', (name, expected) => {
    // Act
    const slug = tagSlug(name);

    // Assess
    expect(slug).toBe(expected);
  });

  it('gives tags differing only in case, accents or punctuation the same slug', () => {
    // Prepare
    const names = ['World News', 'world news', 'World-News!', 'Wörld News'];

    // Act
    const slugs = new Set(names.map(tagSlug));

    // Assess
    expect([...slugs]).toEqual(['world-news']);
  });

  it('keeps tags in other scripts apart with a hash of the name', () => {
    // Prepare
    const names = ['東京', '大阪', 'أخبار', 'Новости'];

    // Act
    const slugs = names.map(tagSlug);

    // Assess
    for (const slug of slugs) expect(slug).toMatch(/^t-[a-z0-9]+$/);
    expect(new Set(slugs).size).toBe(names.length);
  });

  it('keeps the readable part of a partly transliterable tag and tells it from the Latin one', () => {
    // Act
    const mixed = tagSlug('東京 news');

    // Assess
    expect(mixed).toMatch(/^news-[a-z0-9]+$/);
    expect(mixed).not.toBe(tagSlug('news'));
  });

  it('cuts a long tag and keeps two long tags with the same start apart', () => {
    // Prepare
    const start = 'word '.repeat(30);

    // Act
    const [first, second] = [`${start}one`, `${start}two`].map(tagSlug);

    // Assess
    expect(first!.length).toBeLessThanOrEqual(MAX_TAG_SLUG_BASE + 8);
    expect(first).not.toBe(second);
  });

  it('gives every tag a stable, non-empty slug of a-z, 0-9 and single inner hyphens, whatever its Unicode form', () => {
    // Prepare
    const names = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }));

    // Act + Assess
    fc.assert(
      fc.property(names, (name) => {
        const slug = tagSlug(name);
        expect(slug).toMatch(SAFE_SLUG);
        expect(slug.length).toBeLessThanOrEqual(MAX_TAG_SLUG_BASE + 8);
        expect(tagSlug(name)).toBe(slug);
        expect(tagSlug(name.normalize('NFD'))).toBe(slug);
      }),
      { numRuns: 500 },
    );
  });

  it('never lets two different Latin-only slugs come from tags whose letters differ', () => {
    // Prepare
    const words = fc.stringMatching(/^[a-z0-9]{1,12}$/);

    // Act + Assess
    fc.assert(
      fc.property(words, words, (a, b) => {
        fc.pre(a !== b);
        expect(tagSlug(a)).not.toBe(tagSlug(b));
      }),
      { numRuns: 300 },
    );
  });
});
