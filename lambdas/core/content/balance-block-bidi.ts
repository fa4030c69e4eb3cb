/**
 * Balances the bidi formatting characters of a sanitized article body, block by block, so an
 * unterminated override in the body cannot turn the text a page or a feed reader shows after it
 * (a reader that flattens HTML to text, or inserts the body inline, would otherwise carry it on).
 */
import type { Element, Root, RootContent, Text } from 'hast';
import { balanceBidi, balanceBidiRun, MAX_BIDI_DEPTH } from '../text/bidi.js';
import { ContentInputError } from './safe-yaml.js';

/**
 * Elements (of those the sanitizer keeps) that flow inside a line. Every other element, and
 * the body itself, is a block: a bidi paragraph of its own in HTML, where UAX #9 (rule X8)
 * ends every embedding and isolate anyway, so closing them at its end changes no rendering.
 */
const INLINE_ELEMENTS: ReadonlySet<string> = new Set([
  'a', 'b', 'br', 'code', 'del', 'em', 'i', 'img', 'ins', 'kbd', 'q', 'rp', 'rt', 'ruby', 's', 'samp', 'span',
  'strike', 'strong', 'sub', 'sup', 'tt', 'var',
]);

/**
 * A rehype plugin: the text nodes of each block are balanced as one paragraph (a closer that
 * closes nothing is dropped, what is still open is closed at the end of the block's last text),
 * and every text attribute (`alt`, `title`) is balanced on its own.
 *
 * @throws ContentInputError (field `body`) when a block nests deeper than UAX #9's max_depth.
 */
export function balanceBlockBidi() {
  return (tree: Root): void => {
    let run: Text[] = [];
    const endBlock = (): void => {
      const { texts, depth } = balanceBidiRun(run.map((node) => node.value));
      if (depth > MAX_BIDI_DEPTH) {
        throw new ContentInputError(`nests bidi embeddings, overrides and isolates more than ${MAX_BIDI_DEPTH} deep`, 'body');
      }
      run.forEach((node, index) => (node.value = texts[index] ?? node.value));
      run = [];
    };
    const visit = (node: Root | RootContent): void => {
      if (node.type === 'text') run.push(node);
      if (node.type !== 'element' && node.type !== 'root') return;
      const block = node.type === 'root' || !INLINE_ELEMENTS.has(node.tagName);
      if (node.type === 'element') balanceAttributes(node);
      if (block) endBlock();
      node.children.forEach(visit);
      if (block) endBlock();
    };
    visit(tree);
  };
}

function balanceAttributes(element: Element): void {
  for (const [name, value] of Object.entries(element.properties)) {
    if (typeof value === 'string') element.properties[name] = balanceBidi(value);
  }
}
