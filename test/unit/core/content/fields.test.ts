import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkAbsoluteUrl, checkLanguage, checkText, readPersons, rejectUnknownKeys,
} from '../../../../lambdas/core/content/fields.js';
import { ContentInputError, parseYamlMapping } from '../../../../lambdas/core/content/safe-yaml.js';

describe('checkText', () => {
  it('returns the text exactly as written, entities and markup included', () => {
    // Prepare
    const value = '  AT&amp;T <b>x</b>  ';

    // Act
    const text = checkText(value, 'title', { maxLength: 100 });

    // Assess
    expect(text).toBe(value);
  });

  it.each(['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'])(
    'rejects the bidi control U+%s',
    (control) => {
      // Prepare
      const value = `safe${control}text`;

      // Act and Assess
      expect(() => checkText(value, 'title', { maxLength: 100 })).toThrow('title: contains a bidi override');
    },
  );

  it('keeps the implicit direction marks U+200E and U+200F', () => {
    // Prepare
    const value = 'abc\u200fdef\u200e';

    // Act
    const text = checkText(value, 'summary', { maxLength: 100 });

    // Assess
    expect(text).toBe(value);
  });
});

describe('checkAbsoluteUrl', () => {
  it('normalizes the URL and rejects credentials and other schemes', () => {
    // Prepare
    const values = ['HTTPS://Example.COM', 'https://user:pw@example.com/', 'mailto:a@example.com', 'example.com/x'];

    // Act
    const results = values.map((value) => {
      try {
        return checkAbsoluteUrl(value, 'url');
      } catch (error) {
        return error instanceof ContentInputError ? error.reason : 'unexpected';
      }
    });

    // Assess
    expect(results).toEqual([
      'https://example.com/', 'must not contain credentials', 'must use http or https', 'must be an absolute URL',
    ]);
  });
});

describe('checkLanguage', () => {
  it('returns canonical lower-case tags', () => {
    // Prepare
    const tags = ['EN', 'zh-Hant-TW', 'id', 'pt-BR'];

    // Act
    const canonical = tags.map((tag) => checkLanguage(tag, 'lang'));

    // Assess
    expect(canonical).toEqual(['en', 'zh-hant-tw', 'id', 'pt-br']);
  });
});

describe('readPersons', () => {
  it('reads a bare string as one name and mappings with email and url', () => {
    // Prepare
    const record = parseYamlMapping('a: Desk\nb: [{name: Ana, email: ana@example.com, url: "https://example.com/ana"}]');

    // Act
    const people = [readPersons(record, 'a'), readPersons(record, 'b')];

    // Assess
    expect(people).toEqual([
      [{ name: 'Desk' }],
      [{ name: 'Ana', email: 'ana@example.com', url: 'https://example.com/ana' }],
    ]);
  });
});

describe('rejectUnknownKeys', () => {
  it('names the unknown key with its prefix', () => {
    // Prepare
    const record = parseYamlMapping('name: A\nmail: x');

    // Act and Assess
    expect(() => rejectUnknownKeys(record, ['name', 'email'], 'authors[0].')).toThrow(
      'authors[0].mail: unknown field (allowed: name, email)',
    );
  });
});

describe('parseYamlMapping with arbitrary input', () => {
  it('either returns a record or throws ContentInputError, never anything else', () => {
    // Prepare
    const sources = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ maxLength: 200 }).map((s) => `a: ${s}`));

    // Act and Assess
    fc.assert(
      fc.property(sources, (source) => {
        try {
          expect(typeof parseYamlMapping(source)).toBe('object');
        } catch (error) {
          expect(error).toBeInstanceOf(ContentInputError);
        }
      }),
      { seed: 20211108, numRuns: 500 },
    );
  });
});
