import { mkdir, mkdtemp, rename, rm, unlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isContentKey, watchContent, type ContentChange, type ContentWatcher } from '../../local/watch-content.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check` holds, for at most `limitMs`. */
async function waitFor(check: () => boolean, limitMs = 3_000): Promise<void> {
  const start = Date.now();
  while (!check() && Date.now() - start < limitMs) await sleep(10);
}

/** Saves like editors that write a temporary file and rename it over the original. */
async function safeSave(path: string, text: string): Promise<void> {
  const temporary = join(path, '..', `.${Date.now()}.tmp`);
  await writeFile(temporary, text);
  await rename(temporary, path);
}

function describeChange(change: ContentChange): string {
  return change.kind === 'put' ? `put ${change.key} ${change.body.toString('utf8')}` : `delete ${change.key}`;
}

describe('isContentKey', () => {
  it.each([
    ['site.yaml', true],
    ['articles/a.md', true],
    ['articles/2021/11/a.id.md', true],
    ['articles/.a.md.swp', false],
    ['articles/.hidden/a.md', false],
    ['articles/a.md~', false],
    ['notes.md', false],
    ['articles/a.txt', false],
  ])('classifies %s as %s', (key, expected) => {
    // Act
    const result = isContentKey(key);

    // Assess
    expect(result).toBe(expected);
  });
});

describe('watchContent', () => {
  let dir: string;
  let watcher: ContentWatcher | undefined;
  let changes: string[];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'watch-content-'));
    await mkdir(join(dir, 'articles'));
    await writeFile(join(dir, 'site.yaml'), 'title: T');
    await writeFile(join(dir, 'articles', 'a.md'), 'A1');
    changes = [];
  });

  afterEach(async () => {
    await watcher?.close();
    watcher = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  const start = (apply?: (change: ContentChange) => Promise<void>): ContentWatcher =>
    watchContent({ dir, intervalMs: 200, apply: apply ?? (async (change) => void changes.push(describeChange(change))) });

  it('uploads every content file present at start', async () => {
    // Act
    watcher = start();
    await watcher.ready;

    // Assess
    expect(changes.sort()).toEqual(['put articles/a.md A1', 'put site.yaml title: T']);
  });

  it('sees every one of several rename-based safe-saves of the same file', async () => {
    // Prepare
    watcher = start();
    await watcher.ready;
    changes = [];

    // Act
    for (const text of ['A2', 'A3', 'A4']) {
      await safeSave(join(dir, 'articles', 'a.md'), text);
      await waitFor(() => changes.includes(`put articles/a.md ${text}`));
    }

    // Assess
    expect(changes).toEqual(['put articles/a.md A2', 'put articles/a.md A3', 'put articles/a.md A4']);
  });

  it('deletes a removed file and uploads a new one in a new folder', async () => {
    // Prepare
    watcher = start();
    await watcher.ready;
    changes = [];

    // Act
    await unlink(join(dir, 'articles', 'a.md'));
    await mkdir(join(dir, 'articles', '2026'));
    await writeFile(join(dir, 'articles', '2026', 'b.md'), 'B1');
    await waitFor(() => changes.length >= 2);

    // Assess
    expect(changes.sort()).toEqual(['delete articles/a.md', 'put articles/2026/b.md B1']);
  });

  it('does not upload a file again when only its time changed', async () => {
    // Prepare
    watcher = start();
    await watcher.ready;
    changes = [];

    // Act
    const later = new Date(Date.now() + 60_000);
    await utimes(join(dir, 'articles', 'a.md'), later, later);
    await watcher.scan();

    // Assess
    expect(changes).toEqual([]);
  });

  it('retries a failed upload at the next scan', async () => {
    // Prepare
    let failures = 1;
    watcher = start(async (change) => {
      if (change.key === 'articles/a.md' && failures-- > 0) throw new Error('store unavailable');
      changes.push(describeChange(change));
    });

    // Act
    await watcher.ready;
    await watcher.scan();

    // Assess
    expect(changes.sort()).toEqual(['put articles/a.md A1', 'put site.yaml title: T']);
  });
});
