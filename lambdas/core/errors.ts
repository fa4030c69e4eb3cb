/** Base class of every error the publisher raises on purpose. */
export class FeedPublisherError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An article that cannot be published; `path` names the file, `field` the offending field. */
export class ArticleParseError extends FeedPublisherError {
  constructor(
    readonly path: string,
    readonly reason: string,
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(`${path}: ${field ? `${field}: ` : ''}${reason}`, options);
  }
}

/** `site.yaml` is missing or invalid: nothing can be published until it is fixed. */
export class SiteConfigError extends FeedPublisherError {
  constructor(
    readonly path: string,
    readonly reason: string,
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(`${path}: ${field ? `${field}: ` : ''}${reason}`, options);
  }
}

/** Narrows a caught value to an Error (anything else is wrapped). */
export function assertIsError(value: unknown): asserts value is Error {
  if (!(value instanceof Error)) {
    throw new Error(`Unexpected non-error thrown: ${String(value)}`);
  }
}
