/**
 * The Lambda bundle: size (raw and gzip) as deployed, and the whole-process time of
 * `node <import the bundle>` against `node <import an empty module>` (median of several runs).
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { bundlePublishFeeds, PUBLISH_FEEDS_BUILD_OPTIONS } from '../scripts/bundle.js';

/** Bundle size and import time of one build variant. */
export interface BundleMeasurement {
  /** `sdk-external` (deployed: the runtime's AWS SDK) or `sdk-bundled`. */
  readonly variant: string;
  readonly rawBytes: number;
  readonly gzipBytes: number;
  readonly importMs: number;
  readonly emptyModuleMs: number;
  readonly importRatio: number;
}

/** Inside the repository, so the external `@aws-sdk/*` resolves as the runtime's would. */
const OUT_DIR = fileURLToPath(new URL('../dist/bench-bundle/', import.meta.url));

async function processMs(moduleUrl: string, runs: number): Promise<number> {
  const times: number[] = [];
  const env = { ...process.env, CONTENT_BUCKET: 'content', SITE_BUCKET: 'site', AWS_REGION: 'us-east-1', NODE_OPTIONS: '' };
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await promisify(execFile)(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(moduleUrl)});`], { env });
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

/**
 * Builds the bundle like the deployment (AWS SDK external) and with the SDK bundled in, and
 * times whole-process imports of each and of an empty module.
 */
export async function measureBundle(runs = 9): Promise<BundleMeasurement[]> {
  await mkdir(OUT_DIR, { recursive: true });
  const empty = join(OUT_DIR, 'empty.mjs');
  await writeFile(empty, 'export {};\n');
  const emptyModuleMs = await processMs(pathToFileURL(empty).href, runs);
  const deployed = await bundlePublishFeeds(join(OUT_DIR, 'sdk-external'));
  const bundledFile = join(OUT_DIR, 'sdk-bundled', 'index.mjs');
  await build({ ...PUBLISH_FEEDS_BUILD_OPTIONS, external: [], outfile: bundledFile });
  const bundledCode = await readFile(bundledFile);
  const variants = [
    { variant: 'sdk-external', outfile: deployed.outfile, rawBytes: deployed.rawBytes, gzipBytes: deployed.gzipBytes },
    { variant: 'sdk-bundled', outfile: bundledFile, rawBytes: bundledCode.length, gzipBytes: gzipSync(bundledCode, { level: 9 }).length },
  ];
  const measured: BundleMeasurement[] = [];
  for (const { outfile, ...size } of variants) {
    const importMs = await processMs(pathToFileURL(outfile).href, runs);
    measured.push({ ...size, importMs: Math.round(importMs), emptyModuleMs: Math.round(emptyModuleMs), importRatio: Math.round((importMs / emptyModuleMs) * 100) / 100 });
  }
  return measured;
}
