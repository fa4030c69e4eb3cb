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

  it.each([
    ['LRE', '\u202a', '\u202c'], ['RLE', '\u202b', '\u202c'], ['LRO', '\u202d', '\u202c'], ['RLO', '\u202e', '\u202c'],
    ['LRI', '\u2066', '\u2069'], ['RLI', '\u2067', '\u2069'], ['FSI', '\u2068', '\u2069'],
  ])('closes an unterminated %s at the end of the field', (_name, opener, closer) => {
    // Prepare
    const value = `safe${opener}text`;

    // Act
    const text = checkText(value, 'title', { maxLength: 100 });

    // Assess
    expect(text).toBe(`${value}${closer}`);
  });

  it.each([['PDF', '\u202c'], ['PDI', '\u2069']])('drops a %s that closes nothing', (_name, closer) => {
    // Prepare
    const value = `safe${closer}text`;

    // Act
    const text = checkText(value, 'title', { maxLength: 100 });

    // Assess
    expect(text).toBe('safetext');
  });

  it('keeps balanced isolates and the marks LRM, RLM and ALM exactly as written', () => {
    // Prepare
    const value = '\u200fعاجل\u200e: \u2067مؤتمر \u2066UN 2021\u2069\u2069 \u061c-3';

    // Act
    const text = checkText(value, 'summary', { maxLength: 100 });

    // Assess
    expect(text).toBe(value);
  });

  it('refuses a field that is nothing but closers', () => {
    // Prepare
    const value = '\u202c\u2069';

    // Act and Assess
    expect(() => checkText(value, 'title', { maxLength: 100 })).toThrow('title: must not be empty');
  });

  it('refuses a field nesting more than 125 embeddings, overrides and isolates', () => {
    // Prepare
    const value = `${'\u2067\u202b'.repeat(63)}deep`;

    // Act and Assess
    expect(() => checkText(value, 'tags[0]', { maxLength: 1000 })).toThrow(
      'tags[0]: nests bidi embeddings, overrides and isolates more than 125 deep',
    );
  });

  it('accepts nesting exactly 125 deep', () => {
    // Prepare
    const value = `${'\u2067'.repeat(125)}deep`;

    // Act
    const text = checkText(value, 'title', { maxLength: 1000 });

    // Assess
    expect(text).toBe(`${value}${'\u2069'.repeat(125)}`);
  });

  it('applies the length limit to the text as written, before closers are added', () => {
    // Prepare
    const value = `${'x'.repeat(9)}\u202e`;

    // Act
    const text = checkText(value, 'title', { maxLength: 10 });

    // Assess
    expect(text).toHaveLength(11);
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

describe('readPersons with bidi formatting', () => {
  it('balances a name', () => {
    // Prepare
    const record = parseYamlMapping('authors: ["Mallory \\u202e"]');

    // Act
    const people = readPersons(record, 'authors');

    // Assess
    expect(people).toEqual([{ name: 'Mallory \u202e\u202c' }]);
  });

  it('refuses bidi formatting in an email address, which balancing would change', () => {
    // Prepare
    const record = parseYamlMapping('authors: [{name: Ana, email: "ana\\u200f@example.com"}]');

    // Act and Assess
    expect(() => readPersons(record, 'authors')).toThrow('authors[0].email: must not contain bidi formatting characters');
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
