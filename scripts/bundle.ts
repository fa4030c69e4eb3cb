import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type BuildOptions } from 'esbuild';
import { ESBUILD_TARGET } from '../infra/constructs/runtime.js';

/** Repository root, whatever the working directory. */
const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Where `npm run bundle` writes the function bundle by default. */
export const DEFAULT_BUNDLE_DIR = join(PROJECT_ROOT, 'dist', 'publish-feeds');

/**
 * Lets the ES module bundle `require()` Node built-ins from bundled CommonJS dependencies;
 * without it the bundle throws "Dynamic require of ... is not supported". The same text as
 * the CDK construct's banner.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as topLevelCreateRequire } from 'node:module'; const require = topLevelCreateRequire(import.meta.url);";

/**
 * The esbuild options for the publish function (the target of `infra/constructs/runtime.ts`,
 * `OutputFormat.ESM`, `mainFields: ['module', 'main']`, minify, source map without sources
 * content, the banner above). `@aws-sdk/*` stays external: the Lambda Node.js runtime ships AWS SDK v3, so the
 * bundle need not carry it (192 KB gzip instead of 325 KB; the runtime's SDK loads from the
 * local disk). The CDK NodejsFunction's default `externalModules` (`@aws-sdk/*`) matches.
 */
export const PUBLISH_FEEDS_BUILD_OPTIONS = {
  // The handler, and the parse worker it starts (lambdas/publish/isolated-parser.ts) beside it.
  entryPoints: {
    index: join(PROJECT_ROOT, 'lambdas', 'publish', 'handler.ts'),
    'parse-worker': join(PROJECT_ROOT, 'lambdas', 'publish', 'parse-worker.ts'),
  },
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: ESBUILD_TARGET,
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  banner: { js: ESM_REQUIRE_BANNER },
  external: ['@aws-sdk/*'],
  logLevel: 'warning',
} as const satisfies BuildOptions;

/** Size of one built bundle. */
export interface BundleReport {
  readonly outfile: string;
  readonly rawBytes: number;
  readonly gzipBytes: number;
}

/** Builds `<outdir>/index.mjs` and `<outdir>/parse-worker.mjs` (and their `.map`) the way the deployment does. */
export async function bundlePublishFeeds(outdir: string = DEFAULT_BUNDLE_DIR): Promise<BundleReport> {
  const outfile = join(resolve(outdir), 'index.mjs');
  await build({ ...PUBLISH_FEEDS_BUILD_OPTIONS, outdir: resolve(outdir) });
  const code = await readFile(outfile);
  return { outfile, rawBytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
}

function formatKiB(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const report = await bundlePublishFeeds(process.argv[2] ?? DEFAULT_BUNDLE_DIR);
  console.log(`${relative(process.cwd(), report.outfile)}`);
  console.log(`  raw  ${formatKiB(report.rawBytes)} (${report.rawBytes} bytes)`);
  console.log(`  gzip ${formatKiB(report.gzipBytes)} (${report.gzipBytes} bytes)`);
}
