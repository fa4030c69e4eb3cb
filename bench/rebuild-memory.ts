/**
 * Full rebuild of an archive: time and peak memory, measured in a child process so that the
 * benchmark's own state (other sizes, servers, caches) does not count.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** What one rebuild cost. */
export interface RebuildMeasurement {
  readonly articles: number;
  /** `--max-old-space-size` of the child, if any. */
  readonly heapLimitMiB?: number;
  readonly milliseconds: number;
  readonly peakRssMiB: number;
  readonly written: number;
}

const CHILD = fileURLToPath(new URL('./rebuild-child.ts', import.meta.url));

/** Rebuilds `siteBucket` from `contentBucket` at `endpoint` in a fresh Node process, its old space capped at `heapLimitMiB`. */
export async function measureRebuild(articles: number, endpoint: string, contentBucket: string, siteBucket: string, heapLimitMiB?: number): Promise<RebuildMeasurement> {
  const heap = heapLimitMiB === undefined ? [] : [`--max-old-space-size=${heapLimitMiB}`];
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...heap, '--openssl-legacy-provider', '--import', 'tsx', CHILD, endpoint, contentBucket, siteBucket],
    { env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' }, maxBuffer: 1 << 20 },
  );
  const line = stdout.trim().split('\n').pop() ?? '{}';
  const result = JSON.parse(line) as { milliseconds: number; peakRssMiB: number; written: number; published: number };
  if (result.published < articles) throw new Error(`rebuild published ${result.published} of ${articles} articles`);
  return { articles: result.published, ...(heapLimitMiB === undefined ? {} : { heapLimitMiB }), milliseconds: result.milliseconds, peakRssMiB: result.peakRssMiB, written: result.written };
}
