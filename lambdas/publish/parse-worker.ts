/**
 * The code of one parse worker (see isolated-parser.ts): parses each article it is sent, in
 * this thread, and answers with the article, the reason it is rejected, or the error met.
 * It imports the parser only, so a worker starts fast and small.
 */
import { parentPort } from 'node:worker_threads';
import type { Article, SiteConfig } from '../core/content/article.js';
import { parseArticle } from '../core/content/parse-article.js';
import { ArticleParseError } from '../core/errors.js';

/** One article to parse. */
export interface ParseRequest {
  readonly path: string;
  readonly bytes: Uint8Array;
  readonly site: SiteConfig;
}

/** The answer to a {@link ParseRequest}; errors cross the thread boundary as plain data. */
export type ParseReply =
  | { readonly article: Article }
  | { readonly rejected: { readonly reason: string; readonly field?: string } }
  | { readonly failed: { readonly name: string; readonly message: string; readonly stack?: string } };

/** Sent once, when the worker has loaded its code: its deadlines count from there. */
export interface WorkerReady {
  readonly ready: true;
}

/** Parses one request into its reply; never throws. */
export function answerParse({ path, bytes, site }: ParseRequest): ParseReply {
  try {
    return { article: parseArticle(path, bytes, site) };
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    if (failure instanceof ArticleParseError) return { rejected: { reason: failure.reason, ...(failure.field ? { field: failure.field } : {}) } };
    return { failed: { name: failure.name, message: failure.message, ...(failure.stack ? { stack: failure.stack } : {}) } };
  }
}

const port = parentPort;
port?.on('message', (request: ParseRequest) => port.postMessage(answerParse(request)));
port?.postMessage({ ready: true } satisfies WorkerReady);
