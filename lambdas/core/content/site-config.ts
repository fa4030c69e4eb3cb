/**
 * `site.yaml`: the publication's metadata, validated strictly. Unknown keys are rejected by
 * name, so a typo (`itemPerFeed`) fails loudly instead of being ignored.
 */
import type { SiteConfig } from './article.js';
import { isTimeZone } from './dates.js';
import { SiteConfigError } from '../errors.js';
import {
  checkAbsoluteUrl, checkLanguage, readAbsoluteUrl, readInteger, readPersons, readText, rejectUnknownKeys,
} from './fields.js';
import { ContentInputError, decodeContent, parseYamlMapping, type PlainRecord } from './safe-yaml.js';

/** Content-relative key of the site configuration. */
export const SITE_CONFIG_KEY = 'site.yaml';

/** Largest accepted site.yaml, in UTF-8 bytes. */
const MAX_SITE_CONFIG_BYTES = 64 * 1024;

const SITE_FIELDS = [
  'title', 'description', 'siteUrl', 'language', 'timezone', 'authors', 'copyright', 'icon', 'image',
  'itemsPerFeed', 'maxFeedBytes', 'tagAuthority', 'websubHub',
] as const;

/** Host names of this machine, as the URL parser normalises them. */
const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

/**
 * Bounds of `maxFeedBytes`. The default (1 MiB) is half of what Google News accepts per feed;
 * below 64 KiB a page of titles and summaries alone may not fit, above 10 MiB readers and
 * partners time out.
 */
export const FEED_BYTE_BUDGET = { default: 1_048_576, min: 65_536, max: 10_485_760 } as const;

/** RFC 4151 authority: a DNS name or email address, a comma, and a date `YYYY[-MM[-DD]]`. */
const TAG_AUTHORITY = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|[^\s@,:]+@[a-z0-9.-]+),\d{4}(?:-\d{2}(?:-\d{2})?)?$/;

/**
 * Parses and validates site.yaml. `overrides.siteUrl` (the address known only at deploy time,
 * or a local preview address) replaces `siteUrl`, but the default `tagAuthority` still comes
 * from the file's own siteUrl, so entry ids never change with the serving address.
 *
 * @throws SiteConfigError naming `path`, the field and the reason.
 */
export function parseSiteConfig(
  path: string,
  bytes: Uint8Array | string,
  overrides: { siteUrl?: string } = {},
): SiteConfig {
  try {
    const record = parseYamlMapping(decodeContent(bytes, MAX_SITE_CONFIG_BYTES));
    return readSiteConfig(record, overrides);
  } catch (error) {
    if (error instanceof ContentInputError) {
      throw new SiteConfigError(path, error.reason, error.field, { cause: error });
    }
    throw error;
  }
}

function readSiteConfig(record: PlainRecord, overrides: { siteUrl?: string }): SiteConfig {
  rejectUnknownKeys(record, SITE_FIELDS);
  const fileSiteUrl = readSiteUrl(record.siteUrl, 'siteUrl', true);
  const siteUrl = overrides.siteUrl === undefined ? fileSiteUrl : readSiteUrl(overrides.siteUrl, 'siteUrl (override)');
  const timezone = readText(record, 'timezone', { maxLength: 64, singleLine: true }) ?? 'UTC';
  if (!isTimeZone(timezone)) throw new ContentInputError(`"${timezone}" is not an IANA time zone`, 'timezone');
  const authors = readPersons(record, 'authors') ?? [];
  const icon = readAbsoluteUrl(record, 'icon');
  const image = readAbsoluteUrl(record, 'image');
  const websubHub = readHubUrl(record);
  return {
    title: readText(record, 'title', { required: true, maxLength: 500, singleLine: true }) ?? '',
    description: readText(record, 'description', { required: true, maxLength: 5000 }) ?? '',
    siteUrl,
    language: checkLanguage(record.language ?? 'en', 'language'),
    timezone,
    authors,
    copyright: readText(record, 'copyright', { required: true, maxLength: 1000 }) ?? '',
    ...(icon === undefined ? {} : { icon }),
    ...(image === undefined ? {} : { image }),
    itemsPerFeed: readInteger(record, 'itemsPerFeed', 1, 1000) ?? 50,
    maxFeedBytes: readMaxFeedBytes(record),
    tagAuthority: readTagAuthority(record.tagAuthority, fileSiteUrl),
    ...(websubHub === undefined ? {} : { websubHub }),
  };
}

/** An absolute http(s) URL without query or fragment, normalised to end with `/`. */
function readSiteUrl(value: unknown, field: string, required = false): string {
  if (value === undefined || value === null) {
    if (required) throw new ContentInputError('is required', field);
  }
  const url = new URL(checkAbsoluteUrl(value, field));
  if (url.search || url.hash) throw new ContentInputError('must not have a query or fragment', field);
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return url.href;
}

/**
 * The WebSub hub: https, or plain http to this machine (a local preview's hub). Only the form
 * is checked here; the publisher checks the addresses the host resolves to before each ping.
 */
function readHubUrl(record: PlainRecord): string | undefined {
  const hub = readAbsoluteUrl(record, 'websubHub');
  if (hub === undefined) return undefined;
  const { protocol, hostname } = new URL(hub);
  if (protocol === 'http:' && !LOOPBACK_HOST.test(hostname)) {
    throw new ContentInputError('must use https (plain http only for a hub on this machine)', 'websubHub');
  }
  return hub;
}

function readMaxFeedBytes(record: PlainRecord): number {
  const value = readInteger(record, 'maxFeedBytes', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  if (value === undefined) return FEED_BYTE_BUDGET.default;
  const { min, max } = FEED_BYTE_BUDGET;
  if (value < min || value > max) {
    throw new ContentInputError(`must be between ${min} (64 KiB) and ${max} (10 MiB) bytes, got ${value}`, 'maxFeedBytes');
  }
  return value;
}

function readTagAuthority(value: unknown, fileSiteUrl: string): string {
  if (value === undefined || value === null) return `${new URL(fileSiteUrl).hostname},2000`;
  if (typeof value !== 'string' || !TAG_AUTHORITY.test(value)) {
    throw new ContentInputError('must be an RFC 4151 authority such as "news.example.com,2021"', 'tagAuthority');
  }
  const [, date = ''] = value.split(',');
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new ContentInputError(`"${date}" is not a possible date`, 'tagAuthority');
  }
  return value;
}
