/**
 * Markdown (CommonMark + GFM) to sanitized HTML. Raw HTML in articles is parsed, then filtered
 * through an explicit allowlist derived from GitHub's; every remaining URL is made absolute
 * against the article's URL, because feed readers show content out of the page's context.
 */
import type { Element, Root, RootContent } from 'hast';
import rehypeRaw from 'rehype-raw';
import rehypeSanitize, { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import type { VFile } from 'vfile';
import { balanceBlockBidi } from './balance-block-bidi.js';
import { enforceHtmlLength, rehypeBudget, remarkBudget } from './markdown-budget.js';
import { ContentInputError } from './safe-yaml.js';
import { isRightToLeft } from '../text/language.js';

/**
 * Markdown delimiter characters allowed in one block (text between blank lines). Inline parsing
 * is superlinear in delimiters per block (`*_*_…` or nested `[[[…]]]`), so an unbounded block
 * could stall the publisher; ordinary prose stays far below this.
 */
export const MAX_DELIMITERS_PER_BLOCK = 2000;

/**
 * Backticks allowed in one block: an unmatched run is compared with every later run of the
 * block, so `\`` repeated costs time quadratic in the backticks of one block.
 */
export const MAX_BACKTICKS_PER_BLOCK = 200;

/** Markdown delimiter characters allowed in one body (bounds the total parse time). */
export const MAX_DELIMITERS_PER_BODY = 200_000;

/**
 * Longest run of leading container markup (spaces, tabs, `>`, list markers) on one line, and
 * the sum of those runs over the body. Every line is matched against every open list or quote,
 * so the work grows with lines times depth; these bounds keep a 2 MiB body to seconds.
 */
export const MAX_LINE_INDENT = 64;
export const MAX_TOTAL_INDENT = 200_000;

/** Lines allowed in one body: parsing costs tens of microseconds per line. */
export const MAX_BODY_LINES = 50_000;

/**
 * Lines allowed in one block (text between blank lines). With GFM every line of a paragraph is
 * tried as a table row, so one 30,000-line paragraph parses ten times slower than the same lines
 * split into blocks; a table may have this many rows.
 */
export const MAX_LINES_PER_BLOCK = 2000;

const DELIMITERS = /[*_[\]()<>`~]/g;
// Runs filling a whole line are thematic breaks or setext underlines, not nesting.
const LEADING_CONTAINERS = /^[ \t>*+\-\d.)]+(?=[^ \t>*+\-\d.)\n])/gm;

/**
 * Characters that are illegal in XML 1.0 or draw feed-validator warnings: C0 controls except
 * tab/LF/CR, C1 controls, U+FFFE/U+FFFF and lone surrogates. Bodies have them STRIPPED (not
 * rejected): they are invisible, and removing them keeps every visible character.
 */
const XML_ILLEGAL =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Removes the characters described at {@link XML_ILLEGAL}. */
export function stripXmlIllegal(text: string): string {
  return text.replace(XML_ILLEGAL, '');
}

const DROPPED_ATTRIBUTES = new Set([
  'accept', 'acceptCharset', 'accessKey', 'action', 'encType', 'method', 'tabIndex', 'useMap', 'isMap',
]);

/** GitHub's allowlist minus forms, `picture`/`source` (srcset) and `longDesc`; only http(s) and mailto. */
const SCHEMA: SanitizeSchema = {
  ...defaultSchema,
  tagNames: (defaultSchema.tagNames ?? []).filter((tag) => !['input', 'picture', 'source'].includes(tag)),
  attributes: {
    ...Object.fromEntries(
      Object.entries(defaultSchema.attributes ?? {}).filter(([tag]) => !['input', 'source'].includes(tag)),
    ),
    img: ['ariaDescribedBy', 'ariaLabel', 'ariaLabelledBy', 'src'],
    '*': (defaultSchema.attributes?.['*'] ?? []).filter(
      (attribute) => typeof attribute !== 'string' || !DROPPED_ATTRIBUTES.has(attribute),
    ),
  },
  protocols: { href: ['http', 'https', 'mailto'], src: ['http', 'https'], cite: ['http', 'https'] },
  required: {},
  // Removed with their content (other disallowed elements are unwrapped, keeping their text).
  strip: ['script', 'style', 'iframe', 'object', 'embed', 'svg', 'math', 'template', 'noscript',
    'textarea', 'title', 'xmp', 'noembed', 'noframes', 'select', 'applet', 'frameset'],
};

const URL_ATTRIBUTES = ['href', 'src', 'cite'] as const;
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** Rewrites every URL attribute to an absolute http(s)/mailto URL, or removes it. */
function absolutizeUrls() {
  return (tree: Root, file: VFile): void => {
    const base = String(file.data.baseUrl);
    const visit = (node: Root | RootContent): void => {
      if (node.type === 'element') rewriteElement(node, base);
      if ('children' in node) node.children.forEach(visit);
    };
    visit(tree);
  };
}

function rewriteElement(element: Element, base: string): void {
  for (const name of URL_ATTRIBUTES) {
    const value = element.properties[name];
    if (value === undefined || value === null) continue;
    const url = URL.canParse(String(value), base) ? new URL(String(value), base) : undefined;
    if (url && SAFE_PROTOCOLS.has(url.protocol)) element.properties[name] = url.href;
    else delete element.properties[name];
  }
}

// Built once at module load: constructing the pipeline costs more than rendering a short article.
const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkBudget)
  .use(remarkRehype, { allowDangerousHtml: true })
  .use(rehypeRaw)
  .use(rehypeSanitize, SCHEMA)
  .use(absolutizeUrls)
  .use(balanceBlockBidi)
  .use(rehypeBudget)
  .use(rehypeStringify)
  .freeze();

/** Checks each block (text between blank lines) and returns the body's delimiter count. */
function checkBlocks(markdown: string): number {
  let total = 0;
  markdown.split(/\n[ \t]*\n/).forEach((block, index) => {
    const lineCount = block.split('\n').length;
    if (lineCount > MAX_LINES_PER_BLOCK) {
      throw new ContentInputError(
        `block ${index + 1} has ${lineCount} lines, more than ${MAX_LINES_PER_BLOCK}; split it with blank lines`, 'body');
    }
    const backticks = block.match(/`/g)?.length ?? 0;
    if (backticks > MAX_BACKTICKS_PER_BLOCK) {
      throw new ContentInputError(
        `block ${index + 1} has ${backticks} backticks, more than ${MAX_BACKTICKS_PER_BLOCK}; split it with blank lines`, 'body');
    }
    const count = block.match(DELIMITERS)?.length ?? 0;
    if (count > MAX_DELIMITERS_PER_BLOCK) {
      throw new ContentInputError(
        `block ${index + 1} has ${count} Markdown delimiter characters (*_[]()<>\`~), more than ${MAX_DELIMITERS_PER_BLOCK}; split it with blank lines`,
        'body',
      );
    }
    total += count;
  });
  return total;
}

/** Rejects bodies over the line, nesting and delimiter bounds declared above. */
function checkComplexity(markdown: string): void {
  const lines = markdown.split('\n').length;
  if (lines > MAX_BODY_LINES) throw new ContentInputError(`has more than ${MAX_BODY_LINES} lines`, 'body');
  const runs = markdown.match(LEADING_CONTAINERS) ?? [];
  if (runs.some((run) => run.length > MAX_LINE_INDENT)) {
    throw new ContentInputError(`a line is indented or nested more than ${MAX_LINE_INDENT} characters deep`, 'body');
  }
  if (runs.reduce((sum, run) => sum + run.length, 0) > MAX_TOTAL_INDENT) {
    throw new ContentInputError(`has more than ${MAX_TOTAL_INDENT} characters of indentation and nesting`, 'body');
  }
  const total = checkBlocks(markdown);
  if (total > MAX_DELIMITERS_PER_BODY) {
    throw new ContentInputError(`has more than ${MAX_DELIMITERS_PER_BODY} Markdown delimiter characters`, 'body');
  }
}

/**
 * Renders an article body. `baseUrl` is the article's absolute URL (relative links and images
 * resolve against it); `lang` decides the `<div dir="rtl" lang="…">` wrapper. Bidi formatting
 * characters are balanced per block (see `balanceBlockBidi`). The output never
 * contains `]]>` (written `]]&gt;`), so it is safe inside one CDATA section.
 *
 * @throws ContentInputError (field `body`) for bodies too complex or too deeply nested to render,
 *   or whose HTML would exceed the output budget (see `markdown-budget.ts`); bidi controls
 *   nested too deeply included.
 */
export function renderMarkdown(markdown: string, options: { baseUrl: string; lang: string }): string {
  checkComplexity(markdown);
  let file: VFile;
  try {
    file = processor.processSync({ value: stripXmlIllegal(markdown), data: { baseUrl: options.baseUrl } });
  } catch (cause) {
    if (cause instanceof ContentInputError) throw cause;
    // Deep nesting (thousands of `>` or `<div>`) overflows the parsers' recursion.
    const reason = cause instanceof RangeError ? 'nests too deeply to render' : 'could not be rendered';
    throw new ContentInputError(reason, 'body', { cause });
  }
  // References such as &#1; decode to illegal characters or to U+FFFD, which feed validators
  // flag as BadCharacters: neither carries meaning, so both are removed from the output.
  const html = stripXmlIllegal(String(file)).replaceAll('\uFFFD', '').replaceAll(']]>', ']]&gt;');
  // The trees were checked against estimates; this bounds the published length exactly.
  enforceHtmlLength(html.length, markdown.length);
  return isRightToLeft(options.lang) ? `<div dir="rtl" lang="${options.lang}">${html}</div>` : html;
}
