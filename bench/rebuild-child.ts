/**
 * Child process of the rebuild benchmark: rebuilds a site bucket from a content bucket on a
 * local S3 API and prints one JSON line with the time and the process's peak memory (maximum
 * resident set size), so the figure covers the whole process and nothing else.
 *
 *   node --import tsx bench/rebuild-child.ts <endpoint> <content-bucket> <site-bucket>
 */
import { createLocalS3Client } from '../local/s3-server.js';
import { rebuildSite } from '../scripts/rebuild.js';

const [endpoint, contentBucket, siteBucket] = process.argv.slice(2);
if (!endpoint || !contentBucket || !siteBucket) throw new Error('usage: rebuild-child <endpoint> <content-bucket> <site-bucket>');
const s3 = createLocalS3Client(endpoint);
const started = performance.now();
const result = await rebuildSite({ s3, contentBucket, siteBucket });
const milliseconds = Math.round(performance.now() - started);
s3.destroy();
process.stdout.write(
  `${JSON.stringify({ milliseconds, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024), published: result.published, written: result.written.length })}\n`,
);
