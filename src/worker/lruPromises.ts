/**
 * A few values computed at most once per key and kept while recently used: SAM's image embeddings,
 * so every click after the first on an image runs only the prompt encoder and mask decoder.
 */
export class LruPromises<V> {
  private readonly entries = new Map<string, Promise<V>>();

  constructor(private readonly capacity: number) {}

  /** Whether `key` is held (computed or being computed). */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The value for `key`, computed by `compute` on a miss; concurrent callers share one computation, a failed one is not kept. */
  get(key: string, compute: () => Promise<V>): Promise<V> {
    let pending = this.entries.get(key);
    if (pending) {
      this.entries.delete(key); // re-inserted below: Map order is the recency order
    } else {
      pending = compute();
      const failed = pending;
      failed.catch(() => {
        if (this.entries.get(key) === failed) this.entries.delete(key);
      });
    }
    this.entries.set(key, pending);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return pending;
  }

  /** Drops every entry whose key starts with `prefix` (a model that was unloaded). */
  forget(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}
