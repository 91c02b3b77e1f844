/**
 * The host's side of the lint search thread: one thread, one search at a time, ended at once when a
 * search is cancelled (a search has no safe point to stop at, and a fresh thread starts in ~30 ms).
 */
import { Worker } from 'node:worker_threads';
import { movableBuffer } from '../threads/movableBuffer';
import type { IndexPair } from './hammingNeighbours';
import type { FromLintSearchThread, ToLintSearchThread } from './lintSearchProtocol';

/** The search was cancelled by its signal. */
export class LintSearchCancelledError extends Error {
  override readonly name = 'LintSearchCancelledError';
  constructor() {
    super('The lint search was cancelled.');
  }
}

/** The search failed in its thread (bad input, out of memory, the thread could not start). */
export class LintSearchError extends Error {
  override readonly name = 'LintSearchError';
  constructor(reason: string) {
    super(`The near-duplicate search failed: ${reason}`);
  }
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Search = WithoutId<ToLintSearchThread>;

export class LintSearchRunner {
  private worker?: Worker;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;

  /** `threadPath`: dist/lintWorker.js, or out/src/core/lint/lintSearchThread.js in tests. */
  constructor(private readonly threadPath: string) {}

  /** Pairs of rows (`dims` floats each, packed in `data`; its buffer moves to the thread) whose cosine is ≥ minCosine; `exact` false when buckets were used. */
  nearDuplicateVectors(data: Float32Array, dims: number, minCosine: number, signal?: AbortSignal, exactLimit?: number): Promise<{ pairs: IndexPair[]; exact: boolean }> {
    return this.enqueue({ kind: 'vectors', dims, data, minCosine, exactLimit }, signal);
  }

  /** Pairs of 64-bit hashes at Hamming distance ≤ maxDistance (the array's buffer moves to the thread). */
  async hammingNeighbours(hashes: BigUint64Array, maxDistance: number, signal?: AbortSignal): Promise<IndexPair[]> {
    return (await this.enqueue({ kind: 'hashes', hashes, maxDistance }, signal)).pairs;
  }

  /** Ends the thread; a search in progress fails. */
  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private enqueue(search: Search, signal?: AbortSignal): Promise<{ pairs: IndexPair[]; exact: boolean }> {
    const result = this.queue.then(() => this.execute(search, signal));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private execute(search: Search, signal?: AbortSignal): Promise<{ pairs: IndexPair[]; exact: boolean }> {
    if (signal?.aborted) return Promise.reject(new LintSearchCancelledError());
    let worker: Worker;
    try {
      worker = this.worker ??= this.start();
    } catch (err) {
      return Promise.reject(new LintSearchError((err as Error).message));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const settle = (outcome: () => void): void => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        signal?.removeEventListener('abort', onAbort);
        worker.unref();
        outcome();
      };
      const onMessage = (message: FromLintSearchThread): void => {
        if (message.id !== id) return;
        if (message.kind === 'failed') return settle(() => reject(new LintSearchError(message.message)));
        const pairs: IndexPair[] = Array.from(message.i, (i, k) => ({ i, j: message.j[k] }));
        settle(() => resolve({ pairs, exact: message.exact }));
      };
      const onError = (err: Error): void => settle(() => reject(new LintSearchError(err.message)));
      const onExit = (code: number): void => settle(() => reject(code === 1 && signal?.aborted ? new LintSearchCancelledError() : new LintSearchError(`its thread exited with code ${code}`)));
      const onAbort = (): void => {
        this.end(worker);
        settle(() => reject(new LintSearchCancelledError()));
      };
      worker.ref();
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      signal?.addEventListener('abort', onAbort, { once: true });
      // the arrays move rather than copy: 100,000 embeddings are ~150 MB
      worker.postMessage({ ...search, id } as ToLintSearchThread, movableBuffer(search.kind === 'vectors' ? search.data : search.hashes));
    });
  }

  private start(): Worker {
    const worker = new Worker(this.threadPath);
    worker.unref();
    // Without a listener an 'error' would be thrown in the host; a search in progress reports it through its own.
    worker.on('error', () => this.forget(worker));
    worker.on('exit', () => this.forget(worker));
    return worker;
  }

  private end(worker: Worker): void {
    this.forget(worker);
    void worker.terminate();
  }

  private forget(worker: Worker): void {
    if (this.worker === worker) this.worker = undefined;
  }
}
