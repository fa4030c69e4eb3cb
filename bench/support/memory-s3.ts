import { createHash } from 'node:crypto';
import { NoSuchKey, NotFound, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { bodySize, createTally, recordRequest, type RequestTally } from './request-tally.js';

interface StoredObject {
  readonly body: Uint8Array;
  readonly etag: string;
  readonly metadata: Record<string, string>;
}

/** Generates the text of a key of a virtual bucket on each read (or `undefined`: no such key). */
export type VirtualObjects = { readonly keys: () => readonly string[]; readonly read: (key: string) => string | undefined };

/**
 * An S3 client answering from memory, for archive sizes a local S3 server cannot hold quickly.
 * It implements what the publisher sends (GetObject, PutObject with If-Match / If-None-Match,
 * HeadObject, DeleteObject, ListObjectsV2 with paging) and counts every request and its bytes.
 */
export class MemoryS3Client extends S3Client {
  tally: RequestTally = createTally();
  readonly #buckets = new Map<string, Map<string, StoredObject>>();
  readonly #virtual = new Map<string, VirtualObjects>();

  constructor() {
    super({ region: 'us-east-1', credentials: { accessKeyId: 'memory', secretAccessKey: 'memory' } });
  }

  /** Serves `bucket` from generated objects (written objects take precedence). */
  addVirtualBucket(bucket: string, objects: VirtualObjects): void {
    this.#virtual.set(bucket, objects);
  }

  /** Stores an object without counting a request (seeding). */
  seed(bucket: string, key: string, body: string | Uint8Array): void {
    this.#store(bucket).set(key, toStored(body, {}));
  }

  // The SDK types `send` with many overloads; the publisher only ever awaits the result.
  override send(command: unknown): Promise<never> {
    return Promise.resolve(this.#handle(command as { constructor: { name: string }; input: Record<string, unknown> })) as Promise<never>;
  }

  #store(bucket: string): Map<string, StoredObject> {
    let store = this.#buckets.get(bucket);
    if (!store) this.#buckets.set(bucket, (store = new Map()));
    return store;
  }

  #get(bucket: string, key: string): StoredObject | undefined {
    const stored = this.#store(bucket).get(key);
    if (stored) return stored;
    const text = this.#virtual.get(bucket)?.read(key);
    return text === undefined ? undefined : toStored(text, {});
  }

  #handle(command: { constructor: { name: string }; input: Record<string, unknown> }): unknown {
    const operation = command.constructor.name.replace(/Command$/, '');
    const input = command.input as { Bucket: string; Key: string; Body?: string | Uint8Array; IfMatch?: string; IfNoneMatch?: string; Metadata?: Record<string, string>; Prefix?: string; ContinuationToken?: string; MaxKeys?: number };
    switch (operation) {
      case 'GetObject': {
        const stored = this.#get(input.Bucket, input.Key);
        recordRequest(this.tally, operation, 0, stored?.body.length ?? 0);
        if (!stored) throw new NoSuchKey({ message: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
        const { body } = stored;
        return { Body: { transformToByteArray: async () => body, transformToString: async () => Buffer.from(body).toString('utf8') }, ContentLength: body.length, ETag: stored.etag, Metadata: stored.metadata };
      }
      case 'HeadObject': {
        recordRequest(this.tally, operation, 0, 0);
        const stored = this.#get(input.Bucket, input.Key);
        if (!stored) throw new NotFound({ message: 'NotFound', $metadata: { httpStatusCode: 404 } });
        return { ETag: stored.etag, Metadata: stored.metadata, ContentLength: stored.body.length };
      }
      case 'PutObject': {
        recordRequest(this.tally, operation, bodySize(input.Body), 0);
        const current = this.#get(input.Bucket, input.Key);
        if ((input.IfNoneMatch === '*' && current) || (input.IfMatch !== undefined && current?.etag !== input.IfMatch)) {
          throw new S3ServiceException({ name: 'PreconditionFailed', $fault: 'client', $metadata: { httpStatusCode: 412 } });
        }
        const stored = toStored(input.Body ?? '', input.Metadata ?? {});
        this.#store(input.Bucket).set(input.Key, stored);
        return { ETag: stored.etag };
      }
      case 'DeleteObject':
        recordRequest(this.tally, operation, 0, 0);
        this.#store(input.Bucket).delete(input.Key);
        return {};
      case 'ListObjectsV2':
        recordRequest(this.tally, operation, 0, 0);
        return this.#list(input.Bucket, input.Prefix ?? '', Number(input.ContinuationToken ?? 0), input.MaxKeys ?? 1000);
      default:
        throw new Error(`MemoryS3Client does not implement ${operation}`);
    }
  }

  #list(bucket: string, prefix: string, start: number, size: number): unknown {
    const keys = [...new Set([...(this.#virtual.get(bucket)?.keys() ?? []), ...this.#store(bucket).keys()])].filter((key) => key.startsWith(prefix)).sort();
    const page = keys.slice(start, start + size);
    const truncated = start + size < keys.length;
    return { Contents: page.map((Key) => ({ Key })), KeyCount: page.length, IsTruncated: truncated, ...(truncated ? { NextContinuationToken: String(start + size) } : {}) };
  }
}

function toStored(body: string | Uint8Array, metadata: Record<string, string>): StoredObject {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  return { body: bytes, etag: `"${createHash('md5').update(bytes).digest('hex')}"`, metadata };
}
