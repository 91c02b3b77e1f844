import { setMaxListeners } from 'node:events';
import { BatchCancelledError } from './abortableDelay';
import { AdaptiveRate } from './adaptiveRate';
import { BatchJournal, deleteJournal, newJobId } from './batchJournal';
import { runItem } from './batchItem';
import { ProgressTracker } from './batchProgress';
import type { BatchItem, BatchOptions, BatchProgress, BatchRuntime, BatchSummary, ItemOutcome } from './batchTypes';
import type { BatchMode } from './captionMerge';
import { FailFast } from './failFast';
import { RateLimiter, monotonicClock } from './rateLimiter';
import { DEFAULT_RETRY_POLICY } from './retryPolicy';

export const DEFAULT_CONCURRENCY = 4;

/** What to run: the job's items and mode, and which items an earlier run already finished. */
export interface BatchPlan {
  readonly jobId: string;
  readonly items: readonly BatchItem[];
  readonly mode: BatchMode;
  readonly separator?: string;
  /** Image paths settled by an earlier run of this job (from its journal). */
  readonly alreadyDone: ReadonlySet<string>;
  /** Unfinished items of the job that this run leaves alone (a retry of failed items leaves them to Resume). */
  readonly leftForResume?: number;
}

/**
 * Captions `items` with bounded concurrency, a client-side rate limit, retries and atomic writes.
 * Never throws for an item: each one ends written, skipped or failed in the summary, or pending when
 * the batch was cancelled or stopped itself (a few hopeless failures in a row, see failFast.ts). With
 * `journal`, a cancelled, stopped or killed run can be finished by `resumeBatch` without asking twice.
 */
export async function runBatch(options: BatchOptions): Promise<BatchSummary> {
  const jobId = options.journal?.jobId ?? newJobId();
  const plan: BatchPlan = { jobId, items: options.items, mode: options.mode ?? 'skip', separator: options.separator, alreadyDone: new Set() };
  const journal = options.journal
    ? await BatchJournal.create(options.journal.folder, {
        jobId,
        created: new Date().toISOString(),
        modelId: options.journal.modelId,
        promptHash: options.journal.promptHash,
        mode: plan.mode,
        separator: plan.separator,
        items: plan.items.map((i) => ({ imagePath: i.imagePath, captionPath: i.captionPath })),
        context: options.journal.context,
      })
    : undefined;
  return executeBatch(plan, options, journal);
}

/** Runs a plan (fresh or resumed); the journal, when given, is closed, and deleted once every item is done. */
export async function executeBatch(plan: BatchPlan, runtime: BatchRuntime, journal?: BatchJournal): Promise<BatchSummary> {
  const startedAt = monotonicClock();
  const controller = new AbortController();
  setMaxListeners(0, controller.signal); // every waiting item listens to it: many listeners are expected
  const cancel = (): void => controller.abort();
  if (runtime.signal?.aborted) cancel();
  runtime.signal?.addEventListener('abort', cancel, { once: true });

  const rate = runtime.rpm && runtime.rpm > 0 ? runtime.rpm / 60 : Number.POSITIVE_INFINITY;
  const limiter = new RateLimiter(rate);
  const adaptive = new AdaptiveRate(limiter, rate);
  const policy = { ...DEFAULT_RETRY_POLICY, ...runtime.retry };
  // a hopeless batch ends like a cancelled one: items not settled stay pending in the journal
  const failFast = new FailFast(policy.stopAfterHopeless, () => controller.abort());
  let callbackError: { error: unknown } | undefined;
  const guard = (callback: () => void): void => {
    try {
      callback();
    } catch (error) {
      callbackError ??= { error }; // a caller's bug stops the batch and is rethrown once it has stopped
      controller.abort();
    }
  };
  const onProgress = runtime.onProgress && ((p: BatchProgress): void => guard(() => runtime.onProgress?.(p)));
  const tracker = new ProgressTracker(plan.items.length, onProgress, runtime.progressIntervalMs);
  const outcomes: ItemOutcome[] = [];

  const settle = (outcome: ItemOutcome): void => {
    outcomes.push(outcome);
    if (outcome.kind === 'written') tracker.written();
    else if (outcome.kind === 'skipped') tracker.skip();
    else tracker.fail();
    guard(() => runtime.onItem?.(outcome));
  };

  const queue: BatchItem[] = [];
  const owners = new Map<string, BatchItem>();
  for (const item of plan.items) {
    const owner = owners.get(item.captionPath);
    if (plan.alreadyDone.has(item.imagePath)) settle({ kind: 'skipped', item, reason: 'journal' });
    // two images with one stem must never write one caption file (append would do it twice)
    else if (owner) settle({ kind: 'failed', item, reason: `${item.captionPath} is also the caption of ${owner.imagePath}: rename one of the images`, attempts: 0, errorKind: 'collision' });
    else queue.push(item);
    owners.set(item.captionPath, owner ?? item);
  }
  const context = { mode: plan.mode, separator: plan.separator, runtime, policy, limiter, adaptive, failFast, signal: controller.signal, journal };
  const worker = async (): Promise<void> => {
    for (let item = queue.shift(); item && !controller.signal.aborted; item = queue.shift()) {
      let outcome: ItemOutcome;
      try {
        outcome = await runItem(item, context);
      } catch (err) {
        if (err instanceof BatchCancelledError) return;
        outcome = { kind: 'failed', item, reason: err instanceof Error ? err.message : String(err), attempts: 0 };
      }
      settle(outcome);
    }
  };
  const concurrency = Math.max(1, Math.floor(runtime.concurrency ?? DEFAULT_CONCURRENCY));
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  } finally {
    runtime.signal?.removeEventListener('abort', cancel);
    limiter.dispose();
    tracker.finish();
  }

  if (callbackError) {
    await journal?.close();
    throw callbackError.error;
  }
  const stopped = failFast.stopped;
  const cancelled = controller.signal.aborted && !stopped;
  const count = (kind: ItemOutcome['kind']): number => outcomes.filter((o) => o.kind === kind).length;
  const leftForResume = plan.leftForResume ?? 0;
  const finished = !controller.signal.aborted && leftForResume === 0 && outcomes.every((o) => o.kind === 'written' || (o.kind === 'skipped' && o.reason !== 'protected'));
  let journalFile: string | undefined;
  if (journal) {
    await journal.close();
    if (finished) await deleteJournal(journal.file);
    else journalFile = journal.file;
  }
  return {
    jobId: plan.jobId,
    cancelled,
    outcomes,
    written: count('written'),
    skipped: count('skipped'),
    failed: count('failed'),
    pending: plan.items.length - outcomes.length + leftForResume,
    elapsedMs: monotonicClock() - startedAt,
    journalFile,
    ...(stopped ? { stopped } : {}),
  };
}
