/**
 * Parses articles in worker threads under a hard memory and time limit, so that no input (one
 * that escapes every Markdown budget, or meets a future parser bug) can exhaust the process: a
 * worker that runs out of memory or misses its deadline is terminated and replaced, and that
 * article alone is rejected. The workers run `parse-worker.ts`, bundled beside the handler as
 * `parse-worker.mjs` (it imports the parser only: no AWS SDK to load in each worker).
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { Article, SiteConfig } from '../core/content/article.js';
import { ArticleParseError } from '../core/errors.js';
import type { ParseReply, ParseRequest, WorkerReady } from './parse-worker.js';

/** Parses one article; rejects with {@link ArticleParseError} when it cannot be published. */
export type ArticleParser = (path: string, bytes: Uint8Array, site: SiteConfig) => Promise<Article>;

/** The limits of one parse. */
export interface ParseLimits {
  /** V8 heap limits of each worker (old and young generation, stack), in MB. */
  readonly resourceLimits: ResourceLimits;
  /** Longest one article may take to parse. */
  readonly deadlineMs: number;
  /** Workers parsing at the same time. */
  readonly workers: number;
}

/**
 * The default limits. A legal article (2 MiB at most, inside the Markdown budgets) parses in
 * well under a second with tens of MB of heap; two workers at their limit plus the main thread
 * still fit the function's 1024 MB.
 */
export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
  deadlineMs: 10_000,
  workers: Math.max(1, Math.min(2, availableParallelism())),
};

/**
 * The worker's code: the TypeScript source in development (run through tsx, like the caller),
 * the bundled file beside the handler bundle in the function and in `npm run bundle`.
 */
const WORKER_URL = import.meta.url.endsWith('.ts') ? new URL('./parse-worker.ts', import.meta.url) : new URL('./parse-worker.mjs', import.meta.url);

interface Job extends ParseRequest {
  readonly resolve: (article: Article) => void;
  readonly reject: (error: Error) => void;
}

/**
 * A pool of parse workers. Each worker parses one article at a time; the others wait in a
 * queue. Idle workers do not keep the process alive (a CLI exits when its work is done).
 */
export class IsolatedParserPool {
  private readonly idle: Worker[] = [];
  private readonly queue: Job[] = [];
  /** Workers that said they are ready (a new one says so once, before its first answer). */
  private readonly ready = new WeakSet<Worker>();
  private started = 0;

  public constructor(private readonly limits: ParseLimits = DEFAULT_PARSE_LIMITS) {}

  /** {@link ArticleParser} over this pool. */
  public readonly parse: ArticleParser = (path, bytes, site) =>
    new Promise<Article>((resolve, reject) => {
      this.queue.push({ path, bytes, site, resolve, reject });
      this.dispatch();
    });

  /** Stops every idle worker (busy ones finish first, then stop). */
  public async close(): Promise<void> {
    const workers = this.idle.splice(0);
    this.started -= workers.length;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? (this.started < this.limits.workers ? this.startWorker() : undefined);
      if (worker === undefined) return;
      this.run(worker, this.queue.shift() as Job);
    }
  }

  private startWorker(): Worker {
    this.started++;
    return new Worker(WORKER_URL, {
      resourceLimits: this.limits.resourceLimits,
      // TypeScript sources (development, tests) need a TypeScript loader in the worker too.
      // tsx resolved from here, not from the caller's working directory (a CLI may run anywhere).
      execArgv: WORKER_URL.pathname.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : undefined,
    });
  }

  /** Keeps a worker for the next job; one that dies while idle is forgotten. */
  private park(worker: Worker): void {
    worker.unref();
    worker.once('exit', () => {
      const index = this.idle.indexOf(worker);
      if (index < 0) return;
      this.idle.splice(index, 1);
      this.started--;
    });
    this.idle.push(worker);
  }

  /**
   * Runs one job on one worker; settles it exactly once, whatever the worker does. The deadline
   * counts from the moment the worker is ready: starting a worker is not the article's doing.
   */
  private run(worker: Worker, job: Job): void {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (healthy: boolean, settle: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.removeAllListeners();
      // A late error (say, out of memory after the deadline) must not become an uncaught one.
      worker.on('error', () => undefined);
      settle();
      if (healthy) this.park(worker);
      else {
        this.started--;
        void worker.terminate();
      }
      this.dispatch();
    };
    const limitError = (limit: string): ArticleParseError => new ArticleParseError(job.path, `rendering exceeded ${limit} limit`, 'body');
    const arm = (): void => {
      timer = setTimeout(() => finish(false, () => job.reject(limitError('time'))), this.limits.deadlineMs);
    };
    worker.removeAllListeners();
    worker.on('message', (reply: ParseReply | WorkerReady) => {
      if ('ready' in reply) arm();
      else finish(true, () => settleReply(job, reply));
    });
    worker.on('error', (error: Error & { code?: string }) =>
      finish(false, () => job.reject(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? limitError('memory') : workerError(job.path, error))),
    );
    worker.on('exit', (code) => finish(false, () => job.reject(workerError(job.path, new Error(`parse worker exited with code ${code}`)))));
    worker.ref();
    if (this.ready.has(worker)) arm();
    else this.ready.add(worker);
    worker.postMessage({ path: job.path, bytes: job.bytes, site: job.site } satisfies ParseRequest);
  }
}

/** An isolated parse that failed for another reason than the input: a bug, or the worker itself. */
export class ParseWorkerError extends Error {}

function workerError(path: string, cause: Error): ParseWorkerError {
  return new ParseWorkerError(`${path}: parse failed: ${cause.message}`, { cause });
}

function settleReply(job: Job, reply: ParseReply): void {
  if ('article' in reply) job.resolve(reply.article);
  else if ('rejected' in reply) job.reject(new ArticleParseError(job.path, reply.rejected.reason, reply.rejected.field));
  else job.reject(workerError(job.path, Object.assign(new Error(reply.failed.message), reply.failed)));
}

let sharedPool: IsolatedParserPool | undefined;

/** The process's parser pool with the default limits, started at first use and kept warm. */
export function isolatedParser(): ArticleParser {
  sharedPool ??= new IsolatedParserPool();
  return sharedPool.parse;
}
