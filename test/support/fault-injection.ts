import { S3Client } from '@aws-sdk/client-s3';
import { createLocalS3Client } from '../../local/s3-server.js';

/**
 * Fault injection for a real S3 client: middleware that numbers every operation the client
 * sends and fails the chosen ones the way S3 and the network fail. Server errors are answered
 * with a synthetic HTTP response (status, S3 error XML), so the SDK's own deserializer and retry
 * strategy see exactly what S3 would send; timeouts are thrown where the HTTP handler would
 * throw them. Everything else reaches the server untouched.
 */

/** The failures S3 and the network produce. */
export type FaultKind =
  /** 500 InternalError, before the request reaches the server. */
  | 'internal-error'
  /** 503 ServiceUnavailable, before the request reaches the server. */
  | 'service-unavailable'
  /** 503 SlowDown: S3 throttling the request rate. */
  | 'slow-down'
  /** The socket times out before the server sees the request. */
  | 'socket-timeout'
  /** The server applies the request, then the response is lost to a socket timeout. */
  | 'timeout-after-apply';

/** Every fault kind, for sweeps. */
export const FAULT_KINDS: readonly FaultKind[] = [
  'internal-error',
  'service-unavailable',
  'slow-down',
  'socket-timeout',
  'timeout-after-apply',
];

/** One operation the client sent (all its attempts count as one call). */
export interface S3Call {
  /** 0-based position among the operations sent since the injector was attached or reset. */
  readonly index: number;
  /** The command name, e.g. `PutObjectCommand`. */
  readonly command: string;
  readonly bucket?: string;
  readonly key?: string;
  /** The listing prefix of ListObjectsV2. */
  readonly prefix?: string;
  /** True for a conditional write (`If-Match` or `If-None-Match`). */
  readonly conditional: boolean;
}

/** Thrown for every call once {@link FaultInjector.cutAfterWrites} has cut the invocation off. */
export class FunctionTimedOutError extends Error {
  override readonly name = 'FunctionTimedOutError';
}

/** Controls the faults of one client. */
export interface FaultInjector {
  /** The operations sent so far, in the order they were sent. */
  readonly calls: readonly S3Call[];
  /** Faults really produced so far (one per failed attempt). */
  readonly injected: number;
  /**
   * Fails the operation at `index` with `kind`. By default every attempt fails, so the SDK's
   * retries give up and the error reaches the caller; `attempts: 1` fails only the first one.
   */
  failCall(index: number, kind: FaultKind, options?: { readonly attempts?: number }): void;
  /**
   * Models a function timeout: once `writes` writes (PutObject, DeleteObject) have been applied,
   * every later attempt fails with {@link FunctionTimedOutError} without reaching it, as if the
   * runtime had frozen the invocation. Writes already on the wire still land.
   */
  cutAfterWrites(writes: number): void;
  /** Number of writes (PutObject, DeleteObject) the server has applied. */
  readonly writesApplied: number;
  /** Operations sent and not yet answered (or failed) for good. */
  readonly inFlight: number;
}

interface Plan {
  readonly kind: FaultKind;
  remaining: number;
}

interface MiddlewareArgs {
  readonly input: {
    readonly Bucket?: string;
    readonly Key?: string;
    readonly Prefix?: string;
    readonly IfMatch?: string;
    readonly IfNoneMatch?: string;
  };
  readonly request?: { readonly method?: string };
}

type Handler = (args: MiddlewareArgs) => Promise<{ response: unknown; output?: unknown }>;
type Middleware = (next: Handler, context: Record<string, unknown>) => Handler;
type AddMiddleware = (middleware: Middleware, options: Record<string, unknown>) => void;

const CALL_INDEX = Symbol('faultInjectionCallIndex');

/** Operations that change the bucket. */
const WRITE_COMMANDS = new Set(['PutObjectCommand', 'DeleteObjectCommand', 'DeleteObjectsCommand', 'CopyObjectCommand']);

const SERVER_ERRORS: Record<'internal-error' | 'service-unavailable' | 'slow-down', { status: number; code: string; message: string }> = {
  'internal-error': { status: 500, code: 'InternalError', message: 'We encountered an internal error. Please try again.' },
  'service-unavailable': { status: 503, code: 'ServiceUnavailable', message: 'Service is unable to handle request.' },
  'slow-down': { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' },
};

/** Attaches a {@link FaultInjector} to `client` (use a fresh client per scenario). */
export function injectFaults(client: S3Client): FaultInjector {
  const calls: S3Call[] = [];
  const plans = new Map<number, Plan>();
  let injected = 0;
  let writesApplied = 0;
  let cutAfter = Number.POSITIVE_INFINITY;
  let inFlight = 0;
  const add = client.middlewareStack.add.bind(client.middlewareStack) as unknown as AddMiddleware;

  // Numbers operations before the retry middleware, so all attempts of one call share a number.
  add(
    (next, context) => async (args) => {
      const index = calls.length;
      const { Bucket: bucket, Key: key, Prefix: prefix, IfMatch, IfNoneMatch } = args.input;
      const conditional = IfMatch !== undefined || IfNoneMatch !== undefined;
      calls.push({ index, command: String(context.commandName), bucket, key, conditional, ...(prefix === undefined ? {} : { prefix }) });
      context[CALL_INDEX as unknown as string] = index;
      inFlight += 1;
      try {
        return await next(args);
      } finally {
        inFlight -= 1;
      }
    },
    { step: 'initialize', priority: 'high', name: 'faultInjectionCounter' },
  );

  // Sits below the deserializer, where the HTTP handler would answer: once per attempt.
  add(
    (next, context) => async (args) => {
      if (writesApplied >= cutAfter) {
        injected += 1;
        throw new FunctionTimedOutError('Task timed out (the invocation was cut off mid-publish)');
      }
      const index = context[CALL_INDEX as unknown as string] as number;
      const plan = plans.get(index);
      if (plan && plan.remaining > 0) {
        plan.remaining -= 1;
        injected += 1;
        if (plan.kind === 'timeout-after-apply') {
          await next(args);
          if (WRITE_COMMANDS.has(String(context.commandName))) writesApplied += 1;
          throw createTimeoutError();
        }
        if (plan.kind === 'socket-timeout') throw createTimeoutError();
        return { response: createErrorResponse(SERVER_ERRORS[plan.kind], args.request?.method === 'HEAD') };
      }
      const result = await next(args);
      if (WRITE_COMMANDS.has(String(context.commandName))) writesApplied += 1;
      return result;
    },
    { step: 'deserialize', priority: 'low', name: 'faultInjectionResponder' },
  );

  return {
    get calls() {
      return calls;
    },
    get injected() {
      return injected;
    },
    get writesApplied() {
      return writesApplied;
    },
    get inFlight() {
      return inFlight;
    },
    failCall: (index, kind, options = {}) => {
      plans.set(index, { kind, remaining: options.attempts ?? Number.POSITIVE_INFINITY });
    },
    cutAfterWrites: (writes) => {
      cutAfter = writes;
    },
  };
}

/** The error Node's HTTP handler raises when a socket stays idle past its timeout. */
function createTimeoutError(): Error {
  return Object.assign(new Error('Connection timed out after 5000 ms'), { name: 'TimeoutError', code: 'ETIMEDOUT' });
}

/** An S3 error response as it comes off the wire (HEAD responses carry no body). */
function createErrorResponse(error: { status: number; code: string; message: string }, head: boolean) {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${error.code}</Code><Message>${error.message}</Message><RequestId>FAULT</RequestId></Error>`;
  return {
    statusCode: error.status,
    reason: error.code,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': 'FAULTINJECTED' },
    body: head ? new Uint8Array() : new TextEncoder().encode(xml),
  };
}

/** The SDK's view of a failed attempt, as its retry middleware hands it to a strategy. */
interface RetryErrorInfo {
  readonly errorType: 'THROTTLING' | 'TRANSIENT' | 'SERVER_ERROR' | 'CLIENT_ERROR';
}

interface RetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
}

/**
 * The standard retry decision (throttling and transient errors, `maxAttempts` attempts in all)
 * without its exponential back-off, which would make a sweep of hundreds of faults take minutes
 * (SlowDown alone waits up to 20 s). Which errors are retried is still decided by the SDK.
 */
export function createImmediateRetryStrategy(maxAttempts = 3) {
  const token = (count: number): RetryToken => ({ getRetryCount: () => count, getRetryDelay: () => 0 });
  return {
    acquireInitialRetryToken: async (): Promise<RetryToken> => token(0),
    refreshRetryTokenForRetry: async (previous: RetryToken, info: RetryErrorInfo): Promise<RetryToken> => {
      const next = previous.getRetryCount() + 1;
      const retryable = info.errorType === 'THROTTLING' || info.errorType === 'TRANSIENT';
      if (!retryable || next >= maxAttempts) throw new Error('No retry token available');
      return token(next);
    },
    recordSuccess: (): void => undefined,
  };
}

/**
 * A client for the local S3 API (as `createLocalS3Client`) that retries like the deployed one (three
 * attempts, throttling and transient errors) but immediately, with a {@link FaultInjector}.
 */
export function createFaultyS3rverClient(endpoint: string): { client: S3Client; faults: FaultInjector } {
  const client = createLocalS3Client(endpoint, { retryStrategy: createImmediateRetryStrategy() });
  return { client, faults: injectFaults(client) };
}
