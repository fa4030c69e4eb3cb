import { Console } from 'node:console';
import { Writable } from 'node:stream';

/**
 * The handler logs structured JSON for CloudWatch. In a terminal one short line per entry reads
 * better: a rejected article or site.yaml shows as `<path>: <reason>`, the way the publisher
 * phrases its errors.
 */

interface LogEntry {
  readonly level?: unknown;
  readonly message?: unknown;
  readonly reason?: unknown;
  readonly objectKey?: unknown;
  readonly error?: { readonly message?: unknown };
}

/** Turns one Powertools log entry (JSON) into one line; anything else is returned trimmed. */
export function formatHandlerLog(text: string): string {
  const trimmed = text.trim();
  let entry: LogEntry;
  try {
    entry = JSON.parse(trimmed) as LogEntry;
  } catch {
    return trimmed;
  }
  if (typeof entry !== 'object' || entry === null || typeof entry.message !== 'string') return trimmed;
  if (typeof entry.reason === 'string') {
    const key = typeof entry.objectKey === 'string' && entry.objectKey !== '' ? entry.objectKey : undefined;
    return key === undefined || entry.reason.startsWith(`${key}: `) ? entry.reason : `${key}: ${entry.reason}`;
  }
  const level = typeof entry.level === 'string' ? `${entry.level.toLowerCase()}: ` : '';
  const detail = typeof entry.error?.message === 'string' ? `: ${entry.error.message}` : '';
  return `${level}${entry.message}${detail}`;
}

/**
 * A console that prints each call as one formatted line through `print`. Powertools' Logger
 * writes to the global console when `POWERTOOLS_DEV` is set, so installing this one as the
 * global console before the handler loads makes its entries readable.
 */
export function createHandlerLogConsole(print: (line: string) => void): Console {
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      const text = chunk.toString();
      if (text.trim() !== '') print(formatHandlerLog(text));
      done();
    },
  });
  return new Console({ stdout: sink, stderr: sink });
}
