import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OutputDocument } from '../../lambdas/core/plan/outputs.js';

/** The RFC 4287 Appendix B RELAX NG grammar (compact syntax). */
export const ATOM_SCHEMA = join(import.meta.dirname, '../fixtures/schemas/atom-rfc4287.rnc');

/** True when the `jing` RELAX NG validator is installed (Debian package `jing`). */
export function isJingAvailable(): boolean {
  return spawnSync('jing', [], { stdio: 'ignore' }).error === undefined;
}

/**
 * Whether the RELAX NG tests may be skipped: only on a machine without jing, never in CI
 * (`CI` set), where a missing jing must fail the run rather than pass it silently.
 */
export function maySkipRelaxNg(): boolean {
  return !isJingAvailable() && !process.env.CI;
}

/**
 * Validates Atom documents against RFC 4287's RELAX NG schema with one `jing` run for all
 * of them (the JVM start dominates the cost). Returns jing's error lines, each naming the
 * document's key; empty when every document is valid.
 */
export function validateAtomWithRelaxNg(docs: readonly OutputDocument[]): string[] {
  if (docs.length === 0) return [];
  const dir = mkdtempSync(join(tmpdir(), 'atom-rng-'));
  try {
    const files = docs.map((doc, index) => {
      const file = join(dir, `${index}.xml`);
      writeFileSync(file, doc.body);
      return { file, key: doc.key };
    });
    const run = spawnSync('jing', ['-c', ATOM_SCHEMA, ...files.map(({ file }) => file)], { encoding: 'utf8' });
    if (run.error) throw new Error('jing is not installed (Debian: apt-get install -y jing)', { cause: run.error });
    const lines = `${run.stdout}${run.stderr}`.split('\n').filter((line) => line.includes(dir));
    const errors = lines.map((line) => files.reduce((text, { file, key }) => text.replace(file, key), line));
    if (run.status !== 0 && errors.length === 0) return [`jing exited with ${run.status}: ${run.stderr}`];
    return errors;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
