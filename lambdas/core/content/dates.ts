/**
 * Article dates: ISO 8601 calendar dates and date-times, read without a clock. A value with no
 * UTC offset is wall-clock time in the site's IANA time zone, converted with `Intl` only.
 */
import { ContentInputError } from './safe-yaml.js';
import { describeValue } from './fields.js';

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:\s*(Z|[+-]\d{2}:?\d{2}))?)?$/i;

/** Calendar fields of a wall-clock time. */
interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** True when `timeZone` is an IANA zone name that this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads a front-matter date: a string `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fff]]` with an optional
 * `Z` / `±HH:MM` offset, or a `Date` (some YAML schemas produce one; ours keeps strings).
 * Impossible dates (2021-02-30, 25:00, offsets past ±23:59) are rejected. A date alone means
 * midnight in `timeZone`.
 */
export function parseDate(value: unknown, field: string, timeZone: string): Date {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new ContentInputError('is not a valid date', field);
    return new Date(value.getTime());
  }
  if (typeof value !== 'string') {
    throw new ContentInputError(`expected an ISO 8601 date string, got ${describeValue(value)}`, field);
  }
  const match = ISO_DATE.exec(value.trim());
  if (!match) throw new ContentInputError(`"${value.slice(0, 40)}" is not an ISO 8601 date or date-time`, field);
  const [, y, mo, d, h, mi, s, frac, zone] = match;
  const wall: WallClock = {
    year: Number(y), month: Number(mo), day: Number(d), hour: Number(h ?? 0), minute: Number(mi ?? 0),
    second: Number(s ?? 0), millisecond: Math.floor(Number(`0.${frac ?? '0'}`) * 1000),
  };
  if (!isPossible(wall)) throw new ContentInputError(`"${value}" is not a possible date and time`, field);
  const asUtc = wallToUtcMs(wall);
  if (zone === undefined) return new Date(zonedToUtcMs(asUtc, timeZone));
  if (zone.toUpperCase() === 'Z') return new Date(asUtc);
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetHours = Number(digits.slice(0, 2));
  const offsetMinutes = Number(digits.slice(2));
  if (offsetHours > 23 || offsetMinutes > 59) throw new ContentInputError(`"${value}" has an impossible UTC offset`, field);
  return new Date(asUtc - sign * (offsetHours * 60 + offsetMinutes) * 60_000);
}

function isPossible(w: WallClock): boolean {
  if (w.year < 1 || w.month < 1 || w.month > 12 || w.day < 1) return false;
  const daysInMonth = new Date(Date.UTC(w.year, w.month, 0)).getUTCDate();
  return w.day <= daysInMonth && w.hour <= 23 && w.minute <= 59 && w.second <= 59;
}

function wallToUtcMs(w: WallClock): number {
  const date = new Date(0);
  date.setUTCFullYear(w.year, w.month - 1, w.day);
  date.setUTCHours(w.hour, w.minute, w.second, w.millisecond);
  return date.getTime();
}

/** The zone's offset from UTC, in milliseconds, at the instant `utcMs`. */
function offsetAt(utcMs: number, timeZone: string): number {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short',
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(utcMs)).map((p) => [p.type, p.value]));
  const year = parts.era === 'BC' ? 1 - Number(parts.year) : Number(parts.year);
  const wall = wallToUtcMs({
    year, month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour),
    minute: Number(parts.minute), second: Number(parts.second), millisecond: 0,
  });
  return wall - (utcMs - (((utcMs % 1000) + 1000) % 1000));
}

/**
 * Converts wall-clock time in `timeZone` (given as if it were UTC) to a UTC instant. Ambiguous
 * times (clocks set back) take the earlier instant; times skipped by a DST jump move forward
 * by the jump, as RFC 5545 and Temporal's "compatible" mode do.
 */
function zonedToUtcMs(wallMs: number, timeZone: string): number {
  const before = offsetAt(wallMs - 86_400_000, timeZone);
  const after = offsetAt(wallMs + 86_400_000, timeZone);
  const candidates = [wallMs - before, wallMs - after].filter((t) => offsetAt(t, timeZone) === wallMs - t);
  if (candidates.length > 0) return Math.min(...candidates);
  return wallMs - before;
}
