/**
 * Synthetic content for the benchmarks: a site.yaml and N articles with realistic front matter
 * and a body of about 1.5 KB of Markdown, deterministic for a given index.
 */

/** The site.yaml every benchmark publishes with. */
export const BENCH_SITE_YAML = [
  'title: Bench Daily',
  'description: Synthetic news for benchmarks.',
  'siteUrl: https://bench.example.com/',
  'language: en',
  'copyright: © 2026 Bench Daily',
  'tagAuthority: bench.example.com,2026',
  '',
].join('\n');

const TAGS = ['world', 'politics', 'business', 'science', 'sport', 'culture', 'health', 'tech', 'climate', 'opinion'];
const BASE_TIME = Date.UTC(2020, 0, 1);

/** Content-relative key of article `index`. */
export function articleKey(index: number): string {
  return `articles/${2020 + Math.floor(index / 40_000)}/story-${String(index).padStart(6, '0')}.md`;
}

/** Article `index`, dated one hour after article `index - 1`; every tenth is French. */
export function articleText(index: number, title = `Story number ${index}`): string {
  const date = new Date(BASE_TIME + index * 3_600_000).toISOString();
  const tags = [TAGS[index % TAGS.length], TAGS[(index * 7 + 3) % TAGS.length]];
  const lang = index % 10 === 9 ? 'fr' : 'en';
  const paragraph = `Reporters followed **story ${index}** through the day; officials said the [details](https://bench.example.com/notes/${index}) would follow. `;
  const body = [`## Background`, paragraph.repeat(3), `## What happens next`, paragraph.repeat(3), `> A quote & a "remark" <about> it.`].join('\n\n');
  return `---\ntitle: ${JSON.stringify(title)}\ndate: ${date}\nlang: ${lang}\nsummary: ${JSON.stringify(`Summary of story ${index}.`)}\ntags: [${tags.join(', ')}]\n---\n\n${body}\n`;
}
