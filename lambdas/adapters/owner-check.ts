/**
 * The `ExpectedBucketOwner` parameter for S3 calls, or nothing when no owner is known (the
 * local preview). With it, S3 answers 403 instead of reading from or writing to a bucket of
 * the same name that another account owns (after a deleted bucket's name was taken, or a
 * mistyped name): https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html
 */
export function ownerCheck(expectedBucketOwner: string | undefined): { readonly ExpectedBucketOwner?: string } {
  return expectedBucketOwner === undefined ? {} : { ExpectedBucketOwner: expectedBucketOwner };
}
