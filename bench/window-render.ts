/**
 * Time to render the 50-item subscription window in RSS, Atom and JSON Feed, with the
 * production renderer (`renderFeedPage`, item cache included) against a minimal hand-written
 * string serializer with correct escaping (the floor), in the same process, on the same records.
 */
import type { Article } from '../lambdas/core/content/article.js';
import { planFeedPages } from '../lambdas/core/plan/feed-plan.js';
import { renderFeedPage } from '../lambdas/core/feeds/render-feed-page.js';
import { clearItemCache } from '../lambdas/core/feeds/item-cache.js';
import { parseArticle } from '../lambdas/core/content/parse-article.js';
import { findTranslations } from '../lambdas/core/plan/translations.js';
import { parseSiteConfig } from '../lambdas/core/content/site-config.js';
import { articleKey, articleText, BENCH_SITE_YAML } from './support/synthetic-content.js';

/** Median milliseconds per window (three documents) of each renderer, and their ratio. */
export interface WindowRenderMeasurement {
  readonly items: number;
  readonly productionMs: number;
  readonly floorMs: number;
  readonly ratio: number;
  /** The production renderer with an empty item cache, and its ratio to the floor. */
  readonly coldMs: number;
  readonly coldRatio: number;
  readonly productionBytes: number;
  readonly floorBytes: number;
}

/** XML text escaping: the five characters that must be escaped in element content and attributes. */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The floor: one string per format, concatenated by hand. */
export function renderFloor(items: readonly Article[], title: string, siteUrl: string): string[] {
  const rssItems = items.map(
    (a) =>
      `<item><title>${escape(a.title)}</title><link>${escape(a.url)}</link><guid isPermaLink="false">${escape(a.id)}</guid>` +
      `<pubDate>${a.date.toUTCString()}</pubDate><description>${escape(a.summary ?? '')}</description>` +
      `<content:encoded>${escape(a.contentHtml)}</content:encoded>${a.tags.map((t) => `<category>${escape(t)}</category>`).join('')}</item>`,
  );
  const rss = `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>${escape(title)}</title><link>${escape(siteUrl)}</link>${rssItems.join('')}</channel></rss>\n`;
  const entries = items.map(
    (a) =>
      `<entry><title type="html">${escape(escape(a.title))}</title><id>${escape(a.id)}</id><link href="${escape(a.url)}"/>` +
      `<updated>${(a.updated ?? a.date).toISOString()}</updated><published>${a.date.toISOString()}</published>` +
      `<summary type="html">${escape(escape(a.summary ?? ''))}</summary><content type="html">${escape(a.contentHtml)}</content>` +
      `${a.tags.map((t) => `<category term="${escape(t)}"/>`).join('')}</entry>`,
  );
  const atom = `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>${escape(title)}</title><id>${escape(siteUrl)}</id>${entries.join('')}</feed>\n`;
  const json = `${JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title,
    home_page_url: siteUrl,
    items: items.map((a) => ({ id: a.id, url: a.url, title: a.title, content_html: a.contentHtml, summary: a.summary, date_published: a.date.toISOString(), tags: a.tags })),
  }, null, 2)}\n`;
  return [rss, atom, json];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function timeEach(runs: number, work: (run: number) => unknown, before?: () => void): number {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    before?.();
    const started = performance.now();
    work(run);
    times.push(performance.now() - started);
  }
  return median(times);
}

/**
 * Renders the site-language window of `items` articles `runs` times each way and compares the
 * medians. Each run publishes one more article, so the window holds one new item (what an
 * incremental publish renders); the production renderer reuses the other items' serialization.
 * `coldMs` renders with an empty item cache (a cold function, or a full rebuild).
 */
export function measureWindowRender(items = 50, runs = 40): WindowRenderMeasurement {
  const site = parseSiteConfig('site.yaml', BENCH_SITE_YAML, {});
  const total = items + runs + 5;
  const articles = Array.from({ length: total }, (_, index) => parseArticle(articleKey(index * 10), articleText(index * 10), site));
  const windows = Array.from({ length: runs + 5 }, (_, run) => {
    // Fresh record objects per run, as a publish revives them from the catalog.
    const window = articles.slice(run, run + items).map((article) => ({ ...article }));
    const page = planFeedPages(window, site)[0];
    if (page === undefined || page.articleIds.length !== items) throw new Error('the window does not hold every article');
    return { window, page, byId: new Map(window.map((article) => [article.id, article])), translations: findTranslations(window) };
  });
  const production = (run: number) => {
    const { page, byId, translations } = windows[run] as (typeof windows)[number];
    return renderFeedPage(page, byId, translations, site);
  };
  const floor = (run: number) => {
    const { window } = windows[run] as (typeof windows)[number];
    return renderFloor([...window].reverse(), site.title, site.siteUrl);
  };
  clearItemCache();
  for (let warm = 0; warm < 5; warm++) {
    production(warm);
    floor(warm);
  }
  const productionMs = timeEach(runs, (run) => production(run + 5));
  const floorMs = timeEach(runs, (run) => floor(run + 5));
  const coldMs = timeEach(runs, (run) => production(run + 5), clearItemCache);
  return {
    items,
    productionMs: round(productionMs),
    floorMs: round(floorMs),
    ratio: round(productionMs / floorMs),
    coldMs: round(coldMs),
    coldRatio: round(coldMs / floorMs),
    productionBytes: production(runs + 4).reduce((sum, document) => sum + document.body.length, 0),
    floorBytes: floor(runs + 4).reduce((sum, body) => sum + body.length, 0),
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
