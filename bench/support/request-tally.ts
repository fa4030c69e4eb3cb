import type { S3Client } from '@aws-sdk/client-s3';

/** S3 requests by operation and the bytes they moved. */
export interface RequestTally {
  /** Requests by operation name (`GetObject`, `PutObject`, ...). */
  readonly counts: Record<string, number>;
  /** Request bodies sent (PutObject). */
  bytesUp: number;
  /** Response bodies received (GetObject). */
  bytesDown: number;
}

/** A fresh, empty tally. */
export function createTally(): RequestTally {
  return { counts: {}, bytesUp: 0, bytesDown: 0 };
}

/** Total requests of a tally. */
export function totalRequests(tally: RequestTally): number {
  return Object.values(tally.counts).reduce((sum, count) => sum + count, 0);
}

/** Adds one request to a tally. */
export function recordRequest(tally: RequestTally, operation: string, up: number, down: number): void {
  tally.counts[operation] = (tally.counts[operation] ?? 0) + 1;
  tally.bytesUp += up;
  tally.bytesDown += down;
}

/** Size of a PutObject body as sent. */
export function bodySize(body: unknown): number {
  if (typeof body === 'string') return Buffer.byteLength(body, 'utf8');
  if (body instanceof Uint8Array) return body.length;
  return 0;
}

/**
 * Counts every request `client` sends into the tally `current()` returns, with a middleware at
 * the initialize step (once per command, before retries).
 */
export function countRequests(client: S3Client, current: () => RequestTally): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName ?? 'Unknown').replace(/Command$/, '');
      const input = args.input as { Body?: unknown };
      const result = await next(args);
      const output = result.output as { ContentLength?: number };
      recordRequest(current(), operation, operation === 'PutObject' ? bodySize(input.Body) : 0, operation === 'GetObject' ? (output.ContentLength ?? 0) : 0);
      return result;
    },
    { step: 'initialize', name: 'benchRequestTally' },
  );
}
