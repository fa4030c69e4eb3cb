import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/**
 * Keeps a content folder (`site.yaml` and `articles/**\/*.md`) in step with a store, the way
 * an author's uploads would. Node's recursive `fs.watch` loses a file after an editor's
 * rename-based safe-save, so watch events only trigger an early scan; a periodic scan of
 * sizes, mtimes and hashes is what decides what changed.
 */

/** One change to apply to the store; `key` is content-relative with `/` separators. */
export type ContentChange =
  | { readonly kind: 'put'; readonly key: string; readonly body: Buffer }
  | { readonly kind: 'delete'; readonly key: string };

/** Options of {@link watchContent}. */
export interface WatchContentOptions {
  /** The content folder. */
  readonly dir: string;
  /** Applies one change; a rejection is reported through `onError` and retried at the next scan. */
  readonly apply: (change: ContentChange) => Promise<void>;
  /** @default 1000 - milliseconds between periodic scans */
  readonly intervalMs?: number;
  /** @default 30 - milliseconds to wait after a watch event before scanning */
  readonly settleMs?: number;
  /**
   * Runs around each scan's batch of changes (the local pipeline holds its event queue
   * meanwhile, so uploading a whole folder publishes once). @default the batch runs as is
   */
  readonly wrapApply?: (applyAll: () => Promise<void>) => Promise<void>;
  /** Called with errors from scans and from `apply`. */
  readonly onError?: (error: unknown) => void;
}

/** A running watcher. */
export interface ContentWatcher {
  /** Resolves once the first scan has applied every file found at start. */
  readonly ready: Promise<void>;
  /** Scans now (after any running scan) and resolves once its changes are applied. */
  scan(): Promise<void>;
  /** Stops watching and waits for a running scan. Safe to call twice. */
  close(): Promise<void>;
}

interface FileState {
  readonly size: number;
  readonly mtimeMs: number;
  readonly hash: string;
}

/** Tells whether a content-relative key belongs in the content bucket. */
export function isContentKey(key: string): boolean {
  if (key === 'site.yaml') return true;
  const parts = key.split('/');
  // Editors leave dot-files (swap files, safe-save temporaries) next to the article.
  return parts[0] === 'articles' && key.endsWith('.md') && parts.every((part) => part !== '' && !part.startsWith('.'));
}

/** Starts watching `dir`; the first scan uploads everything present. */
export function watchContent(options: WatchContentOptions): ContentWatcher {
  const known = new Map<string, FileState>();
  const onError = options.onError ?? (() => undefined);
  let closed = false;
  let running: Promise<void> = Promise.resolve();
  let queued: Promise<void> | undefined;

  const scan = (): Promise<void> => {
    if (closed) return running;
    // At most one scan waits behind the running one: later requests share it.
    queued ??= running.then(() => {
      queued = undefined;
      return closed ? undefined : syncOnce(options, known).catch(onError);
    });
    running = queued;
    return queued;
  };

  let settleTimer: NodeJS.Timeout | undefined;
  const scanSoon = (): void => {
    if (settleTimer || closed) return;
    settleTimer = setTimeout(() => {
      settleTimer = undefined;
      void scan();
    }, options.settleMs ?? 30);
  };
  const watcher = startWatcher(options.dir, scanSoon, onError);
  const interval = setInterval(() => void scan(), options.intervalMs ?? 1000);
  const ready = scan();

  return {
    ready,
    scan,
    close: async () => {
      closed = true;
      clearInterval(interval);
      if (settleTimer) clearTimeout(settleTimer);
      watcher?.close();
      await running;
    },
  };
}

function startWatcher(dir: string, onEvent: () => void, onError: (error: unknown) => void): FSWatcher | undefined {
  try {
    const watcher = watch(dir, { recursive: true }, onEvent);
    watcher.on('error', onError);
    return watcher;
  } catch (error: unknown) {
    // Periodic scans still notice every change, only a little later.
    onError(error);
    return undefined;
  }
}

/** Files uploaded at the same time during a scan (the first scan uploads the whole folder). */
const APPLY_CONCURRENCY = 8;

interface PendingPut {
  readonly key: string;
  readonly body: Buffer;
  readonly state: FileState;
}

/** Compares the folder with what was applied last and applies the difference. */
async function syncOnce(options: WatchContentOptions, known: Map<string, FileState>): Promise<void> {
  const present = await listContentFiles(options.dir);
  const puts: PendingPut[] = [];
  for (const key of present) {
    const put = await readChanged(options.dir, key, known);
    if (put) puts.push(put);
  }
  const deletes = [...known.keys()].filter((key) => !present.has(key));
  if (puts.length === 0 && deletes.length === 0) return;
  const applyAll = async (): Promise<void> => {
    await forEachConcurrently(puts, async ({ key, body, state }) => {
      // A failed upload is not recorded, so the next scan retries it.
      if (await applyOrReport(options, { kind: 'put', key, body })) known.set(key, state);
    });
    await forEachConcurrently(deletes, async (key) => {
      if (await applyOrReport(options, { kind: 'delete', key })) known.delete(key);
    });
  };
  await (options.wrapApply ? options.wrapApply(applyAll) : applyAll());
}

/** The file's new content when it differs from what was applied; touched-only files are just noted. */
async function readChanged(dir: string, key: string, known: Map<string, FileState>): Promise<PendingPut | undefined> {
  const path = join(dir, ...key.split('/'));
  const before = known.get(key);
  const info = await stat(path).catch(() => undefined);
  if (!info || (before && before.size === info.size && before.mtimeMs === info.mtimeMs)) return undefined;
  const body = await readFile(path).catch(() => undefined);
  if (!body) return undefined;
  const state = { size: info.size, mtimeMs: info.mtimeMs, hash: createHash('sha256').update(body).digest('hex') };
  if (before?.hash !== state.hash) return { key, body, state };
  known.set(key, state);
  return undefined;
}

async function forEachConcurrently<T>(items: readonly T[], run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await run(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(APPLY_CONCURRENCY, items.length) }, worker));
}

async function applyOrReport(options: WatchContentOptions, change: ContentChange): Promise<boolean> {
  try {
    await options.apply(change);
    return true;
  } catch (error: unknown) {
    options.onError?.(error);
    return false;
  }
}

/** Every content key under `dir`, found by walking it (missing folders count as empty). */
export async function listContentFiles(dir: string): Promise<Set<string>> {
  const keys = new Set<string>();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const key = relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/');
    if (isContentKey(key)) keys.add(key);
  }
  return keys;
}
