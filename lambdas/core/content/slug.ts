/**
 * Article slugs: the last segment of an article's URL. Lower-case ASCII letters, digits and
 * single inner hyphens only, so a slug can never traverse paths, need escaping, or collide with
 * the site's own names.
 */
import { ContentInputError } from './safe-yaml.js';
import { describeValue } from './fields.js';

/** Longest accepted slug, in characters. */
const MAX_SLUG_LENGTH = 100;

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Names the site uses itself (feeds, listings, assets). */
const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'tags', 'tag', 'archive', 'archives', 'index', 'articles', 'feed', 'feeds', 'rss', 'atom',
  'json', 'assets', 'static', 'search', 'page', 'pages', 'authors', 'author', 'api',
]);

/** Derives the default slug from a content path: the file name without `.md` and without a `.<lang>` suffix. */
export function slugFromPath(path: string): string {
  const file = path.slice(path.lastIndexOf('/') + 1).replace(/\.md$/i, '');
  return file.replace(/\.[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/i, '').toLowerCase();
}

/** Validates a slug (from front matter or from the file name) and returns it. */
export function checkSlug(value: unknown, field = 'slug'): string {
  if (typeof value !== 'string') throw new ContentInputError(`expected a string, got ${describeValue(value)}`, field);
  if (value.length === 0 || value.length > MAX_SLUG_LENGTH) {
    throw new ContentInputError(`must be 1 to ${MAX_SLUG_LENGTH} characters`, field);
  }
  if (!SLUG.test(value)) {
    throw new ContentInputError(
      `"${value.slice(0, 40)}" may only contain a-z, 0-9 and single inner hyphens`,
      field,
    );
  }
  // Language codes are fine: pages live under `articles/`, language folders beside it.
  if (RESERVED_SLUGS.has(value)) {
    throw new ContentInputError(`"${value}" is reserved (a name the site uses itself)`, field);
  }
  return value;
}
