import { BatchCancelledError } from '../core/captioning/abortableDelay';

/**
 * One request at a time per server: a Describe Anything server generates synchronously, so a second
 * request would only wait inside its HTTP stack, where our timeout would already be running.
 * Requests wait here instead, in arrival order, and a cancelled one leaves the line at once.
 */
export class ServerQueue {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `work` once every earlier request to `server` has settled; rejects with BatchCancelledError when `signal` aborts while waiting. */
  async run<T>(server: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const before = this.tails.get(server) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = before.then(() => mine);
    this.tails.set(server, tail);
    try {
      await waitOrAbort(before, signal);
      if (signal?.aborted) throw new BatchCancelledError();
      return await work();
    } finally {
      release();
      // the last in line cleans up, so an idle server holds no entry
      if (this.tails.get(server) === tail) this.tails.delete(server);
    }
  }
}

function waitOrAbort(turn: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return turn;
  if (signal.aborted) return Promise.reject(new BatchCancelledError());
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(new BatchCancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    void turn.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}
