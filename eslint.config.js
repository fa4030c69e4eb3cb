// @ts-check
import { defineConfig } from 'eslint/config';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * The lint rules: the architecture's import boundaries, the purity of the core, no import
 * circles, and typescript-eslint's recommended correctness rules. Every rule works from the
 * syntax alone (no type information), so `npm run lint` stays fast.
 */

/** Paths in zones resolve from the repository root, whatever the working directory. */
const ROOT = import.meta.dirname;

/** Node modules that read or write the outside world: files, network, processes, the host. */
const IO_MODULES = ['fs', 'fs/promises', 'http', 'https', 'net', 'child_process', 'os', 'process'];

const CORE_PURITY = 'The core is pure: it decides from its inputs; the use case and the adapters do I/O.';

/** What `lambdas/core/**` may not import: the AWS SDK, Lambda types, Powertools and I/O modules. */
const CORE_RESTRICTED_IMPORTS = {
  paths: ['aws-lambda', ...IO_MODULES.flatMap((name) => [name, `node:${name}`])].map((name) => ({
    name,
    message: CORE_PURITY,
  })),
  patterns: [{ group: ['@aws-sdk/*', '@aws-lambda-powertools/*'], message: CORE_PURITY }],
};

/** Clock, randomness and process reads, which would make the core's output vary between runs. */
const CORE_RESTRICTED_SYNTAX = [
  ["CallExpression[callee.object.name='Date'][callee.property.name='now']", 'reads the clock; take the time as an argument'],
  ["NewExpression[callee.name='Date'][arguments.length=0]", 'reads the clock; take the time as an argument'],
  ["CallExpression[callee.name='Date']", 'reads the clock; take the time as an argument'],
  ["CallExpression[callee.object.name='performance'][callee.property.name='now']", 'reads the clock'],
  ["CallExpression[callee.object.name='Math'][callee.property.name='random']", 'is not deterministic'],
  ["MemberExpression[object.name='globalThis'][property.name='process']", 'reads the process; the core gets its settings as arguments'],
  ['ImportExpression', 'loads a module at run time, past the import rules'],
].map(([selector, reason]) => ({ selector, message: `The core is pure: this ${reason}.` }));

/** Which folders each layer may not import from (globs from the repository root; no two zones overlap). */
const BOUNDARY_ZONES = [
  {
    target: 'lambdas/**',
    from: ['infra/**', 'local/**', 'scripts/**', 'bench/**', 'test/**'],
    message: 'The function code (core, adapters, use case) stands alone: it never imports the infrastructure, the local tools and CLI, scripts, benchmarks or tests.',
  },
  {
    target: 'lambdas/core/**',
    from: ['lambdas/adapters/**', 'lambdas/publish*/**'],
    message: 'The core imports only itself and its parsing libraries; the use case and the adapters depend on it, not the reverse.',
  },
].map((zone) => ({ ...zone, target: `${ROOT}/${zone.target}`, from: zone.from.map((glob) => `${ROOT}/${glob}`) }));

export default defineConfig([
  { ignores: ['node_modules/', 'cdk.out/', 'dist/', 'coverage/', '.local/', 'test/integ/*.snapshot/', 'bench/results/'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    plugins: { 'import-x': importX },
    settings: {
      // Resolves `./x.js` specifiers to the `x.ts` sources the way TypeScript's NodeNext does.
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: `${ROOT}/tsconfig.json` })],
      // Lets the cycle check read the imported TypeScript modules (it skips unknown extensions).
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
    },
    rules: {
      // `_`-prefixed names are unused on purpose (a property left out by a rest destructuring, an argument).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // A `let` read by a callback before its one assignment (an event arriving early) must stay `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // Synthesized CloudFormation templates are untyped JSON that the assertions walk into.
    files: ['test/infra/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['lambdas/**/*.ts'],
    rules: {
      // Counts value imports: the rule does not follow `import type`, which loads nothing at run time.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { basePath: ROOT, zones: BOUNDARY_ZONES }],
    },
  },
  {
    files: ['lambdas/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', CORE_RESTRICTED_IMPORTS],
      'no-restricted-globals': ['error', { name: 'process', message: CORE_PURITY }],
      'no-restricted-syntax': ['error', ...CORE_RESTRICTED_SYNTAX],
    },
  },
]);
