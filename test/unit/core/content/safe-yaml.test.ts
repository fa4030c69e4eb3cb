import { describe, expect, it } from 'vitest';
import {
  ContentInputError, decodeContent, parseYamlMapping, splitFrontMatter,
} from '../../../../lambdas/core/content/safe-yaml.js';

/** The ContentInputError thrown by `run`. */
function thrown(run: () => unknown): ContentInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof ContentInputError) return error;
    throw error;
  }
  throw new Error('expected a ContentInputError');
}

describe('decodeContent', () => {
  it('strips a leading BOM and normalizes CRLF and CR to LF', () => {
    // Prepare
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('a\r\nb\rc\n')]);

    // Act
    const text = decodeContent(bytes);

    // Assess
    expect(text).toBe('a\nb\nc\n');
  });

  it('rejects invalid UTF-8 instead of replacing it', () => {
    // Prepare
    const bytes = new Uint8Array([0x61, 0xc3, 0x28]);

    // Act
    const error = thrown(() => decodeContent(bytes));

    // Assess
    expect(error.reason).toBe('is not valid UTF-8 text');
  });

  it('rejects input over the given byte limit', () => {
    // Prepare
    const text = 'ab€';

    // Act
    const error = thrown(() => decodeContent(text, 4));

    // Assess
    expect(error.reason).toBe('is larger than the 4-byte limit');
    expect(decodeContent(text, 5)).toBe('ab€');
  });
});

describe('splitFrontMatter', () => {
  it('returns the YAML between the fences and the body after them', () => {
    // Prepare
    const text = '---\ntitle: x\n---\n\nBody\n--- not a fence\n';

    // Act
    const split = splitFrontMatter(text);

    // Assess
    expect(split).toEqual({ frontMatter: 'title: x\n', body: '\nBody\n--- not a fence\n' });
  });

  it('rejects text that does not open with a fence', () => {
    // Prepare
    const text = 'title: x\n---\n';

    // Act
    const error = thrown(() => splitFrontMatter(text));

    // Assess
    expect(error.reason).toMatch(/must start with a "---" line/);
  });
});

describe('parseYamlMapping', () => {
  it('keeps timestamps and numeric-looking quoted values as the core schema types them', () => {
    // Prepare
    const yaml = 'date: 2021-11-08\nquoted: "1984"\nnumber: 1984\nflag: true\nnothing: ~';

    // Act
    const record = parseYamlMapping(yaml);

    // Assess
    expect({ ...record }).toEqual({ date: '2021-11-08', quoted: '1984', number: 1984, flag: true, nothing: null });
  });

  it('treats __proto__ as an ordinary key instead of a prototype', () => {
    // Prepare
    const yaml = '__proto__:\n  polluted: true';

    // Act
    const record = parseYamlMapping(yaml);

    // Assess
    expect(Object.keys(record)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects aliases even without an anchor on the same field', () => {
    // Prepare
    const yaml = 'list: [&x a]\nother: *x';

    // Act
    const error = thrown(() => parseYamlMapping(yaml));

    // Assess
    expect(error.field).toBe('list[0]');
    expect(error.reason).toBe('YAML anchors are not allowed');
  });

  it('rejects non-string keys', () => {
    // Prepare
    const yaml = '? [a, b]\n: value';

    // Act
    const error = thrown(() => parseYamlMapping(yaml));

    // Assess
    expect(error.reason).toBe('YAML keys must be plain strings');
  });

  it('rejects DEL and C1 controls with the code point named', () => {
    // Prepare
    const yaml = 'title: "a\u007fb"';

    // Act
    const error = thrown(() => parseYamlMapping(yaml));

    // Assess
    expect(error.reason).toBe('YAML contains the control character U+007F');
  });

  it('returns an empty record for empty YAML', () => {
    // Prepare
    const yaml = '';

    // Act
    const record = parseYamlMapping(yaml);

    // Assess
    expect(Object.keys(record)).toEqual([]);
  });
});

describe('parseYamlMapping on escaped characters', () => {
  it('rejects a control character written as an escape in a nested value, naming the field', () => {
    // Prepare
    const source = 'authors:\n  - name: "Ann\\u001bBee"\n';

    // Act
    const error = thrown(() => parseYamlMapping(source));

    // Assess
    expect([error.field, error.reason]).toEqual(['authors[0].name', 'value contains the control character U+001B']);
  });

  it('rejects a NUL written as an escape in a key', () => {
    // Prepare
    const source = '"ti\\0tle": x\n';

    // Act
    const error = thrown(() => parseYamlMapping(source));

    // Assess
    expect(error.reason).toBe('key contains the control character U+0000');
  });

  it('keeps an escaped tab and line feed, which plain text allows', () => {
    // Prepare
    const source = 'summary: "one\\ttwo\\nthree"\n';

    // Act
    const record = parseYamlMapping(source);

    // Assess
    expect(record.summary).toBe('one\ttwo\nthree');
  });
});
