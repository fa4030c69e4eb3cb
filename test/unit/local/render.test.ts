import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listOpmlFeedUrls } from '../../../lambdas/core/feeds/opml.js';
import { RENDER_EXIT, runRender } from '../../../local/render.js';
import { articleMarkdown, siteYaml } from '../../support/content-files.js';

describe('runRender feed list', () => {
  let workdir: string;

  beforeEach(async () => {
    workdir = await mkdtemp(join(tmpdir(), 'render-feeds-'));
    const files: Record<string, string> = {
      'content/site.yaml': siteYaml('CLI News'),
      'content/articles/first.md': articleMarkdown('First story', '2026-01-01T10:00:00Z', 'tags: [World News]\n'),
      'content/articles/pertama.id.md': articleMarkdown('Berita pertama', '2026-01-02T10:00:00Z', 'lang: id\n'),
    };
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(workdir, path)), { recursive: true });
      await writeFile(join(workdir, path), text);
    }
  });

  afterEach(async () => {
    await rm(workdir, { recursive: true, force: true });
  });

  it('prints the path of feeds.opml and then every feed URL it lists, one a line', async () => {
    // Prepare
    const out = join(workdir, 'site');
    const lines: string[] = [];

    // Act
    const code = await runRender(['--content', join(workdir, 'content'), '--out', out, '--site-url', 'https://cli.example.org/'], {
      out: (line) => lines.push(line),
      err: (line) => lines.push(`ERR ${line}`),
    });

    // Assess
    expect(code).toBe(RENDER_EXIT.ok);
    const start = lines.findIndex((line) => line.startsWith('Feed list'));
    expect(lines[start]).toBe(`Feed list (9 feeds): ${join(out, 'feeds.opml')}`);
    const urls = ['', 'id/', 'tags/world-news/'].flatMap((folder) => ['rss.xml', 'atom.xml', 'feed.json'].map((file) => `https://cli.example.org/${folder}${file}`));
    expect(lines.slice(start + 1)).toEqual(urls);
    expect(listOpmlFeedUrls(await readFile(join(out, 'feeds.opml'), 'utf8'))).toEqual(urls);
  });
});
