import { XMLValidator } from 'fast-xml-parser';
import type { OutputDocument } from '../../lambdas/core/plan/outputs.js';
import { checkFeedRules } from './feed-rules.js';
import { validateOpml } from './opml-rules.js';
import { validateJsonFeedSchema } from './json-feed-schema.js';
import { readBackFeed, type ReadBackFeed } from './read-back.js';

/**
 * Everything a published feed document must pass without a network: well-formed XML,
 * the W3C validator rules (feed-rules.ts), the JSON Feed 1.1 schema, a read-back by a real
 * feed reader library, and the same content in every format of a language set. Returns one
 * line per problem, prefixed with the document key; an empty list means valid.
 * (RELAX NG validation of Atom needs a JVM, so it is separate: atom-relaxng.ts.)
 */
export function validateFeedDocuments(docs: readonly OutputDocument[], siteUrl: string): string[] {
  const feeds = docs.filter(isFeedDocument);
  const problems = [
    ...feeds.flatMap((doc) => validateFeedDocument(doc, siteUrl).map((problem) => `${doc.key}: ${problem}`)),
    ...docs.filter((doc) => doc.key.endsWith('.opml')).flatMap((doc) => validateOpml(doc, docs, siteUrl).map((problem) => `${doc.key}: ${problem}`)),
  ];
  if (problems.length > 0) return problems;
  return compareFormatsOfEachSet(feeds);
}

/** True for RSS, Atom and JSON Feed documents (by key), false for the feed list and pages. */
export function isFeedDocument(doc: Pick<OutputDocument, 'key'>): boolean {
  return /(?:^|\/)(?:rss\.xml|atom\.xml|feed\.json)$/.test(doc.key);
}

/** Problems of one document on its own (see {@link validateFeedDocuments}). */
export function validateFeedDocument(doc: OutputDocument, siteUrl: string): string[] {
  const problems: string[] = [];
  if (doc.key.endsWith('.xml')) {
    const wellFormed = XMLValidator.validate(doc.body);
    if (wellFormed !== true) return [`not well-formed: ${wellFormed.err.msg} (line ${wellFormed.err.line})`];
  } else {
    try {
      JSON.parse(doc.body);
    } catch (error) {
      return [`not JSON: ${String(error)}`];
    }
    problems.push(...validateJsonFeedSchema(doc.body).map((error) => `schema: ${error}`));
  }
  problems.push(...checkFeedRules(doc, { url: `${siteUrl}${doc.key}` }).map((rule) => `${rule.code}: ${rule.message}`));
  try {
    readBackFeed(doc);
  } catch (error) {
    problems.push(`reader failed: ${String(error)}`);
  }
  return problems;
}

/** The documents grouped by their folder (`''` for the root set, `id/` for Indonesian...). */
export function groupBySet(docs: readonly OutputDocument[]): Map<string, OutputDocument[]> {
  const sets = new Map<string, OutputDocument[]>();
  for (const doc of docs) {
    const folder = doc.key.slice(0, doc.key.lastIndexOf('/') + 1);
    sets.set(folder, [...(sets.get(folder) ?? []), doc]);
  }
  return sets;
}

/** What every format of one set must agree on, as read back. */
export function comparableView(feed: ReadBackFeed): unknown {
  return {
    title: feed.title,
    link: feed.link,
    language: feed.language,
    items: feed.items,
  };
}

function compareFormatsOfEachSet(docs: readonly OutputDocument[]): string[] {
  const problems: string[] = [];
  for (const [folder, members] of groupBySet(docs)) {
    const [first, ...others] = members.map((doc) => ({ key: doc.key, view: JSON.stringify(comparableView(readBackFeed(doc))) }));
    for (const other of others) {
      if (first && other.view !== first.view) problems.push(`${other.key}: reads back differently from ${first.key} in set "${folder}"`);
    }
  }
  return problems;
}
