/**
 * One article file (`articles/**\/*.md`): `---` fenced YAML front matter, then Markdown.
 * Every field is validated; unknown fields are rejected by name. Plain-text fields are kept
 * as written, bidi controls balanced; the body becomes sanitized HTML with absolute URLs.
 */
import type { Article, SiteConfig } from './article.js';
import { parseDate } from './dates.js';
import { ArticleParseError } from '../errors.js';
import {
  checkAbsoluteUrl, checkLanguage, checkText, describeValue, readAbsoluteUrl, readBoolean, readPersons, readText,
  rejectUnknownKeys,
} from './fields.js';
import { renderMarkdown } from './markdown.js';
import { ContentInputError, decodeContent, parseYamlMapping, splitFrontMatter, type PlainRecord } from './safe-yaml.js';
import { checkSlug, slugFromPath } from './slug.js';

/** Limits on article fields. */
const ARTICLE_LIMITS = { title: 500, summary: 2000, tags: 50, tag: 100, id: 200, translationKey: 200 } as const;

const ARTICLE_FIELDS = [
  'title', 'date', 'updated', 'slug', 'lang', 'summary', 'authors', 'tags', 'image', 'translationKey', 'draft',
  'canonicalUrl', 'machineTranslated', 'translatedFrom', 'id',
] as const;

const ARTICLE_PATH = /^articles\/(?:[^/\\]+\/)*[^/\\]+\.md$/;
const STABLE_ID = /^[A-Za-z0-9](?:[A-Za-z0-9._~/-]*[A-Za-z0-9_~])?$/;

/**
 * Parses one article. `path` is content-relative (`articles/2021/11/foo.md`).
 *
 * @throws ArticleParseError naming `path`, the field (when one is at fault) and the reason.
 */
export function parseArticle(path: string, bytes: Uint8Array | string, site: SiteConfig): Article {
  try {
    checkPath(path);
    const { frontMatter, body } = splitFrontMatter(decodeContent(bytes));
    const record = parseYamlMapping(frontMatter);
    rejectUnknownKeys(record, ARTICLE_FIELDS);
    const meta = readMeta(record, path, site);
    const url = meta.canonicalUrl ?? articleUrl(site, meta.lang, meta.slug);
    const contentHtml = renderMarkdown(body, { baseUrl: url, lang: meta.lang });
    return { sourcePath: path, ...meta, url, contentHtml };
  } catch (error) {
    if (error instanceof ContentInputError) throw new ArticleParseError(path, error.reason, error.field, { cause: error });
    throw error;
  }
}

/** The page URL of an article: `<siteUrl>articles/<slug>/`, under `<lang>/` for non-default languages. */
function articleUrl(site: SiteConfig, lang: string, slug: string): string {
  return lang === site.language ? `${site.siteUrl}articles/${slug}/` : `${site.siteUrl}${lang}/articles/${slug}/`;
}

function checkPath(path: string): void {
  const segments = path.split('/');
  if (!ARTICLE_PATH.test(path) || segments.some((s) => s === '..' || s === '.' || s === '')) {
    throw new ContentInputError('must be a relative path "articles/…/<name>.md" without "." or ".." segments', 'path');
  }
}

type ArticleMeta = Omit<Article, 'sourcePath' | 'url' | 'contentHtml'>;

function readMeta(record: PlainRecord, path: string, site: SiteConfig): ArticleMeta {
  const date = readDate(record, 'date', site, true) as Date;
  const updated = readDate(record, 'updated', site, false);
  if (updated && updated.getTime() < date.getTime()) throw new ContentInputError('must not be before date', 'updated');
  const slug = record.slug === undefined ? checkSlugFromPath(path) : checkSlug(record.slug);
  const lang = record.lang === undefined ? site.language : checkLanguage(record.lang, 'lang');
  const optional = {
    updated,
    summary: readText(record, 'summary', { maxLength: ARTICLE_LIMITS.summary }),
    image: readImage(record.image, site),
    translationKey: readText(record, 'translationKey', { maxLength: ARTICLE_LIMITS.translationKey, singleLine: true }),
    canonicalUrl: readAbsoluteUrl(record, 'canonicalUrl'),
    machineTranslated: readBoolean(record, 'machineTranslated'),
    translatedFrom: record.translatedFrom === undefined ? undefined : checkLanguage(record.translatedFrom, 'translatedFrom'),
  };
  return {
    id: `tag:${site.tagAuthority}:${readStableId(record.id, path)}`,
    slug,
    title: readText(record, 'title', { required: true, maxLength: ARTICLE_LIMITS.title, singleLine: true }) ?? '',
    date,
    lang,
    authors: readPersons(record, 'authors') ?? site.authors,
    tags: readTags(record.tags),
    draft: readBoolean(record, 'draft') ?? false,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  };
}

function readDate(record: PlainRecord, key: string, site: SiteConfig, required: boolean): Date | undefined {
  const value = record[key];
  if (value === undefined || value === null) {
    if (required) throw new ContentInputError('is required', key);
    return undefined;
  }
  return parseDate(value, key, site.timezone);
}

function checkSlugFromPath(path: string): string {
  try {
    return checkSlug(slugFromPath(path));
  } catch (error) {
    if (!(error instanceof ContentInputError)) throw error;
    throw new ContentInputError(`default from the file name: ${error.reason}; set "slug" explicitly`, 'slug');
  }
}

/** The front-matter `id`, else the path without `articles/` and `.md`, each segment percent-encoded. */
function readStableId(value: unknown, path: string): string {
  if (value === undefined || value === null) {
    return path.replace(/^articles\//, '').replace(/\.md$/i, '').split('/').map(encodeURIComponent).join('/');
  }
  if (typeof value !== 'string') throw new ContentInputError(`expected a string, got ${describeValue(value)}`, 'id');
  if (value.length > ARTICLE_LIMITS.id || !STABLE_ID.test(value)) {
    throw new ContentInputError(`must be 1 to ${ARTICLE_LIMITS.id} characters of A-Z a-z 0-9 . _ ~ / -`, 'id');
  }
  return value;
}

function readTags(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ContentInputError(`expected a list of strings, got ${describeValue(value)}`, 'tags');
  if (value.length > ARTICLE_LIMITS.tags) throw new ContentInputError(`has more than ${ARTICLE_LIMITS.tags} tags`, 'tags');
  const seen = new Set<string>();
  const tags: string[] = [];
  value.forEach((entry: unknown, i) => {
    const tag = checkText(entry, `tags[${i}]`, { maxLength: ARTICLE_LIMITS.tag, singleLine: true }).trim();
    const key = tag.toLocaleLowerCase('und');
    if (!seen.has(key)) tags.push(tag);
    seen.add(key);
  });
  return tags;
}

/** An absolute http(s) URL, or a path resolved against siteUrl (`/images/a.jpg`, `images/a.jpg`). */
function readImage(value: unknown, site: SiteConfig): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ContentInputError(`expected a URL or path, got ${describeValue(value)}`, 'image');
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return checkAbsoluteUrl(value, 'image');
  if (value.startsWith('//') || value.startsWith('\\') || /\s/.test(value)) {
    throw new ContentInputError('must be an absolute URL or a site path', 'image');
  }
  return checkAbsoluteUrl(new URL(value.replace(/^\//, ''), site.siteUrl).href, 'image');
}
