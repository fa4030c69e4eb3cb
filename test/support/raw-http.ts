import { readdir } from 'node:fs/promises';
import { request } from 'node:http';
import { join, relative } from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import { LOCAL_S3_CREDENTIALS, LOCAL_S3_REGION } from '../../local/s3-server.js';
import { NodeSha256 } from '../../local/verify-sigv4.js';

/** One HTTP exchange with exactly the given request line, headers and body. */
export interface RawRequest {
  readonly method: string;
  /** Request target as sent, not normalised or re-encoded. */
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

/** Status, headers and body of a {@link RawRequest}'s answer. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** Sends a request as a browser or a hand-written client would, with no SDK in between. */
export function sendRaw(endpoint: string, raw: RawRequest): Promise<RawResponse> {
  const { hostname, port } = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const outgoing = request({ hostname, port, method: raw.method, path: raw.path, headers: raw.headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(raw.body);
  });
}

/** A browser's form upload: `multipart/form-data` with the given fields and one file. */
export function formUpload(fields: Record<string, string>, file: string): { headers: Record<string, string>; body: string } {
  const boundary = '----form-boundary-7MA4YWxkTrZu0gW';
  const parts = Object.entries(fields).map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  const body = `${parts.join('')}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.txt"\r\nContent-Type: text/plain\r\n\r\n${file}\r\n--${boundary}--\r\n`;
  return { headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(Buffer.byteLength(body)) }, body };
}

/** A presigned path (with query) for the local API, signed as the SDK's presigner does. */
export async function presignPath(
  endpoint: string,
  method: string,
  path: string,
  options: { expiresIn?: number; signingDate?: Date; secretAccessKey?: string } = {},
): Promise<string> {
  const { host } = new URL(endpoint);
  const signer = new SignatureV4({
    credentials: { ...LOCAL_S3_CREDENTIALS, secretAccessKey: options.secretAccessKey ?? LOCAL_S3_CREDENTIALS.secretAccessKey },
    region: LOCAL_S3_REGION,
    service: 's3',
    sha256: NodeSha256,
    uriEscapePath: false,
  });
  const signed = await signer.presign(
    { method, protocol: 'http:', hostname: host, path, query: {}, headers: { host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
    { expiresIn: options.expiresIn ?? 300, signingDate: options.signingDate ?? new Date(), unhoistableHeaders: new Set(['x-amz-content-sha256']), unsignableHeaders: new Set(['x-amz-content-sha256']) },
  );
  const query = Object.entries(signed.query ?? {}).map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  return `${path}?${query.join('&')}`;
}

/** Every file and folder under `root`, as paths relative to it. */
export async function listTree(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true });
  return entries.map((entry) => relative(root, join(root, entry))).sort();
}
