import { createHash } from 'node:crypto';

/** The part of CloudFront's KeyValueStore handle (`cf.kvs()`) the functions use, kept in memory. */
export class FakeKeyValueStore {
  /** Every key looked up, in order, so a test can tell whether the store was read at all. */
  public readonly lookups: string[] = [];
  /** Ids passed to `cf.kvs(...)`; CloudFront needs none when exactly one store is associated. */
  public readonly handleIds: unknown[] = [];
  private readonly entries: Map<string, string>;
  private readonly failure: Error | undefined;

  public constructor(entries: Record<string, string> = {}, failure?: Error) {
    this.entries = new Map(Object.entries(entries));
    this.failure = failure;
  }

  /** Like the runtime's `exists(key)`: a promise of whether the key is stored. */
  public async exists(key: string): Promise<boolean> {
    this.lookups.push(key);
    if (this.failure) throw this.failure;
    return this.entries.has(key);
  }

  /** Like the runtime's `get(key)`: rejects when the key is missing. */
  public async get(key: string): Promise<string> {
    this.lookups.push(key);
    if (this.failure) throw this.failure;
    const value = this.entries.get(key);
    if (value === undefined) throw new Error(`Key ${key} not found`);
    return value;
  }
}

/** The modules cloudfront-js-2.0 offers to `import`; the loader refuses any other. */
const RUNTIME_IMPORTS: Record<string, string> = {
  "import cf from 'cloudfront';": 'cf',
  "import crypto from 'crypto';": 'crypto',
};

/**
 * Loads CloudFront Function source the way the runtime does: a strict-mode script defining
 * `handler`, whose leading `import` lines may name only the `cloudfront` and `crypto` modules.
 * `cloudfront` is backed by the given store; `crypto` offers only what the runtime documents
 * and this project uses (`createHash`).
 */
export function loadCloudFrontFunction<Event, Result>(code: string, store = new FakeKeyValueStore()): (event: Event) => Result {
  const lines = code.split('\n');
  const parameters: string[] = [];
  while (lines[0]?.startsWith('import ')) {
    const line = lines.shift() as string;
    const name = RUNTIME_IMPORTS[line];
    if (name === undefined) throw new Error(`CloudFront Functions offer no such import: ${line}`);
    parameters.push(name);
  }
  if (lines.some((line) => /^\s*(import|export)\s/.test(line))) throw new Error('imports must come first; exports are not allowed');
  const modules: Record<string, unknown> = {
    cf: {
      kvs: (...ids: unknown[]) => {
        store.handleIds.push(...ids);
        return store;
      },
    },
    crypto: { createHash: (algorithm: string) => createHash(algorithm) },
  };
  const body = `'use strict';\n${lines.join('\n')}\nreturn handler;`;
  const factory = new Function(...parameters, body) as (...args: unknown[]) => (event: Event) => Result;
  return factory(...parameters.map((name) => modules[name]));
}
