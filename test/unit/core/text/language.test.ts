import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../../../lambdas/core/content/parse-article.js';
import { renderPages } from '../../../support/render-site.js';
import { buildSite } from '../../../support/article-factory.js';
import { makeArticleText } from '../../../support/content-files.js';

describe('language direction', () => {
  it.each(['ks', 'ku-arab'])('gives a %s article dir="rtl" on its page and on its body alike', (lang) => {
    // Prepare
    const site = buildSite();
    const article = parseArticle('articles/story.md', makeArticleText({ lang }, 'متن'), site);

    // Act
    const page = renderPages([article], site, []).find((document) => document.key === `${lang}/articles/story/index.html`);

    // Assess
    expect(article.contentHtml).toBe(`<div dir="rtl" lang="${lang}"><p>متن</p></div>`);
    expect(page?.body).toContain(`<html lang="${lang}" dir="rtl">`);
    expect(page?.body).toContain(article.contentHtml);
  });
});
