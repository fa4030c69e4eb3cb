import { HeadObjectCommand, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';

/**
 * S3 conditional writes (`If-Match`, `If-None-Match: *` on PutObject) for s3rver, which ignores
 * both headers. Every client given the same {@link ConditionalWriteLocks} checks the condition
 * and writes as one step per key, as S3 does, and answers a failed condition with S3's own
 * 412 PreconditionFailed response (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).
 * Only writers inside this process are serialized, which is all a test's handlers are.
 */

/** Per-key locks shared by the clients that must see each other's conditional writes. */
export type ConditionalWriteLocks = Map<string, Promise<void>>;

/** Creates the lock table clients share. */
export function createConditionalWriteLocks(): ConditionalWriteLocks {
  return new Map();
}

interface PutArgs {
  readonly input: { readonly Bucket?: string; readonly Key?: string; readonly IfMatch?: string; readonly IfNoneMatch?: string };
}

type Handler = (args: PutArgs) => Promise<unknown>;
type Middleware = (next: Handler, context: Record<string, unknown>) => Handler;
type AddMiddleware = (middleware: Middleware, options: Record<string, unknown>) => void;

/**
 * Adds conditional-write checks to `client`'s PutObject calls and counts the refusals it answers.
 * The current ETag is read with `probe` (by default `client` itself): give a client without
 * fault injection, so the check's own HeadObject is neither counted nor failed as a call.
 */
export function emulateConditionalWrites(
  client: S3Client,
  locks: ConditionalWriteLocks,
  probe: S3Client = client,
): { readonly refused: () => number } {
  let refused = 0;
  const add = client.middlewareStack.add.bind(client.middlewareStack) as unknown as AddMiddleware;
  add(
    (next, context) => async (args) => {
      const { Bucket, Key, IfMatch, IfNoneMatch } = args.input;
      if (context.commandName !== 'PutObjectCommand' || (IfMatch === undefined && IfNoneMatch === undefined)) return next(args);
      return withLock(locks, `${Bucket}/${Key}`, async () => {
        const current = await readETag(probe, Bucket!, Key!);
        const holds = IfNoneMatch === '*' ? current === undefined : current !== undefined && current === IfMatch;
        if (!holds) {
          refused += 1;
          throw createPreconditionFailed(current === undefined && IfMatch !== undefined);
        }
        return next(args);
      });
    },
    // Inside the retry loop, once per attempt, as S3 checks each request it receives: a retried
    // write whose first attempt was applied but whose answer was lost meets a changed ETag.
    { step: 'finalizeRequest', priority: 'low', name: 'conditionalWriteEmulation' },
  );
  return { refused: () => refused };
}

async function withLock<T>(locks: ConditionalWriteLocks, id: string, work: () => Promise<T>): Promise<T> {
  const previous = locks.get(id) ?? Promise.resolve();
  let release!: () => void;
  const current = new Promise<void>((resolve) => (release = resolve));
  const chained = previous.then(() => current);
  locks.set(id, chained);
  await previous;
  try {
    return await work();
  } finally {
    release();
    if (locks.get(id) === chained) locks.delete(id);
  }
}

async function readETag(client: S3Client, bucket: string, key: string): Promise<string | undefined> {
  try {
    return (await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ETag;
  } catch (error) {
    if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return undefined;
    throw error;
  }
}

/** S3's answer to a failed condition (404 NoSuchKey when `If-Match` names a missing object). */
function createPreconditionFailed(missing: boolean): S3ServiceException {
  return new S3ServiceException({
    name: missing ? 'NoSuchKey' : 'PreconditionFailed',
    message: missing ? 'The specified key does not exist.' : 'At least one of the pre-conditions you specified did not hold',
    $fault: 'client',
    $metadata: { httpStatusCode: missing ? 404 : 412 },
  });
}
