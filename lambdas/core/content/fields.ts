/**
 * Typed readers for YAML fields shared by site.yaml and article front matter. Each reader
 * throws {@link ContentInputError} naming the field and the expected type or rule.
 *
 * Plain-text policy: text is kept exactly as written (`&amp;` and `<b>` stay text). Bidi
 * formatting characters are accepted, and each field is balanced on its own (see
 * `balanceBidi`): a closer that closes nothing is dropped and whatever is still open at the end
 * is closed, so no field can turn the direction of the text published after it. A field that
 * nests them deeper than UAX #9 allows is refused, and so is any of them in an email address,
 * which is an address, not text. Control characters never reach these readers:
 * `parseYamlMapping` rejects them for the whole front matter.
 */
import type { Person } from './article.js';
import { ContentInputError, type PlainRecord } from './safe-yaml.js';
import { balanceBidiRun, BIDI_FORMATTING, MAX_BIDI_DEPTH } from '../text/bidi.js';

const EMAIL = /^[^\s@<>()",;:\\[\]]+@[^\s@<>()",;:\\[\]]+\.[^\s@<>()",;:\\[\]]+$/;

/** Options of {@link readText}. */
export interface TextRules {
  readonly required?: boolean;
  readonly maxLength: number;
  /** Reject line breaks (titles, names, tags). */
  readonly singleLine?: boolean;
}

/** Throws naming the first key of `record` that is not in `allowed` (typos must not pass silently). */
export function rejectUnknownKeys(record: PlainRecord, allowed: readonly string[], prefix = ''): void {
  const unknown = Object.keys(record).find((key) => !allowed.includes(key));
  if (unknown !== undefined) {
    throw new ContentInputError(`unknown field (allowed: ${allowed.join(', ')})`, `${prefix}${unknown}`);
  }
}

/**
 * Checks one plain-text value against the rules; returns it as written, except that its bidi
 * formatting characters are balanced (the limits apply to the text as written).
 */
export function checkText(value: unknown, field: string, rules: TextRules): string {
  if (typeof value !== 'string') throw new ContentInputError(`expected a string, got ${describeValue(value)}`, field);
  if (value.length > rules.maxLength) {
    throw new ContentInputError(`is longer than ${rules.maxLength} characters`, field);
  }
  const text = balanceField(value, field);
  if (text.trim() === '') throw new ContentInputError('must not be empty', field);
  if (rules.singleLine && /[\n\r\t]/.test(text)) throw new ContentInputError('must be a single line', field);
  return text;
}

/** {@link balanceBidiRun} on one field; refuses nesting deeper than renderers honour. */
function balanceField(value: string, field: string): string {
  const { texts, depth } = balanceBidiRun([value]);
  if (depth > MAX_BIDI_DEPTH) {
    throw new ContentInputError(`nests bidi embeddings, overrides and isolates more than ${MAX_BIDI_DEPTH} deep`, field);
  }
  return texts[0] ?? value;
}

/** Reads an optional (or required) plain-text field. */
export function readText(record: PlainRecord, key: string, rules: TextRules): string | undefined {
  const value = record[key];
  if (value === undefined || value === null) {
    if (rules.required) throw new ContentInputError('is required', key);
    return undefined;
  }
  return checkText(value, key, rules);
}

/** Reads an optional boolean (`true` / `false`, unquoted). */
export function readBoolean(record: PlainRecord, key: string): boolean | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new ContentInputError(`expected a boolean, got ${describeValue(value)}`, key);
  return value;
}

/** Reads an optional integer within `[min, max]`. */
export function readInteger(record: PlainRecord, key: string, min: number, max: number): number | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new ContentInputError(`expected an integer, got ${describeValue(value)}`, key);
  }
  if (value < min || value > max) throw new ContentInputError(`must be between ${min} and ${max}`, key);
  return value;
}

/**
 * Reads an absolute URL whose scheme is in `protocols` (default http and https). Returns the
 * WHATWG-serialised form, so `https://Example.com` becomes `https://example.com/`.
 */
export function checkAbsoluteUrl(value: unknown, field: string, protocols = ['http:', 'https:']): string {
  if (typeof value !== 'string') throw new ContentInputError(`expected a URL string, got ${describeValue(value)}`, field);
  if (value.length > 2048 || /\s/.test(value.trim()) || !URL.canParse(value.trim())) {
    throw new ContentInputError('must be an absolute URL', field);
  }
  const url = new URL(value.trim());
  if (!protocols.includes(url.protocol)) {
    throw new ContentInputError(`must use ${protocols.map((p) => p.slice(0, -1)).join(' or ')}`, field);
  }
  if (url.username || url.password) throw new ContentInputError('must not contain credentials', field);
  return url.href;
}

/** Reads an optional absolute http(s) URL. */
export function readAbsoluteUrl(record: PlainRecord, key: string): string | undefined {
  const value = record[key];
  return value === undefined || value === null ? undefined : checkAbsoluteUrl(value, key);
}

/** Validates a BCP 47 tag with `Intl.getCanonicalLocales` and returns it canonical and lower case. */
export function checkLanguage(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new ContentInputError(`expected a language tag, got ${describeValue(value)}`, field);
  try {
    const [canonical] = Intl.getCanonicalLocales(value);
    if (!canonical || value.length > 35) throw new RangeError(value);
    return canonical.toLowerCase();
  } catch (cause) {
    throw new ContentInputError(`"${value.slice(0, 40)}" is not a BCP 47 language tag`, field, { cause });
  }
}

/** Reads a list of people; each is a name string or a mapping `{ name, email?, url? }`. */
export function readPersons(record: PlainRecord, key: string): Person[] | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list)) throw new ContentInputError(`expected a list of people, got ${describeValue(value)}`, key);
  if (list.length > 100) throw new ContentInputError('lists more than 100 people', key);
  return list.map((entry: unknown, i) => checkPerson(entry, `${key}[${i}]`));
}

function checkPerson(entry: unknown, field: string): Person {
  const rules = { maxLength: 200, singleLine: true };
  if (typeof entry === 'string') return { name: checkText(entry, `${field}.name`, rules) };
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    throw new ContentInputError(`expected a name or a mapping with name, email, url; got ${describeValue(entry)}`, field);
  }
  const person = entry as PlainRecord;
  rejectUnknownKeys(person, ['name', 'email', 'url'], `${field}.`);
  const name = checkText(person.name, `${field}.name`, rules);
  const email = person.email === undefined ? undefined : checkEmail(person.email, `${field}.email`);
  const url = person.url === undefined ? undefined : checkAbsoluteUrl(person.url, `${field}.url`);
  return { name, ...(email === undefined ? {} : { email }), ...(url === undefined ? {} : { url }) };
}

/** An email address: balancing would change the address, so bidi formatting is refused. */
function checkEmail(value: unknown, field: string): string {
  if (typeof value === 'string' && BIDI_FORMATTING.test(value)) {
    throw new ContentInputError('must not contain bidi formatting characters', field);
  }
  const email = checkText(value, field, { maxLength: 200, singleLine: true });
  if (!EMAIL.test(email)) throw new ContentInputError('is not an email address', field);
  return email;
}

/** A short type description for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  return typeof value === 'object' ? 'a mapping' : `${typeof value} ${JSON.stringify(value).slice(0, 40)}`;
}
