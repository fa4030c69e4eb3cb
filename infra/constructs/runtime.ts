/**
 * The major version of Node.js the publish function runs on (Lambda `nodejs24.x`). Everything
 * that must agree with the deployed runtime derives from this one number: the Lambda runtime,
 * the esbuild target, `engines.node` in package.json and the `node` package the toolchain runs
 * on (a test checks the last two against it).
 */
export const NODE_MAJOR = 24;

/** The esbuild target for code that runs on the function's runtime, e.g. `node24`. */
export const ESBUILD_TARGET = `node${NODE_MAJOR}`;

/** The Lambda runtime identifier, e.g. `nodejs24.x`. */
export const LAMBDA_RUNTIME_NAME = `nodejs${NODE_MAJOR}.x`;
