import { describe, expect, it } from 'vitest';
import { synthFeedPublisher } from './synth-feed-publisher.js';

/**
 * Asset hashes change with every edit of the handler, the content folder or aws-cdk-lib; the
 * snapshot is for reviewing infrastructure changes, so they are replaced by a placeholder.
 */
function stripAssetHashes(template: unknown): unknown {
  return JSON.parse(JSON.stringify(template).replace(/[0-9a-f]{64}/g, '[ASSET-HASH]'));
}

describe('FeedPublisher template', () => {
  it('matches the reviewed snapshot', () => {
    // Prepare
    const { template } = synthFeedPublisher();

    // Act
    const json = stripAssetHashes(template.toJSON());

    // Assess
    expect(json).toMatchSnapshot();
  });
});
