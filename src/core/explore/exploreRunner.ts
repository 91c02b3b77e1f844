/**
 * The host's side of the explore thread: layouts and "Suggest k" run there, so the extension host keeps
 * answering while 100,000 items are reduced and clustered. One thread, started on first use and ended
 * after a quiet while; it keeps the last input's reduction, so a change of k or projection skips TF-IDF
 * and the SVD. A cancelled run rejects at once; the thread drops it at its next check, or, when it is
 * stuck in a long step past a grace period, is replaced by a fresh one that takes over the runs queued
 * behind it (a cancel never fails another run).
 */
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { CANCEL_SLOTS, type ExploreThreadData, type FromExploreThread, type ToExploreThread } from './exploreProtocol';
import type { ExploreInput, ExploreLayout, ExploreOptions, KSuggestionResult } from './exploreTypes';
import { ExploreInputError } from './layoutPipeline';

export { ExploreInputError };

export interface ExploreRunnerOptions {
  /** The thread's script: dist/exploreWorker.js, or out/src/core/explore/exploreThread.js in tests. */
  readonly threadPath: string;
  /** An idle thread ends after this long, and with it the kept reduction (default 60 s). */
  readonly idleMs?: number;
  /** How long a cancelled run may take to reach its next check before the thread is replaced (default 1 s). */
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

/** A run a caller waits on. */
interface Job {
  readonly id: number;
  /** The reduction it needs: (input id, dims, seed). */
  readonly key: string;
  readonly message: (withInput: boolean) => ToExploreThread;
  readonly onProgress?: ExploreRun['onProgress'];
  readonly settle: (answer: Answer | Error) => void;
}

const PROGRESS_MS = 100;

/** Input ids by input object: an input is built for one run and never changed after it is made. */
const inputIds = new WeakMap<ExploreInput, string>();

export class ExploreRunner {
  private thread?: Worker;
  private cancel = new Int32Array(new SharedArrayBuffer(4 * CANCEL_SLOTS));
  /** Runs whose callers wait. */
  private readonly jobs = new Map<number, Job>();
  /** Runs sent to the current thread and not answered yet, in the order it takes them (cancelled ones included). */
  private readonly queued = new Map<number, Job>();
  private nextId = 1;
  /** The reduction the current thread keeps (inputId, dims, seed), as far as the runner knows. */
  private keptKey?: string;
  private idleTimer?: NodeJS.Timeout;
  private readonly graceTimers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: ExploreRunnerOptions) {}

  /** A name for the input's content: equal inputs, equal ids. */
  static inputId(input: ExploreInput): string {
    // The cache key and the runner both name the same input object: hash 100,000 captions once, not twice.
    const known = inputIds.get(input);
    if (known) return known;
    const hash = createHash('sha256');
    hash.update(input.kind);
    if (input.kind === 'vectors') {
      hash.update(`\0${input.dims}\0`);
      hash.update(new Uint8Array(input.data.buffer, input.data.byteOffset, input.data.byteLength));
    } else {
      hash.update(`\0${(input.stopWords ?? []).join('\u0001')}`);
    }
    for (const text of input.texts ?? []) hash.update(`\0${text}`);
    const id = hash.digest('hex');
    inputIds.set(input, id);
    return id;
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
    clearTimeout(this.idleTimer);
    for (const timer of this.graceTimers) clearTimeout(timer);
    this.graceTimers.clear();
    const thread = this.thread;
    if (!thread) return;
    this.onThreadGone(thread, 'the panel was closed');
    void thread.terminate();
  }

  private request(input: ExploreInput, body: RequestBody, dims: number, seed: number, run: ExploreRun): Promise<Answer> {
    if (run.signal?.aborted) return Promise.reject(new ExploreCancelledError());
    clearTimeout(this.idleTimer);
    const id = this.nextId++;
    const inputId = ExploreRunner.inputId(input);
    return new Promise<Answer>((resolve, reject) => {
      const onAbort = (): void => {
        Atomics.store(this.cancel, id % CANCEL_SLOTS, id);
        job.settle(new ExploreCancelledError());
        this.watchCancelled(id);
      };
      const job: Job = {
        id,
        key: `${inputId}\0${dims}\0${seed}`,
        message: (withInput) => ({ ...body, id, inputId, ...(withInput ? { input } : {}) }) as ToExploreThread,
        onProgress: run.onProgress,
        settle: (answer) => {
          if (!this.jobs.delete(id)) return;
          run.signal?.removeEventListener('abort', onAbort);
          this.scheduleIdle();
          if (answer instanceof Error) reject(answer);
          else resolve(answer);
        },
      };
      this.jobs.set(id, job);
      run.signal?.addEventListener('abort', onAbort, { once: true });
      this.send(job, this.keptKey !== job.key);
    });
  }

  private send(job: Job, withInput: boolean): void {
    const thread = this.ensureThread();
    // A re-sent run goes to the back of the thread's queue.
    this.queued.delete(job.id);
    this.queued.set(job.id, job);
    this.keptKey = job.key;
    thread.postMessage(job.message(withInput));
  }

  /** After the grace period, replaces the thread if it is still working on the cancelled run `id`. */
  private watchCancelled(id: number): void {
    const thread = this.thread;
    if (!thread) return;
    const timer = setTimeout(() => {
      this.graceTimers.delete(timer);
      if (this.thread !== thread || !this.queued.has(id)) return;
      // Queued behind another run: it is dropped at its first check once its turn comes.
      if (this.queued.keys().next().value !== id) return this.watchCancelled(id);
      this.replaceThread(thread);
    }, this.options.cancelGraceMs ?? 1000);
    timer.unref();
    this.graceTimers.add(timer);
  }

  /** Ends a thread stuck in a cancelled run; the runs waiting behind it start again on a fresh thread. */
  private replaceThread(stuck: Worker): void {
    const waiting = [...this.queued.values()].filter((job) => this.jobs.has(job.id));
    this.thread = undefined;
    this.queued.clear();
    this.keptKey = undefined;
    void stuck.terminate();
    for (const job of waiting) this.send(job, true);
  }

  private ensureThread(): Worker {
    if (this.thread) return this.thread;
    this.cancel = new Int32Array(new SharedArrayBuffer(4 * CANCEL_SLOTS));
    const data: ExploreThreadData = { cancel: this.cancel.buffer as SharedArrayBuffer, progressMs: PROGRESS_MS };
    const thread = new Worker(this.options.threadPath, { workerData: data });
    thread.on('message', (message: FromExploreThread) => this.onMessage(thread, message));
    thread.on('error', (err) => this.onThreadGone(thread, err.message));
    thread.on('exit', (code) => this.onThreadGone(thread, `the thread exited with code ${code}`));
    this.thread = thread;
    this.keptKey = undefined;
    return thread;
  }

  private onMessage(thread: Worker, message: FromExploreThread): void {
    if (thread !== this.thread) return;
    if (message.kind !== 'progress') this.queued.delete(message.id);
    const job = this.jobs.get(message.id);
    if (!job) return;
    switch (message.kind) {
      case 'progress':
        job.onProgress?.(message.stage, message.done, message.total);
        return;
      case 'needInput':
        this.send(job, true);
        return;
      case 'cancelled':
        job.settle(new ExploreCancelledError());
        return;
      case 'failed':
        if (!message.input) this.keptKey = undefined;
        job.settle(message.input ? new ExploreInputError(message.message) : new ExploreThreadError(message.message));
        return;
      default:
        job.settle(message);
    }
  }

  private onThreadGone(thread: Worker, reason: string): void {
    if (this.thread !== thread) return;
    this.thread = undefined;
    this.queued.clear();
    this.keptKey = undefined;
    for (const job of [...this.jobs.values()]) job.settle(new ExploreThreadError(reason));
  }

  private scheduleIdle(): void {
    if (this.jobs.size > 0 || !this.thread) return;
    clearTimeout(this.idleTimer);
    const thread = this.thread;
    this.idleTimer = setTimeout(() => {
      if (this.thread !== thread || this.jobs.size > 0) return;
      this.onThreadGone(thread, 'idle');
      void thread.terminate();
    }, this.options.idleMs ?? 60_000);
    this.idleTimer.unref();
  }
}
