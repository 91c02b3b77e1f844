/**
 * Yields `load(item)` for each item in order while loading up to `depth` items ahead, so that many
 * small file reads overlap instead of waiting on each other. On early exit the loads in flight are
 * left to finish on their own (they hold no resources).
 */
export async function* lookahead<T, R>(items: Iterable<T>, depth: number, load: (item: T) => Promise<R>): AsyncGenerator<R> {
  const pending: Array<Promise<R>> = [];
  const source = items[Symbol.iterator]();
  const fill = (): void => {
    while (pending.length < depth) {
      const next = source.next();
      if (next.done) return;
      const loading = load(next.value);
      loading.catch(() => undefined); // a rejection surfaces when this result's turn comes
      pending.push(loading);
    }
  };
  fill();
  while (pending.length > 0) {
    const result = await pending.shift()!;
    fill();
    yield result;
  }
}
