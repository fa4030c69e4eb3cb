import { XMLValidator } from 'fast-xml-parser';
import type { OutputDocument } from '../../lambdas/core/plan/outputs.js';
import { parseXmlTree, type XmlElement } from './xml-tree.js';

/** Every outline below `element`, depth first. */
export function outlinesOf(element: XmlElement): XmlElement[] {
  return element.children.filter((child) => child.name === 'outline').flatMap((child) => [child, ...outlinesOf(child)]);
}

/** The subscription outlines (those with an `xmlUrl`) of an OPML document. */
export function feedOutlinesOf(xml: string): XmlElement[] {
  const body = parseXmlTree(xml).children.find((child) => child.name === 'body');
  return body ? outlinesOf(body).filter((outline) => outline.attributes.xmlUrl !== undefined) : [];
}

/**
 * OPML 2.0 (http://opml.org/spec2.opml) rules for the feed list: well-formed, `version="2.0"`,
 * a head with a title, every outline with `text`, every subscription outline with
 * `type="rss"`, an absolute `xmlUrl` naming a published document and a `language`; and every
 * subscription document among `docs` listed. Returns one line per problem.
 */
export function validateOpml(doc: OutputDocument, docs: readonly OutputDocument[], siteUrl: string): string[] {
  const wellFormed = XMLValidator.validate(doc.body);
  if (wellFormed !== true) return [`not well-formed: ${wellFormed.err.msg} (line ${wellFormed.err.line})`];
  const root = parseXmlTree(doc.body);
  const problems: string[] = [];
  if (root.name !== 'opml' || root.attributes.version !== '2.0') problems.push(`root is <${root.name} version=${root.attributes.version}>`);
  const title = root.children.find((child) => child.name === 'head')?.children.find((child) => child.name === 'title');
  if (!title?.text.trim()) problems.push('head has no title');
  const body = root.children.find((child) => child.name === 'body');
  for (const outline of body ? outlinesOf(body) : []) {
    if (!outline.attributes.text?.trim()) problems.push('outline without text');
  }
  const published = new Set(docs.map((candidate) => siteUrl + candidate.key));
  const listed = feedOutlinesOf(doc.body);
  for (const outline of listed) {
    const { type, xmlUrl = '', language } = outline.attributes;
    if (type !== 'rss') problems.push(`${xmlUrl}: type ${type}`);
    if (!published.has(xmlUrl)) problems.push(`${xmlUrl}: not a published document`);
    if (!language) problems.push(`${xmlUrl}: no language`);
  }
  const subscriptions = docs.filter((candidate) => /(?:^|\/)(?:rss\.xml|atom\.xml|feed\.json)$/.test(candidate.key) && !/(?:^|\/)archive\//.test(candidate.key));
  const listedUrls = new Set(listed.map((outline) => outline.attributes.xmlUrl));
  for (const missing of subscriptions.filter((candidate) => !listedUrls.has(siteUrl + candidate.key))) problems.push(`${missing.key} is not listed`);
  return problems;
}
