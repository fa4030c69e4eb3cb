/**
 * A browser view of the XML feeds: an XSLT 1.0 style sheet that turns RSS 2.0 and Atom 1.0 into
 * a readable page with a "how to subscribe" note, and the processing instruction that links a
 * feed to it. Feed readers ignore both; where a browser does not run XSLT the feed still shows
 * as plain XML, so nothing depends on it.
 */
import type { SiteConfig } from '../content/article.js';
import { FEED_STYLESHEET_KEY, SITE_STYLESHEET_KEY } from '../plan/document-keys.js';
import { FEED_FORMATS, toOutputDocument, type OutputDocument } from '../plan/outputs.js';
import { escapeMarkup } from '../text/escape.js';
import { RTL_LANGUAGES } from '../text/language.js';

/**
 * Content-Security-Policy for the XML feeds when a browser may run the style sheet: CSP counts
 * XSLT as script, so `script-src 'self'` lets the browser apply `feed.xsl` (and nothing else);
 * under the pages' policy the transformed view comes out blank. Readers ignore CSP.
 */
export const FEED_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src https: http: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Absolute URL of the feed style sheet. Browsers run XSLT only from the feed's own origin. */
export function feedStylesheetUrl(site: SiteConfig): string {
  return site.siteUrl + FEED_STYLESHEET_KEY;
}

const XML_DECLARATION = /^\uFEFF?<\?xml\s[^?]*\?>/;

/** The media types of the XML feeds a browser can show through feed.xsl. */
const XML_FEED_TYPES: readonly string[] = [FEED_FORMATS.rss.contentType, FEED_FORMATS.atom.contentType];

/**
 * The document with its body linked to the style sheet at `href` when it is an RSS or Atom
 * feed (subscription or archive page); any other document unchanged.
 */
export function linkFeedStylesheet(document: OutputDocument, href: string): OutputDocument {
  const feed = document.role === 'subscription-feed' || document.role === 'archive-page';
  return feed && XML_FEED_TYPES.includes(document.contentType) ? { ...document, body: addStylesheetInstruction(document.body, href) } : document;
}

/**
 * Inserts `<?xml-stylesheet type="text/xsl" href="…"?>` right after the XML declaration (or at
 * the start when there is none). A document that already names a style sheet is returned as is.
 */
export function addStylesheetInstruction(xml: string, href: string): string {
  const declaration = XML_DECLARATION.exec(xml)?.[0] ?? '';
  const rest = xml.slice(declaration.length);
  if (/^\s*(?:<\?(?!xml-stylesheet)[^?]*\?>\s*|<!--[\s\S]*?-->\s*)*<\?xml-stylesheet\s/.test(rest)) return xml;
  const instruction = `<?xml-stylesheet type="text/xsl" href="${escapeMarkup(href)}"?>`;
  return declaration === '' ? `${instruction}\n${xml}` : `${declaration}\n${instruction}${rest}`;
}

/** The XSLT document that renders both RSS 2.0 and Atom 1.0 feeds with the site's style sheet. */
export function renderFeedStylesheet(site: SiteConfig): OutputDocument {
  const css = escapeMarkup(site.siteUrl + SITE_STYLESHEET_KEY);
  return toOutputDocument(FEED_STYLESHEET_KEY, FEED_XSL.replace('{{css}}', css).replace('{{rtl}}', [...RTL_LANGUAGES].join(' ')), 'asset');
}

// Atom titles and summaries of type "html" hold escaped markup; our text is plain, so the view
// only decodes the five escapes (never disable-output-escaping, which would inject markup).
const FEED_XSL = `<?xml version="1.0" encoding="utf-8"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:variable name="lang" select="string((/rss/channel/language | /atom:feed/@xml:lang)[1])"/>
  <xsl:variable name="primary" select="translate(substring-before(concat($lang, '-'), '-'), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"/>
  <xsl:variable name="self" select="string((/rss/channel/atom:link[@rel = 'self'] | /atom:feed/atom:link[@rel = 'self'])[1]/@href)"/>

  <xsl:template match="/">
    <html>
      <xsl:if test="$lang != ''"><xsl:attribute name="lang"><xsl:value-of select="$lang"/></xsl:attribute></xsl:if>
      <xsl:attribute name="dir">
        <xsl:choose>
          <xsl:when test="contains(' {{rtl}} ', concat(' ', $primary, ' '))">rtl</xsl:when>
          <xsl:otherwise>ltr</xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>Feed: <xsl:apply-templates select="(/rss/channel/title | /atom:feed/atom:title)[1]" mode="text"/></title>
        <link rel="stylesheet" href="{{css}}"/>
      </head>
      <body>
        <main id="main">
          <xsl:apply-templates select="/rss/channel | /atom:feed"/>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template name="about">
    <xsl:param name="title"/>
    <xsl:param name="description"/>
    <xsl:param name="home"/>
    <h1><xsl:apply-templates select="$title" mode="text"/></h1>
    <xsl:if test="$description"><p><xsl:apply-templates select="$description" mode="text"/></p></xsl:if>
    <section class="subscribe" aria-labelledby="subscribe" lang="en" dir="ltr">
      <h2 id="subscribe">How to subscribe</h2>
      <p>This is a web feed. Copy this URL into your feed reader to follow new articles:</p>
      <p><code><xsl:value-of select="$self"/></code></p>
      <xsl:if test="$home"><p><a href="{$home}">Visit the website</a></p></xsl:if>
    </section>
    <h2 id="latest" lang="en" dir="ltr">Latest articles</h2>
  </xsl:template>

  <xsl:template match="channel">
    <xsl:call-template name="about">
      <xsl:with-param name="title" select="title"/>
      <xsl:with-param name="description" select="description"/>
      <xsl:with-param name="home" select="string(link)"/>
    </xsl:call-template>
    <ol class="articles" aria-labelledby="latest"><xsl:apply-templates select="item"/></ol>
  </xsl:template>

  <xsl:template match="item">
    <li><article>
      <h3><a href="{link}"><xsl:value-of select="title"/></a></h3>
      <xsl:if test="pubDate"><p class="meta"><xsl:value-of select="pubDate"/></p></xsl:if>
      <xsl:if test="description"><p><xsl:value-of select="description"/></p></xsl:if>
    </article></li>
  </xsl:template>

  <xsl:template match="atom:feed">
    <xsl:call-template name="about">
      <xsl:with-param name="title" select="atom:title"/>
      <xsl:with-param name="description" select="atom:subtitle"/>
      <xsl:with-param name="home" select="string(atom:link[@rel = 'alternate' or not(@rel)][1]/@href)"/>
    </xsl:call-template>
    <ol class="articles" aria-labelledby="latest"><xsl:apply-templates select="atom:entry"/></ol>
  </xsl:template>

  <xsl:template match="atom:entry">
    <xsl:variable name="date" select="string((atom:published | atom:updated)[1])"/>
    <li><article>
      <h3><a href="{atom:link[@rel = 'alternate' or not(@rel)][1]/@href}"><xsl:apply-templates select="atom:title" mode="text"/></a></h3>
      <xsl:if test="$date != ''"><p class="meta"><time datetime="{$date}"><xsl:value-of select="substring($date, 1, 10)"/></time></p></xsl:if>
      <xsl:if test="atom:summary"><p><xsl:apply-templates select="atom:summary" mode="text"/></p></xsl:if>
    </article></li>
  </xsl:template>

  <xsl:template match="*" mode="text">
    <xsl:choose>
      <xsl:when test="@type = 'html'">
        <xsl:call-template name="unescape"><xsl:with-param name="text" select="string(.)"/></xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="."/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="unescape">
    <xsl:param name="text"/>
    <xsl:choose>
      <xsl:when test="contains($text, '&amp;')">
        <xsl:value-of select="substring-before($text, '&amp;')"/>
        <xsl:variable name="after" select="substring-after($text, '&amp;')"/>
        <xsl:choose>
          <xsl:when test="starts-with($after, 'amp;')">&amp;<xsl:call-template name="unescape"><xsl:with-param name="text" select="substring($after, 5)"/></xsl:call-template></xsl:when>
          <xsl:when test="starts-with($after, 'lt;')">&lt;<xsl:call-template name="unescape"><xsl:with-param name="text" select="substring($after, 4)"/></xsl:call-template></xsl:when>
          <xsl:when test="starts-with($after, 'gt;')">&gt;<xsl:call-template name="unescape"><xsl:with-param name="text" select="substring($after, 4)"/></xsl:call-template></xsl:when>
          <xsl:when test="starts-with($after, 'quot;')">"<xsl:call-template name="unescape"><xsl:with-param name="text" select="substring($after, 6)"/></xsl:call-template></xsl:when>
          <xsl:when test="starts-with($after, '#39;')">'<xsl:call-template name="unescape"><xsl:with-param name="text" select="substring($after, 5)"/></xsl:call-template></xsl:when>
          <xsl:otherwise>&amp;<xsl:call-template name="unescape"><xsl:with-param name="text" select="$after"/></xsl:call-template></xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
`;
