import { XMLValidator } from 'fast-xml-parser';
import { Feed } from 'feed';
import { describe, expect, it } from 'vitest';
import { createTextSlots, imageMediaType, patchAtomDocument, patchRssDocument } from '../../../../lambdas/core/feeds/feed-fixes.js';
import { normalizeUrl } from '../../../../lambdas/core/text/url.js';
import { renderFeeds } from '../../../support/render-site.js';
import { buildArticle, buildSite, BASE_DATE } from '../../../support/article-factory.js';
import { parseXmlTree, childNamed, childrenNamed } from '../../../validation/xml-tree.js';

/**
 * Each workaround in feed-fixes.ts comes with two tests: one showing that `feed` 6.0.0 still
 * has the defect (when it stops failing, the workaround can go), one showing our output
 * does not (it fails without the workaround).
 */

/** A bare `feed` 6 feed with one item, the way the library documents it. */
function upstreamFeed(item: Partial<Parameters<Feed['addItem']>[0]> = {}, options: Partial<ConstructorParameters<typeof Feed>[0]> = {}): Feed {
  const feed = new Feed({ title: 'T', id: 'https://news.example.com/', link: 'https://news.example.com/', updated: BASE_DATE, ...options });
  feed.addItem({ title: 'Item', link: 'https://news.example.com/a/', date: BASE_DATE, ...item });
  return feed;
}

function renderOne(overrides: Parameters<typeof buildArticle>[2], site = buildSite()): { rss: string; atom: string; json: string } {
  const [rss, atom, json] = renderFeeds([buildArticle('story', 0, overrides)], site).map((doc) => doc.body);
  return { rss: rss ?? '', atom: atom ?? '', json: json ?? '' };
}

function rssItem(xml: string) {
  const item = childNamed(childNamed(parseXmlTree(xml), 'channel')!, 'item');
  if (!item) throw new Error('no item');
  return item;
}

function atomEntry(xml: string) {
  const entry = childNamed(parseXmlTree(xml), 'entry');
  if (!entry) throw new Error('no entry');
  return entry;
}

describe('F1 CDATA sections with several ]]>', () => {
  it('shows feed 6 breaking the document at the second ]]>', () => {
    // Prepare
    const feed = upstreamFeed({ content: '<p>a]]>b]]>c</p>' });

    // Act
    const xml = feed.rss2();

    // Assess
    expect(XMLValidator.validate(xml)).not.toBe(true);
  });

  it('renders content with repeated ]]> as well-formed XML that reads back unchanged', () => {
    // Prepare
    const contentHtml = '<p>a]]>b]]>c]]></p>';

    // Act
    const { rss, atom } = renderOne({ contentHtml });

    // Assess
    expect(childNamed(rssItem(rss), 'content:encoded')?.text).toBe(contentHtml);
    expect(childNamed(atomEntry(atom), 'content')?.text).toBe(contentHtml);
  });
});

describe('F2 XML-illegal and C1 control characters', () => {
  it('shows feed 6 writing control characters raw', () => {
    // Prepare
    const feed = upstreamFeed({ title: 'bell\u0007 and C1\u0085' });

    // Act
    const xml = feed.atom1();

    // Assess
    expect(xml).toContain('\u0007');
  });

  it('removes control characters and keeps every other character', () => {
    // Prepare
    const title = 'a\u0000b\u0008c\u000Bd\u001Fe\u0085f\uFFFEg\uFFFFh\uD800i\ttab é 😀';

    // Act
    const { rss, atom, json } = renderOne({ title });

    // Assess
    const expected = 'abcdefghi\ttab é 😀';
    expect(childNamed(rssItem(rss), 'title')?.text).toBe(expected);
    expect(childNamed(atomEntry(atom), 'title')?.text).toBe(expected);
    expect((JSON.parse(json) as { items: { title: string }[] }).items[0]?.title).toBe(expected);
  });
});

describe('F3 attribute values', () => {
  it('shows feed 6 writing < raw into a category term', () => {
    // Prepare
    const feed = upstreamFeed({ category: [{ term: 'a<b' }] });

    // Act
    const xml = feed.atom1();

    // Assess: XML 1.0 forbids a raw < in attribute values (fast-xml-parser tolerates it).
    expect(xml).toContain('term="a<b"');
  });

  it('escapes <, &, quotes and white space in category terms', () => {
    // Prepare
    const tag = 'R&D <"lab">\tnew\nline';

    // Act
    const { atom } = renderOne({ tags: [tag] });

    // Assess
    expect(childNamed(atomEntry(atom), 'category')?.attributes.term).toBe(tag);
  });
});

describe('F4 literal &amp; in plain text', () => {
  it('shows feed 6 turning a literal &amp; into &', () => {
    // Prepare
    const feed = upstreamFeed({}, { title: 'Write &amp; for &' });

    // Act
    const title = childNamed(childNamed(parseXmlTree(feed.rss2()), 'channel')!, 'title')?.text;

    // Assess
    expect(title).toBe('Write & for &');
  });

  it('keeps a literal &amp; in site title, description, copyright and author names', () => {
    // Prepare
    const site = buildSite({ title: 'A &amp; B', description: 'd &amp;', copyright: '&amp;c', authors: [{ name: 'N &amp; M' }] });

    // Act
    const { rss, atom } = renderOne({ authors: [{ name: 'X &amp; Y' }] }, site);

    // Assess
    const channel = childNamed(parseXmlTree(rss), 'channel')!;
    expect(childNamed(channel, 'title')?.text).toBe('A &amp; B');
    expect(childNamed(channel, 'description')?.text).toBe('d &amp;');
    expect(childNamed(channel, 'copyright')?.text).toBe('&amp;c');
    expect(childNamed(rssItem(rss), 'dc:creator')?.text).toBe('X &amp; Y');
    expect(childNamed(childNamed(parseXmlTree(atom), 'author')!, 'name')?.text).toBe('N &amp; M');
  });
});

describe('F5 RSS plain text with markup characters', () => {
  it('shows feed 6 writing RSS item titles as CDATA', () => {
    // Prepare
    const feed = upstreamFeed({ title: 'AT&T <b>' });

    // Act
    const xml = feed.rss2();

    // Assess
    expect(xml).toContain('<title><![CDATA[AT&T <b>]]></title>');
  });

  it('writes RSS titles and categories with numeric character references', () => {
    // Prepare
    const overrides = { title: 'AT&T <b>', tags: ['Q&A'] };

    // Act
    const { rss } = renderOne(overrides);

    // Assess
    expect(rss).toContain('<title>AT&#x26;T &#x3C;b&#x3E;</title>');
    expect(rss).toContain('<category>Q&#x26;A</category>');
  });
});

describe('F6 Atom entry titles are type="html"', () => {
  it('shows feed 6 putting a plain title unescaped into an HTML title', () => {
    // Prepare
    const feed = upstreamFeed({ title: 'AT&T <b>' });

    // Act
    const title = childNamed(atomEntry(feed.atom1()), 'title');

    // Assess
    expect(title?.attributes.type).toBe('html');
    expect(title?.text).toBe('AT&T <b>');
  });

  it('HTML-escapes plain titles in Atom so an HTML reader shows the text', () => {
    // Prepare
    const overrides = { title: 'AT&T <b>' };

    // Act
    const { atom } = renderOne(overrides);

    // Assess
    expect(childNamed(atomEntry(atom), 'title')?.text).toBe('AT&amp;T &lt;b&gt;');
  });
});

describe('F7 dates default to the clock', () => {
  it('shows feed 6 using the current time without updated', () => {
    // Prepare
    const feed = new Feed({ title: 'T', id: 'https://news.example.com/', link: 'https://news.example.com/' });

    // Act
    const updated = childNamed(parseXmlTree(feed.atom1()), 'updated')?.text ?? '';

    // Assess
    expect(updated.startsWith('2021')).toBe(false);
  });

  it('takes updated and lastBuildDate from the newest item', () => {
    // Prepare
    const overrides = { updated: new Date(Date.UTC(2021, 11, 24, 10, 30)) };

    // Act
    const { rss, atom } = renderOne(overrides);

    // Assess
    expect(rss).toContain('<lastBuildDate>Fri, 24 Dec 2021 10:30:00 GMT</lastBuildDate>');
    expect(childNamed(parseXmlTree(atom), 'updated')?.text).toBe('2021-12-24T10:30:00.000Z');
  });
});

describe('F8 one self link per document', () => {
  it('shows the shared feed option giving RSS the Atom URL', () => {
    // Prepare
    const feed = upstreamFeed({}, { feed: 'https://news.example.com/atom.xml' });

    // Act
    const xml = feed.rss2();

    // Assess
    expect(xml).toContain('<atom:link href="https://news.example.com/atom.xml" rel="self"');
  });

  it('gives each document its own URL as self link', () => {
    // Act
    const { rss, atom, json } = renderOne({});

    // Assess
    expect(rss).toContain('<atom:link href="https://news.example.com/rss.xml" rel="self"');
    expect(atom).toContain('<link rel="self" href="https://news.example.com/atom.xml"/>');
    expect((JSON.parse(json) as { feed_url: string }).feed_url).toBe('https://news.example.com/feed.json');
  });
});

describe('F9 Atom language', () => {
  it('shows feed 6 writing no xml:lang', () => {
    // Act
    const xml = upstreamFeed({}, { language: 'en' }).atom1();

    // Assess
    expect(parseXmlTree(xml).attributes['xml:lang']).toBeUndefined();
  });

  it('adds xml:lang to the feed element', () => {
    // Act
    const patched = patchAtomDocument(upstreamFeed().atom1(), 'id');

    // Assess
    expect(parseXmlTree(patched).attributes['xml:lang']).toBe('id');
  });
});

describe('F10 RSS namespace declarations', () => {
  it('shows feed 6 leaving dc: undeclared when an item has no content', () => {
    // Prepare
    const feed = upstreamFeed({ extensions: [{ name: 'dc:creator', objects: { _text: 'Rina' } }] });

    // Act
    const root = parseXmlTree(feed.rss2());

    // Assess
    expect(root.attributes['xmlns:dc']).toBeUndefined();
  });

  it('declares dc, content, atom and media on every RSS document', () => {
    // Act
    const root = parseXmlTree(patchRssDocument(upstreamFeed().rss2()));

    // Assess
    expect(Object.keys(root.attributes)).toEqual(expect.arrayContaining(['xmlns:dc', 'xmlns:content', 'xmlns:atom', 'xmlns:media']));
  });
});

describe('F11 RSS authors', () => {
  it('shows feed 6 writing names as <author>, once per author', () => {
    // Prepare
    const feed = upstreamFeed({ author: [{ name: 'Rina' }, { name: 'Budi' }] });

    // Act
    const authors = childrenNamed(rssItem(feed.rss2()), 'author');

    // Assess
    expect(authors.map((author) => author.text)).toEqual(['Rina', 'Budi']);
  });

  it('credits authors with dc:creator and writes no <author>', () => {
    // Prepare
    const overrides = { authors: [{ name: 'Rina', email: 'rina@news.example.com' }, { name: 'Budi' }] };

    // Act
    const item = rssItem(renderOne(overrides).rss);

    // Assess
    expect(childrenNamed(item, 'author')).toEqual([]);
    expect(childrenNamed(item, 'dc:creator').map((creator) => creator.text)).toEqual(['Rina', 'Budi']);
  });
});

describe('F12 Atom categories', () => {
  it('shows feed 6 writing a name-only category without term', () => {
    // Act
    const category = childNamed(atomEntry(upstreamFeed({ category: [{ name: 'news' }] }).atom1()), 'category');

    // Assess
    expect(category?.attributes.term).toBeUndefined();
  });

  it('writes every tag as a category term', () => {
    // Act
    const entry = atomEntry(renderOne({ tags: ['news', 'weather'] }).atom);

    // Assess
    expect(childrenNamed(entry, 'category').map((category) => category.attributes.term)).toEqual(['news', 'weather']);
  });
});

describe('F13 image enclosures', () => {
  it('shows feed 6 writing a zero length and a guessed media type', () => {
    // Act
    const xml = upstreamFeed({ image: 'https://news.example.com/a.jpg' }).rss2();

    // Assess
    expect(xml).toContain('<enclosure url="https://news.example.com/a.jpg" length="0" type="image/jpg"/>');
  });

  it('uses media:content in RSS and a registered media type in Atom', () => {
    // Prepare
    const overrides = { image: 'https://news.example.com/a.jpg?size=large&v=2' };

    // Act
    const { rss, atom } = renderOne(overrides);

    // Assess
    expect(childNamed(rssItem(rss), 'enclosure')).toBeUndefined();
    expect(childNamed(rssItem(rss), 'media:content')?.attributes).toEqual({ url: overrides.image, medium: 'image', type: 'image/jpeg' });
    const enclosure = childrenNamed(atomEntry(atom), 'link').find((link) => link.attributes.rel === 'enclosure');
    expect(enclosure?.attributes).toMatchObject({ href: overrides.image, type: 'image/jpeg' });
  });

  it('maps image extensions to registered media types', () => {
    // Act
    const types = ['a.JPG', 'b.svg', 'c.webp', 'd'].map((file) => imageMediaType(`https://news.example.com/${file}`));

    // Assess
    expect(types).toEqual(['image/jpeg', 'image/svg+xml', 'image/webp', undefined]);
  });
});

describe('F14 ids and links through new URL()', () => {
  it('keeps tag: ids unchanged', () => {
    // Act
    const id = normalizeUrl('tag:news.example.com,2021:2021/11/un-condemns-attack');

    // Assess
    expect(id).toBe('tag:news.example.com,2021:2021/11/un-condemns-attack');
  });

  it('gives an item the same id in all three formats', () => {
    // Prepare
    const overrides = { id: 'tag:news.example.com,2021:berita/ü' };

    // Act
    const { rss, atom, json } = renderOne(overrides);

    // Assess
    const ids = [
      childNamed(rssItem(rss), 'guid')?.text,
      childNamed(atomEntry(atom), 'id')?.text,
      (JSON.parse(json) as { items: { id: string }[] }).items[0]?.id,
    ];
    expect(new Set(ids)).toEqual(new Set(['tag:news.example.com,2021:berita/%C3%BC']));
  });
});

describe('F15 JSON Feed version', () => {
  it('shows feed 6 writing JSON Feed version 1 with a single author', () => {
    // Act
    const json = JSON.parse(upstreamFeed({ author: [{ name: 'Rina' }] }).json1()) as { version: string; items: Record<string, unknown>[] };

    // Assess
    expect(json.version).toBe('https://jsonfeed.org/version/1');
    expect(json.items[0]).toHaveProperty('author');
  });
});

describe('F17 carriage returns', () => {
  it('shows feed 6 writing a raw CR, which XML parsers turn into LF', () => {
    // Act
    const xml = upstreamFeed({}, { title: 'a\rb' }).atom1();

    // Assess
    expect(xml).toContain('<title>a\rb</title>');
  });

  it('writes CR as a character reference so it reads back unchanged', () => {
    // Act
    const { atom } = renderOne({}, buildSite({ title: 'a\rb' }));

    // Assess
    expect(atom).toContain('<title>a&#xD;b</title>');
  });
});

describe('F18 authors without a name', () => {
  it('shows feed 6 writing an empty Atom name', () => {
    // Act
    const xml = upstreamFeed({ author: [{ email: 'desk@news.example.com' }] }).atom1();

    // Assess
    expect(xml).toContain('<name/>');
  });

  it('credits the site authors instead of a nameless one', () => {
    // Act
    const entry = atomEntry(renderOne({ authors: [{ name: '', email: 'desk@news.example.com' }] }).atom);

    // Assess
    expect(childrenNamed(entry, 'author').map((author) => childNamed(author, 'name')?.text)).toEqual(['Rina Editor']);
  });
});

describe('createTextSlots', () => {
  it('resolves the same token in text, CDATA and attribute positions', () => {
    // Prepare
    const slots = createTextSlots();
    const token = slots.plain('a<b&"c"\r');
    const xml = `<r x="${token}"><t>${token}</t><c><![CDATA[${token}]]></c></r>`;

    // Act
    const resolved = slots.resolve(xml, 'atom');

    // Assess
    expect(resolved).toBe('<r x="a&lt;b&amp;&quot;c&quot;&#xD;"><t>a&lt;b&amp;"c"&#xD;</t><c>a&lt;b&amp;"c"&#xD;</c></r>');
  });
});
