/** Fails instead of hanging: work that blocks (a walk in a loop, a read of a FIFO) fails its test, not the run. */
export function within<T>(ms: number, work: PromiseLike<T>, what = 'the work'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms (blocked?)`)), ms);
  });
  return Promise.race([Promise.resolve(work), timeout]).finally(() => clearTimeout(timer));
}
