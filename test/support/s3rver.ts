import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';

/** The part of s3rver's (Koa based, untyped) server object the tests use. */
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  on(event: 'event', listener: (event: S3Event) => void): void;
  httpServer?: { closeAllConnections?: () => void };
}

type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

// s3rver ships CommonJS without type declarations: load it through require and type only the
// members used here, so no ambient module declaration can clash with another one.
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

/** Options of {@link startS3rver}. */
export interface StartS3rverOptions {
  /** Buckets created before the server accepts requests. @default ['content', 'site'] */
  readonly buckets?: readonly string[];
  /** Receives every object event s3rver emits (PUT, POST, COPY, single DELETE; keys not encoded). */
  readonly onEvent?: (event: S3Event) => void;
}

/** A running s3rver, a client configured for it, and the way to stop both. */
export interface RunningS3rver {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** A client for {@link endpoint}: path-style, checksums only when required. */
  readonly client: S3Client;
  /** Temporary folder holding the buckets, removed by {@link close}. */
  readonly directory: string;
  /** Stops the server, drops its connections, destroys the client and removes the folder. Idempotent. */
  close(): Promise<void>;
}

/** The fixed credentials s3rver accepts. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/**
 * An S3 client for s3rver: path-style addressing (no virtual hosts on 127.0.0.1) and checksums
 * only when an operation requires them, since s3rver does not know the SDK's default checksums.
 */
export function createS3rverClient(endpoint: string, overrides: Partial<S3ClientConfig> = {}): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    credentials: S3RVER_CREDENTIALS,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...overrides,
  });
}

/** Starts s3rver on 127.0.0.1, on a free port, in a fresh temporary folder. */
export async function startS3rver(options: StartS3rverOptions = {}): Promise<RunningS3rver> {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    configureBuckets: (options.buckets ?? ['content', 'site']).map((name) => ({ name })),
  });
  if (options.onEvent) server.on('event', options.onEvent);
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = createS3rverClient(endpoint);
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      client.destroy();
      const stopped = server.close();
      // Keep-alive sockets would otherwise hold the port open until they time out.
      server.httpServer?.closeAllConnections?.();
      await stopped;
      await rm(directory, { recursive: true, force: true });
    })();
    return closing;
  };
  return { endpoint, client, directory, close };
}
