import type { Article, SiteConfig } from '../../../lambdas/core/content/article.js';

/** A valid site configuration for core tests (Jakarta time, English default language). */
export function makeSite(overrides: Partial<SiteConfig> = {}): SiteConfig {
  return {
    title: 'Nusantara Daily',
    description: 'Test publication',
    siteUrl: 'https://news.example.com/',
    language: 'en',
    timezone: 'Asia/Jakarta',
    authors: [{ name: 'Newsroom', email: 'newsroom@news.example.com' }],
    copyright: '© 2021 Nusantara Daily',
    itemsPerFeed: 50,
    tagAuthority: 'news.example.com,2021',
    ...overrides,
  };
}

/** A site.yaml text with the given fields replacing or adding to a valid base. */
export function makeSiteYaml(fields: Record<string, string> = {}): string {
  const base: Record<string, string> = {
    title: 'Nusantara Daily',
    description: 'Test publication',
    siteUrl: 'https://news.example.com/',
    language: 'en',
    copyright: '© 2021 Nusantara Daily',
    ...fields,
  };
  return Object.entries(base)
    .map(([key, value]) => `${key}: ${value}`)
    .join('\n');
}

/** An article file: front-matter lines (a valid title and date unless replaced) and a body. */
export function makeArticleText(fields: Record<string, string> = {}, body = 'Body text.\n'): string {
  const front = { title: 'A title', date: '2021-11-08T10:00:00+07:00', ...fields };
  const lines = Object.entries(front).map(([key, value]) => `${key}: ${value}`);
  return `---\n${lines.join('\n')}\n---\n${body}`;
}

/** A parsed article value for selection and rendering tests. */
export function makeArticle(overrides: Partial<Article> = {}): Article {
  const slug = overrides.slug ?? 'story';
  return {
    sourcePath: `articles/2021/11/${slug}.md`,
    id: `tag:news.example.com,2021:2021/11/${slug}`,
    slug,
    title: 'A title',
    date: new Date('2021-11-08T03:00:00Z'),
    lang: 'en',
    authors: [],
    tags: [],
    draft: false,
    url: `https://news.example.com/articles/${slug}/`,
    contentHtml: '<p>Body text.</p>',
    ...overrides,
  };
}
