/**
 * `npm run bench`: side-by-side measurements of the publisher (never timed tests).
 *
 *   npm run bench [-- --json] [--sizes 100,10000,100000] [--latency-sizes 100,10000] [--quick]
 *   npm run bench -- --redraw   (table and chart again from bench/results/results.json)
 *
 * Prints a table, writes bench/results/results.json and bench/results/publish-scaling.svg,
 * and with `--json` prints the results as one JSON object on the last line.
 */
import { parseArgs } from 'node:util';

// Quiet the handler's logs and metrics before any of its modules load.
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    redraw: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    'latency-sizes': { type: 'string' },
  },
});
const quick = values.quick ?? false;
const sizes = (values.sizes ?? (quick ? '100,1000' : '100,10000,100000')).split(',').map(Number);
const latencySizes = (values['latency-sizes'] ?? (quick ? '100' : '100,10000')).split(',').map(Number);
const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const { readSavedResults, rewriteReport, runBenchmarks } = await import('./run-benchmarks.js');
let results;
if (values.redraw) {
  results = await readSavedResults();
  await rewriteReport(results);
} else {
  results = await runBenchmarks({ sizes, latencySizes, log });
}
if (values.json) process.stdout.write(`${JSON.stringify(results)}\n`);
