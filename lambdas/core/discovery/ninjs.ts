/**
 * IPTC ninjs 3.1 (News in JSON, https://iptc.org/standards/ninjs/) of one article, for partners
 * that exchange news in the IPTC's format: `articles/<slug>/ninjs.json` beside the article page.
 * The `uri` is the permanent id the feeds use; the body is the sanitized HTML the feeds carry.
 */
import type { Article, Person, SiteConfig } from '../content/article.js';
import { authorsOf } from '../feeds/build-feed.js';
import { machineTranslationText } from '../feeds/translation-note.js';
import { tagSlug, tagsOf } from '../content/tag-slug.js';
import { ninjsKey } from '../plan/document-keys.js';
import { toOutputDocument, type OutputDocument } from '../plan/outputs.js';
import { normalizeUrl } from '../text/url.js';
import { removeUncarriableChars } from '../text/xml-text.js';

/** The standard, version and schema every document declares (`standard`). */
export const NINJS_STANDARD = { name: 'ninjs', version: '3.1', schema: 'http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json' } as const;

/** What a ninjs document names of another language version. */
export type NinjsTranslation = Pick<Article, 'id' | 'lang' | 'url' | 'title' | 'slug'>;

/** Absolute URL of the ninjs document of an article (or of a language version). */
export function ninjsUrl(article: Pick<Article, 'lang' | 'slug'>, site: SiteConfig): string {
  return site.siteUrl + ninjsKey(article, site);
}

/** The ninjs document of `article`; `translations` are its other-language versions. */
export function renderNinjs(article: Article, site: SiteConfig, translations: readonly NinjsTranslation[]): OutputDocument {
  return toOutputDocument(ninjsKey(article, site), `${JSON.stringify(toNinjs(article, site, translations), null, 2)}\n`, 'ninjs');
}

function toNinjs(article: Article, site: SiteConfig, translations: readonly NinjsTranslation[]): Record<string, unknown> {
  const authors = authorsOf(article, site);
  const summary = article.summary === undefined ? '' : clean(article.summary).trim();
  const tags = tagsOf(article);
  return {
    standard: NINJS_STANDARD,
    // The id exactly as the feeds write it (JSON Feed `id`, Atom `id`).
    uri: normalizeUrl(article.id) ?? article.id,
    type: 'text',
    representationType: 'full',
    firstCreated: article.date.toISOString(),
    versionCreated: (article.updated ?? article.date).toISOString(),
    contentCreated: article.date.toISOString(),
    pubStatus: 'usable',
    language: article.lang,
    headlines: [{ role: 'main', contentType: 'text/plain', value: clean(article.title) }],
    descriptions: descriptionsOf(summary, article),
    bodies: [{ role: 'main', contentType: 'text/html', value: clean(article.contentHtml) }],
    by: authors.length > 0 ? authors.map((person) => clean(person.name)).join(', ') : undefined,
    people: authors.length > 0 ? authors.map(toAuthor) : undefined,
    subjects: tags.length > 0 ? tags.map((tag) => ({ name: tag, rel: 'about', literal: tagSlug(tag) })) : undefined,
    infoSources: [{ name: clean(site.title), role: 'publisher', uri: site.siteUrl }],
    copyrightHolder: clean(site.title),
    copyrightNotice: clean(site.copyright),
    renditions: [{ name: 'web', href: article.url, contentType: 'text/html' }],
    associations: associationsOf(article, site, translations),
    altIds: [{ role: 'url', value: article.url }],
  };
}

/** The summary, and for a machine translation the disclosure readers see (role `machine-translation`). */
function descriptionsOf(summary: string, article: Article): Record<string, string>[] | undefined {
  const descriptions = [
    ...(summary === '' ? [] : [{ role: 'summary', contentType: 'text/plain', value: summary }]),
    ...(article.machineTranslated ? [{ role: 'machine-translation', contentType: 'text/plain', value: machineTranslationText(article) }] : []),
  ];
  return descriptions.length > 0 ? descriptions : undefined;
}

function toAuthor(person: Person): Record<string, string> {
  const uri = normalizeUrl(person.url);
  return { name: clean(person.name), rel: 'author', ...(uri === undefined ? {} : { uri }) };
}

/**
 * The lead image (`rel: leadimage`, a picture with its one rendition) and every other-language
 * version (`rel: translation`, or `translationOf` for the version this one was machine-translated
 * from), each with its page and its own ninjs document as renditions.
 */
function associationsOf(article: Article, site: SiteConfig, translations: readonly NinjsTranslation[]): Record<string, unknown>[] | undefined {
  const image = normalizeUrl(article.image);
  const associations: Record<string, unknown>[] = [
    ...(image === undefined ? [] : [{ name: 'leadimage', rel: 'leadimage', uri: image, type: 'picture', renditions: [{ name: 'original', href: image }] }]),
    ...translations.map((other) => ({
      name: `translation-${other.lang}`,
      rel: article.machineTranslated && other.lang === article.translatedFrom ? 'translationOf' : 'translation',
      uri: normalizeUrl(other.id) ?? other.id,
      type: 'text',
      representationType: 'partial',
      language: other.lang,
      headlines: [{ role: 'main', contentType: 'text/plain', value: clean(other.title) }],
      renditions: [
        { name: 'web', href: other.url, contentType: 'text/html' },
        { name: 'ninjs', href: ninjsUrl(other, site), contentType: 'application/json' },
      ],
    })),
  ];
  return associations.length > 0 ? associations : undefined;
}

/** The same characters are dropped as in the feeds, so every format carries one text. */
function clean(text: string): string {
  return removeUncarriableChars(text);
}
