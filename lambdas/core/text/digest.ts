/** Content digests: the fingerprints the catalog and the item cache compare. */
import { createHash } from 'node:crypto';

/**
 * Hex characters kept of each SHA-256 digest in the catalog: 128 bits, far beyond any chance of
 * two different inputs colliding among millions, at half the size (the digests are most of a
 * large catalog, and random hex does not compress).
 */
export const DIGEST_LENGTH = 32;

/** SHA-256 of a text (UTF-8) or bytes, as {@link DIGEST_LENGTH} hex characters. */
export function hashText(input: string | Uint8Array): string {
  return createHash('sha256').update(input).digest('hex').slice(0, DIGEST_LENGTH);
}
