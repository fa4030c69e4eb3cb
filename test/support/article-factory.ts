import type { Article, Person, SiteConfig } from '../../lambdas/core/content/article.js';

/**
 * Fixture builders with fixed dates and the fictional "Nusantara Daily" site. Every test
 * that needs an Article or a SiteConfig builds it here, overriding only what it is about.
 */

/** The fixed instant every fixture date is counted from: 2021-11-01T08:00:00Z. */
export const BASE_DATE = new Date(Date.UTC(2021, 10, 1, 8, 0, 0));

/** `BASE_DATE` plus a number of days (fractions allowed). */
export function daysAfterBase(days: number): Date {
  return new Date(BASE_DATE.getTime() + days * 86_400_000);
}

/** An editor credited by default on the site and its articles. */
export const EDITOR: Person = { name: 'Rina Editor', email: 'rina@news.example.com', url: 'https://news.example.com/about/rina/' };

/** A complete SiteConfig; `overrides` replace single fields. */
export function buildSite(overrides: Partial<SiteConfig> = {}): SiteConfig {
  return {
    title: 'Nusantara Daily',
    description: 'News from the archipelago, every morning.',
    siteUrl: 'https://news.example.com/',
    language: 'en',
    timezone: 'Asia/Jakarta',
    authors: [EDITOR],
    copyright: '© 2021 Nusantara Daily',
    icon: 'https://news.example.com/icon.png',
    image: 'https://news.example.com/logo.png',
    itemsPerFeed: 50,
    tagAuthority: 'news.example.com,2021',
    ...overrides,
  };
}

/**
 * A published article for `slug`, dated `daysAfterBase(day)`, with the URL and id the
 * parser would give it; `overrides` replace single fields (url and id follow slug and lang
 * unless given).
 */
export function buildArticle(slug: string, day = 0, overrides: Partial<Article> = {}): Article {
  const lang = overrides.lang ?? 'en';
  const site = buildSite();
  const langPrefix = lang === site.language ? '' : `${lang}/`;
  return {
    sourcePath: `articles/2021/11/${slug}${lang === site.language ? '' : `.${lang}`}.md`,
    id: `tag:${site.tagAuthority}:2021/11/${slug}${lang === site.language ? '' : `.${lang}`}`,
    slug,
    title: `Title of ${slug}`,
    date: daysAfterBase(day),
    lang,
    summary: `Summary of ${slug}.`,
    authors: [EDITOR],
    tags: ['news'],
    draft: false,
    url: `${site.siteUrl}${langPrefix}articles/${slug}/`,
    contentHtml: `<p>Body of <a href="${site.siteUrl}articles/${slug}/">${slug}</a>.</p>`,
    ...overrides,
  };
}

/** A fixed, varied set: three English articles (one updated, one with an image) and one Indonesian. */
export function buildSampleArticles(): Article[] {
  return [
    buildArticle('harbour-reopens', 0, {
      title: 'Harbour reopens after storm',
      tags: ['weather', 'shipping'],
      image: 'https://news.example.com/images/harbour.jpg',
    }),
    buildArticle('rice-prices', 1, {
      title: 'Rice prices & the "monsoon" effect',
      updated: daysAfterBase(3),
      summary: undefined,
      contentHtml: '<p>Prices rose by 4 % in <strong>November</strong>, traders said.</p>',
      authors: [EDITOR, { name: 'Budi Reporter' }],
    }),
    buildArticle('festival-guide', 2, { title: 'Festival guide <2021>', tags: ['culture'] }),
    buildArticle('harga-beras', 1.5, {
      lang: 'id',
      title: 'Harga beras naik',
      summary: 'Harga beras naik empat persen.',
      translationKey: 'rice-prices',
      tags: ['ekonomi'],
    }),
  ];
}
