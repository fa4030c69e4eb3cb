import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import type { StoredObject } from './edge-origin.js';

/**
 * Content codings of the edge: every text document in gzip or Brotli for viewers that accept
 * them, identity otherwise. Each coding is its own representation with its own ETag, so a
 * conditional request is answered for the representation the viewer gets.
 */

/** A content coding the edge produces. */
export type Encoding = 'br' | 'gzip';

/**
 * Text media types the site serves: the three feed formats, OPML, HTML, CSS, XML, JSON, XSL.
 * On CloudFront the same list is covered by its own compression (RSS, HTML, CSS, XML, JSON)
 * and by the variants the publisher stores for the rest (`PRECOMPRESSED_MEDIA_TYPES`).
 */
const TEXT_TYPES: ReadonlySet<string> = new Set([
  'application/rss+xml', 'application/atom+xml', 'application/feed+json', 'text/x-opml',
  'text/html', 'application/xhtml+xml', 'text/css', 'application/xml', 'text/xml', 'text/xsl',
  'application/xslt+xml', 'application/json', 'text/plain', 'image/svg+xml', 'text/javascript',
]);

/** Whether the edge may serve this object in another coding (text, not already encoded). */
export function isCompressible(stored: Pick<StoredObject, 'contentType' | 'contentEncoding'>): boolean {
  if (stored.contentEncoding) return false;
  return TEXT_TYPES.has((stored.contentType.split(';', 1)[0] ?? '').trim().toLowerCase());
}

/** Picks `br` over `gzip` when both are acceptable, as CloudFront does; honours `q=0`. */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding | undefined {
  if (!acceptEncoding) return undefined;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    weights.set(name, q ? Number(q.slice(2)) : 1);
  }
  const acceptable = (name: Encoding): boolean => (weights.get(name) ?? weights.get('*') ?? 0) > 0;
  if (acceptable('br')) return 'br';
  if (acceptable('gzip')) return 'gzip';
  return undefined;
}

/**
 * The ETag of a representation: the stored one for identity, suffixed with the coding inside
 * the quotes otherwise (`"abc"` becomes `"abc-br"`), so no two representations share a tag.
 */
export function representationEtag(etag: string, encoding: Encoding | undefined): string {
  if (encoding === undefined) return etag;
  return etag.replace(/"$/, `-${encoding}"`);
}

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** Compressed bodies by key, ETag and coding: a few hundred entries cover a site's hot documents. */
const CACHE_ENTRIES = 512;

/** Compresses stored bodies once per version and coding. */
export class CompressedBodies {
  private readonly bodies = new Map<string, Buffer>();

  /** The body of `stored` in `encoding`, from the cache when this version was compressed before. */
  public async get(key: string, stored: StoredObject, encoding: Encoding): Promise<Buffer> {
    if (!stored.etag) return compress(stored.body, encoding);
    const cacheKey = `${key}\n${stored.etag}\n${encoding}`;
    const cached = this.bodies.get(cacheKey);
    if (cached) return cached;
    const body = await compress(stored.body, encoding);
    // Oldest entry out first (a Map iterates in insertion order).
    if (this.bodies.size >= CACHE_ENTRIES) this.bodies.delete(this.bodies.keys().next().value ?? '');
    this.bodies.set(cacheKey, body);
    return body;
  }
}

function compress(body: Uint8Array, encoding: Encoding): Promise<Buffer> {
  if (encoding === 'gzip') return gzipAsync(body);
  return brotliAsync(body, {
    params: { [zlibConstants.BROTLI_PARAM_SIZE_HINT]: body.byteLength, [zlibConstants.BROTLI_PARAM_QUALITY]: 5 },
  });
}
