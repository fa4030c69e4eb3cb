/** URLs as the feeds write them. */

/**
 * The form `feed` 6 gives a URL in Atom (`new URL(url).href`), used in every format so one
 * item has one id and one link everywhere (F14). `undefined` when `url` is not absolute.
 */
export function normalizeUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).href;
  } catch {
    return undefined;
  }
}
