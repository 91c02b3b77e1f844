/**
 * Yields `load(item)` for each item in order while loading up to `depth` items ahead, so that many
 * small file reads overlap instead of waiting on each other. On early exit the loads still in flight
 * are awaited and handed to `release`.
 */
export async function* lookahead<T, R>(
  items: readonly T[],
  depth: number,
  load: (item: T) => Promise<R>,
  release: (result: R) => Promise<void>,
): AsyncGenerator<R> {
  const pending: Array<Promise<R>> = [];
  let next = 0;
  const fill = (): void => {
    while (pending.length < depth && next < items.length) {
      const loading = load(items[next++]);
      loading.catch(() => undefined); // rejections surface when the result is awaited below
      pending.push(loading);
    }
  };
  try {
    fill();
    while (pending.length > 0) {
      const result = await pending.shift()!;
      fill();
      yield result;
    }
  } finally {
    for (const loading of pending.splice(0)) await loading.then(release, () => undefined);
  }
}
