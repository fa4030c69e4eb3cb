import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { contentTypeFor } from '../lambdas/core/plan/outputs.js';

/** A stored object as the edge needs it. */
export interface StoredObject {
  readonly body: Uint8Array;
  readonly contentType: string;
  readonly etag: string | undefined;
  readonly lastModified: Date | undefined;
  readonly cacheControl: string | undefined;
  readonly contentEncoding: string | undefined;
}

/** Validators of a cached copy, sent so the origin can answer 304. */
export interface OriginConditions {
  readonly ifNoneMatch?: string;
  readonly ifModifiedSince?: Date;
}

/** What the origin said: the object, "not modified" (304), or nothing at that key. */
export type OriginAnswer =
  | { readonly status: 200; readonly object: StoredObject }
  | { readonly status: 304 }
  | { readonly status: 404 };

/** Reads one key of the site bucket, conditionally when `conditions` are given. */
export type OriginReader = (key: string, conditions?: OriginConditions) => Promise<OriginAnswer>;

/** Origin reads: attempts and the time allowed for each, as CloudFront retries its origin. */
const ORIGIN_ATTEMPTS = 4;
const ORIGIN_ATTEMPT_TIMEOUT_MS = 750;

/**
 * The site bucket as the edge's origin. A failed or stalled read is retried: the embedded S3
 * API can stall a GET that races a PUT of the same key; CloudFront likewise retries its origin
 * before answering 502.
 */
export function createOriginReader(s3: S3Client, bucket: string): OriginReader {
  return async (key, conditions) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await readOnce(s3, bucket, key, conditions, AbortSignal.timeout(ORIGIN_ATTEMPT_TIMEOUT_MS));
      } catch (error: unknown) {
        if (attempt >= ORIGIN_ATTEMPTS) throw error;
      }
    }
  };
}

async function readOnce(
  s3: S3Client,
  bucket: string,
  key: string,
  conditions: OriginConditions | undefined,
  abortSignal: AbortSignal,
): Promise<OriginAnswer> {
  try {
    const command = new GetObjectCommand({ Bucket: bucket, Key: key, IfNoneMatch: conditions?.ifNoneMatch, IfModifiedSince: conditions?.ifModifiedSince });
    const output = await s3.send(command, { abortSignal });
    const body = output.Body ? await output.Body.transformToByteArray() : new Uint8Array();
    const storedType = output.ContentType;
    const object: StoredObject = {
      body,
      // Objects put without a type come back as S3's default; name them by extension instead.
      contentType: storedType && storedType !== 'binary/octet-stream' ? storedType : contentTypeFor(key),
      etag: output.ETag,
      lastModified: output.LastModified,
      cacheControl: output.CacheControl,
      contentEncoding: output.ContentEncoding,
    };
    return { status: 200, object };
  } catch (error: unknown) {
    const status = statusOf(error);
    // The SDK reports S3's 304 to a conditional GET as an error without a body.
    if (status === 304) return { status: 304 };
    if (status === 404) return { status: 404 };
    throw error;
  }
}

function statusOf(error: unknown): number | undefined {
  const candidate = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  if (candidate?.name === 'NoSuchKey' || candidate?.name === 'NotFound') return 404;
  if (candidate?.name === 'NotModified') return 304;
  return candidate?.$metadata?.httpStatusCode;
}
