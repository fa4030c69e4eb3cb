/**
 * Safe reading of untrusted content files: byte limits, strict UTF-8, newline normalisation,
 * front-matter splitting and a deliberately small YAML subset (core schema, no tags, no
 * anchors or aliases, no duplicate keys). Callers turn {@link ContentInputError} into their own
 * file-specific error (`ArticleParseError`, `SiteConfigError`).
 */
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { FeedPublisherError } from '../errors.js';

/**
 * Largest accepted content file, in UTF-8 bytes (2 MiB). Large enough for a 1 MB article body,
 * small enough that one hostile upload cannot exhaust the function's memory.
 */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** Largest accepted front matter (or site.yaml), in UTF-16 code units (64 Ki): YAML stays cheap. */
export const MAX_FRONT_MATTER_CHARS = 64 * 1024;

/** A problem with one field (or the whole file when `field` is absent) of a content file. */
export class ContentInputError extends FeedPublisherError {
  constructor(
    readonly reason: string,
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(field ? `${field}: ${reason}` : reason, options);
  }
}

/** A YAML mapping read into plain data. Null prototype, so `__proto__` is an ordinary key. */
export type PlainRecord = Record<string, unknown>;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const ENCODER = new TextEncoder();

/**
 * Decodes a file to text: enforces {@link MAX_FILE_BYTES}, rejects invalid UTF-8, strips one
 * leading BOM and turns CRLF and lone CR into LF. String input may hold lone surrogates: the
 * front matter rejects them, the body strips them (see `stripXmlIllegal`).
 */
export function decodeContent(input: Uint8Array | string, maxBytes = MAX_FILE_BYTES): string {
  let text: string;
  if (typeof input === 'string') {
    const size = input.length > maxBytes ? input.length : ENCODER.encode(input).length;
    if (size > maxBytes) throw new ContentInputError(`is larger than the ${maxBytes}-byte limit`);
    text = input;
  } else {
    if (input.length > maxBytes) throw new ContentInputError(`is larger than the ${maxBytes}-byte limit`);
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(input);
    } catch (cause) {
      throw new ContentInputError('is not valid UTF-8 text', undefined, { cause });
    }
  }
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/** Front matter (without its fences) and the Markdown body that follows it. */
export interface FrontMatterSplit {
  readonly frontMatter: string;
  readonly body: string;
}

/** Splits `---` fenced front matter from the body. Both fences must be lines of exactly `---`. */
export function splitFrontMatter(text: string): FrontMatterSplit {
  if (!text.startsWith('---\n')) {
    throw new ContentInputError('must start with a "---" line opening the YAML front matter');
  }
  const end = /^---[ \t]*$/m;
  const rest = text.slice(4);
  const match = end.exec(rest);
  if (!match) throw new ContentInputError('front matter is not closed by a "---" line');
  const body = rest.slice(match.index + match[0].length).replace(/^\n/, '');
  return { frontMatter: rest.slice(0, match.index), body };
}

// C0 controls except tab/LF/CR, DEL, C1 controls, noncharacters U+FFFE/U+FFFF: never valid in metadata.
const ILLEGAL_IN_METADATA = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/;

/**
 * Parses YAML that must be one mapping. Rejects, naming the problem: control characters,
 * anything over {@link MAX_FRONT_MATTER_CHARS}, syntax errors, duplicate keys, explicit tags
 * (`!foo`, `!!js/function`, even `!!str`), anchors and aliases (alias bombs), non-string keys.
 */
export function parseYamlMapping(source: string): PlainRecord {
  if (source.length > MAX_FRONT_MATTER_CHARS) {
    throw new ContentInputError(`YAML is longer than ${MAX_FRONT_MATTER_CHARS} characters`);
  }
  checkCharacters(source, 'YAML', undefined);
  const doc = parseDocument(source, { schema: 'core', uniqueKeys: true, merge: false, prettyErrors: false });
  const [error] = doc.errors;
  if (error) throw new ContentInputError(`invalid YAML (${firstLine(error.message)})`, undefined, { cause: error });
  if (doc.contents === null) return Object.create(null) as PlainRecord;
  if (!isMap(doc.contents)) throw new ContentInputError('YAML must be a mapping of field names to values');
  // Converted before warnings are checked, so an unknown tag is reported with its field name.
  const record = toPlain(doc.contents, '') as PlainRecord;
  const [warning] = doc.warnings;
  if (warning) throw new ContentInputError(`invalid YAML (${firstLine(warning.message)})`, undefined, { cause: warning });
  return record;
}

/**
 * Refuses the characters never valid in metadata. Run on the raw YAML and again on every parsed
 * string, because double-quoted escapes (`"\x07"`, `"\u0000"`, `"\ud800"`) only produce them
 * once parsed.
 */
function checkCharacters(text: string, what: string, field: string | undefined): void {
  if (LONE_SURROGATE.test(text)) throw new ContentInputError(`${what} is not valid Unicode (lone surrogate)`, field);
  const bad = ILLEGAL_IN_METADATA.exec(text);
  if (bad) {
    const code = bad[0].codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0');
    throw new ContentInputError(`${what} contains the control character U+${code}`, field);
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/** Converts a YAML node to plain data, refusing every feature outside the small subset. */
function toPlain(node: Node | null, path: string): unknown {
  const field = path || undefined;
  if (node === null) return null;
  if (isAlias(node)) throw new ContentInputError('YAML aliases are not allowed', field);
  if (node.anchor) throw new ContentInputError('YAML anchors are not allowed', field);
  if (node.tag) throw new ContentInputError(`YAML tags are not allowed (${node.tag})`, field);
  if (isScalar(node)) {
    if (typeof node.value === 'string') checkCharacters(node.value, 'value', field);
    return node.value;
  }
  if (isSeq(node)) return node.items.map((item, i) => toPlain(item as Node | null, `${path}[${i}]`));
  if (isMap(node)) {
    const out = Object.create(null) as PlainRecord;
    for (const pair of node.items) {
      const key = pair.key as Node | null;
      if (!isScalar(key) || typeof key.value !== 'string' || key.anchor || key.tag) {
        throw new ContentInputError('YAML keys must be plain strings', field);
      }
      checkCharacters(key.value, 'key', field);
      const name = path ? `${path}.${key.value}` : key.value;
      out[key.value] = toPlain(pair.value as Node | null, name);
    }
    return out;
  }
  throw new ContentInputError('unsupported YAML value', field);
}
