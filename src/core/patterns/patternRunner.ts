/**
 * The host's side of the find/replace thread: a user's regex (or any search) runs in a worker
 * thread, so one that backtracks catastrophically (`(a+)+$` over a long caption) is ended there
 * and reported, while the extension host keeps answering.
 */
import { Worker } from 'node:worker_threads';
import { CaptionSource, EditOptionError, EditPlan } from '../edits/editPlan';
import { compileFind, FindOptions, FindReplaceOptions, MatchCount, planFromReplacements } from '../edits/findReplace';
import { unpackReplacements, type FromPatternThread, type PatternThreadData, type ToPatternThread } from './patternProtocol';

export interface PatternRunnerOptions {
  /** The thread's script: dist/patternWorker.js, or out/src/core/patterns/patternThread.js in tests. */
  readonly threadPath: string;
  /** A run that reports no progress for this long (one caption taking it all) is ended; default 3000 ms. */
  readonly stallMs?: number;
  /** How long a cancelled run may take to stop at its next caption before its thread is ended; default 200 ms. */
  readonly cancelGraceMs?: number;
  /** How long an idle thread keeps the texts it was sent; default 10 s (sending 100,000 captions again takes ~20 ms). */
  readonly idleMs?: number;
}

/** What a caller may pass to follow or stop a run. */
export interface PatternRun {
  readonly signal?: AbortSignal;
  /** Captions done of all: 0 when the run begins, then about every 100 ms. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The pattern ran too long on one caption and its thread was ended; the message says how to fix the pattern. */
export class PatternTimeoutError extends EditOptionError {
  constructor(readonly seconds: number) {
    super(
      `The pattern ran for more than ${seconds} s on one caption and was stopped: it likely backtracks catastrophically. ` +
        'Simplify it: avoid nested or overlapping repeats such as (a+)+ or (x+x+)+y (write a+ instead of (a+)+).',
      'find',
    );
    this.name = 'PatternTimeoutError';
  }
}

/** The run was cancelled by its signal. */
export class PatternCancelledError extends Error {
  constructor() {
    super('The search was cancelled.');
    this.name = 'PatternCancelledError';
  }
}

/** The thread failed (it could not start, ran out of memory, or the search threw). */
export class PatternThreadError extends Error {
  constructor(reason: string) {
    super(`Find and replace stopped unexpectedly: ${reason}`);
    this.name = 'PatternThreadError';
  }
}

const PROGRESS_MS = 100;

type Answer = Extract<FromPatternThread, { kind: 'counted' | 'replaced' }>;
type RequestBody = { readonly kind: 'count'; readonly options: FindOptions } | { readonly kind: 'replace'; readonly options: FindReplaceOptions };

interface Thread {
  readonly worker: Worker;
  /** The sources whose texts the thread holds. */
  sources?: readonly CaptionSource[];
}

/** Runs find/replace in one worker thread, one request at a time; option errors are thrown before anything runs. */
export class PatternRunner {
  private readonly stallMs: number;
  private readonly cancelGraceMs: number;
  private readonly idleMs: number;
  /** Shared with every thread this runner starts: the id of the run to stop (see PatternThreadData). */
  private readonly cancel = new SharedArrayBuffer(4);
  private readonly cancelledId = new Int32Array(this.cancel);
  private thread?: Thread;
  private idleTimer?: NodeJS.Timeout;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;

  constructor(private readonly options: PatternRunnerOptions) {
    this.stallMs = options.stallMs ?? 3000;
    this.cancelGraceMs = options.cancelGraceMs ?? 200;
    this.idleMs = options.idleMs ?? 10_000;
  }

  /** The live count of matches and captions holding them. */
  async countMatches(sources: readonly CaptionSource[], options: FindOptions, run: PatternRun = {}): Promise<MatchCount> {
    compileFind(options);
    const answer = await this.enqueue(sources, { kind: 'count', options }, run);
    if (answer.kind !== 'counted') throw new PatternThreadError(`a ${answer.kind} answer to a count`);
    return answer.count;
  }

  /** The plan of replacing every match in every caption (see findReplace). */
  async findReplace(sources: readonly CaptionSource[], options: FindReplaceOptions, run: PatternRun = {}): Promise<EditPlan> {
    compileFind(options);
    const answer = await this.enqueue(sources, { kind: 'replace', options }, run);
    if (answer.kind !== 'replaced') throw new PatternThreadError(`a ${answer.kind} answer to a replace`);
    return planFromReplacements(sources, options, unpackReplacements(answer.result));
  }

  /** Ends the thread; a run in progress fails. */
  dispose(): void {
    clearTimeout(this.idleTimer);
    if (this.thread) this.end(this.thread);
  }

  private enqueue(sources: readonly CaptionSource[], request: RequestBody, run: PatternRun): Promise<Answer> {
    const answer = this.queue.then(() => this.execute(sources, request, run));
    this.queue = answer.catch(() => undefined);
    return answer;
  }

  private execute(sources: readonly CaptionSource[], request: RequestBody, run: PatternRun): Promise<Answer> {
    if (run.signal?.aborted) return Promise.reject(new PatternCancelledError());
    clearTimeout(this.idleTimer);
    let thread: Thread;
    try {
      thread = this.thread ?? this.start();
    } catch (err) {
      return Promise.reject(new PatternThreadError(err instanceof Error ? err.message : String(err)));
    }
    const { worker } = thread;
    const id = this.nextId++;
    return new Promise<Answer>((resolve, reject) => {
      let stallTimer: NodeJS.Timeout | undefined;
      let graceTimer: NodeJS.Timeout | undefined;
      const settle = (outcome: () => void): void => {
        clearTimeout(stallTimer);
        clearTimeout(graceTimer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        worker.unref();
        run.signal?.removeEventListener('abort', onAbort);
        if (this.thread === thread) this.idleTimer = setTimeout(() => this.end(thread), this.idleMs).unref();
        outcome();
      };
      const watchForStall = (): void => {
        clearTimeout(stallTimer);
        stallTimer = setTimeout(() => {
          this.end(thread);
          settle(() => reject(new PatternTimeoutError(Number((this.stallMs / 1000).toFixed(2)))));
        }, this.stallMs);
      };
      const onMessage = (message: FromPatternThread): void => {
        if (message.id !== id) return;
        if (message.kind === 'progress') {
          if (message.done === sources.length) clearTimeout(stallTimer);
          else if (!run.signal?.aborted) watchForStall();
          run.onProgress?.(message.done, sources.length);
        } else if (message.kind === 'cancelled') settle(() => reject(new PatternCancelledError()));
        else if (message.kind === 'failed') settle(() => reject(new PatternThreadError(message.message)));
        else settle(() => resolve(message));
      };
      const onError = (err: Error): void => settle(() => reject(new PatternThreadError(err.message)));
      const onExit = (code: number): void => settle(() => reject(new PatternThreadError(`its thread exited with code ${code}`)));
      // A busy thread reads no messages: the flag is read between captions; a thread stuck in one is ended.
      const onAbort = (): void => {
        Atomics.store(this.cancelledId, 0, id);
        clearTimeout(stallTimer);
        graceTimer = setTimeout(() => {
          this.end(thread);
          settle(() => reject(new PatternCancelledError()));
        }, this.cancelGraceMs);
      };
      worker.ref();
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      run.signal?.addEventListener('abort', onAbort, { once: true });
      if (thread.sources !== sources) {
        this.post(worker, { kind: 'texts', texts: sources.map((s) => s.text) });
        thread.sources = sources;
      }
      watchForStall();
      this.post(worker, { ...request, id });
    });
  }

  private start(): Thread {
    const workerData: PatternThreadData = { cancel: this.cancel, progressMs: PROGRESS_MS };
    const worker = new Worker(this.options.threadPath, { workerData });
    const thread: Thread = { worker };
    // An idle thread keeps no process alive (a run refs it until it settles).
    worker.unref();
    // Without a listener an 'error' would be thrown in the host; a run in progress reports it through its own.
    worker.on('error', () => this.forget(thread));
    worker.on('exit', () => this.forget(thread));
    this.thread = thread;
    return thread;
  }

  private end(thread: Thread): void {
    this.forget(thread);
    void thread.worker.terminate();
  }

  private forget(thread: Thread): void {
    if (this.thread === thread) {
      this.thread = undefined;
      clearTimeout(this.idleTimer);
    }
  }

  private post(worker: Worker, message: ToPatternThread): void {
    worker.postMessage(message);
  }
}
