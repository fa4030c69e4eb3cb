/** Runs every benchmark in order, writes the results and the chart, prints the table. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { BenchResults } from './bench-results.js';
import { measureBundle, type BundleMeasurement } from './bundle-cost.js';
import { renderChart } from './chart.js';
import { measurePipelineLatency, type LatencyMeasurement } from './pipeline-latency.js';
import { measureRebuild, type RebuildMeasurement } from './rebuild-memory.js';
import { measureInMemory, measureOnS3rver, type PublishMeasurement } from './request-counts.js';
import { formatTable } from './format-table.js';
import { measureWindowRender, type WindowRenderMeasurement } from './window-render.js';

const RESULTS_DIR = fileURLToPath(new URL('./results', import.meta.url));

/**
 * Old-space limit of the rebuild's child process. Without a limit V8 grows its heap lazily up
 * to a share of the machine's memory, so peak RSS would measure the machine, not the need;
 * a rebuild that completes under the cap needs at most that much heap.
 */
const REBUILD_HEAP_MIB = 256;

/** Options of {@link runBenchmarks}. */
export interface RunOptions {
  /** Archive sizes of the request measurement; up to 10,000 on s3rver, above in memory. */
  readonly sizes: readonly number[];
  /** Archive sizes of the local pipeline latency measurement. */
  readonly latencySizes: readonly number[];
  readonly log: (line: string) => void;
}

/** Runs the benchmarks, writes results.json and publish-scaling.svg, and prints the table. */
export async function runBenchmarks(options: RunOptions): Promise<BenchResults> {
  const { log } = options;
  const publishes: PublishMeasurement[] = [];
  let rebuild: RebuildMeasurement | undefined;
  const rebuildSize = Math.max(...options.sizes.filter((size) => size <= 10_000));
  for (const size of options.sizes) {
    log(`one-article publish at ${size} articles`);
    if (size > 10_000) {
      publishes.push(...(await measureInMemory(size, log)));
      continue;
    }
    // The steady-state rebuild of the largest local size is the rebuild measurement itself.
    const inChild = async (endpoint: string, content: string, site: string): Promise<void> => {
      log(`  full rebuild of ${size} articles in a child process (heap capped at ${REBUILD_HEAP_MIB} MiB)`);
      rebuild = await measureRebuild(size, endpoint, content, site, REBUILD_HEAP_MIB);
    };
    const run = await measureOnS3rver(size, log, size === rebuildSize ? inChild : undefined);
    publishes.push(...run.measurements);
    await run.close();
  }
  log('window render');
  const windowRender = measureWindowRender();
  const latency: LatencyMeasurement[] = [];
  for (const size of options.latencySizes) {
    log(`publish latency through the local pipeline at ${size} articles`);
    latency.push(await measurePipelineLatency(size, 5, log));
  }
  log('bundle size and import time');
  const bundle = await measureBundle();
  const results: BenchResults = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
    publishes, ...(rebuild ? { rebuild } : {}), windowRender, latency, bundle,
    targets: checkTargets(publishes, windowRender, bundle, rebuild),
  };
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(`${RESULTS_DIR}results.json`, `${JSON.stringify(results, null, 2)}\n`);
  await rewriteReport(results);
  return results;
}

/** Writes the chart of `results` and prints their table (also used to redraw saved results). */
export async function rewriteReport(results: BenchResults): Promise<void> {
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(`${RESULTS_DIR}publish-scaling.svg`, renderScalingChart(results.publishes, results.latency));
  process.stderr.write(`${formatTable(results)}\n`);
}

/** Results saved by the last run. */
export async function readSavedResults(): Promise<BenchResults> {
  return JSON.parse(await readFile(`${RESULTS_DIR}results.json`, 'utf8')) as BenchResults;
}

function checkTargets(publishes: readonly PublishMeasurement[], window: WindowRenderMeasurement, bundle: readonly BundleMeasurement[], rebuild?: RebuildMeasurement): BenchResults['targets'] {
  const incremental = publishes.filter((p) => p.path === 'incremental');
  const counts = incremental.map((p) => p.totalRequests);
  const lists = incremental.reduce((sum, p) => sum + (p.requests.ListObjectsV2 ?? 0), 0);
  const deployed = bundle.find((b) => b.variant === 'sdk-external') ?? bundle[0];
  const targets: Record<string, { target: string; measured: string; met: boolean }> = {
    requestsFlat: { target: 'requests at the largest size = at the smallest', measured: counts.join(' / '), met: new Set(counts).size === 1 },
    requestsAtMost6: { target: '<= 6 requests, no LIST', measured: `${Math.max(...counts)} requests, ${lists} LIST`, met: Math.max(...counts) <= 6 && lists === 0 },
    windowRender: { target: '<= 1.5x the floor', measured: `${window.ratio}x`, met: window.ratio <= 1.5 },
  };
  if (deployed) {
    targets.bundleGzip = { target: '<= 150 KB gzip', measured: `${(deployed.gzipBytes / 1000).toFixed(1)} KB`, met: deployed.gzipBytes <= 150_000 };
    targets.importTime = { target: '<= 2.1x an empty module', measured: `${deployed.importRatio}x`, met: deployed.importRatio <= 2.1 };
  }
  if (rebuild) targets.rebuildMemory = { target: '<= 400 MiB peak', measured: `${rebuild.peakRssMiB} MiB`, met: rebuild.peakRssMiB <= 400 };
  return targets;
}

/** The chart of requests and time per publish against archive size, from measured results. */
export function renderScalingChart(publishes: readonly PublishMeasurement[], latency: readonly LatencyMeasurement[]): string {
  const pointsOf = (path: PublishMeasurement['path'], pick: (p: PublishMeasurement) => number, skipEstimated = false) =>
    publishes
      .filter((p) => p.path === path && !(skipEstimated && p.estimated))
      .map((p) => ({ x: p.articles, y: pick(p), ...(p.estimated ? { estimated: true } : {}) }));
  return renderChart(
    [
      {
        title: 'S3 requests per one-article publish',
        yLabel: 'requests',
        series: [
          { name: 'full path', color: '#c0392b', points: pointsOf('full', (p) => p.totalRequests) },
          { name: 'incremental', color: '#2471a3', points: pointsOf('incremental', (p) => p.totalRequests) },
        ],
      },
      {
        title: 'Time per one-article publish',
        yLabel: 'milliseconds',
        series: [
          { name: 'full path', color: '#c0392b', points: pointsOf('full', (p) => p.milliseconds, true) },
          { name: 'incremental', color: '#2471a3', points: pointsOf('incremental', (p) => p.milliseconds) },
          { name: 'local pipeline', color: '#27ae60', dashed: true, points: latency.map((l) => ({ x: l.articles, y: l.medianMs })) },
        ],
      },
    ],
    'Hollow points: estimated (full path at 100,000 from its request formula). 100,000 runs on a counting in-memory S3; smaller sizes on s3rver.',
  );
}
