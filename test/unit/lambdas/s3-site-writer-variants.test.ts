import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { DeleteObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ENCODINGS_METADATA_KEY, HASH_METADATA_KEY, S3SiteWriter } from '../../../lambdas/adapters/s3-site-writer.js';
import { hashDocument } from '../../../lambdas/core/catalog/catalog.js';
import { CACHE_CONTROL_FEED, FEED_FORMATS, toOutputDocument, type OutputDocument } from '../../../lambdas/core/plan/outputs.js';
import { stubSiteBucket } from './s3-stubs.js';

const s3Mock = mockClient(S3Client);
const BUCKET = 'feed-site';
const ATOM = `<feed xmlns="http://www.w3.org/2005/Atom">${'<entry><title>Story</title></entry>'.repeat(50)}</feed>`;

function atomDocument(body = ATOM): OutputDocument {
  return toOutputDocument('tags/go/atom.xml', body, 'subscription-feed', 'tag:en:go');
}

function putKeys(): string[] {
  return s3Mock.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key as string);
}

function writer(): S3SiteWriter {
  return new S3SiteWriter({ s3: new S3Client({}), bucket: BUCKET });
}

describe('S3SiteWriter precompressed variants', () => {
  beforeEach(() => {
    s3Mock.reset();
  });

  it('writes the Brotli and gzip variants before the document itself', async () => {
    // Prepare
    stubSiteBucket(s3Mock, BUCKET);

    // Act
    await writer().write([atomDocument()]);

    // Assess
    expect(putKeys()).toEqual(['tags/go/atom.xml.br', 'tags/go/atom.xml.gz', 'tags/go/atom.xml']);
  });

  it('stores each variant with the document headers plus Content-Encoding, decoding to the document', async () => {
    // Prepare
    const store = stubSiteBucket(s3Mock, BUCKET);

    // Act
    await writer().write([atomDocument()]);

    // Assess
    const br = store.get('tags/go/atom.xml.br');
    const gz = store.get('tags/go/atom.xml.gz');
    expect(brotliDecompressSync(br?.Body as Uint8Array).toString('utf8')).toBe(ATOM);
    expect(gunzipSync(gz?.Body as Uint8Array).toString('utf8')).toBe(ATOM);
    expect(s3Mock).toReceiveCommandWith(PutObjectCommand, { Key: 'tags/go/atom.xml.br', ContentType: FEED_FORMATS.atom.contentType, CacheControl: CACHE_CONTROL_FEED, ContentEncoding: 'br' });
    expect(s3Mock).toReceiveCommandWith(PutObjectCommand, { Key: 'tags/go/atom.xml.gz', ContentType: FEED_FORMATS.atom.contentType, CacheControl: CACHE_CONTROL_FEED, ContentEncoding: 'gzip' });
  });

  it('records the variants on the document, next to its hash', async () => {
    // Prepare
    const store = stubSiteBucket(s3Mock, BUCKET);

    // Act
    await writer().write([atomDocument()]);

    // Assess
    expect(store.get('tags/go/atom.xml')?.Metadata).toEqual({ [HASH_METADATA_KEY]: hashDocument(atomDocument()), [ENCODINGS_METADATA_KEY]: 'br,gzip' });
  });

  it('compresses the same document to the same bytes every time', async () => {
    // Prepare
    const first = stubSiteBucket(s3Mock, BUCKET);
    await writer().write([atomDocument()]);
    const firstBodies = [first.get('tags/go/atom.xml.br')?.Body, first.get('tags/go/atom.xml.gz')?.Body];
    s3Mock.reset();
    const second = stubSiteBucket(s3Mock, BUCKET);

    // Act
    await writer().write([atomDocument()]);

    // Assess
    expect([second.get('tags/go/atom.xml.br')?.Body, second.get('tags/go/atom.xml.gz')?.Body]).toEqual(firstBodies);
  });

  it('writes no variant of an unchanged document', async () => {
    // Prepare
    stubSiteBucket(s3Mock, BUCKET);
    await writer().write([atomDocument()]);
    s3Mock.resetHistory();

    // Act
    const written = await writer().write([atomDocument()]);

    // Assess
    expect(written).toEqual([]);
    expect(s3Mock).not.toReceiveCommand(PutObjectCommand);
  });

  it('writes the variants of an unchanged document stored without them', async () => {
    // Prepare
    const document = atomDocument();
    stubSiteBucket(s3Mock, BUCKET, new Map([[document.key, { Body: ATOM, Metadata: { [HASH_METADATA_KEY]: hashDocument(document) } }]]));

    // Act
    const written = await writer().write([document]);

    // Assess
    expect(written).toEqual([document.key]);
    expect(putKeys()).toEqual(['tags/go/atom.xml.br', 'tags/go/atom.xml.gz', 'tags/go/atom.xml']);
  });

  it.each(['rss.xml', 'index.html', 'articles/hello/index.html', 'assets/site.css'])('writes %s alone, for CloudFront compresses it itself', async (key) => {
    // Prepare
    const store = stubSiteBucket(s3Mock, BUCKET);

    // Act
    await writer().write([toOutputDocument(key, '<p>text</p>', 'asset')]);

    // Assess
    expect(putKeys()).toEqual([key]);
    expect(store.get(key)?.Metadata).toEqual({ [HASH_METADATA_KEY]: expect.any(String) });
  });

  it('removes the variants before the document', async () => {
    // Prepare
    const store = stubSiteBucket(s3Mock, BUCKET);
    await writer().write([atomDocument()]);

    // Act
    const refused = await writer().remove(['tags/go/atom.xml']);

    // Assess
    expect(refused).toEqual([]);
    expect(s3Mock.commandCalls(DeleteObjectCommand).map((call) => call.args[0].input.Key)).toEqual(['tags/go/atom.xml.br', 'tags/go/atom.xml.gz', 'tags/go/atom.xml']);
    expect([...store.keys()]).toEqual([]);
  });

  it('keeps the document, and reports it refused, when a variant cannot be deleted', async () => {
    // Prepare
    const store = stubSiteBucket(s3Mock, BUCKET);
    await writer().write([atomDocument()]);
    const forbidden = new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 } });
    s3Mock.on(DeleteObjectCommand, { Key: 'tags/go/atom.xml.gz' }).rejects(forbidden);

    // Act
    const refused = await writer().remove(['tags/go/atom.xml']);

    // Assess
    expect(refused).toEqual(['tags/go/atom.xml']);
    expect(store.has('tags/go/atom.xml')).toBe(true);
  });

  it('deletes only the document itself for a type without variants', async () => {
    // Prepare
    stubSiteBucket(s3Mock, BUCKET);

    // Act
    await writer().remove(['articles/hello/index.html']);

    // Assess
    expect(s3Mock.commandCalls(DeleteObjectCommand).map((call) => call.args[0].input.Key)).toEqual(['articles/hello/index.html']);
  });
});
