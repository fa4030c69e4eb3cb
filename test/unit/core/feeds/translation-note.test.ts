import { describe, expect, it } from 'vitest';
import { renderFeeds } from '../../../support/render-site.js';
import { itemContentHtml, machineTranslationExtension, machineTranslationText } from '../../../../lambdas/core/feeds/translation-note.js';
import { buildArticle, buildSite } from '../../../support/article-factory.js';
import { readBackFeed } from '../../../validation/read-back.js';
import { validateFeedDocuments } from '../../../validation/validate-feed-documents.js';

const NOTE = '<p lang="en" dir="ltr"><em>Machine-translated from Indonesian.</em></p>';

describe('machine translation disclosure', () => {
  it('names the source language in English, or says only that the text is machine-translated', () => {
    // Act
    const named = machineTranslationText({ translatedFrom: 'id' });
    const unnamed = machineTranslationText({});

    // Assess
    expect(named).toBe('Machine-translated from Indonesian.');
    expect(unnamed).toBe('Machine-translated.');
  });

  it('appends the note to a machine translation and leaves a human text as written', () => {
    // Prepare
    const translated = buildArticle('translated', 0, { machineTranslated: true, translatedFrom: 'id', contentHtml: '<p>Body.</p>' });
    const human = buildArticle('human', 0, { contentHtml: '<p>Body.</p>' });

    // Act
    const translatedHtml = itemContentHtml(translated);
    const humanHtml = itemContentHtml(human);

    // Assess
    expect(translatedHtml).toBe(`<p>Body.</p>\n${NOTE}`);
    expect(humanHtml).toBe('<p>Body.</p>');
    expect(machineTranslationExtension(translated)).toEqual({ machine_translated: true, source_language: 'id' });
    expect(machineTranslationExtension(human)).toBeUndefined();
  });

  it('tells readers in all three formats and partners in the JSON Feed extension, and the feeds stay valid', () => {
    // Prepare
    const site = buildSite();
    const articles = [
      buildArticle('translated', 1, { machineTranslated: true, translatedFrom: 'id', contentHtml: '<p>Translated body.</p>' }),
      buildArticle('human', 0, { contentHtml: '<p>Human body.</p>' }),
    ];

    // Act
    const documents = renderFeeds(articles, site);

    // Assess
    const feeds = documents.filter((document) => ['rss.xml', 'atom.xml', 'feed.json'].includes(document.key));
    expect(feeds).toHaveLength(3);
    for (const document of feeds) {
      const [translated, human] = readBackFeed(document).items;
      expect(translated?.contentHtml, document.key).toContain('Machine-translated from Indonesian.');
      expect(human?.contentHtml, document.key).not.toContain('Machine-translated');
    }
    const json = JSON.parse(feeds.find((document) => document.key === 'feed.json')!.body) as { items: Record<string, unknown>[] };
    expect(json.items[0]?._machine_translation).toEqual({ machine_translated: true, source_language: 'id' });
    expect(json.items[1]).not.toHaveProperty('_machine_translation');
    expect(validateFeedDocuments(documents, site.siteUrl)).toEqual([]);
  });
});
