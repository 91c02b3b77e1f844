/**
 * The extension host's side of the tag completion thread (tagCompleteThread.ts): it sends the tag
 * list's bytes and the dataset's tags there and asks for suggestions, so neither indexing a 100,000-row
 * list nor ranking it ever holds the host's event loop. A thread that dies is started again on the
 * next request; what it held is sent again by the caller (`onRestart`).
 */
import { Worker } from 'node:worker_threads';
import { movableBuffer } from '../threads/movableBuffer';
import type { FromTagCompleteThread, ToTagCompleteThread } from './tagCompleteProtocol';
import type { TagSuggestion } from './tagCompletion';
import type { TagCount } from './tagCounts';

/** What indexing a list found. */
export interface ListIndexed {
  readonly tags: number;
  readonly skipped: number;
  readonly firstSkippedLine?: number;
}

type Pending = { resolve: (message: FromTagCompleteThread) => void; reject: (err: Error) => void };

export class TagCompleteRunner {
  private worker?: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Set by dispose: a question that comes later (a keystroke in flight at deactivate) must not start a thread nobody ends. */
  private disposed = false;

  /** `threadPath`: dist/tagCompleteWorker.js (or its transpiled twin in out/ for tests). */
  constructor(private readonly threadPath: string) {}

  /** Whether a thread is running now (false after it died: the caller then sends its state again). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** Parses and indexes a tag list in the thread (the bytes move there); undefined bytes: no list. */
  async setList(file: string, bytes: Uint8Array | undefined): Promise<ListIndexed> {
    const reply = await this.ask((id) => ({ kind: 'list', id, file, bytes }), movableBuffer(bytes));
    if (reply.kind !== 'listIndexed') throw new Error('the tag completion thread answered out of turn');
    return { tags: reply.tags, skipped: reply.skipped, firstSkippedLine: reply.firstSkippedLine };
  }

  /** The dataset's tags (the thread ranks them first). */
  setDatasetTags(tags: readonly TagCount[]): void {
    this.thread().postMessage({ kind: 'dataset', tags } satisfies ToTagCompleteThread);
  }

  /** Suggestions for `typed`, without the tags in `exclude` (normalized names). */
  async complete(typed: string, limit: number, exclude: readonly string[] = []): Promise<TagSuggestion[]> {
    const reply = await this.ask((id) => ({ kind: 'complete', id, typed, limit, exclude }));
    if (reply.kind !== 'suggestions') throw new Error('the tag completion thread answered out of turn');
    return reply.suggestions;
  }

  /** Ends the thread; later questions are refused. */
  dispose(): void {
    this.disposed = true;
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
    this.failAll(new Error('tag completion was stopped'));
  }

  private ask(message: (id: number) => ToTagCompleteThread, transfer: ArrayBuffer[] = []): Promise<FromTagCompleteThread> {
    const id = this.nextId++;
    const worker = this.thread();
    return new Promise<FromTagCompleteThread>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage(message(id), transfer);
    });
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    if (this.disposed) throw new Error('tag completion was stopped');
    const worker = new Worker(this.threadPath);
    // The thread must not keep a process (the CLI, tests) alive on its own.
    worker.unref();
    worker.on('message', (message: FromTagCompleteThread) => {
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (message.kind === 'failed') waiting.reject(new Error(message.message));
      else waiting.resolve(message);
    });
    const died = (why: string): void => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.failAll(new Error(`the tag completion thread stopped: ${why}`));
    };
    worker.on('error', (err) => died(err.message));
    worker.on('exit', (code) => died(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }

  private failAll(err: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(err);
    this.pending.clear();
  }
}
