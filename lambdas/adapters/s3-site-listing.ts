import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { SiteObject } from '../core/ports.js';
import { ownerCheck } from './owner-check.js';

/**
 * Every object of the site bucket with its last-modified time, page by page. Used only to
 * repair after a failed publish attempt, never on the normal path.
 */
export async function listSiteObjects(s3: S3Client, bucket: string, expectedBucketOwner?: string): Promise<SiteObject[]> {
  const objects: SiteObject[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ...ownerCheck(expectedBucketOwner), ...(token ? { ContinuationToken: token } : {}) }));
    for (const object of page.Contents ?? []) {
      if (object.Key !== undefined && object.LastModified !== undefined) objects.push({ key: object.Key, lastModified: object.LastModified });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return objects;
}
