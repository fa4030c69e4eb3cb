import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The lint rules that hold the architecture: `npm run lint` (run first by `npm test`) applies
 * them to the repository; these tests plant code that breaks them and expect the rule's error.
 */
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CONFIG = join(ROOT, 'eslint.config.js');

/** One linter with the project's configuration, shared by the tests (it caches parsed modules). */
const eslint = new ESLint({ cwd: ROOT });

/** The `rule: message` lines ESLint reports for `code` as if it were the file at `path`. */
async function lintAs(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
  return (result?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`);
}

const CORE_FILE = 'lambdas/core/feeds/planted.ts';

describe('lint boundaries', () => {
  it('rejects the AWS SDK in the core', async () => {
    // Act
    const found = await lintAs(CORE_FILE, "import { S3Client } from '@aws-sdk/client-s3';\nexport const client = new S3Client({});\n");

    // Assess
    expect(found).toEqual([expect.stringMatching(/^no-restricted-imports: '@aws-sdk\/client-s3' import is restricted/)]);
  });

  it.each([
    ['the file system', "import { readFile } from 'node:fs/promises';\nexport const read = readFile;\n", 'no-restricted-imports'],
    ['Lambda types', "import type { Context } from 'aws-lambda';\nexport type C = Context;\n", 'no-restricted-imports'],
    ['the environment', 'export const stage = process.env.STAGE;\n', 'no-restricted-globals'],
    ['the clock by Date.now()', 'export const at = Date.now();\n', 'no-restricted-syntax'],
    ['the clock by new Date()', 'export const at = new Date();\n', 'no-restricted-syntax'],
    ['the clock by performance.now()', 'export const at = performance.now();\n', 'no-restricted-syntax'],
    ['Math.random()', 'export const pick = Math.random();\n', 'no-restricted-syntax'],
  ])('rejects %s in the core', async (_what, code, rule) => {
    // Act
    const found = await lintAs(CORE_FILE, code);

    // Assess
    expect(found).toEqual([expect.stringMatching(new RegExp(`^${rule}: `))]);
  });

  it('accepts a core module that takes the time as an argument', async () => {
    // Act
    const found = await lintAs(CORE_FILE, 'export function yearOf(now: Date): number {\n  return new Date(now).getUTCFullYear();\n}\n');

    // Assess
    expect(found).toEqual([]);
  });

  it('rejects an infrastructure import in the core', async () => {
    // Act
    const found = await lintAs(CORE_FILE, "import '../../../infra/app.js';\n");

    // Assess
    expect(found).toEqual([expect.stringMatching(/^import-x\/no-restricted-paths: Unexpected path "..\/..\/..\/infra\/app.js"/)]);
  });

  it('rejects an import of the CLI in an adapter', async () => {
    // Act
    const found = await lintAs('lambdas/adapters/planted.ts', "import '../../local/render.js';\n");

    // Assess
    expect(found).toEqual([expect.stringMatching(/^import-x\/no-restricted-paths: .*the local tools and CLI/)]);
  });

  it('lets the rest of the repository use the clock and the file system', async () => {
    // Act
    const found = await lintAs('local/planted.ts', "import { readFile } from 'node:fs/promises';\nexport const at = [Date.now(), readFile];\n");

    // Assess
    expect(found).toEqual([]);
  });

  describe('import circles', () => {
    let dir = '';

    beforeAll(async () => {
      // Prepare: two modules under lambdas/ that import each other, outside the repository.
      dir = await mkdtemp(join(tmpdir(), 'lint-circle-'));
      await mkdir(join(dir, 'lambdas', 'core'), { recursive: true });
      await writeFile(join(dir, 'lambdas', 'core', 'a.ts'), "import { b } from './b.js';\nexport const a = (): number => b() + 1;\n");
      await writeFile(join(dir, 'lambdas', 'core', 'b.ts'), "import { a } from './a.js';\nexport const b = (): number => a.length;\n");
    });

    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('rejects two lambdas modules that import each other', async () => {
      // Prepare
      const linter = new ESLint({ cwd: dir, overrideConfigFile: CONFIG });

      // Act
      const results = await linter.lintFiles(['lambdas/core/a.ts', 'lambdas/core/b.ts']);

      // Assess
      expect(results.map((result) => result.messages.map((message) => message.ruleId))).toEqual([['import-x/no-cycle'], ['import-x/no-cycle']]);
    });
  });
});
