import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The rendering core must stay pure: no AWS SDK, no file system, no environment, no clock.
 * This is the project's import boundary rule, enforced on every core source file.
 */
const CORE_DIR = join(import.meta.dirname, '../../../lambdas/core');

const FORBIDDEN: readonly [RegExp, string][] = [
  [/from\s+['"]@aws-sdk\//, 'imports the AWS SDK'],
  [/from\s+['"](node:)?(fs|fs\/promises|http|https|net|child_process|os)['"]/, 'imports an I/O module'],
  [/from\s+['"]aws-lambda['"]/, 'imports Lambda types'],
  [/\bprocess\.(env|argv|cwd|exit)\b/, 'reads the process environment'],
  [/\bDate\.now\s*\(/, 'reads the clock'],
  [/new\s+Date\s*\(\s*\)/, 'reads the clock'],
  [/\bMath\.random\s*\(/, 'is not deterministic'],
];

/** Every TypeScript file under the core, recursively. */
function coreFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return coreFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The rule violations found in one source text. */
function violations(source: string): string[] {
  return FORBIDDEN.filter(([pattern]) => pattern.test(source)).map(([, reason]) => reason);
}

describe('core purity', () => {
  it('finds violations in impure code', () => {
    // Prepare
    const impure = "import { S3Client } from '@aws-sdk/client-s3';\nconst t = Date.now();\nprocess.env.X;";

    // Act
    const found = violations(impure);

    // Assess
    expect(found).toEqual(['imports the AWS SDK', 'reads the process environment', 'reads the clock']);
  });

  it('keeps every core module free of I/O, environment and clock', () => {
    // Prepare
    const files = coreFiles(CORE_DIR);

    // Act
    const report = files
      .map((file) => ({ file, found: violations(readFileSync(file, 'utf8')) }))
      .filter(({ found }) => found.length > 0);

    // Assess
    expect(files.length).toBeGreaterThan(3);
    expect(report).toEqual([]);
  });
});
