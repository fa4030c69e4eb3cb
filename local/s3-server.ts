import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';

/** The fixed credentials s3rver accepts (any S3 client can use them against the local API). */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** Region reported in the local events; s3rver itself ignores it. */
export const LOCAL_S3_REGION = 'us-east-1';

/** The part of s3rver's (Koa based, untyped) server object this project uses. */
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  on(event: 'event', listener: (event: S3Event) => void): void;
  httpServer?: { closeAllConnections?: () => void };
}

type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

// s3rver ships CommonJS without type declarations; load it through require and type the
// few members used here, instead of declaring an ambient module others might also declare.
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

/** Options of {@link startS3Server}. */
export interface S3ServerOptions {
  /** Folder where s3rver keeps buckets and objects. */
  readonly directory: string;
  /** Buckets created before the server accepts requests. */
  readonly buckets: readonly string[];
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default 0 - a free port chosen by the system */
  readonly port?: number;
  /** Receives every object event (PUT, POST, COPY, single DELETE) for every bucket. */
  readonly onEvent?: (event: S3Event) => void;
}

/** A running embedded S3 API. */
export interface RunningS3Server {
  /** `http://127.0.0.1:<port>`, for `--endpoint-url` or an SDK client's `endpoint`. */
  readonly endpoint: string;
  readonly port: number;
  /** Stops accepting requests and drops open connections. Safe to call twice. */
  close(): Promise<void>;
}

/** Starts s3rver on a loopback address with the given buckets. */
export async function startS3Server(options: S3ServerOptions): Promise<RunningS3Server> {
  const host = options.host ?? '127.0.0.1';
  const server = new S3rver({
    address: host,
    port: options.port ?? 0,
    directory: options.directory,
    silent: true,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  if (options.onEvent) server.on('event', options.onEvent);
  const address = await server.run();
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://${host}:${address.port}`,
    port: address.port,
    close: () => {
      closing ??= (async () => {
        const done = server.close();
        // Keep-alive sockets from SDK clients would otherwise hold the port open.
        server.httpServer?.closeAllConnections?.();
        await done;
      })();
      return closing;
    },
  };
}

/**
 * An S3 client for the local API: path-style addressing (s3rver has no virtual hosts on
 * 127.0.0.1) and checksums only when an operation requires them, because s3rver does not
 * understand the SDK's default flexible checksums.
 */
export function createLocalS3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: LOCAL_S3_REGION,
    credentials: LOCAL_S3_CREDENTIALS,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
