import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteConfig } from '../../lambdas/core/content/article.js';
import type { OutputDocument } from '../../lambdas/core/plan/outputs.js';
import { parseArticle } from '../../lambdas/core/content/parse-article.js';
import { PAGE_CONTENT_SECURITY_POLICY } from '../../lambdas/core/pages/page-template.js';
import { renderSite as renderContent } from '../support/render-site.js';
import { selectArticles } from '../../lambdas/core/content/select-articles.js';
import { parseSiteConfig } from '../../lambdas/core/content/site-config.js';
import { startEdge, type RunningEdge } from '../../local/edge.js';
import { createLocalS3Client, startS3Server, type RunningS3Server } from '../../local/s3-server.js';
import { dumpDom, dumpDomWithConsole, findChromium, takeScreenshot } from '../support/chromium.js';

/**
 * The repository's own content, rendered by the real core and opened in headless Chromium
 * from a static HTTP server on 127.0.0.1 that sends the stored media types and the security
 * policies the edge sends.
 */
const CONTENT_DIR = join(import.meta.dirname, '../../content');
const chromium = findChromium();
if (!chromium && process.env.CI) {
  // CI installs the chromium package: a missing browser there must fail the run, not skip it.
  throw new Error('browser-pages: no Chromium binary on PATH in CI (install the chromium package or set CHROMIUM_BIN)');
}
if (!chromium) {
  // Elsewhere say plainly why these tests did not run.
  console.warn('browser-pages: skipped, no Chromium binary on PATH (install the chromium package or set CHROMIUM_BIN)');
}
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Renders site.yaml and every article under content/ for the given site URL. */
function renderSite(siteUrl: string): { site: SiteConfig; documents: OutputDocument[] } {
  const site = parseSiteConfig('site.yaml', readFileSync(join(CONTENT_DIR, 'site.yaml')), { siteUrl });
  const files = readdirSync(join(CONTENT_DIR, 'articles'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.md'))
    .sort();
  const parsed = files.map((file) => {
    const path = relative(CONTENT_DIR, join(CONTENT_DIR, 'articles', file)).split(sep).join('/');
    return parseArticle(path, readFileSync(join(CONTENT_DIR, path)), site);
  });
  const { articles } = selectArticles(parsed);
  return { site, documents: renderContent(articles, site) };
}

/** Paths the browser asked for, in order. */
const requestedPaths: string[] = [];

/**
 * Serves documents by key (`/` and `…/` map to `index.html`) with their stored headers and no
 * feed view rewrite: the feeds exactly as readers get them.
 */
function startStaticServer(documents: Map<string, OutputDocument>): Promise<Server> {
  const server = createServer((request, response) => {
    requestedPaths.push(request.url ?? '');
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname).slice(1);
    const document = documents.get(path === '' || path.endsWith('/') ? `${path}index.html` : path);
    if (!document) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, {
      'content-type': document.contentType,
      'cache-control': document.cacheControl,
      'content-security-policy': PAGE_CONTENT_SECURITY_POLICY,
    });
    response.end(request.method === 'HEAD' ? undefined : document.body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Every `<link rel="alternate" type=… href=…>` of a serialized DOM. */
function alternateLinks(html: string): { type: string; href: string }[] {
  return [...html.matchAll(/<link rel="alternate" type="([^"]+)" href="([^"]+)"/g)].map(([, type, href]) => ({
    type: type ?? '',
    href: href ?? '',
  }));
}

describe.skipIf(!chromium)(`pages and feeds in headless Chromium${chromium ? '' : ' (skipped: no Chromium binary on PATH; install the chromium package or set CHROMIUM_BIN)'}`, () => {
  const browser = chromium ?? '';
  const documents = new Map<string, OutputDocument>();
  let server: Server;
  let site: SiteConfig;

  beforeAll(async () => {
    server = await startStaticServer(documents);
    const { port } = server.address() as AddressInfo;
    const rendered = renderSite(`http://127.0.0.1:${port}/`);
    site = rendered.site;
    for (const document of rendered.documents) documents.set(document.key, document);
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('lists the seed article on the index and opens its page from the link', async () => {
    // Prepare
    const title = "UN condemns drone attack on Iraqi Prime Minister's residence";

    // Act
    const index = await dumpDom(browser, site.siteUrl);
    const href = /<a href="([^"]+)">UN condemns drone attack/.exec(index)?.[1];
    const page = href ? await dumpDom(browser, href) : '';

    // Assess
    expect(href).toBe(`${site.siteUrl}articles/un-condemns-drone-attack-on-iraqi-pm-residence/`);
    expect(page).toContain('<html lang="en" dir="ltr">');
    expect(page).toContain(`<h1>${title}</h1>`);
    expect(page).toContain('Secretary-General');
  });

  it('advertises feeds whose links resolve with their feed media types', async () => {
    // Act
    const index = await dumpDom(browser, site.siteUrl);
    const links = alternateLinks(index);
    const answers = await Promise.all(links.map(async (link) => ({ link, response: await fetch(link.href) })));

    // Assess
    expect(links.map((link) => link.type)).toEqual([
      'application/rss+xml', 'application/atom+xml', 'application/feed+json',
      'application/rss+xml', 'application/atom+xml', 'application/feed+json',
    ]);
    for (const { link, response } of answers) {
      expect(response.status, link.href).toBe(200);
      expect(response.headers.get('content-type')).toBe(`${link.type}; charset=utf-8`);
    }
  });

  it('shows an RSS feed served as application/rss+xml as its source text, with no style sheet to run', async () => {
    // Act
    const { dom, console: messages } = await dumpDomWithConsole(browser, `${site.siteUrl}rss.xml`);

    // Assess: Chromium neither downloads the feed nor meets any XSLT
    expect(dom).toContain('<pre');
    expect(dom).toContain('UN condemns drone attack');
    expect(dom).not.toMatch(/xml-stylesheet|xslt/i);
    expect(messages.filter((line) => /xslt/i.test(line))).toEqual([]);
  });

  it('draws the index page with its style sheet to a PNG screenshot', async () => {
    // Prepare
    requestedPaths.length = 0;

    // Act
    const png = await takeScreenshot(browser, site.siteUrl, { width: 412, height: 915 });

    // Assess
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(png.length).toBeGreaterThan(2_000);
    // The style sheet loads under the pages' Content-Security-Policy (style-src 'self').
    expect(requestedPaths).toContain('/assets/site.css');
  });
});

describe.skipIf(!chromium)('pages and feeds in headless Chromium through the local edge', () => {
  const browser = chromium ?? '';
  const bucket = 'site';
  let directory: string;
  let s3Server: RunningS3Server;
  let s3: S3Client;
  let edge: RunningEdge;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'browser-edge-'));
    s3Server = await startS3Server({ directory, buckets: [bucket] });
    s3 = createLocalS3Client(s3Server.endpoint);
    edge = await startEdge({ s3, bucket });
    for (const document of renderSite(edge.url).documents) {
      const { key: Key, body: Body, contentType: ContentType, cacheControl: CacheControl } = document;
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body, ContentType, CacheControl }));
    }
  });

  afterAll(async () => {
    await edge?.close();
    s3?.destroy();
    await s3Server?.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('opens the index and the seed article from the edge', async () => {
    // Act
    const index = await dumpDom(browser, edge.url);
    const href = /<a href="([^"]+)">PBB kecam serangan drone/.exec(index)?.[1];
    const page = href ? await dumpDom(browser, href) : '';

    // Assess
    expect(href).toBe(`${edge.url}id/articles/pbb-kecam-serangan-drone-kediaman-pm-irak/`);
    expect(page).toContain('<html lang="id" dir="ltr">');
    expect(page).toContain('<h1>PBB kecam serangan drone ke kediaman Perdana Menteri Irak</h1>');
  });

  it.each([
    ['rss.xml', '', 'UN condemns drone attack'],
    ['atom.xml', '', 'UN condemns drone attack'],
    ['feed.json', '', 'UN condemns drone attack'],
    ['id/rss.xml', 'id/', 'PBB kecam serangan drone'],
    ['tags/iraq/atom.xml', 'tags/iraq/', 'UN condemns drone attack'],
  ])('renders %s from the edge as the feed view: items, subscribe addresses, no XSLT', async (key, folder, title) => {
    // Act: a navigation, so the edge answers with the channel's HTML view
    const { dom, console: messages } = await dumpDomWithConsole(browser, `${edge.url}${key}`);

    // Assess
    expect(dom).toContain('<h2 id="subscribe">How to subscribe</h2>');
    for (const file of ['rss.xml', 'atom.xml', 'feed.json']) expect(dom).toContain(`<code>${edge.url}${folder}${file}</code>`);
    expect(dom).toMatch(new RegExp(`<ol class="articles">\\s*<li[^>]*><article>\\s*<h3><a href="${edge.url}[^"]*articles/[^"]+">${title}`));
    expect(dom).not.toMatch(/xml-stylesheet|xslt/i);
    expect(messages.filter((line) => /xslt/i.test(line))).toEqual([]);
  });

  it('draws rss.xml opened from the edge as the feed view with its style sheet to a PNG screenshot', async () => {
    // Act
    const png = await takeScreenshot(browser, `${edge.url}rss.xml`, { width: 1024, height: 900 });
    await writeFile(join(tmpdir(), 'feed-view-rss.png'), png);

    // Assess: a drawn page, not a feed source dump (which has no style sheet and draws far less)
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(png.length).toBeGreaterThan(10_000);
  });

  it('resolves every autodiscovery link and the style sheet from the edge', async () => {
    // Act
    const index = await dumpDom(browser, edge.url);
    const links = [...alternateLinks(index), { type: 'text/css', href: `${edge.url}assets/site.css` }];
    const answers = await Promise.all(links.map(async (link) => ({ link, response: await fetch(link.href) })));

    // Assess
    expect(links).toHaveLength(7);
    for (const { link, response } of answers) {
      expect(response.status, link.href).toBe(200);
      expect(response.headers.get('content-type')).toBe(`${link.type}; charset=utf-8`);
    }
  });
});
