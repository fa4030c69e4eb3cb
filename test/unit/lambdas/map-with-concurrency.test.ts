import { describe, expect, it } from 'vitest';
import { mapWithConcurrency } from '../../../lambdas/shared/map-with-concurrency.js';

/** Resolves after `ms` milliseconds. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('mapWithConcurrency', () => {
  it('keeps the input order with at most `limit` calls in flight', async () => {
    // Prepare
    let running = 0;
    let peak = 0;

    // Act
    const result = await mapWithConcurrency([5, 1, 4, 2, 3], 2, async (item) => {
      running += 1;
      peak = Math.max(peak, running);
      await sleep(item);
      running -= 1;
      return item * 10;
    });

    // Assess
    expect(result).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });

  it('starts no call after one failed and rejects only once the running calls have ended', async () => {
    // Prepare
    const started: number[] = [];
    const ended: number[] = [];

    // Act
    const outcome = mapWithConcurrency([0, 1, 2, 3, 4, 5], 3, async (item) => {
      started.push(item);
      if (item === 0) throw new Error('first call failed');
      await sleep(20);
      ended.push(item);
      return item;
    });

    // Assess
    await expect(outcome).rejects.toThrow('first call failed');
    expect(started).toEqual([0, 1, 2]);
    expect(ended.sort()).toEqual([1, 2]);
  });

  it('rejects with the first failure when several calls fail', async () => {
    // Prepare
    const delays = [30, 5, 60];

    // Act
    const outcome = mapWithConcurrency(delays, 3, async (delay, index) => {
      await sleep(delay);
      throw new Error(`call ${index} failed`);
    });

    // Assess
    await expect(outcome).rejects.toThrow('call 1 failed');
  });
});
