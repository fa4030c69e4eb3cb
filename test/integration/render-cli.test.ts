import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INVALID_ARTICLE, articleMarkdown, siteYaml } from '../support/content-files.js';
import { parseFeedTitles } from '../support/published-feeds.js';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** tsx's loader by absolute URL: the CLI runs in a temporary folder without node_modules. */
const TSX_LOADER = pathToFileURL(join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `tsx local/render.ts` (what `npm run render` runs) in `cwd` with `args`. */
function runRenderCli(cwd: string, args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX_LOADER, join(PROJECT_ROOT, 'local', 'render.ts'), ...args], {
      cwd,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Writes `files` (relative path → text) under `root`. */
async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
}

describe('render CLI', () => {
  let workdir: string;

  beforeEach(async () => {
    workdir = await mkdtemp(join(tmpdir(), 'render-cli-'));
    await writeFiles(join(workdir, 'content'), {
      'site.yaml': siteYaml('CLI News'),
      'articles/2026/first.md': articleMarkdown('First story', '2026-01-01T10:00:00Z'),
      'articles/2026/pertama.id.md': articleMarkdown('Berita pertama', '2026-01-02T10:00:00Z', 'lang: id\n'),
    });
  });

  afterEach(async () => {
    await rm(workdir, { recursive: true, force: true });
  });

  it('writes every feed of every language with the defaults and exits 0', async () => {
    // Prepare
    const args: string[] = [];

    // Act
    const run = await runRenderCli(workdir, args);

    // Assess
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // Each channel's three feeds, then its feed view.
    const files = ['rss.xml', 'atom.xml', 'feed.json', 'feed.html', 'id/rss.xml', 'id/atom.xml', 'id/feed.json', 'id/feed.html'];
    expect(run.stdout.split('\n').slice(0, 8)).toEqual(files.map((file) => join('dist/site', file)));
    const read = (file: string) => readFile(join(workdir, 'dist/site', file), 'utf8');
    const titles = parseFeedTitles({ rss: await read('rss.xml'), atom: await read('atom.xml'), json: await read('feed.json') });
    expect(titles).toEqual({ rss: ['First story'], atom: ['First story'], json: ['First story'] });
    expect(await read('id/feed.json')).toContain('Berita pertama');
  });

  it('uses the given folders and site URL', async () => {
    // Prepare
    const args = ['--content', 'content', '--out', 'public', '--site-url', 'https://preview.example.org/'];

    // Act
    const run = await runRenderCli(workdir, args);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(join('public', 'rss.xml'));
    expect(await readFile(join(workdir, 'public', 'feed.json'), 'utf8')).toContain('https://preview.example.org/articles/first/');
  });

  it('removes the page and feed entries of an article deleted since the last render into the same folder', async () => {
    // Prepare
    await writeFiles(join(workdir, 'content'), { 'articles/2026/second.md': articleMarkdown('Second story', '2026-01-03T10:00:00Z', 'tags: [Gone]\n') });
    await runRenderCli(workdir, ['--out', 'out']);
    const before = await readFile(join(workdir, 'out', 'rss.xml'), 'utf8');
    await rm(join(workdir, 'content', 'articles', '2026', 'second.md'));

    // Act
    const run = await runRenderCli(workdir, ['--out', 'out']);

    // Assess
    expect(run.code).toBe(0);
    expect(before).toContain('Second story');
    expect(await readFile(join(workdir, 'out', 'rss.xml'), 'utf8')).not.toContain('Second story');
    await expect(readFile(join(workdir, 'out', 'articles', 'second', 'index.html'))).rejects.toThrow('ENOENT');
    await expect(readFile(join(workdir, 'out', 'tags', 'gone', 'rss.xml'))).rejects.toThrow('ENOENT');
    expect(run.stdout).toContain(`removed ${join('out', 'articles', 'second', 'index.html')}`);
  });

  it('reports each rejected article on stderr, renders the rest and exits 1', async () => {
    // Prepare
    await writeFiles(join(workdir, 'content'), { 'articles/2026/broken.md': INVALID_ARTICLE });

    // Act
    const run = await runRenderCli(workdir, ['--out', 'out']);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      `${join('content', 'articles/2026/broken.md')}: must start with a "---" line opening the YAML front matter`,
    ]);
    expect(await readFile(join(workdir, 'out', 'rss.xml'), 'utf8')).toContain('First story');
  });

  it('exits 2 with the usage on an unknown option', async () => {
    // Prepare
    const args = ['--bogus'];

    // Act
    const run = await runRenderCli(workdir, args);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Unknown option '--bogus'");
    expect(run.stderr).toContain('Usage: npm run render');
  });

  it('exits 2 naming the field when site.yaml is invalid', async () => {
    // Prepare
    await writeFiles(join(workdir, 'content'), { 'site.yaml': 'title: No description\n' });

    // Act
    const run = await runRenderCli(workdir, []);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toMatch(/^content\/site\.yaml: \w+: is required$/);
    expect(run.stdout).toBe('');
  });

  it('exits 2 when the content folder does not exist', async () => {
    // Prepare
    const args = ['--content', 'missing'];

    // Act
    const run = await runRenderCli(workdir, args);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('missing/site.yaml: is missing');
  });
});
