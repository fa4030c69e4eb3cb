import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkup, escapeXml, escapeXmlAttribute } from '../../../../lambdas/core/text/escape.js';

describe('escapeXml', () => {
  it('escapes markup characters with named entities', () => {
    // Prepare
    const input = 'a & <b> "c"\r';

    // Act
    const output = escapeXml(input);

    // Assess
    expect(output).toBe('a &amp; &lt;b&gt; "c"&#xD;');
  });

  it('escapes markup characters with numeric references for RSS plain text', () => {
    // Prepare
    const input = 'a & <b>';

    // Act
    const output = escapeXml(input, true);

    // Assess
    expect(output).toBe('a &#x26; &#x3C;b&#x3E;');
  });
});

describe('escapeXmlAttribute', () => {
  it('escapes quotes, markup and white space that attribute normalization would change', () => {
    // Prepare
    const input = 'a"<&>\t\n\r';

    // Act
    const output = escapeXmlAttribute(input);

    // Assess
    expect(output).toBe('a&quot;&lt;&amp;&gt;&#x9;&#xA;&#xD;');
  });
});

describe('escapeMarkup', () => {
  it('escapes text for HTML inside a feed, leaving the apostrophe', () => {
    // Prepare
    const input = `AT&T <b> "x" it's`;

    // Act
    const output = escapeMarkup(input);

    // Assess
    expect(output).toBe("AT&amp;T &lt;b&gt; &quot;x&quot; it's");
  });
});

describe('escapeHtml', () => {
  it('escapes the apostrophe too, for single-quoted page attributes', () => {
    // Prepare
    const input = `AT&T <b> "x" it's`;

    // Act
    const output = escapeHtml(input);

    // Assess
    expect(output).toBe('AT&amp;T &lt;b&gt; &quot;x&quot; it&#39;s');
  });
});
