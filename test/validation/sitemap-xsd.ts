import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCHEMA_DIR = join(import.meta.dirname, '../fixtures/schemas');

/**
 * The sitemaps.org schemas (sitemap.xsd from the `sitemap` npm package, siteindex.xsd from
 * sitemaps.org): a `urlset` is checked with the publisher's two extensions (news, xhtml:link)
 * declared, since sitemap.xsd checks extension elements strictly.
 */
export const SITEMAP_SCHEMAS = {
  urlset: join(SCHEMA_DIR, 'sitemap-with-extensions.xsd'),
  sitemapindex: join(SCHEMA_DIR, 'siteindex.xsd'),
} as const;

/** Whether xmllint (Debian libxml2-utils) is installed. */
export function hasXmllint(): boolean {
  return spawnSync('xmllint', ['--version']).status === 0;
}

/**
 * Validates each sitemap against the schema of its root element with one `xmllint --schema`
 * run; returns xmllint's complaints ('' when every document is valid).
 */
export function validateSitemaps(documents: readonly { key: string; body: string }[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'sitemaps-'));
  try {
    const problems: string[] = [];
    for (const root of Object.keys(SITEMAP_SCHEMAS) as (keyof typeof SITEMAP_SCHEMAS)[]) {
      const files = documents
        .filter((document) => document.body.includes(`<${root} `))
        .map((document, index) => {
          const file = join(dir, `${root}-${index}.xml`);
          writeFileSync(file, document.body);
          return file;
        });
      if (files.length === 0) continue;
      const run = spawnSync('xmllint', ['--noout', '--schema', SITEMAP_SCHEMAS[root], ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      if (run.status !== 0) problems.push(run.stderr);
    }
    return problems.join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs xmllint once to prove it rejects an invalid urlset (so a pass means something). */
export function xmllintRejects(body: string): boolean {
  try {
    execFileSync('xmllint', ['--noout', '--schema', SITEMAP_SCHEMAS.urlset, '-'], { input: body, stdio: 'pipe' });
    return false;
  } catch {
    return true;
  }
}
