import type { OutputDocument } from '../../lambdas/core/plan/outputs.js';
import { decodeHtmlEntities } from '../../lambdas/core/text/xml-text.js';
import { childNamed, childrenNamed, parseXmlTree, type XmlElement } from './xml-tree.js';

/**
 * The W3C Feed Validation Service rules our documents must pass with zero errors and zero
 * warnings (see FEED-VALIDITY.md), as a checker. Each finding carries the validator's
 * message code, so a failing test reads like a validator report.
 */
export interface RuleViolation {
  readonly code: string;
  readonly message: string;
}

/** Where a document is published, which some rules compare against. */
export interface DocumentContext {
  /** The absolute URL the document is served at (`${siteUrl}${key}`). */
  readonly url: string;
}

// The validator rejects what XML cannot carry and warns about C1 controls.
const BAD_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u0080-\u009F\uFFFE\uFFFF]|&#x0*(?:[0-8bcef]|1[0-9a-f]|[89][0-9a-f]|fffe|ffff);/i;
const URL_ATTRIBUTE = /\s(?:href|src|poster|cite|action|srcset)\s*=\s*("([^"]*)"|'([^']*)')/gi;
const ABSOLUTE = /^[a-z][a-z0-9+.-]*:/i;
const EMAIL_CONTACT = /^[^\s@()<>]+@[^\s@()<>]+\.[^\s@()<>]+(?: \([^()]*\))?$/;

/** Every rule violation found in `doc`, which is RSS, Atom or JSON Feed by its key. */
export function checkFeedRules(doc: OutputDocument, context: DocumentContext): RuleViolation[] {
  const found: RuleViolation[] = [];
  if (BAD_CHARACTERS.test(doc.body)) found.push(violation('BadCharacters', 'illegal or C1 control character'));
  if (doc.key.endsWith('feed.json')) return [...found, ...checkJsonFeed(doc.body, context)];
  found.push(...checkAttributeValues(doc.body));
  const root = parseXmlTree(doc.body);
  if (root.name === 'rss') return [...found, ...checkRss(root, doc.body, context)];
  if (root.name === 'feed') return [...found, ...checkAtom(root, context)];
  return [...found, violation('UnknownFormat', `root element <${root.name}>`)];
}

/**
 * XML 1.0 forbids `<` in attribute values; fast-xml-parser's validator lets it through, so
 * it is checked here (outside CDATA sections, where markup is literal text).
 */
function checkAttributeValues(xml: string): RuleViolation[] {
  const markup = xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
  return [...markup.matchAll(/\s([\w:.-]+)="([^"]*)"/g)]
    .filter((match) => (match[2] ?? '').includes('<'))
    .map((match) => violation('NotWellFormed', `raw < in attribute ${match[1]}`));
}

function violation(code: string, message: string): RuleViolation {
  return { code, message };
}

/**
 * Problems in an HTML fragment carried by a feed: relative references, `<script>`, event
 * handler attributes and `javascript:` URLs. Only real tags are inspected, so the same
 * words in (escaped) text are not mistaken for markup.
 */
export function checkHtmlContent(html: string, where: string): RuleViolation[] {
  const found: RuleViolation[] = [];
  let scripted = false;
  for (const [tag] of html.matchAll(/<[a-zA-Z][^>]*>/g)) {
    if (/^<script\b/i.test(tag) || /\son[a-z]+\s*=/i.test(tag)) scripted = true;
    for (const match of tag.matchAll(URL_ATTRIBUTE)) {
      const value = decodeHtmlEntities((match[2] ?? match[3] ?? '').trim());
      const urls = match[0].toLowerCase().includes('srcset') ? value.split(',').map((part) => part.trim().split(/\s+/)[0] ?? '') : [value];
      for (const url of urls) {
        if (/^\s*javascript:/i.test(url)) scripted = true;
        else if (!ABSOLUTE.test(url)) found.push(violation('ContainsRelRef', `${where}: relative URL "${url}"`));
      }
    }
  }
  if (scripted) found.push(violation('ContainsScript', `${where}: script, event handler or javascript: URL`));
  return found;
}

function checkRss(rss: XmlElement, raw: string, context: DocumentContext): RuleViolation[] {
  const found: RuleViolation[] = [];
  const channel = childNamed(rss, 'channel');
  if (!channel) return [violation('MissingElement', 'rss has no channel')];
  const self = childrenNamed(channel, 'atom:link').find((link) => link.attributes.rel === 'self');
  if (self?.attributes.href !== context.url) found.push(violation('SelfDoesntMatchLocation', `self link ${self?.attributes.href ?? 'missing'}`));
  if (!childNamed(channel, 'language')?.text.trim()) found.push(violation('MissingLanguage', 'channel has no <language>'));
  found.push(...checkRssPrefixes(rss, raw), ...checkRssPlainText(raw), ...checkHistory(rss, channel, 'atom:link', context));
  childrenNamed(channel, 'item').forEach((item, index) => found.push(...checkRssItem(item, `item ${index + 1}`)));
  return found;
}

const HISTORY_NAMESPACE = 'http://purl.org/syndication/history/1.0';
const ARCHIVE_PAGE = /(?:^|\/)archive\/\d+\/[^/]+$/;

/** Whether a document URL is an RFC 5005 archive page (`…/archive/<n>/<file>`). */
export function isArchivePage(url: string): boolean {
  return ARCHIVE_PAGE.test(new URL(url).pathname);
}

/**
 * RFC 5005: an archive page carries `fh:archive` (its namespace declared), a `current` link and
 * `prev-archive` or `next-archive`;
 * a subscription document never carries `fh:archive`; every history link is absolute.
 */
function checkHistory(root: XmlElement, parent: XmlElement, linkName: string, context: DocumentContext): RuleViolation[] {
  const found: RuleViolation[] = [];
  const links = childrenNamed(parent, linkName).filter((link) => ['current', 'prev-archive', 'next-archive'].includes(link.attributes.rel ?? ''));
  for (const link of links) {
    if (!ABSOLUTE.test(link.attributes.href ?? '')) found.push(violation('ContainsRelRef', `${link.attributes.rel} link "${link.attributes.href}"`));
  }
  const marked = childNamed(parent, 'fh:archive') !== undefined;
  if (isArchivePage(context.url)) {
    if (!marked) found.push(violation('MissingArchiveMarker', 'archive page without fh:archive'));
    if (!links.some((link) => link.attributes.rel === 'current')) found.push(violation('MissingCurrentLink', 'archive page without a current link'));
    // The W3C validator warns about an archive page that links to no other archive document.
    if (!links.some((link) => link.attributes.rel === 'prev-archive' || link.attributes.rel === 'next-archive')) {
      found.push(violation('ArchiveIncomplete', 'archive page with neither prev-archive nor next-archive'));
    }
  } else if (marked) {
    found.push(violation('UnexpectedArchiveMarker', 'fh:archive in a subscription document'));
  }
  if (marked && root.attributes['xmlns:fh'] !== HISTORY_NAMESPACE) found.push(violation('UndeclaredPrefix', 'prefix fh: is not the history namespace'));
  return found;
}

function checkRssItem(item: XmlElement, where: string): RuleViolation[] {
  const found: RuleViolation[] = [];
  const authors = childrenNamed(item, 'author');
  if (authors.length > 1) found.push(violation('DuplicateElement', `${where}: ${authors.length} <author> elements`));
  for (const author of authors) {
    if (!EMAIL_CONTACT.test(author.text.trim())) found.push(violation('InvalidContact', `${where}: author "${author.text}" is not an email`));
  }
  const names = item.children.map((child) => child.name);
  const content = names.indexOf('content:encoded');
  const description = names.indexOf('description');
  if (content >= 0 && (description < 0 || description > content)) {
    found.push(violation('NeedDescriptionBeforeContent', `${where}: description must come before content:encoded`));
  }
  for (const name of ['description', 'content:encoded']) {
    const element = childNamed(item, name);
    if (element) found.push(...checkHtmlContent(element.text, `${where} ${name}`));
  }
  for (const creator of childrenNamed(item, 'dc:creator')) {
    if (creator.text.trim() === '') found.push(violation('NotBlank', `${where}: empty dc:creator`));
  }
  return found;
}

/** Every prefix used in an element name must be declared on <rss>. */
function checkRssPrefixes(rss: XmlElement, raw: string): RuleViolation[] {
  const used = new Set([...raw.matchAll(/<([a-zA-Z][\w.-]*):[\w.-]+[\s/>]/g)].map((match) => match[1] ?? ''));
  return [...used]
    .filter((prefix) => rss.attributes[`xmlns:${prefix}`] === undefined)
    .map((prefix) => violation('UndeclaredPrefix', `prefix ${prefix}: is not declared`));
}

/** RSS titles and categories are plain text: no markup, no CDATA, no named entities. */
function checkRssPlainText(raw: string): RuleViolation[] {
  const found: RuleViolation[] = [];
  for (const match of raw.matchAll(/<(title|category)(?:\s[^>]*)?>([\s\S]*?)<\/\1>/g)) {
    const body = match[2] ?? '';
    if (/<!\[CDATA\[|&(?:lt|gt|amp|quot|apos);|<[a-z/!]/i.test(body)) {
      found.push(violation('ContainsHTML', `<${match[1]}> "${body.slice(0, 60)}" has markup or named entities`));
    }
  }
  return found;
}

function checkAtom(feed: XmlElement, context: DocumentContext): RuleViolation[] {
  const found: RuleViolation[] = [];
  const self = childrenNamed(feed, 'link').find((link) => link.attributes.rel === 'self');
  if (self?.attributes.href !== context.url) found.push(violation('SelfDoesntMatchLocation', `self link ${self?.attributes.href ?? 'missing'}`));
  if (!feed.attributes['xml:lang']?.trim()) found.push(violation('MissingLanguage', '<feed> has no xml:lang'));
  const id = childNamed(feed, 'id')?.text.trim() ?? '';
  if (!isCanonicalUri(id)) found.push(violation('NonCanonicalURI', `feed id "${id}"`));
  found.push(...checkAtomAuthors(feed, 'feed'), ...checkHistory(feed, feed, 'link', context));
  childrenNamed(feed, 'entry').forEach((entry, index) => found.push(...checkAtomEntry(entry, `entry ${index + 1}`)));
  return found;
}

function checkAtomEntry(entry: XmlElement, where: string): RuleViolation[] {
  const found: RuleViolation[] = [...checkAtomAuthors(entry, where)];
  const id = childNamed(entry, 'id')?.text.trim() ?? '';
  if (!isCanonicalUri(id)) found.push(violation('NonCanonicalURI', `${where}: id "${id}"`));
  for (const category of childrenNamed(entry, 'category')) {
    if (category.attributes.term === undefined) found.push(violation('MissingAttribute', `${where}: category without term`));
  }
  // RFC 4287 4.1.1: an entry without content has an alternate link (a link without rel is one).
  const links = childrenNamed(entry, 'link');
  if (!childNamed(entry, 'content') && !links.some((link) => (link.attributes.rel ?? 'alternate') === 'alternate' && link.attributes.hreflang === undefined)) {
    found.push(violation('MissingAlternateLink', `${where}: no content and no alternate link`));
  }
  for (const name of ['summary', 'content']) {
    const element = childNamed(entry, name);
    if (element?.attributes.type === 'html') found.push(...checkHtmlContent(element.text, `${where} ${name}`));
  }
  return found;
}

function checkAtomAuthors(parent: XmlElement, where: string): RuleViolation[] {
  return childrenNamed(parent, 'author')
    .filter((author) => !childNamed(author, 'name')?.text.trim())
    .map(() => violation('NotBlank', `${where}: author without a name`));
}

/** `tag:` URIs are canonical as written; http(s) URIs must equal their normalized form. */
function isCanonicalUri(uri: string): boolean {
  try {
    return new URL(uri).href === uri;
  } catch {
    return false;
  }
}

function checkJsonFeed(body: string, context: DocumentContext): RuleViolation[] {
  const feed = JSON.parse(body) as Record<string, unknown>;
  const found: RuleViolation[] = [];
  if (jsonStrings(feed).some((text) => BAD_CHARACTERS.test(text))) found.push(violation('BadCharacters', 'illegal or C1 control character in a string'));
  if (feed.version !== 'https://jsonfeed.org/version/1.1') found.push(violation('InvalidVersion', `version ${String(feed.version)}`));
  if (feed.feed_url !== context.url) found.push(violation('SelfDoesntMatchLocation', `feed_url ${String(feed.feed_url)}`));
  if (typeof feed.language !== 'string' || feed.language === '') found.push(violation('MissingLanguage', 'no language'));
  if ('author' in feed) found.push(violation('Deprecated', 'feed uses author instead of authors'));
  if (feed.next_url !== undefined && !(typeof feed.next_url === 'string' && ABSOLUTE.test(feed.next_url))) {
    found.push(violation('ContainsRelRef', `next_url ${String(feed.next_url)}`));
  }
  const items = Array.isArray(feed.items) ? (feed.items as Record<string, unknown>[]) : [];
  items.forEach((item, index) => {
    const where = `item ${index + 1}`;
    if ('author' in item) found.push(violation('Deprecated', `${where} uses author instead of authors`));
    if (typeof item.url !== 'string') found.push(violation('MissingElement', `${where} has no url`));
    if (typeof item.date_published !== 'string' && typeof item.date_modified !== 'string') found.push(violation('MissingElement', `${where} has no date`));
    if (typeof item.content_html === 'string') found.push(...checkHtmlContent(item.content_html, `${where} content_html`));
  });
  return found;
}

/** Every string value anywhere in a parsed JSON value. */
function jsonStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(jsonStrings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(jsonStrings);
  return [];
}
