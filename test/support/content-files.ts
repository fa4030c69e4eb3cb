/**
 * Content files as a publisher writes them (site.yaml and Markdown articles), for tests that
 * run the real core behind the S3 or file-system adapters.
 */

/** A valid site.yaml; `title` and extra lines vary per test. */
export function siteYaml(title = 'Test News', extra = ''): string {
  return [
    `title: ${title}`,
    'description: News for tests.',
    'siteUrl: https://news.example.com/',
    'language: en',
    'copyright: © 2026 Test News',
    'tagAuthority: news.example.com,2026',
    extra,
  ].join('\n');
}

/** A valid article; front-matter lines in `extra` are added as written. */
export function articleMarkdown(title: string, date: string, extra = '', body = 'Body text.'): string {
  return `---\ntitle: ${JSON.stringify(title)}\ndate: ${date}\n${extra}---\n\n${body}\n`;
}

/** An article the core rejects (no front matter). */
export const INVALID_ARTICLE = 'This file has no front matter.\n';

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
