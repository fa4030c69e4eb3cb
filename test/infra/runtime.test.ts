import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LAMBDA_RUNTIME_NAME, NODE_MAJOR } from '../../infra/constructs/runtime.js';
import { PUBLISH_FEEDS_BUILD_OPTIONS } from '../../scripts/bundle.js';
import { synthFeedPublisher } from './synth-feed-publisher.js';

/** The project's package.json: `engines` and the `node` package the scripts run on. */
const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};

/** The major version of a `x.y.z` version string. */
function majorOf(version: string): number {
  return Number(version.split('.')[0]);
}

describe('Node runtime', () => {
  it('runs the tests on the major version the function is deployed on', () => {
    // Act
    const major = majorOf(process.versions.node);

    // Assess
    expect(major).toBe(NODE_MAJOR);
  });

  it('pins the toolchain node package and engines.node to that major version', () => {
    // Assess
    expect(majorOf(PACKAGE.devDependencies.node ?? '')).toBe(NODE_MAJOR);
    expect(PACKAGE.engines.node).toBe(`${NODE_MAJOR}.x`);
  });

  it('builds the bundle for that major version', () => {
    // Assess
    expect(PUBLISH_FEEDS_BUILD_OPTIONS.target).toBe(`node${NODE_MAJOR}`);
  });

  it('deploys the publish function on that runtime', () => {
    // Prepare
    const { template } = synthFeedPublisher();

    // Act
    const publish = template.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'feed-publisher' } } },
    });

    // Assess
    expect(Object.values(publish).map((fn) => fn.Properties.Runtime)).toEqual([LAMBDA_RUNTIME_NAME]);
    expect(LAMBDA_RUNTIME_NAME).toBe(`nodejs${NODE_MAJOR}.x`);
  });
});
