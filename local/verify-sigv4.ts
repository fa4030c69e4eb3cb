import { createHash, createHmac, timingSafeEqual, type Hash as NodeHash, type Hmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, Hash, HttpRequest, QueryParameterBag, SourceData } from '@smithy/types';
import type { S3Refusal } from './s3-request-guard.js';

/**
 * AWS Signature Version 4 verification for the local S3 API: the request is signed again with
 * the AWS SDK's own signer, from the values the client says it signed, and the two signatures
 * are compared in constant time. Both the Authorization header and presigned URLs are accepted.
 */

/** How far a header-signed request's time may be from the server's, as S3 allows. */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** Longest validity of a presigned URL, as S3 allows (seven days). */
const MAX_PRESIGNED_SECONDS = 7 * 24 * 60 * 60;

const ALGORITHM = 'AWS4-HMAC-SHA256';
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** SHA-256 and HMAC-SHA256 from node:crypto, in the shape the AWS SDK's signer takes. */
export class NodeSha256 implements Hash {
  private readonly hash: NodeHash | Hmac;

  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }

  update(data: SourceData): void {
    this.hash.update(toBytes(data));
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.hash.digest());
  }
}

function toBytes(data: SourceData): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

/** What a client says it signed, from its Authorization header or presigned query. */
interface ClaimedSignature {
  readonly accessKeyId: string;
  readonly region: string;
  readonly date: Date;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  /** Seconds a presigned URL stays valid; absent for header signatures. */
  readonly expiresIn?: number;
}

/** Options of {@link createSigV4Verifier}. */
export interface SigV4VerifierOptions {
  /** The only credentials accepted. */
  readonly credentials: AwsCredentialIdentity;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** Checks one request's signature; resolves to a refusal or `undefined` when it is valid. */
export type SigV4Verifier = (request: IncomingMessage) => Promise<S3Refusal | undefined>;

/** A verifier for requests signed with the given credentials for the `s3` service. */
export function createSigV4Verifier(options: SigV4VerifierOptions): SigV4Verifier {
  const now = options.now ?? (() => new Date());
  return async (request) => {
    const parsed = parseClaim(request);
    if ('status' in parsed) return parsed;
    const refusal = checkClaim(parsed, options.credentials, now());
    if (refusal) return refusal;
    const signer = new SignatureV4({ credentials: options.credentials, region: parsed.region, service: 's3', sha256: NodeSha256, uriEscapePath: false });
    const expected = await (parsed.expiresIn === undefined ? signHeaders(signer, request, parsed) : signQuery(signer, request, parsed));
    return expected !== undefined && sameText(expected, parsed.signature)
      ? undefined
      : accessDenied('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
  };
}

function accessDenied(code: string, message: string): S3Refusal {
  return { status: 403, code, message };
}

/** The claim of an Authorization header or, failing that, of a presigned query. */
function parseClaim(request: IncomingMessage): ClaimedSignature | S3Refusal {
  const query = parseQuery(request.url ?? '');
  const authorization = request.headers.authorization;
  if (authorization !== undefined && query['X-Amz-Algorithm'] !== undefined) {
    return { status: 400, code: 'InvalidArgument', message: 'Only one auth mechanism allowed.' };
  }
  if (authorization !== undefined) return parseHeaderClaim(authorization, single(request.headers['x-amz-date']));
  if (query['X-Amz-Algorithm'] !== undefined) return parseQueryClaim(query);
  return accessDenied('AccessDenied', 'Requests must be signed (AWS Signature Version 4) with the local credentials.');
}

function parseHeaderClaim(authorization: string, amzDate: string | undefined): ClaimedSignature | S3Refusal {
  const [algorithm, ...rest] = authorization.split(' ');
  if (algorithm !== ALGORITHM) return accessDenied('AccessDenied', `Only ${ALGORITHM} signatures are accepted.`);
  const fields = new Map(
    rest.join('').split(',').map((field) => {
      const at = field.indexOf('=');
      return [field.slice(0, at).trim(), field.slice(at + 1).trim()] as const;
    }),
  );
  return toClaim(fields.get('Credential'), amzDate, fields.get('SignedHeaders'), fields.get('Signature'), undefined);
}

function parseQueryClaim(query: QueryParameterBag): ClaimedSignature | S3Refusal {
  if (query['X-Amz-Algorithm'] !== ALGORITHM) return accessDenied('AccessDenied', `Only ${ALGORITHM} signatures are accepted.`);
  const expires = single(query['X-Amz-Expires']);
  if (expires === undefined || !/^\d{1,7}$/.test(expires)) return accessDenied('AuthorizationQueryParametersError', 'X-Amz-Expires is missing or not a number.');
  return toClaim(single(query['X-Amz-Credential']), single(query['X-Amz-Date']), single(query['X-Amz-SignedHeaders']), single(query['X-Amz-Signature']), Number(expires));
}

function toClaim(
  credential: string | undefined,
  amzDate: string | undefined,
  signedHeaders: string | undefined,
  signature: string | undefined,
  expiresIn: number | undefined,
): ClaimedSignature | S3Refusal {
  const [accessKeyId, day, region, service, terminator, extra] = (credential ?? '').split('/');
  const match = AMZ_DATE.exec(amzDate ?? '');
  if (!accessKeyId || !region || service !== 's3' || terminator !== 'aws4_request' || extra !== undefined || !match || day !== amzDate!.slice(0, 8)) {
    return accessDenied('AuthorizationHeaderMalformed', 'The credential scope or the request date is missing or malformed.');
  }
  if (!signedHeaders || !signature || !/^[0-9a-f]{64}$/.test(signature)) {
    return accessDenied('AuthorizationHeaderMalformed', 'SignedHeaders or Signature is missing or malformed.');
  }
  const [, year, month, date, hour, minute, second] = match;
  const when = new Date(`${year}-${month}-${date}T${hour}:${minute}:${second}Z`);
  return { accessKeyId, region, date: when, signedHeaders: signedHeaders.split(';'), signature, ...(expiresIn === undefined ? {} : { expiresIn }) };
}

/** The right key, a time within S3's skew, an unexpired presigned URL. */
function checkClaim(claim: ClaimedSignature, credentials: AwsCredentialIdentity, now: Date): S3Refusal | undefined {
  if (!sameText(claim.accessKeyId, credentials.accessKeyId)) return accessDenied('InvalidAccessKeyId', 'The access key is not the local API\'s.');
  if (Number.isNaN(claim.date.getTime())) return accessDenied('AuthorizationHeaderMalformed', 'The request date is not a date.');
  const age = now.getTime() - claim.date.getTime();
  if (age < -MAX_CLOCK_SKEW_MS) return accessDenied('RequestTimeTooSkewed', 'The request time is too far in the future.');
  if (claim.expiresIn === undefined) {
    return age > MAX_CLOCK_SKEW_MS ? accessDenied('RequestTimeTooSkewed', 'The request time is too far in the past.') : undefined;
  }
  if (claim.expiresIn < 1 || claim.expiresIn > MAX_PRESIGNED_SECONDS) return accessDenied('AuthorizationQueryParametersError', 'X-Amz-Expires is out of range.');
  return age > claim.expiresIn * 1000 ? accessDenied('AccessDenied', 'Request has expired.') : undefined;
}

/** The signature of a header-signed request, or `undefined` when a signed header is absent. */
async function signHeaders(signer: SignatureV4, request: IncomingMessage, claim: ClaimedSignature): Promise<string | undefined> {
  const headers = pickHeaders(request, claim.signedHeaders);
  // S3 signs the payload's declared hash (or UNSIGNED-PAYLOAD), never an implied one.
  if (!headers || headers['x-amz-content-sha256'] === undefined) return undefined;
  const signed = await signer.sign(toHttpRequest(request, headers), {
    signingDate: claim.date,
    signingRegion: claim.region,
    signableHeaders: new Set(claim.signedHeaders),
  });
  return /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization))?.[1];
}

/** The signature of a presigned request: the payload is always UNSIGNED-PAYLOAD there. */
async function signQuery(signer: SignatureV4, request: IncomingMessage, claim: ClaimedSignature): Promise<string | undefined> {
  const headers = pickHeaders(request, claim.signedHeaders);
  if (!headers) return undefined;
  const signed = claim.signedHeaders.includes('x-amz-content-sha256');
  const withPayload = signed ? headers : { ...headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };
  const presigned = await signer.presign(toHttpRequest(request, withPayload), {
    signingDate: claim.date,
    signingRegion: claim.region,
    expiresIn: claim.expiresIn,
    signableHeaders: new Set(claim.signedHeaders),
    // Signed headers stay headers (the signer would move x-amz-* ones into the query).
    unhoistableHeaders: new Set([...claim.signedHeaders, 'x-amz-content-sha256']),
    unsignableHeaders: new Set(signed ? [] : ['x-amz-content-sha256']),
  });
  return single(presigned.query?.['X-Amz-Signature']);
}

/** The signed headers as received, or `undefined` when one is missing or `host` is not signed. */
function pickHeaders(request: IncomingMessage, names: readonly string[]): Record<string, string> | undefined {
  if (!names.includes('host')) return undefined;
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = request.headers[name];
    if (value === undefined) return undefined;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

/** The request as the signer sees it: the path exactly as sent (S3 signs it encoded once). */
function toHttpRequest(request: IncomingMessage, headers: Record<string, string>): HttpRequest {
  const url = request.url ?? '/';
  const query = parseQuery(url);
  delete query['X-Amz-Signature'];
  return { method: request.method ?? 'GET', protocol: 'http:', hostname: headers.host ?? '', path: url.split('?', 1)[0]!, query, headers };
}

/** The query's names and values decoded once; `+` stays a plus, as S3 reads it. */
function parseQuery(url: string): Record<string, string | string[]> {
  const start = url.indexOf('?');
  const query: Record<string, string | string[]> = {};
  if (start === -1) return query;
  for (const pair of url.slice(start + 1).split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const name = safeDecode(at === -1 ? pair : pair.slice(0, at));
    const value = safeDecode(at === -1 ? '' : pair.slice(at + 1));
    const previous = query[name];
    query[name] = previous === undefined ? value : [...[previous].flat(), value];
  }
  return query;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function single(value: string | string[] | null | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
