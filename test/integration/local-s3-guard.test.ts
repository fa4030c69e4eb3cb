import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalS3Client, startS3Server, type RunningS3Server } from '../../local/s3-server.js';
import { formUpload, listTree, presignPath, sendRaw } from '../support/raw-http.js';

/** Keys that would leave the bucket's folder if s3rver joined them into a path, as sent on the wire. */
const TRAVERSAL_PATHS = [
  '/content/../../outside.txt',
  '/content/articles/../../../outside.txt',
  '/content/%2e%2e/%2E%2E/outside.txt',
  '/content/articles%2F..%2F..%2F..%2Foutside.txt',
  '/content/..%5C..%5Coutside.txt',
  '/content/a\\..\\..\\outside.txt',
  '/content/a%00.md',
  '/content/a%0A.md',
  '/content/articles//a.md',
  '/content/./a.md',
  '/../outside/a.md',
];

describe('local S3 API guard', () => {
  let root: string;
  let server: RunningS3Server;
  let before: string[];

  /** Entries under the data folder's parent that are not inside the data folder. */
  async function outsideDataFolder(): Promise<string[]> {
    return (await listTree(root)).filter((entry) => entry !== 'data' && !entry.startsWith('data/'));
  }

  async function exists(Key: string): Promise<boolean> {
    return server.client.send(new HeadObjectCommand({ Bucket: 'content', Key })).then(
      () => true,
      () => false,
    );
  }

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'local-s3-guard-'));
    await mkdir(join(root, 'data'));
    server = await startS3Server({ directory: join(root, 'data'), buckets: ['content', 'site'] });
    before = await outsideDataFolder();
  });

  afterAll(async () => {
    await server.close();
    await rm(root, { recursive: true, force: true });
  });

  it('refuses the cross-site form upload with a traversing key and writes nothing', async () => {
    // Prepare: what a web page's <form enctype="multipart/form-data"> sends to 127.0.0.1:<port>/content.
    const attacks = ['../../outside.txt', `../../../../../../..${root}/outside.txt`, '../../../../home/user/.bashrc.d/x'];
    const browser = { origin: 'https://attacker.example', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' };

    // Act
    const statuses = [];
    for (const key of attacks) {
      const form = formUpload({ key }, 'pwned');
      statuses.push((await sendRaw(server.endpoint, { method: 'POST', path: '/content', headers: { ...browser, ...form.headers }, body: form.body })).status);
      statuses.push((await sendRaw(server.endpoint, { method: 'POST', path: '/content', headers: form.headers, body: form.body })).status);
    }

    // Assess
    expect(statuses).toEqual(Array(6).fill(403));
    expect(await outsideDataFolder()).toEqual(before);
  });

  it('refuses an unsigned PUT with an S3 error document', async () => {
    // Act
    const response = await sendRaw(server.endpoint, { method: 'PUT', path: '/content/articles/unsigned.md', body: 'x' });

    // Assess
    expect(response.status).toBe(403);
    expect(response.body).toContain('<Code>AccessDenied</Code>');
    expect(await exists('articles/unsigned.md')).toBe(false);
  });

  it('refuses a request signed with another secret key', async () => {
    // Prepare
    const forger = createLocalS3Client(server.endpoint, { credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'guessed' }, maxAttempts: 1 });

    // Act
    const error = await forger.send(new PutObjectCommand({ Bucket: 'content', Key: 'articles/forged.md', Body: 'x' })).catch((caught: unknown) => caught);
    forger.destroy();

    // Assess
    expect(error).toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
    expect(await exists('articles/forged.md')).toBe(false);
  });

  it('refuses a request signed 20 minutes ago, as S3 does beyond 15', async () => {
    // Prepare
    const replayer = createLocalS3Client(server.endpoint, { systemClockOffset: -20 * 60_000, maxAttempts: 1 });

    // Act
    const error = await replayer.send(new PutObjectCommand({ Bucket: 'content', Key: 'articles/late.md', Body: 'x' })).catch((caught: unknown) => caught);
    replayer.destroy();

    // Assess
    expect(error).toMatchObject({ name: 'RequestTimeTooSkewed', $metadata: { httpStatusCode: 403 } });
  });

  it('refuses a presigned URL whose path was changed after signing', async () => {
    // Prepare
    await server.client.send(new PutObjectCommand({ Bucket: 'content', Key: 'articles/a.md', Body: 'a' }));
    const signed = await presignPath(server.endpoint, 'GET', '/content/articles/a.md');

    // Act
    const valid = await sendRaw(server.endpoint, { method: 'GET', path: signed });
    const changed = await sendRaw(server.endpoint, { method: 'GET', path: signed.replace('/a.md', '/b.md') });

    // Assess
    expect([valid.status, changed.status]).toEqual([200, 403]);
  });

  it('refuses an expired presigned URL', async () => {
    // Prepare
    const signed = await presignPath(server.endpoint, 'GET', '/content/articles/a.md', { expiresIn: 60, signingDate: new Date(Date.now() - 120_000) });

    // Act
    const response = await sendRaw(server.endpoint, { method: 'GET', path: signed });

    // Assess
    expect(response.status).toBe(403);
  });

  it.each([
    ['an Origin header', { origin: 'https://attacker.example' }],
    ['a cross-site fetch', { 'sec-fetch-site': 'cross-site' }],
    ['a same-site fetch', { 'sec-fetch-site': 'same-site' }],
    ['a host name rebound to loopback', { host: 'attacker.example' }],
  ])('refuses a validly signed PUT carrying %s', async (_, headers) => {
    // Prepare
    const signed = await presignPath(server.endpoint, 'PUT', '/content/articles/browser.md');

    // Act
    const response = await sendRaw(server.endpoint, { method: 'PUT', path: signed, headers, body: 'x' });

    // Assess
    expect(response.status).toBe(403);
    expect(await exists('articles/browser.md')).toBe(false);
  });

  it('accepts the same presigned PUT from a non-browser client', async () => {
    // Prepare
    const signed = await presignPath(server.endpoint, 'PUT', '/content/articles/presigned.md');

    // Act
    const response = await sendRaw(server.endpoint, { method: 'PUT', path: signed, headers: { 'sec-fetch-site': 'none' }, body: 'x' });

    // Assess
    expect(response.status).toBe(200);
    expect(await exists('articles/presigned.md')).toBe(true);
  });

  it.each(TRAVERSAL_PATHS)('refuses the key in %s with 400 before s3rver sees it', async (path) => {
    // Prepare
    const signed = await presignPath(server.endpoint, 'PUT', path);

    // Act
    const response = await sendRaw(server.endpoint, { method: 'PUT', path: signed, body: 'pwned' });

    // Assess
    expect(response.status).toBe(400);
    expect(await outsideDataFolder()).toEqual(before);
  });

  it('refuses a copy whose source leaves the data folder', async () => {
    // Prepare
    const signed = await presignPath(server.endpoint, 'PUT', '/content/articles/copy.md');

    // Act
    const response = await sendRaw(server.endpoint, { method: 'PUT', path: signed, headers: { 'x-amz-copy-source': 'content/..%2F..%2F..%2Fetc/passwd' } });

    // Assess
    expect(response.status).toBe(400);
    expect(await exists('articles/copy.md')).toBe(false);
  });

  it('refuses an upload id that would name a folder outside the uploads', async () => {
    // Prepare
    const signed = await presignPath(server.endpoint, 'PUT', '/content/articles/part.md');

    // Act
    const response = await sendRaw(server.endpoint, { method: 'PUT', path: `${signed}&partNumber=1&uploadId=..%2F..%2F..%2Fpart`, body: 'pwned' });

    // Assess
    expect(response.status).toBe(400);
    expect(await outsideDataFolder()).toEqual(before);
  });

  it.each([
    ['chunked encoding', { 'transfer-encoding': 'chunked' }, 411],
    ['a body over 64 MiB', { 'content-length': String(64 * 1024 * 1024 + 1) }, 400],
  ])('refuses %s before reading the body', async (_, headers, status) => {
    // Prepare
    const signed = await presignPath(server.endpoint, 'PUT', '/content/articles/large.md');

    // Act
    const response = await sendRaw(server.endpoint, { method: 'PUT', path: signed, headers });

    // Assess
    expect(response.status).toBe(status);
  });
});
