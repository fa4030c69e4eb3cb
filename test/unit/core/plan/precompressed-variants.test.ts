import { describe, expect, it } from 'vitest';
import { documentKeyOf, roleOfKey } from '../../../../lambdas/core/plan/document-keys.js';
import { PRECOMPRESSED_MEDIA_TYPES, contentEncodingsFor, contentTypeFor, precompressedKeyPattern } from '../../../../lambdas/core/plan/outputs.js';

/** Keys of every kind the site publishes, and a few it never does. */
const KEYS = [
  'rss.xml', 'atom.xml', 'feed.json', 'fr/atom.xml', 'tags/go/feed.json', 'tags/go/archive/2/atom.xml', 'feeds.opml',
  'index.html', 'articles/hello/index.html', 'assets/site.css', 'sitemap.xml', 'data.json', 'myatom.xml', 'notes.txt', 'photo.jpg',
];

describe('precompressed variants', () => {
  it.each([
    ['atom.xml', true], ['tags/go/feed.json', true], ['feeds.opml', true],
    ['rss.xml', false], ['index.html', false], ['assets/site.css', false], ['sitemap.xml', false], ['data.json', false],
  ])('gives %s variants: %s (only the types CloudFront does not compress)', (key, expected) => {
    // Act
    const encodings = contentEncodingsFor(contentTypeFor(key));

    // Assess
    expect(encodings.map((encoding) => encoding.keySuffix)).toEqual(expected ? ['.br', '.gz'] : []);
  });

  it.each(KEYS)('matches %s with the edge pattern exactly when its media type has variants', (key) => {
    // Act
    const matched = precompressedKeyPattern().test(key) && precompressedKeyPattern().test(`/${key}`);

    // Assess
    expect(matched).toBe(PRECOMPRESSED_MEDIA_TYPES.has(contentTypeFor(key)));
  });

  it.each([
    ['atom.xml.br', 'atom.xml'],
    ['tags/go/archive/2/feed.json.gz', 'tags/go/archive/2/feed.json'],
    ['feeds.opml.br', 'feeds.opml'],
    ['rss.xml.br', 'rss.xml.br'],
    ['index.html.gz', 'index.html.gz'],
    ['atom.xml.zst', 'atom.xml.zst'],
    ['atom.xml', 'atom.xml'],
  ])('reads the stored key %s as belonging to %s', (key, expected) => {
    // Act
    const document = documentKeyOf(key);

    // Assess
    expect(document).toBe(expected);
  });

  it.each([
    ['atom.xml.br', 'subscription-feed'],
    ['fr/tags/go/feed.json.gz', 'subscription-feed'],
    ['tags/go/archive/3/atom.xml.gz', 'archive-page'],
    ['feeds.opml.br', 'feed-list'],
  ])('gives the variant %s the role of its document (%s), so the repair owns it', (key, role) => {
    // Act
    const found = roleOfKey(key);

    // Assess
    expect(found).toBe(role);
  });

  it.each(['rss.xml.br', 'index.html.gz', 'notes.opml.br', '_catalog/catalog.json.gz', 'atom.xml.br.br'])('leaves %s outside the layout', (key) => {
    // Act
    const found = roleOfKey(key);

    // Assess
    expect(found).toBeUndefined();
  });
});
