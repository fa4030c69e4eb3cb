import { XMLParser } from 'fast-xml-parser';

/**
 * A minimal ordered XML tree (element names as written, prefixes included), enough for the
 * feed rules to look at element order, attributes and text. Character references are left
 * to the caller where they matter (see {@link decodeXmlText}).
 */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** Concatenated character data (text and CDATA) directly inside this element. */
  readonly text: string;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: false,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  cdataPropName: '#cdata',
});

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

/** Parses a document into its root element; throws when there is none. */
export function parseXmlTree(xml: string): XmlElement {
  const nodes = parser.parse(xml) as OrderedNode[];
  const root = nodes.map(toElement).find((element): element is XmlElement => element !== undefined && !element.name.startsWith('?'));
  if (!root) throw new Error('no root element');
  return root;
}

function toElement(node: OrderedNode): XmlElement | undefined {
  const name = Object.keys(node).find((key) => key !== ':@');
  if (name === undefined || name === '#text' || name === '#cdata') return undefined;
  const content = (node[name] ?? []) as OrderedNode[];
  const attributes = Object.fromEntries(Object.entries(node[':@'] ?? {}).map(([key, value]) => [key, decodeXmlText(value)]));
  let text = '';
  const children: XmlElement[] = [];
  for (const child of content) {
    if ('#text' in child) text += decodeXmlText(String(child['#text']));
    else if ('#cdata' in child) text += ((child['#cdata'] as OrderedNode[])[0]?.['#text'] as string | undefined) ?? '';
    else {
      const element = toElement(child);
      if (element) children.push(element);
    }
  }
  return { name, attributes, children, text };
}

/** Decodes the five predefined entities and numeric character references of XML text. */
export function decodeXmlText(raw: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return named[entity] ?? '';
  });
}

/** The direct children of `element` called `name`. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

/** The first direct child called `name`. */
export function childNamed(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((child) => child.name === name);
}
