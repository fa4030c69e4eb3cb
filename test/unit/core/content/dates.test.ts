import { describe, expect, it } from 'vitest';
import { isTimeZone, parseDate } from '../../../../lambdas/core/content/dates.js';
import { ContentInputError } from '../../../../lambdas/core/content/safe-yaml.js';

describe('parseDate', () => {
  it('reads a date-time with an offset as that instant', () => {
    // Prepare
    const value = '2021-11-08T14:30:00+07:00';

    // Act
    const date = parseDate(value, 'date', 'UTC');

    // Assess
    expect(date.toISOString()).toBe('2021-11-08T07:30:00.000Z');
  });

  it('reads a date-time without an offset in the site time zone', () => {
    // Prepare
    const value = '2021-11-08T14:30';

    // Act
    const date = parseDate(value, 'date', 'Asia/Jakarta');

    // Assess
    expect(date.toISOString()).toBe('2021-11-08T07:30:00.000Z');
  });

  it('reads a date alone as midnight in the site time zone', () => {
    // Prepare
    const value = '2021-07-01';

    // Act
    const date = parseDate(value, 'date', 'America/New_York');

    // Assess
    expect(date.toISOString()).toBe('2021-07-01T04:00:00.000Z');
  });

  it('takes the earlier instant for a wall time repeated when clocks go back', () => {
    // Prepare
    const value = '2021-11-07T01:30:00';

    // Act
    const date = parseDate(value, 'date', 'America/New_York');

    // Assess
    expect(date.toISOString()).toBe('2021-11-07T05:30:00.000Z');
  });

  it('moves a wall time skipped by a DST jump forward by the jump', () => {
    // Prepare
    const value = '2021-03-14T02:30:00';

    // Act
    const date = parseDate(value, 'date', 'America/New_York');

    // Assess
    expect(date.toISOString()).toBe('2021-03-14T07:30:00.000Z');
  });

  it('keeps fractional seconds and accepts Z and compact offsets', () => {
    // Prepare
    const values = ['2021-11-08T00:00:00.250Z', '2021-11-08T05:30:00.250+0530'];

    // Act
    const dates = values.map((value) => parseDate(value, 'date', 'UTC').toISOString());

    // Assess
    expect(dates).toEqual(['2021-11-08T00:00:00.250Z', '2021-11-08T00:00:00.250Z']);
  });

  it('accepts a Date produced by a YAML schema with timestamps', () => {
    // Prepare
    const value = new Date('2021-11-08T07:30:00Z');

    // Act
    const date = parseDate(value, 'date', 'Asia/Jakarta');

    // Assess
    expect(date.toISOString()).toBe('2021-11-08T07:30:00.000Z');
    expect(date).not.toBe(value);
  });

  it.each(['2021-02-29', '2020-13-01', '2021-04-31', '2021-11-08T24:00', '2021-11-08T23:59:60Z'])(
    'rejects the impossible date %s',
    (value) => {
      // Prepare
      const read = () => parseDate(value, 'updated', 'UTC');

      // Act and Assess
      expect(read).toThrow(ContentInputError);
      expect(read).toThrow(/^updated: .*not a possible date/);
    },
  );

  it('accepts 29 February in a leap year', () => {
    // Prepare
    const value = '2020-02-29';

    // Act
    const date = parseDate(value, 'date', 'UTC');

    // Assess
    expect(date.toISOString()).toBe('2020-02-29T00:00:00.000Z');
  });
});

describe('isTimeZone', () => {
  it('accepts IANA names and rejects unknown ones', () => {
    // Prepare
    const names = ['Asia/Jakarta', 'UTC', 'Mars/Olympus', 'Asia/Jakarta; rm -rf'];

    // Act
    const results = names.map(isTimeZone);

    // Assess
    expect(results).toEqual([true, true, false, false]);
  });
});
