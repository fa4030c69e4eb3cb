import { mkdir, readFile, readdir, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { OutputDocument } from '../lambdas/core/plan/outputs.js';
import type { SiteObject, SiteWriter } from '../lambdas/core/ports.js';

/**
 * {@link SiteWriter} into a folder: each document becomes the file at its key. A file whose
 * bytes are already the same is not rewritten, like the S3 writer, so its mtime keeps telling
 * when the feed last changed. Files are small and local, so every file is compared byte for
 * byte and the known hashes are not needed.
 */
export class FsSiteWriter implements SiteWriter {
  readonly #root: string;

  constructor(root: string) {
    this.#root = resolve(root);
  }

  /** Writes the changed documents and returns their keys, in input order. */
  async write(documents: readonly OutputDocument[]): Promise<string[]> {
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

  /** Deletes the files (a missing one is not an error) and the folders they leave empty; refuses none. */
  async remove(keys: readonly string[]): Promise<string[]> {
    for (const key of keys) {
      const path = this.pathOf(key);
      await rm(path, { force: true });
      await this.#removeEmptyFolders(dirname(path));
    }
    return [];
  }

  /** Every file under the folder, keyed with `/` on every platform; none when the folder is absent. */
  async list(): Promise<SiteObject[]> {
    const entries = await readdir(this.#root, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
    return Promise.all(
      files.map(async (path) => ({ key: relative(this.#root, path).split(sep).join('/'), lastModified: (await stat(path)).mtime })),
    );
  }

  /** The file a key is written to; keys cannot leave the folder. */
  pathOf(key: string): string {
    const path = resolve(this.#root, key);
    const inside = relative(this.#root, path);
    if (!inside || inside.startsWith('..') || isAbsolute(inside)) throw new Error(`key "${key}" is outside the output folder`);
    return path;
  }

  /** Removes `folder` and its parents while they are empty, never the output folder itself. */
  async #removeEmptyFolders(folder: string): Promise<void> {
    for (let current = folder; current !== this.#root && current.startsWith(this.#root + sep); current = dirname(current)) {
      const left = await readdir(current).catch(() => undefined);
      if (left === undefined || left.length > 0) return;
      await rmdir(current);
    }
  }
}
