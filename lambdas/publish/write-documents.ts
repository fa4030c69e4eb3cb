/**
 * The publish's writes to the site: the rendered documents a chunk at a time, then the removal
 * of the ones no longer published, and the document hashes the next catalog records.
 */
import { hashDocument, type Catalog } from '../core/catalog/catalog.js';
import type { RenderedChanges } from '../core/changes/render-changes.js';
import type { OutputDocument } from '../core/plan/outputs.js';
import type { SiteWriter } from '../core/ports.js';
import { DIGEST_LENGTH } from '../core/text/digest.js';

/** Documents rendered and written at a time: bounds the memory a rebuild needs. */
const WRITE_CHUNK = 48;

/** What {@link writeDocuments} did. */
export interface WrittenDocuments {
  /** Keys of the documents really written (unchanged ones are not). */
  readonly written: string[];
  /** UTF-8 bytes of the written documents. */
  readonly bytesWritten: number;
  /** Keys of the public subscription feeds among `written` (the WebSub topics; no partner-only feed). */
  readonly writtenFeeds: string[];
  /** Dropped documents the site refused to delete; they stay in the catalog to be tried again. */
  readonly notRemoved: string[];
  /** The next catalog, with the hash of every document now published. */
  readonly catalog: Catalog;
}

/**
 * Writes the rendered documents, then removes the dropped ones. A document the catalog already
 * lists with the same hash is checked against the site (a publish that failed after writing
 * could have left other bytes there); a new one, or one with another hash, is written
 * unchecked. A rebuild checks every key the catalog does not list: the catalog may have been
 * lost, not the site.
 */
export async function writeDocuments(writer: SiteWriter, previous: Catalog, rendered: RenderedChanges, rebuilt: boolean): Promise<WrittenDocuments> {
  const documents = new Map(rendered.catalog.documents);
  const result = { written: [] as string[], bytesWritten: 0, writtenFeeds: [] as string[] };
  let chunk: OutputDocument[] = [];
  const flush = async (): Promise<void> => {
    const hashes = new Map(chunk.map((document) => [document.key, hashDocument(document).slice(0, DIGEST_LENGTH)]));
    const knownHashes = new Map(
      [...hashes]
        .filter(([key, hash]) => previous.documents.get(key) !== hash && (!rebuilt || previous.documents.has(key)))
        .map(([key]) => [key, previous.documents.get(key) ?? '']),
    );
    const keys = new Set(await writer.write(chunk, knownHashes));
    for (const document of chunk) {
      documents.set(document.key, hashes.get(document.key) as string);
      if (keys.has(document.key)) record(result, document);
    }
    chunk = [];
  };
  for (const document of rendered.documents) {
    chunk.push(document);
    if (chunk.length >= WRITE_CHUNK) await flush();
  }
  await flush();
  const notRemoved = rendered.removedKeys.length > 0 ? await writer.remove(rendered.removedKeys) : [];
  for (const key of notRemoved) documents.set(key, previous.documents.get(key) ?? '');
  return { ...result, notRemoved, catalog: { ...rendered.catalog, documents } };
}

function record(result: { written: string[]; bytesWritten: number; writtenFeeds: string[] }, document: OutputDocument): void {
  result.written.push(document.key);
  result.bytesWritten += Buffer.byteLength(document.body, 'utf8');
  // The hub fetches a topic without a partner token: only public feeds are topics.
  if (document.role === 'subscription-feed' && document.partnerOnly !== true) result.writtenFeeds.push(document.key);
}
