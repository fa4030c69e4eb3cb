import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntegApp } from '../integ/integ-app.js';

/** Where the committed snapshot of the real-cloud test lives (reviewed like any template). */
const SNAPSHOT_DIR = '../integ/integ.feed-publisher.ts.snapshot';

/**
 * Asset hashes change with every handler edit and assertion `salt`s with every synthesis (so the
 * checks run again on each deploy); the snapshot pins the infrastructure only.
 */
function normalizeTemplate(text: string): string {
  const normalized = text.replace(/[0-9a-f]{64}/g, '[ASSET-HASH]').replace(/"salt":\s*"\d+"/g, '"salt":"[SALT]"');
  return `${JSON.stringify(JSON.parse(normalized), null, 1)}\n`;
}

describe('integ.feed-publisher', () => {
  let outdir: string;
  let templates: { name: string; body: string }[];

  beforeAll(() => {
    // Prepare / Act: synthesize the real-cloud test app offline, without credentials.
    outdir = mkdtempSync(join(tmpdir(), 'integ-feed-publisher-'));
    const assembly = createIntegApp(outdir).app.synth();
    templates = assembly.stacks.map((stack) => ({ name: stack.templateFile, body: readFileSync(join(outdir, stack.templateFile), 'utf8') }));
  });

  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
  });

  it('holds the publisher stack and the assertion stack', () => {
    // Assess
    expect(templates.map((t) => t.name)).toEqual([
      'FeedPublisherInteg.template.json',
      expect.stringMatching(/^FeedPublisherIntegTestDefaultTestDeployAssert[0-9A-F]+\.template\.json$/),
    ]);
  });

  it('uploads the article and waits for its title in the RSS feed and JSON Feed', () => {
    // Prepare
    const assertions = templates[1]?.body ?? '';

    // Assess
    expect(assertions).toContain('"putObject"');
    expect(assertions).toContain('articles/integ/integration-check.md');
    expect((assertions.match(/Integration check: an uploaded article reaches the feeds/g) ?? []).length).toBeGreaterThanOrEqual(3);
    expect(assertions).toContain('/rss.xml');
    expect(assertions).toContain('/feed.json');
  });

  it('matches the committed snapshot (run vitest with -u to accept a reviewed change)', async () => {
    // Assess
    for (const template of templates) {
      await expect(normalizeTemplate(template.body)).toMatchFileSnapshot(`${SNAPSHOT_DIR}/${template.name}`);
    }
  });
});
