import { createCipheriv } from 'node:crypto';
import { parseStartArgs, USAGE, UsageError } from './args.js';
import { createHandlerLogConsole } from './format-handler-log.js';
import type { LocalPipeline } from './start-local-pipeline.js';

/**
 * `npm start`: runs the whole publishing pipeline on this machine (embedded S3 API, the real
 * handler, a CloudFront-like edge and a content folder watcher) until Ctrl-C.
 */

/** Longest wait for a clean stop before the process exits anyway. */
const STOP_TIMEOUT_MS = 4_000;

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

function printBanner(pipeline: LocalPipeline, feedUrls: readonly string[]): void {
  const { accessKeyId, secretAccessKey } = pipeline.credentials;
  print('');
  print(`Site:   ${pipeline.url}`);
  print('Feeds:');
  for (const url of feedUrls) print(`  ${url}`);
  if (feedUrls.length === 0) print('  (none yet: add site.yaml and an article to the content folder)');
  print('');
  print(`S3 API: ${pipeline.s3Endpoint}  (access key ${accessKeyId}, secret key ${secretAccessKey})`);
  print(`  content bucket: ${pipeline.contentBucket}   site bucket: ${pipeline.siteBucket}`);
  print('  Upload with any S3 client to publish, as in production, e.g.:');
  print(
    `  AWS_ACCESS_KEY_ID=${accessKeyId} AWS_SECRET_ACCESS_KEY=${secretAccessKey} AWS_REQUEST_CHECKSUM_CALCULATION=when_required ` +
      `aws --endpoint-url ${pipeline.s3Endpoint} s3 cp my.md s3://${pipeline.contentBucket}/articles/my.md`,
  );
  print('');
  print('Watching the content folder. Press Ctrl-C to stop.');
}

/**
 * Stops on the first SIGINT or SIGTERM, also during start-up; later signals are ignored
 * while stopping.
 */
function stopOnSignals(starting: Promise<LocalPipeline>): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    print(`\n${signal}: stopping...`);
    const timeout = setTimeout(() => process.exit(1), STOP_TIMEOUT_MS);
    timeout.unref();
    starting.then((pipeline) => pipeline.close()).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/**
 * s3rver encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 offers only
 * through its legacy provider: without it a content bucket of more than 1,000 objects cannot be
 * listed. `npm start` passes the flag; say so when started some other way.
 */
function warnWithoutLegacyProvider(): void {
  try {
    createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8));
  } catch {
    process.stderr.write('Warning: started without --openssl-legacy-provider; more than 1,000 articles cannot be listed.\n');
  }
}

async function main(): Promise<void> {
  const args = parseStartArgs(process.argv.slice(2));
  if (args.help) {
    print(USAGE);
    return;
  }
  warnWithoutLegacyProvider();
  const log = (line: string): void => print(`[${new Date().toISOString().slice(11, 23)}] ${line}`);
  // The handler's logger and metrics read these when their modules load, hence the dynamic
  // import below. Only warnings and errors are shown, one line each (a rejected article as
  // `<path>: <reason>`), through the global console that Powertools' dev mode writes to;
  // metrics have no CloudWatch to go to.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  process.env.POWERTOOLS_DEV = 'true';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  globalThis.console = createHandlerLogConsole(log);
  const { startLocalPipeline } = await import('./start-local-pipeline.js');
  const starting = startLocalPipeline({ contentDir: args.contentDir, port: args.port, s3Port: args.s3Port, log });
  stopOnSignals(starting);
  const pipeline = await starting;
  printBanner(pipeline, await pipeline.listFeedUrls());
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  if (error instanceof UsageError) process.stderr.write(`${USAGE}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
