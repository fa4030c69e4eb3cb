/**
 * Output budget of one Markdown body. Parsing is bounded by the input limits in `markdown.ts`,
 * but the HTML can still be far larger than the input: GFM fills every table row out to the
 * header's width, and a link definition is copied into every reference to it. These checks run
 * on the Markdown tree (before the HTML tree is built) and on the HTML tree (before it is
 * serialised), so an over-budget body is refused without ever being expanded.
 */
import type { Nodes as HastNodes, Root as HastRoot } from 'hast';
import type { Nodes as MdastNodes, Root as MdastRoot } from 'mdast';
import type { VFile } from 'vfile';
import { ContentInputError, MAX_FILE_BYTES } from './safe-yaml.js';

/** Most HTML one body may render to, in characters (twice the input file limit: 4 Mi). */
export const MAX_HTML_CHARS = 2 * MAX_FILE_BYTES;

/** HTML allowed per body character, on top of {@link HTML_ALLOWANCE_CHARS}. */
export const MAX_HTML_RATIO = 10;

/** HTML any body may render to whatever its length, so short articles are never refused. */
export const HTML_ALLOWANCE_CHARS = 256 * 1024;

/** Table cells one body may render, counting the cells GFM adds to fill short rows. */
export const MAX_TABLE_CELLS = 20_000;

/** Characters of link definitions (URL and title) copied into reference links, once per use. */
export const MAX_REFERENCE_CHARS = 512 * 1024;

/** Nodes allowed in the Markdown tree and in the HTML tree of one body. */
export const MAX_NODES = 100_000;

// Estimates of the markup around each node; the exact length is checked after serialising.
const NODE_CHARS = 12;
const CELL_CHARS = 10;
const FOOTNOTE_USE_CHARS = 320;

/** The most HTML characters a body of `inputChars` characters may render to. */
export function htmlBudget(inputChars: number): number {
  return Math.min(MAX_HTML_CHARS, HTML_ALLOWANCE_CHARS + MAX_HTML_RATIO * inputChars);
}

/** What a tree renders to: nodes, HTML characters, table cells and reference expansions. */
export interface OutputTally {
  nodes: number;
  chars: number;
  cells: number;
  referenceChars: number;
}

/** Every node of a tree, without recursion (raw HTML may nest deeper than the call stack). */
function* walk<T extends object>(root: T): Generator<T> {
  const stack: T[] = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    yield node;
    const children = 'children' in node && Array.isArray(node.children) ? (node.children as T[]) : [];
    for (let i = children.length - 1; i >= 0; i -= 1) stack.push(children[i] as T);
  }
}

/** Length of `url` once made absolute: relative URLs get the article URL in front. */
function urlChars(url: string, base: number): number {
  return URL.canParse(url) ? url.length : base + url.length;
}

/** Adds what one Markdown node renders to, except reference expansions (resolved afterwards). */
function tallyMdast(node: MdastNodes, tally: OutputTally, base: number, uses: Map<string, number>): void {
  tally.nodes += 1;
  if ('value' in node) tally.chars += node.value.length;
  if (node.type !== 'text') tally.chars += NODE_CHARS;
  if (node.type === 'link' || node.type === 'image') tally.chars += urlChars(node.url, base) + (node.title?.length ?? 0);
  if (node.type === 'image' || node.type === 'imageReference') tally.chars += node.alt?.length ?? 0;
  if (node.type === 'linkReference' || node.type === 'imageReference') {
    uses.set(node.identifier, (uses.get(node.identifier) ?? 0) + 1);
  }
  // Each use adds a numbered link and a back reference, both naming the label and the page URL.
  if (node.type === 'footnoteReference') tally.chars += FOOTNOTE_USE_CHARS + 2 * base + 4 * node.identifier.length;
  if (node.type === 'table') {
    const columns = node.align?.length ?? Math.max(0, ...node.children.map((row) => row.children.length));
    const cells = node.children.length * columns;
    tally.cells += cells;
    tally.nodes += cells;
    tally.chars += cells * CELL_CHARS;
  }
}

/** Tallies a Markdown tree, counting each definition's URL and title once per reference to it. */
export function tallyMarkdown(tree: MdastRoot, baseUrlChars: number): OutputTally {
  const tally: OutputTally = { nodes: 0, chars: 0, cells: 0, referenceChars: 0 };
  const uses = new Map<string, number>();
  const definitions = new Map<string, number>();
  for (const node of walk<MdastNodes>(tree)) {
    tallyMdast(node, tally, baseUrlChars, uses);
    // The first definition of a label wins (CommonMark).
    if (node.type === 'definition' && !definitions.has(node.identifier)) {
      definitions.set(node.identifier, urlChars(node.url, baseUrlChars) + (node.title?.length ?? 0));
    }
  }
  for (const [identifier, count] of uses) tally.referenceChars += count * (definitions.get(identifier) ?? 0);
  tally.chars += tally.referenceChars;
  return tally;
}

/** `value` with `<` and `&` (text) or `"` and `&` (attributes) written as 6-character references. */
function escapedLength(value: string, special: RegExp): number {
  return value.length + 5 * (value.match(special)?.length ?? 0);
}

/** Tallies an HTML tree: nodes and the characters serialising it produces. */
export function tallyHtml(tree: HastRoot): OutputTally {
  const tally: OutputTally = { nodes: 0, chars: 0, cells: 0, referenceChars: 0 };
  for (const node of walk<HastNodes>(tree)) {
    tally.nodes += 1;
    if (node.type === 'text') tally.chars += escapedLength(node.value, /[<&]/g);
    if (node.type === 'element') {
      tally.chars += 2 * node.tagName.length + 5;
      for (const [name, value] of Object.entries(node.properties)) {
        tally.chars += name.length + 4 + escapedLength(Array.isArray(value) ? value.join(' ') : String(value), /["&]/g);
      }
    }
  }
  return tally;
}

/** Throws the `body` error naming the first limit `tally` exceeds. */
export function enforceBudget(tally: OutputTally, inputChars: number, stage: 'Markdown' | 'HTML'): void {
  if (tally.cells > MAX_TABLE_CELLS) {
    throw new ContentInputError(
      `tables have ${tally.cells} cells (rows × columns, short rows filled out), more than ${MAX_TABLE_CELLS}`, 'body');
  }
  if (tally.referenceChars > MAX_REFERENCE_CHARS) {
    throw new ContentInputError(
      `reference links repeat ${tally.referenceChars} characters of link definitions (URL and title once per use), more than ${MAX_REFERENCE_CHARS}`,
      'body');
  }
  if (tally.nodes > MAX_NODES) {
    throw new ContentInputError(`has ${tally.nodes} ${stage} nodes, more than ${MAX_NODES}`, 'body');
  }
  enforceHtmlLength(tally.chars, inputChars);
}

/** Throws when `htmlChars` of HTML is over the budget of a body of `inputChars` characters. */
export function enforceHtmlLength(htmlChars: number, inputChars: number): void {
  const budget = htmlBudget(inputChars);
  if (htmlChars > budget) {
    throw new ContentInputError(
      `renders to about ${htmlChars} characters of HTML, more than ${budget} (${HTML_ALLOWANCE_CHARS} + ${MAX_HTML_RATIO} × the body's ${inputChars}, at most ${MAX_HTML_CHARS})`,
      'body');
  }
}

/** Unified plugin: refuses a Markdown tree over budget before it is turned into HTML. */
export function remarkBudget() {
  return (tree: MdastRoot, file: VFile): void => {
    const input = String(file.value).length;
    enforceBudget(tallyMarkdown(tree, String(file.data.baseUrl).length), input, 'Markdown');
  };
}

/** Unified plugin: refuses an HTML tree over budget before it is serialised. */
export function rehypeBudget() {
  return (tree: HastRoot, file: VFile): void => {
    enforceBudget(tallyHtml(tree), String(file.value).length, 'HTML');
  };
}
