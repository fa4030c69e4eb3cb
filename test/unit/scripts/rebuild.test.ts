import { describe, expect, it } from 'vitest';
import { createProgressPrinter, formatProgress } from '../../../scripts/rebuild.js';

/** A stand-in for process.stderr that records what is written. */
function fakeStream(isTTY: boolean): NodeJS.WriteStream & { output: string[] } {
  const output: string[] = [];
  return { isTTY, output, write: (text: string) => output.push(text) > 0 } as unknown as NodeJS.WriteStream & { output: string[] };
}

describe('formatProgress', () => {
  it('shows the count, the rate and the time left', () => {
    // Act
    const line = formatProgress(2500, 10_000, 5000);

    // Assess
    expect(line).toBe('2,500 / 10,000 articles  500/s  0:15 left');
  });

  it('shows no time left before the first article', () => {
    // Act
    const line = formatProgress(0, 100, 0);

    // Assess
    expect(line).toBe('0 / 100 articles  0/s  0:00 left');
  });
});

describe('createProgressPrinter', () => {
  it('rewrites one line on a terminal at most ten times a second and ends it when done', () => {
    // Prepare
    const stream = fakeStream(true);
    let now = 0;
    const print = createProgressPrinter(stream, () => now);

    // Act
    now = 150;
    print(1, 3);
    now = 200;
    print(2, 3);
    now = 210;
    print(3, 3);

    // Assess
    expect(stream.output).toHaveLength(2);
    expect(stream.output[0]).toMatch(/^\r1 \/ 3 articles/);
    expect(stream.output[1]).toMatch(/^\r3 \/ 3 articles .*\n$/);
  });

  it('prints nothing when the output is not a terminal', () => {
    // Prepare
    const stream = fakeStream(false);
    const print = createProgressPrinter(stream, () => 1000);

    // Act
    print(1, 1);

    // Assess
    expect(stream.output).toEqual([]);
  });
});
