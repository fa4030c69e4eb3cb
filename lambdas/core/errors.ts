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

/** The stored catalog is unreadable or of another schema version: rebuild instead. */
export class CatalogFormatError extends FeedPublisherError {}

/**
 * Another publish replaced the catalog since it was read (for S3: 412 Precondition Failed, or
 * 409 ConditionalRequestConflict while a concurrent write was in flight): read it again and
 * redo the publish on top of it.
 */
export class CatalogConflictError extends FeedPublisherError {}

/** Narrows a caught value to an Error (anything else is wrapped). */
export function assertIsError(value: unknown): asserts value is Error {
  if (!(value instanceof Error)) {
    throw new Error(`Unexpected non-error thrown: ${String(value)}`);
  }
}
