import { readFile, readdir } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { ArticleSource } from '../lambdas/core/ports.js';

/**
 * {@link ArticleSource} over a content folder laid out like the content bucket
 * (`site.yaml`, `articles/**\/*.md`). Keys use `/` on every platform.
 */
export class FsArticleSource implements ArticleSource {
  readonly #root: string;

  constructor(root: string) {
    this.#root = resolve(root);
  }

  /** Every `.md` file under `articles/`, as content-relative keys; none when the folder is absent. */
  async listArticleKeys(): Promise<string[]> {
    const folder = join(this.#root, 'articles');
    let entries;
    try {
      entries = await readdir(folder, { recursive: true, withFileTypes: true });
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
    return entries
      .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
      .map((entry) => relative(this.#root, join(entry.parentPath, entry.name)).split(sep).join('/'))
      .sort();
  }

  /** The file's bytes, or `undefined` when it does not exist. Keys cannot leave the folder. */
  async read(key: string): Promise<Uint8Array | undefined> {
    const path = resolve(this.#root, key);
    const inside = relative(this.#root, path);
    if (inside.startsWith('..') || isAbsolute(inside)) throw new Error(`key "${key}" is outside the content folder`);
    try {
      return await readFile(path);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}
