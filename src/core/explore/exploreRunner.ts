/**
 * The host's side of the explore thread: layouts and "Suggest k" run there, so the extension host keeps
 * answering while 100,000 items are reduced and clustered. One thread, started on first use and ended
 * after a quiet while; it keeps the last input's reduction, so a change of k or projection skips TF-IDF
 * and the SVD. A cancelled run stops at the thread's next check, or the thread is ended after a grace period.
 */
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { ExploreThreadData, FromExploreThread, ToExploreThread } from './exploreProtocol';
import type { ExploreInput, ExploreLayout, ExploreOptions, KSuggestionResult } from './exploreTypes';
import { ExploreInputError } from './layoutPipeline';

export { ExploreInputError };

export interface ExploreRunnerOptions {
  /** The thread's script: dist/exploreWorker.js, or out/src/core/explore/exploreThread.js in tests. */
  readonly threadPath: string;
  /** An idle thread ends after this long, and with it the kept reduction (default 60 s). */
  readonly idleMs?: number;
  /** How long a cancelled run may take to reach its next check before the thread is ended (default 1 s). */
  readonly cancelGraceMs?: number;
}

/** What a caller may pass to follow or stop a run. */
export interface ExploreRun {
  readonly signal?: AbortSignal;
  readonly onProgress?: (stage: string, done: number, total: number) => void;
}

/** The run was cancelled. */
export class ExploreCancelledError extends Error {
  constructor() {
    super('The layout was cancelled.');
    this.name = 'ExploreCancelledError';
  }
}

/** The thread failed (could not start, ran out of memory, or a step threw unexpectedly). */
export class ExploreThreadError extends Error {
  constructor(reason: string) {
    super(`Laying out the dataset stopped unexpectedly: ${reason}`);
    this.name = 'ExploreThreadError';
  }
}

type Answer = Extract<FromExploreThread, { kind: 'layout' | 'suggested' }>;
type RequestBody = { readonly kind: 'layout'; readonly options: ExploreOptions } | { readonly kind: 'suggestK'; readonly range: { readonly min: number; readonly max: number; readonly seed: number; readonly reducedDims: number } };

interface Pending {
  readonly settle: (answer: Answer | Error) => void;
  readonly onProgress?: ExploreRun['onProgress'];
  readonly resend: () => void;
}

const PROGRESS_MS = 100;

export class ExploreRunner {
  private thread?: Worker;
  private cancel = new Int32Array(new SharedArrayBuffer(4));
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** The reduction the current thread keeps (inputId, dims, seed), as far as the runner knows. */
  private keptKey?: string;
  private idleTimer?: NodeJS.Timeout;

  constructor(private readonly options: ExploreRunnerOptions) {}

  /** A name for the input's content: equal inputs, equal ids. */
  static inputId(input: ExploreInput): string {
    const hash = createHash('sha256');
    hash.update(input.kind);
    if (input.kind === 'vectors') {
      hash.update(`\0${input.dims}\0`);
      hash.update(new Uint8Array(input.data.buffer, input.data.byteOffset, input.data.byteLength));
    } else {
      hash.update(`\0${(input.stopWords ?? []).join('\u0001')}`);
    }
    for (const text of input.texts ?? []) hash.update(`\0${text}`);
    return hash.digest('hex');
  }

  /** Lays the input out; rejects with ExploreInputError (the user must change something), ExploreCancelledError or ExploreThreadError. */
  async layout(input: ExploreInput, options: ExploreOptions, run: ExploreRun = {}): Promise<ExploreLayout> {
    const answer = await this.request(input, { kind: 'layout', options }, options.reducedDims, options.seed, run);
    return (answer as Extract<Answer, { kind: 'layout' }>).layout;
  }

  /** The silhouette of each k in the range, and the best. */
  async suggestK(input: ExploreInput, range: { readonly min: number; readonly max: number; readonly seed: number; readonly reducedDims: number }, run: ExploreRun = {}): Promise<KSuggestionResult> {
    const answer = await this.request(input, { kind: 'suggestK', range }, range.reducedDims, range.seed, run);
    return (answer as Extract<Answer, { kind: 'suggested' }>).result;
  }

  /** Ends the thread; runs in flight reject. */
  dispose(): void {
    this.stopThread('the panel was closed');
  }

  private request(input: ExploreInput, body: RequestBody, dims: number, seed: number, run: ExploreRun): Promise<Answer> {
    if (run.signal?.aborted) return Promise.reject(new ExploreCancelledError());
    clearTimeout(this.idleTimer);
    const thread = this.ensureThread();
    const id = this.nextId++;
    const inputId = ExploreRunner.inputId(input);
    const key = `${inputId}\0${dims}\0${seed}`;
    const send = (withInput: boolean): void => {
      const message = { ...body, id, inputId, ...(withInput ? { input } : {}) } as ToExploreThread;
      this.keptKey = key;
      thread.postMessage(message);
    };
    return new Promise<Answer>((resolve, reject) => {
      let graceTimer: NodeJS.Timeout | undefined;
      const onAbort = (): void => {
        Atomics.store(this.cancel, 0, id);
        graceTimer = setTimeout(() => {
          this.stopThread('cancelled');
        }, this.options.cancelGraceMs ?? 1000);
      };
      run.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        onProgress: run.onProgress,
        resend: () => send(true),
        settle: (answer) => {
          clearTimeout(graceTimer);
          run.signal?.removeEventListener('abort', onAbort);
          this.pending.delete(id);
          this.scheduleIdle();
          if (answer instanceof Error) reject(run.signal?.aborted ? new ExploreCancelledError() : answer);
          else resolve(answer);
        },
      });
      send(this.keptKey !== key);
    });
  }

  private ensureThread(): Worker {
    if (this.thread) return this.thread;
    this.cancel = new Int32Array(new SharedArrayBuffer(4));
    const data: ExploreThreadData = { cancel: this.cancel.buffer as SharedArrayBuffer, progressMs: PROGRESS_MS };
    const thread = new Worker(this.options.threadPath, { workerData: data });
    thread.on('message', (message: FromExploreThread) => this.onMessage(message));
    thread.on('error', (err) => this.onThreadGone(thread, err.message));
    thread.on('exit', (code) => this.onThreadGone(thread, `the thread exited with code ${code}`));
    this.thread = thread;
    this.keptKey = undefined;
    return thread;
  }

  private onMessage(message: FromExploreThread): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    switch (message.kind) {
      case 'progress':
        pending.onProgress?.(message.stage, message.done, message.total);
        return;
      case 'needInput':
        pending.resend();
        return;
      case 'cancelled':
        pending.settle(new ExploreCancelledError());
        return;
      case 'failed':
        if (!message.input) this.keptKey = undefined;
        pending.settle(message.input ? new ExploreInputError(message.message) : new ExploreThreadError(message.message));
        return;
      default:
        pending.settle(message);
    }
  }

  private onThreadGone(thread: Worker, reason: string): void {
    if (this.thread !== thread) return;
    this.thread = undefined;
    this.keptKey = undefined;
    for (const pending of [...this.pending.values()]) pending.settle(new ExploreThreadError(reason));
  }

  private stopThread(reason: string): void {
    clearTimeout(this.idleTimer);
    const thread = this.thread;
    if (!thread) return;
    this.onThreadGone(thread, reason);
    void thread.terminate();
  }

  private scheduleIdle(): void {
    if (this.pending.size > 0 || !this.thread) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stopThread('idle'), this.options.idleMs ?? 60_000);
    this.idleTimer.unref();
  }
}
