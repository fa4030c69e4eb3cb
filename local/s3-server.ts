import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { checkS3Request, type S3Refusal } from './s3-request-guard.js';
import { createSigV4Verifier, type SigV4Verifier } from './verify-sigv4.js';

/** The fixed credentials of the local API: every request must be signed with them. */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** Region of the local clients and events; requests signed for any region are accepted. */
export const LOCAL_S3_REGION = 'us-east-1';

/** Time limits of one connection to the local API. */
export const LOCAL_S3_LIMITS = {
  /** Until the request headers have arrived. */
  headersTimeoutMs: 10_000,
  /** Until the whole request, body included, has arrived. */
  requestTimeoutMs: 120_000,
  /** Idle keep-alive connections are closed after this. */
  keepAliveTimeoutMs: 5_000,
  /** Largest request head (request line and headers). */
  maxHeaderBytes: 16 * 1024,
} as const;

/** The part of s3rver's (Koa based, untyped) server object this project uses. */
interface S3rverInstance {
  configureBuckets(): Promise<void>;
  callback(): (request: IncomingMessage, response: ServerResponse) => void;
  on(event: 'event', listener: (event: S3Event) => void): void;
  logger: { close(): void };
}

type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

// s3rver ships CommonJS without type declarations; load it through require and type the
// few members used here, instead of declaring an ambient module others might also declare.
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

/** Options of {@link startS3Server}. */
export interface S3ServerOptions {
  /** Folder where s3rver keeps buckets and objects. @default a new temporary folder, removed on close */
  readonly directory?: string;
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
  /** Folder holding the buckets. */
  readonly directory: string;
  /** A client for {@link endpoint} with the local credentials, destroyed by {@link close}. */
  readonly client: S3Client;
  /** Stops accepting requests, drops open connections and destroys {@link client}. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts s3rver behind a guard on a loopback address with the given buckets. s3rver never
 * listens itself: its request handler runs inside this server, only for requests the guard
 * let through, so no port reaches it unchecked.
 */
export async function startS3Server(options: S3ServerOptions): Promise<RunningS3Server> {
  const host = options.host ?? '127.0.0.1';
  const ownDirectory = options.directory === undefined;
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'local-s3-')));
  const s3rver = new S3rver({ directory, silent: true, vhostBuckets: false, configureBuckets: options.buckets.map((name) => ({ name })) });
  if (options.onEvent) s3rver.on('event', options.onEvent);
  await s3rver.configureBuckets();
  const verify = createSigV4Verifier({ credentials: LOCAL_S3_CREDENTIALS });
  const server = createGuardedServer(s3rver.callback(), verify, new Set(['127.0.0.1', 'localhost', host.toLowerCase()]));
  try {
    await listen(server, host, options.port ?? 0);
  } catch (error: unknown) {
    s3rver.logger.close();
    if (ownDirectory) await rm(directory, { recursive: true, force: true });
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://${host}:${port}`;
  const client = createLocalS3Client(endpoint);
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      client.destroy();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive sockets from SDK clients would otherwise hold the port open.
      server.closeAllConnections();
      await stopped;
      s3rver.logger.close();
      if (ownDirectory) await rm(directory, { recursive: true, force: true });
    })();
    return closing;
  };
  return { endpoint, port, directory, client, close };
}

/** An HTTP server that runs the guard, then the signature check, then s3rver's handler. */
function createGuardedServer(
  handle: (request: IncomingMessage, response: ServerResponse) => void,
  verify: SigV4Verifier,
  allowedHosts: ReadonlySet<string>,
): Server {
  const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    void (async () => {
      const refusal = checkS3Request(request, allowedHosts) ?? (await verify(request));
      if (refusal) return refuseRequest(request, response, refusal);
      // A client that waits for "100 Continue" sends its body only once the request is accepted.
      if (request.headers.expect?.toLowerCase() === '100-continue') response.writeContinue();
      handle(request, response);
    })().catch((error: unknown) => refuseRequest(request, response, { status: 500, code: 'InternalError', message: String(error) }));
  };
  const server = createServer({ maxHeaderSize: LOCAL_S3_LIMITS.maxHeaderBytes, requestTimeout: LOCAL_S3_LIMITS.requestTimeoutMs });
  server.headersTimeout = LOCAL_S3_LIMITS.headersTimeoutMs;
  server.keepAliveTimeout = LOCAL_S3_LIMITS.keepAliveTimeoutMs;
  server.on('request', onRequest);
  // Listening for checkContinue stops Node from answering "100 Continue" before the guard ran.
  server.on('checkContinue', onRequest);
  return server;
}

/** Answers with an S3 error document and closes the connection (its body is never read). */
function refuseRequest(request: IncomingMessage, response: ServerResponse, refusal: S3Refusal): void {
  request.resume();
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const body = request.method === 'HEAD' ? '' : toErrorXml(refusal, request.url ?? '');
  response.writeHead(refusal.status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), connection: 'close' });
  response.end(body);
}

function toErrorXml(refusal: S3Refusal, resource: string): string {
  const escape = (text: string): string =>
    text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`).replace(/[^\t\n\r\u0020-\uFFFD]/gu, '');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${refusal.code}</Code><Message>${escape(refusal.message)}</Message><Resource>${escape(resource.split('?', 1)[0]!)}</Resource></Error>`
  );
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * An S3 client for the local API, signing with the local credentials: path-style addressing
 * (no virtual hosts on 127.0.0.1) and checksums only when an operation requires them, because
 * s3rver does not understand the SDK's default flexible checksums.
 */
export function createLocalS3Client(endpoint: string, overrides: Partial<S3ClientConfig> = {}): S3Client {
  return new S3Client({
    endpoint,
    region: LOCAL_S3_REGION,
    credentials: LOCAL_S3_CREDENTIALS,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...overrides,
  });
}
