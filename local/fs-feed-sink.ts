import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { OutputDocument } from '../lambdas/core/plan/outputs.js';
import type { FeedSink } from '../lambdas/core/ports.js';

/**
 * {@link FeedSink} into a folder: each document becomes the file at its key. A file whose
 * bytes are already the same is not rewritten, like the S3 sink, so its mtime keeps telling
 * when the feed last changed.
 */
export class FsFeedSink implements FeedSink {
  readonly #root: string;

  constructor(root: string) {
    this.#root = resolve(root);
  }

  /** Writes the changed documents and returns their keys, in input order. */
  async publish(documents: readonly OutputDocument[]): Promise<string[]> {
    const written: string[] = [];
    for (const document of documents) {
      const path = this.pathOf(document.key);
      const body = Buffer.from(document.body, 'utf8');
      const current = await readFile(path).catch(() => undefined);
      if (current?.equals(body)) continue;
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, body);
      written.push(document.key);
    }
    return written;
  }

  /** The file a key is written to; keys cannot leave the folder. */
  pathOf(key: string): string {
    const path = resolve(this.#root, key);
    const inside = relative(this.#root, path);
    if (!inside || inside.startsWith('..') || isAbsolute(inside)) throw new Error(`key "${key}" is outside the output folder`);
    return path;
  }
}
