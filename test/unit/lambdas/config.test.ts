import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../lambdas/publish/config.js';

describe('loadConfig', () => {
  it('reads the buckets and the public base URL into a frozen object', () => {
    // Prepare
    const env = { CONTENT_BUCKET: 'content', SITE_BUCKET: 'site', PUBLIC_BASE_URL: 'https://d1.cloudfront.net/' };

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config).toEqual({ contentBucket: 'content', siteBucket: 'site', publicBaseUrl: 'https://d1.cloudfront.net/' });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('leaves the public base URL out when it is empty', () => {
    // Prepare
    const env = { CONTENT_BUCKET: 'content', SITE_BUCKET: 'site', PUBLIC_BASE_URL: '' };

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config).not.toHaveProperty('publicBaseUrl');
  });

  it.each(['CONTENT_BUCKET', 'SITE_BUCKET'])('throws naming the missing %s', (name) => {
    // Prepare
    const env: Record<string, string | undefined> = { CONTENT_BUCKET: 'content', SITE_BUCKET: 'site', [name]: undefined };

    // Act
    const loading = () => loadConfig(env);

    // Assess
    expect(loading).toThrow(ConfigError);
    expect(loading).toThrow(name);
  });

  it('refuses one bucket for both content and site, which would trigger itself', () => {
    // Prepare
    const env = { CONTENT_BUCKET: 'same', SITE_BUCKET: 'same' };

    // Act
    const loading = () => loadConfig(env);

    // Assess
    expect(loading).toThrow('must name different buckets');
  });

  it('refuses a public base URL that is not absolute', () => {
    // Prepare
    const env = { CONTENT_BUCKET: 'content', SITE_BUCKET: 'site', PUBLIC_BASE_URL: 'news.example.com' };

    // Act
    const loading = () => loadConfig(env);

    // Assess
    expect(loading).toThrow('PUBLIC_BASE_URL');
  });

  it('reads the bucket owner account and the local preview switch', () => {
    // Prepare
    const env = { CONTENT_BUCKET: 'content', SITE_BUCKET: 'site', EXPECTED_BUCKET_OWNER: '123456789012', LOCAL_PREVIEW: 'true' };

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config).toEqual({ contentBucket: 'content', siteBucket: 'site', expectedBucketOwner: '123456789012', localPreview: true });
  });

  it('leaves the local preview switch off unless it is set to true', () => {
    // Prepare
    const env = { CONTENT_BUCKET: 'content', SITE_BUCKET: 'site', LOCAL_PREVIEW: 'false' };

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config).not.toHaveProperty('localPreview');
  });

  it('reads the partner access switch, off unless set to true', () => {
    // Prepare
    const base = { CONTENT_BUCKET: 'content', SITE_BUCKET: 'site' };

    // Act
    const on = loadConfig({ ...base, PARTNER_ACCESS: 'true' });
    const off = loadConfig(base);

    // Assess
    expect(on.partnerAccess).toBe(true);
    expect(off).not.toHaveProperty('partnerAccess');
  });

  it.each([
    ['EXPECTED_BUCKET_OWNER', '12345'],
    ['LOCAL_PREVIEW', 'yes'],
    ['PARTNER_ACCESS', 'on'],
  ])('refuses %s=%s', (name, value) => {
    // Prepare
    const env = { CONTENT_BUCKET: 'content', SITE_BUCKET: 'site', [name]: value };

    // Act
    const loading = () => loadConfig(env);

    // Assess
    expect(loading).toThrow(name);
  });
});
