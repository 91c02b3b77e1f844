import type { BatchProgress, BatchSummary } from '../core/captioning/batchTypes';

/** A batch that is running: what it is and its latest progress (none before its first image settles). */
export interface RunningBatch {
  /** "Captioning all images (240 images, …) with Model". */
  readonly title: string;
  readonly progress?: BatchProgress;
}

/** How the last batch ended: its summary, or the error that stopped it. */
export type BatchOutcome =
  | { readonly kind: 'summary'; readonly title: string; readonly summary: BatchSummary }
  | { readonly kind: 'error'; readonly title: string; readonly message: string };

/** One run's handle: its progress as it comes, then how it ended (exactly once). */
export interface BatchRunHandle {
  report(progress: BatchProgress): void;
  finished(summary: BatchSummary): void;
  failed(error: unknown): void;
}

/**
 * What the caption batches are doing now, for the views that show it (the status bar item): the
 * runs in progress, newest last, and the outcome of the last one that ended. No `vscode` here, so
 * plain unit tests cover it.
 */
export class BatchActivity {
  private readonly listeners = new Set<() => void>();
  private readonly runs: Array<{ title: string; progress?: BatchProgress }> = [];
  private outcome: BatchOutcome | undefined;

  /** Calls `listener` after every change; dispose the result to stop. */
  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Batches running now, in the order they started. */
  get running(): readonly RunningBatch[] {
    return this.runs;
  }

  /** How the last batch ended; undefined before any ended, or once forgotten. */
  get lastOutcome(): BatchOutcome | undefined {
    return this.outcome;
  }

  /** A batch starts; report its progress and its end through the handle. */
  begin(title: string): BatchRunHandle {
    const run: { title: string; progress?: BatchProgress } = { title };
    this.runs.push(run);
    this.changed();
    let ended = false;
    const end = (outcome: BatchOutcome): void => {
      if (ended) return;
      ended = true;
      this.runs.splice(this.runs.indexOf(run), 1);
      this.outcome = outcome;
      this.changed();
    };
    return {
      report: (progress) => {
        if (ended) return;
        run.progress = progress;
        this.changed();
      },
      finished: (summary) => end({ kind: 'summary', title, summary }),
      failed: (error) => end({ kind: 'error', title, message: error instanceof Error ? error.message : String(error) }),
    };
  }

  /** The last outcome has been shown long enough. */
  forgetOutcome(): void {
    if (!this.outcome) return;
    this.outcome = undefined;
    this.changed();
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
