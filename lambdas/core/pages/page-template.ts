/**
 * The HTML shell shared by every page: the document head, landmarks and the security
 * policy the pages are written for. Pure string building, so the bytes depend only on the input.
 */
import { escapeHtml } from '../text/escape.js';
import { SITE_STYLESHEET_KEY } from '../plan/document-keys.js';
import { directionOf } from '../text/language.js';

/**
 * Content-Security-Policy the pages are written for; the edge (local and CloudFront) sends it
 * with every HTML page. The pages carry no script and no inline style, so nothing but our own
 * style sheet and images may load: article images are absolute URLs on any host (`data:` for
 * inlined ones, `http:` for the local preview). `base-uri`, `form-action` and `frame-ancestors`
 * do not fall back to `default-src`, so they are closed explicitly.
 */
export const PAGE_CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'self'; img-src https: http: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The URL itself when it is absolute http(s), else `undefined`: a `javascript:` or relative
 * value coming from content never reaches an `href` or `src`.
 */
export function safeUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** What the shell needs to know about a page. */
export interface PageShell {
  /** Text of `<title>`, plain. */
  readonly title: string;
  readonly lang: string;
  /** Absolute URL of the page. */
  readonly canonicalUrl: string;
  readonly description?: string;
  /** Absolute site base URL (ends in `/`), for the style sheet and the home link. */
  readonly siteUrl: string;
  /** Site title for the banner, plain. */
  readonly siteTitle: string;
  /** Language of the site title (the site's default language). */
  readonly siteLang: string;
  /** Extra `<link>`/`<meta>` elements, already escaped. */
  readonly headLinks: readonly string[];
  /** Inner HTML of `<main>`, already escaped. */
  readonly main: string;
  /** Inner HTML of `<footer>`, already escaped. */
  readonly footer: string;
}

/**
 * `lang` and `dir` attributes for an element whose text is in `lang` inside a page (or list) in
 * `outerLang`: empty when they agree, so the markup stays small.
 */
export function languageAttributes(lang: string, outerLang: string): string {
  if (lang === outerLang) return '';
  return ` lang="${escapeHtml(lang)}" dir="${directionOf(lang)}"`;
}

/** A complete HTML document: doctype, head, skip link, banner, main and footer landmarks. */
export function renderShell(page: PageShell): string {
  const head = [
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(page.title)}</title>`,
    ...(page.description ? [`<meta name="description" content="${escapeHtml(page.description)}">`] : []),
    `<link rel="canonical" href="${escapeHtml(page.canonicalUrl)}">`,
    `<link rel="stylesheet" href="${escapeHtml(page.siteUrl + SITE_STYLESHEET_KEY)}">`,
    ...page.headLinks,
  ];
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(page.lang)}" dir="${directionOf(page.lang)}">`,
    '<head>',
    ...head.map((line) => `  ${line}`),
    '</head>',
    '<body>',
    '<a class="skip" href="#main">Skip to content</a>',
    `<header class="site"${languageAttributes(page.siteLang, page.lang)}>`,
    `  <a class="home" href="${escapeHtml(page.siteUrl)}">${escapeHtml(page.siteTitle)}</a>`,
    '</header>',
    '<main id="main">',
    page.main,
    '</main>',
    '<footer class="site">',
    page.footer,
    '</footer>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
