import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ESBUILD_TARGET, LAMBDA_RUNTIME_NAME } from './runtime.js';

/** Repository root: the bundler resolves the handler and its lock file from here, whatever the cwd. */
export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The Lambda entry point, written in TypeScript and bundled with the local esbuild. */
export const PUBLISH_HANDLER_ENTRY = fileURLToPath(new URL('../../lambdas/publish/handler.ts', import.meta.url));

/** The parse worker's entry; the handler starts it from `parse-worker.mjs` beside its own bundle. */
export const PARSE_WORKER_ENTRY = fileURLToPath(new URL('../../lambdas/publish/parse-worker.ts', import.meta.url));

/**
 * Lets a bundle written as an ES module `require()` Node built-ins pulled in by CommonJS
 * dependencies; without it the bundle throws "Dynamic require of ... is not supported".
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as topLevelCreateRequire } from 'node:module'; const require = topLevelCreateRequire(import.meta.url);";

/**
 * The CDK's own runtime object for {@link LAMBDA_RUNTIME_NAME} (so the bundler and the
 * deprecation checks know it); the synth fails here if this aws-cdk-lib does not offer it.
 */
export function publisherRuntime(): lambda.Runtime {
  // Not NODEJS_LATEST (`isVariable`), which has the same name today but moves with aws-cdk-lib.
  const runtime = lambda.Runtime.ALL.find((candidate) => candidate.name === LAMBDA_RUNTIME_NAME && !candidate.isVariable);
  if (!runtime) throw new Error(`publisher-function.ts: aws-cdk-lib offers no Lambda runtime ${LAMBDA_RUNTIME_NAME}`);
  return runtime;
}

/** Settings of the publish function that its parent decides. */
export interface PublisherFunctionProps {
  /** Memory in MB. */
  readonly memorySize: number;
  /** Longest run of one publish. */
  readonly timeout: Duration;
  /** How long the function's log events are kept. */
  readonly logRetention: logs.RetentionDays;
  /** Whether X-Ray traces every invocation. */
  readonly tracing: boolean;
  /** Environment variables of the function (bucket names, public base URL). */
  readonly environment: Readonly<Record<string, string>>;
}

/**
 * The publish Lambda with this project's defaults: the Node runtime of `runtime.ts` on arm64,
 * an ESM bundle built by the local esbuild (no Docker), source maps, its own log group with a
 * retention, and a role without managed policies (every permission is added by the caller,
 * statement by statement).
 */
export class PublisherFunction extends Construct {
  /** The function itself. */
  public readonly function: NodejsFunction;
  /** The function's execution role; it starts with log writing only. */
  public readonly role: iam.Role;
  /** Where the function logs. */
  public readonly logGroup: logs.LogGroup;

  public constructor(scope: Construct, id: string, props: PublisherFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention,
      // Logs are operational data; the content bucket keeps what matters.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // A role of our own instead of AWSLambdaBasicExecutionRole: that managed policy may write to any log group.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Feed publisher: reads content objects, writes site objects',
    });
    this.logGroup.grantWrite(this.role);
    this.function = new NodejsFunction(this, 'Function', {
      entry: PUBLISH_HANDLER_ENTRY,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      runtime: publisherRuntime(),
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      tracing: props.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      // One publish at a time: each run applies its changes on top of the catalog the previous run
      // wrote, so runs never race to write older feeds last. (The catalog write is conditional
      // too, so even an overlap would be redone rather than lose an update.)
      reservedConcurrentExecutions: 1,
      environment: { ...props.environment },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        // `feed` and the unified stack publish ES modules; prefer them over CommonJS builds.
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // NodejsFunction bundles one entry; the parse worker is a second one, built with the same options.
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir, outputDir) => [parseWorkerBundleCommand(outputDir)],
        },
      },
    });
  }
}

/** The local esbuild command that writes `parse-worker.mjs` (and its map) into the function's asset. */
export function parseWorkerBundleCommand(outputDir: string): string {
  const esbuild = `${PROJECT_ROOT}node_modules/.bin/esbuild`;
  const options = [
    '--bundle', '--platform=node', '--format=esm', `--target=${ESBUILD_TARGET}`, '--main-fields=module,main', '--minify',
    '--sourcemap', '--sources-content=false', '--log-level=warning', `"--banner:js=${ESM_REQUIRE_BANNER}"`,
  ];
  return [`"${esbuild}"`, `"${PARSE_WORKER_ENTRY}"`, ...options, `"--outfile=${outputDir}/parse-worker.mjs"`].join(' ');
}
