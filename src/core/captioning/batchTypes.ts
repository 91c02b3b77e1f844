import type { DatasetBoundary } from '../files/datasetBoundary';
import type { BatchMode } from './captionMerge';
import type { BatchStop } from './failFast';
import type { RetryPolicy } from './retryPolicy';

/** One image of a batch and the caption file it writes. */
export interface BatchItem {
  readonly imagePath: string;
  readonly captionPath: string;
}

/** Why an item was not sent: it had a caption, it is open with unsaved changes, or an earlier run did it. */
export type SkipReason = 'had-caption' | 'protected' | 'journal';

export type ItemOutcome =
  | { readonly kind: 'written'; readonly item: BatchItem; readonly attempts: number; readonly text: string }
  | { readonly kind: 'skipped'; readonly item: BatchItem; readonly reason: SkipReason }
  | { readonly kind: 'failed'; readonly item: BatchItem; readonly reason: string; readonly attempts: number; readonly errorKind?: string };

export interface BatchProgress {
  /** Captions written. */
  readonly done: number;
  readonly skipped: number;
  readonly failed: number;
  readonly total: number;
  /** Captions written per second, over the last seconds. */
  readonly rate: number;
  /** Estimated ms left; undefined until a rate is known. */
  readonly etaMs: number | undefined;
  /** True for the last report of a run. */
  readonly final: boolean;
}

/** Where the resume journal goes and what it remembers about the job. */
export interface JournalOptions {
  /** A folder of the extension's storage (never the dataset folder). */
  readonly folder: string;
  readonly jobId?: string;
  readonly modelId?: string;
  readonly promptHash?: string;
  /** Whatever the caller needs to rebuild `generate` on resume (prompt, parameters); JSON only. */
  readonly context?: unknown;
}

/** What the caller brings to a run and to a resumed run alike. */
export interface BatchRuntime {
  /** The dataset the captions belong to: no caption is read or written outside it. */
  readonly boundary: DatasetBoundary;
  /** Captions one image; the caller wraps provider, image preparation and clean-up. Must honour `signal`. */
  generate(item: BatchItem, signal: AbortSignal): Promise<string>;
  /**
   * The text to write from the caption on disk ('' when none) and the generated one; default
   * `mergeCaption` with the job's separator. Taggers merge tag lists instead (no duplicates, order kept).
   * Runs on every write, so a resumed or retried job merges the same way as its first run.
   */
  merge?(existing: string, generated: string, mode: BatchMode): string;
  /** Most requests in flight at once (default 4). */
  readonly concurrency?: number;
  /** Client-side requests per minute, retries included (default: no limit). */
  readonly rpm?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** True when the caption is open with unsaved changes: the item is skipped, checked again before writing. */
  isProtected?(captionPath: string): boolean | Promise<boolean>;
  readonly signal?: AbortSignal;
  /** Throttled to about once a second, plus a final report. */
  onProgress?(progress: BatchProgress): void;
  readonly progressIntervalMs?: number;
  /** Each item's outcome as it is settled. */
  onItem?(outcome: ItemOutcome): void;
}

export interface BatchOptions extends BatchRuntime {
  readonly items: readonly BatchItem[];
  /** Default 'skip'. */
  readonly mode?: BatchMode;
  /** Joins append/prepend texts; chosen from the captions when omitted. */
  readonly separator?: string;
  /** Keeps a resume journal when given. */
  readonly journal?: JournalOptions;
}

export interface BatchSummary {
  readonly jobId: string;
  /** Cancelled by the caller's signal. */
  readonly cancelled: boolean;
  /** Set when the batch stopped itself: requests kept failing in a way no request could get past. */
  readonly stopped?: BatchStop;
  readonly outcomes: readonly ItemOutcome[];
  readonly written: number;
  readonly skipped: number;
  readonly failed: number;
  /** Items of the job left for Resume: never settled because the batch was cancelled or stopped, or left alone by a retry. */
  readonly pending: number;
  readonly elapsedMs: number;
  /** The journal left for "Resume"; undefined when the job finished and its journal was deleted. */
  readonly journalFile?: string;
}
