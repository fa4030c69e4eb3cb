import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * Headless Chromium for browser tests, driven through its command line (`--dump-dom`,
 * `--screenshot`) so no browser automation package is needed. Every run gets a fresh profile.
 */

/** Executable names tried on PATH, in order, when `CHROMIUM_BIN` is not set. */
const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome', 'chrome-headless-shell'];

/** Flags that keep a headless run quiet, offline and independent of the machine's profile. */
const BASE_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--disable-extensions',
  '--hide-scrollbars',
  '--mute-audio',
];

/** The Chromium executable (`CHROMIUM_BIN`, else the first candidate on PATH), or undefined. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHROMIUM_BIN) return env.CHROMIUM_BIN;
  const folders = (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of CANDIDATES) {
    for (const folder of folders) {
      const path = join(folder, name);
      try {
        accessSync(path, constants.X_OK);
        return path;
      } catch {
        // Not in this folder; keep looking.
      }
    }
  }
  return undefined;
}

/** Options of one browser run. */
export interface ChromiumRunOptions {
  /** Extra flags, e.g. `--window-size=412,915`. */
  readonly flags?: readonly string[];
  /** @default 30000 */
  readonly timeoutMs?: number;
}

/** What one Chromium run printed. */
interface ChromiumOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs Chromium with `args` in a fresh profile and returns its standard output. The whole
 * process group is killed on timeout, since the launcher is often a shell script.
 */
export async function runChromium(binary: string, args: readonly string[], options: ChromiumRunOptions = {}): Promise<string> {
  return (await runChromiumOutput(binary, args, options)).stdout;
}

async function runChromiumOutput(binary: string, args: readonly string[], options: ChromiumRunOptions): Promise<ChromiumOutput> {
  const profile = await mkdtemp(join(tmpdir(), 'chromium-profile-'));
  try {
    return await new Promise<ChromiumOutput>((resolve, reject) => {
      const child = spawn(binary, [...BASE_FLAGS, `--user-data-dir=${profile}`, ...(options.flags ?? []), ...args], {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      const timer = setTimeout(() => {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        reject(new Error(`Chromium timed out after ${options.timeoutMs ?? 30_000} ms`));
      }, options.timeoutMs ?? 30_000);
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        const output = { stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
        if (code === 0) resolve(output);
        else reject(new Error(`Chromium exited with ${code}: ${output.stderr.slice(-2000)}`));
      });
    });
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

/**
 * The DOM of `url` after load and the page's console messages (Chromium logs them to standard
 * error as `CONSOLE` lines with `--enable-logging=stderr`), e.g. its XSLT deprecation warning.
 */
export async function dumpDomWithConsole(binary: string, url: string, options: ChromiumRunOptions = {}): Promise<{ dom: string; console: string[] }> {
  const flags = [...(options.flags ?? []), '--enable-logging=stderr', '--v=0'];
  const { stdout, stderr } = await runChromiumOutput(binary, ['--dump-dom', url], { ...options, flags });
  return { dom: stdout, console: stderr.split('\n').filter((line) => line.includes(':CONSOLE')) };
}

/** The DOM of `url` after load, serialized as HTML. */
export function dumpDom(binary: string, url: string, options: ChromiumRunOptions = {}): Promise<string> {
  return runChromium(binary, ['--dump-dom', url], options);
}

/** A PNG screenshot of `url` at the given window size, returned as bytes. */
export async function takeScreenshot(
  binary: string,
  url: string,
  size: { width: number; height: number },
  options: ChromiumRunOptions = {},
): Promise<Buffer> {
  const folder = await mkdtemp(join(tmpdir(), 'chromium-shot-'));
  const file = join(folder, 'page.png');
  try {
    await runChromium(binary, [`--window-size=${size.width},${size.height}`, `--screenshot=${file}`, url], options);
    return await readFile(file);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
