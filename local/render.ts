import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { SiteConfigError } from '../lambdas/core/errors.js';
import { listOpmlFeedUrls } from '../lambdas/core/feeds/opml.js';
import { OPML_KEY } from '../lambdas/core/plan/document-keys.js';
import { publishSite } from '../lambdas/publish/publish-site.js';
import { FsArticleSource } from './fs-article-source.js';
import { FsCatalogStore } from './fs-catalog-store.js';
import { FsSiteWriter } from './fs-site-writer.js';

/** Exit codes of `npm run render`. */
export const RENDER_EXIT = { ok: 0, rejected: 1, usage: 2 } as const;

/** The help text, also printed after a usage or site.yaml error. */
export const RENDER_USAGE = `Usage: npm run render -- [--content <dir>] [--out <dir>] [--site-url <url>] [--now <ISO>]

Renders the feeds of a content folder (site.yaml + articles/**/*.md) into a folder, with the
same publish the Lambda function runs. The folder keeps its catalog in _catalog/, so a later
render into it removes the pages and feed entries of articles deleted since.

  --content <dir>    content folder                      (default: content)
  --out <dir>        output folder                       (default: dist/site)
  --site-url <url>   public base URL, replaces site.yaml's siteUrl
  --now <ISO>        publish time, e.g. 2021-11-08T00:00:00Z: the news sitemap holds
                     the articles of the two days before it (default: the clock)
  --help             show this text

After the written files and a summary it prints the feed list: the path of feeds.opml, then
every subscription feed URL (each language and tag, in RSS, Atom and JSON Feed), one a line.

Exit status: 0 every article published, 1 some article rejected (each one is printed on
stderr as "<path>: <reason>"), 2 usage or site.yaml error.`;

/** Where the CLI writes: injected so it can run in-process. */
export interface RenderIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** Runs the render CLI with `argv` (without node and script) and returns its exit code. */
export async function runRender(argv: readonly string[], io: RenderIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        content: { type: 'string', default: 'content' },
        out: { type: 'string', default: 'dist/site' },
        'site-url': { type: 'string' },
        now: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${RENDER_USAGE}`);
    return RENDER_EXIT.usage;
  }
  if (values.help) {
    io.out(RENDER_USAGE);
    return RENDER_EXIT.ok;
  }
  const now = values.now === undefined ? new Date() : new Date(values.now);
  if (Number.isNaN(now.getTime())) {
    io.err(`--now: not an ISO 8601 date-time: ${values.now}\n\n${RENDER_USAGE}`);
    return RENDER_EXIT.usage;
  }
  try {
    // Every article is read and every document rendered again: the folder may have been edited.
    const result = await publishSite({
      source: new FsArticleSource(values.content),
      catalogStore: new FsCatalogStore(values.out),
      writer: new FsSiteWriter(values.out),
      changedKeys: [],
      rebuild: true,
      now,
      siteUrlOverride: values['site-url'],
    });
    for (const key of result.written) io.out(join(values.out, key));
    for (const error of result.rejected) {
      io.err(`${join(values.content, error.path)}: ${error.field ? `${error.field}: ` : ''}${error.reason}`);
    }
    for (const key of result.removedKeys) io.out(`removed ${join(values.out, key)}`);
    io.out(
      `${result.published} articles published, ${result.rejected.length} rejected, ${result.written.length} files written (unchanged files are kept)` +
        (result.removedKeys.length > 0 ? `, ${result.removedKeys.length} removed` : ''),
    );
    await printFeedList(join(values.out, OPML_KEY), io);
    return result.rejected.length > 0 ? RENDER_EXIT.rejected : RENDER_EXIT.ok;
  } catch (error) {
    if (!(error instanceof SiteConfigError)) throw error;
    io.err(`${join(values.content, error.path)}: ${error.field ? `${error.field}: ` : ''}${error.reason}\n\n${RENDER_USAGE}`);
    return RENDER_EXIT.usage;
  }
}

/** Prints the feed list's path, then one subscription feed URL a line (from the list itself, written or kept). */
async function printFeedList(opmlPath: string, io: RenderIo): Promise<void> {
  const opml = await readFile(opmlPath, 'utf8').catch(() => undefined);
  if (opml === undefined) return;
  const urls = listOpmlFeedUrls(opml);
  io.out(`Feed list (${urls.length} feeds): ${opmlPath}`);
  for (const url of urls) io.out(url);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runRender(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}
