import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/**
 * The checks made on every request to the local S3 API before the signature is verified and
 * before s3rver sees it: where the request comes from (a browser page must not reach it), how
 * its body is framed, and whether its names could leave the data folder.
 */

/** Why a request was refused, as an S3 error document says it. */
export interface S3Refusal {
  readonly status: number;
  /** S3 error code, e.g. `AccessDenied`. */
  readonly code: string;
  readonly message: string;
}

/** Largest request body the local API accepts; larger files go up as multipart uploads. */
export const MAX_REQUEST_BODY_BYTES = 64 * 1024 * 1024;

/** Longest key S3 accepts, in UTF-8 bytes. */
const MAX_KEY_BYTES = 1024;

const ALLOWED_METHODS = new Set(['GET', 'HEAD', 'PUT', 'POST', 'DELETE']);

/** Content types a browser may send cross-site without a preflight: an HTML form's. */
const FORM_CONTENT_TYPES = new Set(['multipart/form-data', 'application/x-www-form-urlencoded', 'text/plain']);

/** S3's bucket naming rules (lower case, 3 to 63 characters, no leading or trailing dot or dash). */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;


/** Upload ids are s3rver's own (hex); part numbers S3's (1 to 10,000). */
const UPLOAD_ID = /^[0-9a-f]{1,64}$/;
const PART_NUMBER = /^[1-9][0-9]{0,4}$/;

function refuse(status: number, code: string, message: string): S3Refusal {
  return { status, code, message };
}

/**
 * Checks a request's origin, method, host, body framing and names.
 * @param allowedHosts host names (no port) the API answers to: loopback names, so a page whose
 *   name was rebound to 127.0.0.1 is refused.
 * @returns the refusal, or `undefined` when the request may go on to signature verification.
 */
export function checkS3Request(request: IncomingMessage, allowedHosts: ReadonlySet<string>): S3Refusal | undefined {
  return (
    checkBrowser(request) ??
    checkHost(request.headers, allowedHosts) ??
    checkBodyFraming(request) ??
    checkNames(request.url ?? '', request.headers)
  );
}

/** Refuses what only a browser sends: an Origin, a cross-site fetch, an HTML form's POST. */
function checkBrowser(request: IncomingMessage): S3Refusal | undefined {
  const { headers } = request;
  if (headers.origin !== undefined) return refuse(403, 'AccessDenied', 'Requests from web pages (Origin header) are refused.');
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'none' && site !== 'same-origin') {
    return refuse(403, 'AccessDenied', `Cross-site requests (Sec-Fetch-Site: ${site}) are refused.`);
  }
  if (!ALLOWED_METHODS.has(request.method ?? '')) return refuse(405, 'MethodNotAllowed', `Method ${request.method} is not allowed.`);
  if (request.method === 'POST' && isFormPost(request)) return refuse(403, 'AccessDenied', 'Form uploads are refused.');
  return undefined;
}

/**
 * A POST with a form's content type. CreateMultipartUpload (`?uploads`) is the exception for
 * `text/plain` only: there the header is the new object's type, as the AWS CLI sends it for a
 * large `.txt` file, and a form could not carry the signature anyway.
 */
function isFormPost(request: IncomingMessage): boolean {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!FORM_CONTENT_TYPES.has(type)) return false;
  return !(type === 'text/plain' && new URLSearchParams(queryOf(request.url ?? '')).has('uploads'));
}

function checkHost(headers: IncomingHttpHeaders, allowedHosts: ReadonlySet<string>): S3Refusal | undefined {
  const host = (headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  return allowedHosts.has(host) ? undefined : refuse(403, 'AccessDenied', `Host ${headers.host ?? '(none)'} is not this API.`);
}

/** Bodies need a length within the limit, like S3's PUT; chunked framing is refused. */
function checkBodyFraming(request: IncomingMessage): S3Refusal | undefined {
  if (request.headers['transfer-encoding'] !== undefined) return refuse(411, 'MissingContentLength', 'Send a Content-Length, not chunked encoding.');
  const length = Number(request.headers['content-length'] ?? 0);
  if (length > MAX_REQUEST_BODY_BYTES) {
    return refuse(400, 'EntityTooLarge', `Request bodies are limited to ${MAX_REQUEST_BODY_BYTES} bytes; use a multipart upload.`);
  }
  return undefined;
}

/** The request's path, copy source and upload parameters must name objects inside their bucket. */
function checkNames(url: string, headers: IncomingHttpHeaders): S3Refusal | undefined {
  if (!url.startsWith('/')) return refuse(400, 'InvalidURI', 'The request target must be a path.');
  const path = url.split('?', 1)[0]!;
  const query = new URLSearchParams(queryOf(url));
  const uploadId = query.get('uploadId');
  const partNumber = query.get('partNumber');
  if (uploadId !== null && !UPLOAD_ID.test(uploadId)) return refuse(400, 'NoSuchUpload', 'The upload id is not valid.');
  if (partNumber !== null && !PART_NUMBER.test(partNumber)) return refuse(400, 'InvalidArgument', 'The part number is not valid.');
  // s3rver reads x-amz-* query parameters as headers, so a copy source may come either way.
  const copySources = [headers['x-amz-copy-source'], ...[...query].filter(([name]) => name.toLowerCase() === 'x-amz-copy-source').map(([, value]) => value)];
  for (const source of copySources) {
    if (source === undefined) continue;
    const refusal = checkPath(`/${(source as string).split('?', 1)[0]!.replace(/^\//, '')}`);
    if (refusal) return refusal;
  }
  return path === '/' ? undefined : checkPath(path);
}

/** `/<bucket>`, `/<bucket>/` or `/<bucket>/<key>` with an S3 bucket name and a safe key. */
function checkPath(path: string): S3Refusal | undefined {
  const [bucket = '', ...rest] = path.slice(1).split('/');
  const rawKey = rest.join('/');
  if (!BUCKET_NAME.test(bucket)) return refuse(400, 'InvalidBucketName', `Bucket name not valid: ${bucket}`);
  return rawKey === '' ? undefined : checkKey(rawKey);
}

/**
 * Decodes the key once, as s3rver does, then refuses what a file system would read as a path
 * step: `.` and `..` segments, empty segments, backslashes, NUL and other controls. Checking the
 * decoded key also catches their percent-encoded forms (`%2e%2e`, `%2f`, `%5c`, `%00`).
 */
function checkKey(rawKey: string): S3Refusal | undefined {
  let key: string;
  try {
    key = decodeURIComponent(rawKey);
  } catch {
    return refuse(400, 'InvalidURI', 'The key is not valid percent-encoding.');
  }
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) return refuse(400, 'KeyTooLongError', `Keys are limited to ${MAX_KEY_BYTES} bytes.`);
  if (hasUnsafeCharacter(key)) return refuse(400, 'InvalidArgument', 'Keys may not hold backslashes or control characters.');
  const segments = key.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    return refuse(400, 'InvalidArgument', 'Keys may not hold empty, "." or ".." segments.');
  }
  return undefined;
}

/** Controls (NUL included), DEL, and the backslash, a path separator on Windows. */
function hasUnsafeCharacter(key: string): boolean {
  for (let index = 0; index < key.length; index += 1) {
    const code = key.charCodeAt(index);
    if (code < 0x20 || code === 0x7f || code === 0x5c) return true;
  }
  return false;
}

function queryOf(url: string): string {
  const start = url.indexOf('?');
  return start === -1 ? '' : url.slice(start + 1);
}
