/**
 * The content model: what a publisher writes (site.yaml and Markdown articles) after it has
 * been parsed and validated. Everything here is plain data, so the rendering core stays pure.
 */

/** A person credited on the site or on an article. At least a name is always present. */
export interface Person {
  readonly name: string;
  readonly email?: string;
  readonly url?: string;
}

/** `content/site.yaml`, validated, with defaults applied. */
export interface SiteConfig {
  readonly title: string;
  readonly description: string;
  /** Absolute base URL where the site and its feeds are served, always ending in `/`. */
  readonly siteUrl: string;
  /** BCP 47 tag in lower case (`en`, `id`, `zh-hans`): the default language of articles. */
  readonly language: string;
  /** IANA time zone name used to read dates written without a UTC offset. Default `UTC`. */
  readonly timezone: string;
  readonly authors: readonly Person[];
  readonly copyright: string;
  readonly icon?: string;
  readonly image?: string;
  /** Items per feed document. Default 50. */
  readonly itemsPerFeed: number;
  /**
   * Byte budget (UTF-8) of every feed document, subscription documents and archive pages, in
   * every format: older items fall back to summary and link to stay within it. Default 1 MiB;
   * absent in configurations recorded before the setting existed, which get the default.
   */
  readonly maxFeedBytes?: number;
  /**
   * Authority for permanent `tag:` URIs (RFC 4151), e.g. `news.example.com,2021`. Ids never
   * depend on the address the feeds are served from. Default: the host of `siteUrl` as written
   * in site.yaml, with the year 2000.
   */
  readonly tagAuthority: string;
  /** Optional WebSub hub URL. */
  readonly websubHub?: string;
  /**
   * The JSON Feed is for partners only (the edge asks for a token): no public document (pages,
   * feed views, `feeds.opml`, the hub) names its URLs. Set by the deployment, never by site.yaml.
   */
  readonly partnerAccess?: boolean;
}

/** One article, parsed from `articles/**\/*.md`, ready to render. */
export interface Article {
  /** Content-relative source path, e.g. `articles/2021/11/un-condemns-attack.md`. */
  readonly sourcePath: string;
  /** Permanent id: a `tag:` URI that survives edits of title, slug, scheme and host. */
  readonly id: string;
  /** URL-safe slug (lower case, `a-z0-9-`). */
  readonly slug: string;
  /** Plain text, exactly as written. */
  readonly title: string;
  readonly date: Date;
  readonly updated?: Date;
  /** BCP 47 tag in lower case. */
  readonly lang: string;
  /** Plain text, exactly as written. */
  readonly summary?: string;
  readonly authors: readonly Person[];
  readonly tags: readonly string[];
  /** Absolute URL. */
  readonly image?: string;
  readonly translationKey?: string;
  readonly draft: boolean;
  /** Absolute URL of the article's page when it lives on an existing website. */
  readonly canonicalUrl?: string;
  readonly machineTranslated?: boolean;
  /** BCP 47 tag of the language this version was translated from. */
  readonly translatedFrom?: string;
  /** Absolute URL of the article (its canonicalUrl, or its page under siteUrl). */
  readonly url: string;
  /** Sanitized HTML of the body, every URL absolute. */
  readonly contentHtml: string;
}
