import { defineConfig } from 'vitest/config';

/**
 * Three test projects mirror the layers: pure unit tests (core, handler with a mocked
 * S3 client), integration tests against a real local S3 API and HTTP servers, and CDK
 * assertions. `npm test` runs all of them.
 */
export default defineConfig({
  test: {
    setupFiles: ['test/setup.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'test/validation/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Each file starts its own servers; running them one at a time keeps a 2-core machine steady.
          fileParallelism: false,
          // s3rver encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 only
          // offers through its legacy provider: without it, paged listings fail with a 500.
          execArgv: ['--openssl-legacy-provider'],
        },
      },
      {
        extends: true,
        test: { name: 'infra', include: ['test/infra/**/*.test.ts'], testTimeout: 180_000, hookTimeout: 180_000 },
      },
    ],
  },
});
