import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { CATALOG_KEY, decodeCatalog, encodeCatalog, type Catalog } from '../lambdas/core/catalog/catalog.js';
import { CatalogConflictError, CatalogFormatError } from '../lambdas/core/errors.js';
import type { CatalogStore, StoredCatalogState } from '../lambdas/core/ports.js';
import { hashText } from '../lambdas/core/text/digest.js';

/**
 * {@link CatalogStore} in an output folder (`<out>/_catalog/catalog.json`, plain JSON), so a
 * render remembers what it published there and the next render removes what is gone. The
 * version tag is a digest of the file, checked before each write: two renders into one folder
 * at once cannot both replace the same version unnoticed (the check and the rename are not
 * one atomic step, which is enough for a command run by hand).
 */
export class FsCatalogStore implements CatalogStore {
  readonly #path: string;

  constructor(outputFolder: string) {
    this.#path = join(resolve(outputFolder), CATALOG_KEY);
  }

  /** Reads the catalog; a missing file is `missing`, a damaged one `unreadable`. */
  async read(): Promise<StoredCatalogState> {
    const text = await readFile(this.#path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (text === undefined) return { state: 'missing' };
    const etag = hashText(text);
    try {
      return { state: 'read', etag, catalog: decodeCatalog(text), lastModified: (await stat(this.#path)).mtime };
    } catch (error) {
      if (error instanceof CatalogFormatError) return { state: 'unreadable', etag, error };
      throw error;
    }
  }

  /**
   * Replaces the version `etag` (or creates the file when `etag` is undefined).
   * @throws CatalogConflictError when the file is no longer that version.
   */
  async write(catalog: Catalog, etag: string | undefined): Promise<void> {
    const current = await readFile(this.#path, 'utf8').then(hashText, () => undefined);
    if (current !== etag) throw new CatalogConflictError(`${this.#path}: catalog changed since it was read`);
    await mkdir(dirname(this.#path), { recursive: true });
    // Written beside and renamed, so a render cut off midway never leaves half a catalog.
    await writeFile(`${this.#path}.tmp`, encodeCatalog(catalog));
    await rename(`${this.#path}.tmp`, this.#path);
  }
}
