import { describe, expect, it } from 'vitest';
import { SiteConfigError } from '../../../../lambdas/core/errors.js';
import { parseSiteConfig } from '../../../../lambdas/core/content/site-config.js';
import { makeSiteYaml } from '../../../support/content-files.js';

/** The SiteConfigError thrown by `run`. */
function thrown(run: () => unknown): SiteConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof SiteConfigError) return error;
    throw error;
  }
  throw new Error('expected a SiteConfigError');
}

describe('parseSiteConfig', () => {
  it('applies defaults for timezone, authors, itemsPerFeed, maxFeedBytes and tagAuthority', () => {
    // Prepare
    const yaml = makeSiteYaml();

    // Act
    const site = parseSiteConfig('site.yaml', yaml);

    // Assess
    expect(site).toEqual({
      title: 'Nusantara Daily',
      description: 'Test publication',
      siteUrl: 'https://news.example.com/',
      language: 'en',
      timezone: 'UTC',
      authors: [],
      copyright: '© 2021 Nusantara Daily',
      itemsPerFeed: 50,
      maxFeedBytes: 1_048_576,
      tagAuthority: 'news.example.com,2000',
    });
  });

  it('reads every optional field', () => {
    // Prepare
    const yaml = makeSiteYaml({
      timezone: 'Asia/Jakarta',
      authors: '[Desk, {name: Ana, email: ana@news.example.com, url: "https://news.example.com/ana"}]',
      icon: 'https://news.example.com/i.png',
      image: 'https://news.example.com/l.png',
      itemsPerFeed: '20',
      maxFeedBytes: '2097152',
      tagAuthority: 'news.example.com,2021-11',
      websubHub: 'https://hub.example.org/',
    });

    // Act
    const site = parseSiteConfig('site.yaml', yaml);

    // Assess
    expect(site.authors).toEqual([
      { name: 'Desk' },
      { name: 'Ana', email: 'ana@news.example.com', url: 'https://news.example.com/ana' },
    ]);
    expect([site.timezone, site.itemsPerFeed, site.maxFeedBytes, site.tagAuthority]).toEqual(['Asia/Jakarta', 20, 2_097_152, 'news.example.com,2021-11']);
    expect([site.icon, site.image, site.websubHub]).toEqual([
      'https://news.example.com/i.png', 'https://news.example.com/l.png', 'https://hub.example.org/',
    ]);
  });

  it.each(['http://127.0.0.1:8099/publish', 'http://localhost:8099/', 'http://[::1]:8099/'])(
    'accepts the plain http hub %s on this machine, for the local preview',
    (websubHub) => {
      // Prepare
      const yaml = makeSiteYaml({ websubHub });

      // Act
      const site = parseSiteConfig('site.yaml', yaml);

      // Assess
      expect(site.websubHub).toBe(websubHub);
    },
  );

  it('normalizes siteUrl to end with a slash and the language to lower case', () => {
    // Prepare
    const yaml = makeSiteYaml({ siteUrl: 'https://News.Example.com/news', language: 'zh-Hans' });

    // Act
    const site = parseSiteConfig('site.yaml', yaml);

    // Assess
    expect(site.siteUrl).toBe('https://news.example.com/news/');
    expect(site.language).toBe('zh-hans');
  });

  it('replaces siteUrl with the override but keeps the tag authority of the file', () => {
    // Prepare
    const yaml = makeSiteYaml();

    // Act
    const site = parseSiteConfig('site.yaml', yaml, { siteUrl: 'http://127.0.0.1:4567' });

    // Assess
    expect(site.siteUrl).toBe('http://127.0.0.1:4567/');
    expect(site.tagAuthority).toBe('news.example.com,2000');
  });

  it('reads bytes as well as strings', () => {
    // Prepare
    const bytes = new TextEncoder().encode(`\uFEFF${makeSiteYaml().replaceAll('\n', '\r\n')}`);

    // Act
    const site = parseSiteConfig('site.yaml', bytes);

    // Assess
    expect(site.title).toBe('Nusantara Daily');
  });

  it('balances bidi controls in every text field and keeps the marks', () => {
    // Prepare
    const yaml = makeSiteYaml({
      title: '"\u202eevil"',
      description: '"\u2067أخبار\u2069 \u2069daily\u200f"',
      copyright: '"\u00a9 \u2068دار النشر"',
      authors: '["\u202bمكتب"]',
    });

    // Act
    const site = parseSiteConfig('site.yaml', yaml);

    // Assess
    expect([site.title, site.description, site.copyright, site.authors[0]?.name]).toEqual([
      '\u202eevil\u202c', '\u2067أخبار\u2069 daily\u200f', '\u00a9 \u2068دار النشر\u2069', '\u202bمكتب\u202c',
    ]);
  });

  it.each([
    [{ itemPerFeed: '10' }, 'itemPerFeed', /unknown field/],
    [{ siteUrl: 'ftp://news.example.com/' }, 'siteUrl', /must use http or https/],
    [{ siteUrl: '/relative/' }, 'siteUrl', /absolute URL/],
    [{ siteUrl: 'https://news.example.com/?q=1' }, 'siteUrl', /query or fragment/],
    [{ language: 'english language' }, 'language', /BCP 47/],
    [{ timezone: 'Jakarta' }, 'timezone', /IANA time zone/],
    [{ itemsPerFeed: '0' }, 'itemsPerFeed', /between 1 and 1000/],
    [{ itemsPerFeed: '1001' }, 'itemsPerFeed', /between 1 and 1000/],
    [{ itemsPerFeed: '2.5' }, 'itemsPerFeed', /expected an integer/],
    [{ maxFeedBytes: '65535' }, 'maxFeedBytes', /^must be between 65536 \(64 KiB\) and 10485760 \(10 MiB\) bytes, got 65535$/],
    [{ maxFeedBytes: '10485761' }, 'maxFeedBytes', /between 65536 .* got 10485761$/],
    [{ maxFeedBytes: '-1' }, 'maxFeedBytes', /between 65536 .* got -1$/],
    [{ maxFeedBytes: '1MiB' }, 'maxFeedBytes', /expected an integer/],
    [{ tagAuthority: 'news.example.com' }, 'tagAuthority', /RFC 4151/],
    [{ tagAuthority: 'news.example.com,2021-02-30' }, 'tagAuthority', /not a possible date/],
    [{ icon: 'javascript:alert(1)' }, 'icon', /must use http or https/],
    [{ websubHub: 'data:text/plain,x' }, 'websubHub', /must use http or https/],
    [{ websubHub: 'http://hub.example.com/' }, 'websubHub', /must use https/],
    [{ websubHub: 'http://10.0.0.1/' }, 'websubHub', /must use https/],
    [{ description: `"${'\u202b'.repeat(126)}deep"` }, 'description', /nests bidi .* more than 125 deep/],
    [{ authors: '[{name: A, email: "a\u202e@b.c"}]' }, 'authors[0].email', /bidi formatting/],
    [{ authors: '[{name: A, mail: a@b.c}]' }, 'authors[0].mail', /unknown field/],
    [{ copyright: '42' }, 'copyright', /expected a string/],
  ] as const)('rejects %j naming the field', (fields, field, reason) => {
    // Prepare
    const yaml = makeSiteYaml(fields);

    // Act
    const error = thrown(() => parseSiteConfig('content/site.yaml', yaml));

    // Assess
    expect(error.path).toBe('content/site.yaml');
    expect(error.field).toBe(field);
    expect(error.reason).toMatch(reason);
    expect(error.message.startsWith(`content/site.yaml: ${field}: `)).toBe(true);
  });

  it('rejects a missing title and a missing siteUrl', () => {
    // Prepare
    const withoutTitle = makeSiteYaml().replace(/^title:.*\n/m, '');
    const withoutUrl = makeSiteYaml().replace(/^siteUrl:.*\n/m, '');

    // Act
    const errors = [withoutTitle, withoutUrl].map((yaml) => thrown(() => parseSiteConfig('site.yaml', yaml)));

    // Assess
    expect(errors.map((e) => [e.field, e.reason])).toEqual([['title', 'is required'], ['siteUrl', 'is required']]);
  });

  it('rejects a site.yaml over 64 KiB', () => {
    // Prepare
    const yaml = `${makeSiteYaml()}\n# ${'x'.repeat(64 * 1024)}`;

    // Act
    const error = thrown(() => parseSiteConfig('site.yaml', yaml));

    // Assess
    expect(error.reason).toMatch(/65536-byte limit/);
  });
});
