import { parseArgs } from 'node:util';

/** Command-line settings of `npm start`. */
export interface StartArgs {
  /** Content folder holding `site.yaml` and `articles/`. */
  readonly contentDir: string;
  /** Port of the site (the CloudFront-like edge). */
  readonly port: number;
  /** Port of the S3 API; `undefined` means the port after `port`, or any free one. */
  readonly s3Port: number | undefined;
  /** `--help` was given. */
  readonly help: boolean;
}

/** Thrown for an unknown option or an invalid value; the message is meant for the user. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The help text printed by `npm start -- --help`. */
export const USAGE = `Usage: npm start -- [--content <dir>] [--port <n>] [--s3-port <n>]

  --content <dir>  content folder with site.yaml and articles/ (default: content)
  --port <n>       port of the site at http://127.0.0.1:<n>/ (default: 8080, 0 = any free port)
  --s3-port <n>    port of the S3 API (default: the site port + 1, else any free port)
  --help           print this text`;

/** Parses `process.argv.slice(2)`; throws {@link UsageError} on bad input. */
export function parseStartArgs(argv: readonly string[]): StartArgs {
  let values: { content?: string; port?: string; 's3-port'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        content: { type: 'string' },
        port: { type: 'string' },
        's3-port': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error: unknown) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  return {
    contentDir: values.content ?? 'content',
    port: parsePort('--port', values.port ?? '8080'),
    s3Port: values['s3-port'] === undefined ? undefined : parsePort('--s3-port', values['s3-port']),
    help: values.help ?? false,
  };
}

function parsePort(name: string, text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) throw new UsageError(`${name} must be a port number (0-65535), got "${text}"`);
  return port;
}
