/**
 * Maps `items` through an async function with at most `limit` calls in flight, keeping the
 * input order in the result. Bounded so a large archive neither exhausts the SDK's socket
 * pool nor the function's memory with pending requests.
 *
 * When a call fails, no further call starts, and the returned promise rejects with that first
 * error only once the calls already running have ended: a caller that reports a failure (and
 * a Lambda handler that returns, after which the runtime freezes it) leaves no request running
 * in the background, whose write could otherwise land during a later publish.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  map: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { readonly error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await map(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}
