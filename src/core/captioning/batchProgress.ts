import type { BatchProgress } from './batchTypes';
import { Clock, monotonicClock } from './rateLimiter';

const RATE_WINDOW_MS = 20_000;

/** Counts a batch's outcomes and reports them at most once per interval, plus a final report. */
export class ProgressTracker {
  done = 0;
  skipped = 0;
  failed = 0;
  private readonly finishedAt: number[] = [];
  private readonly startedAt: number;
  private lastReportAt = Number.NEGATIVE_INFINITY;
  private trailing: NodeJS.Timeout | undefined;

  constructor(
    private readonly total: number,
    private readonly report: ((progress: BatchProgress) => void) | undefined,
    private readonly intervalMs = 1000,
    private readonly clock: Clock = monotonicClock,
  ) {
    this.startedAt = clock();
  }

  written(): void {
    this.done++;
    this.finishedAt.push(this.clock());
    this.changed();
  }

  skip(): void {
    this.skipped++;
    this.changed();
  }

  fail(): void {
    this.failed++;
    this.changed();
  }

  /** The last report; no report follows it. */
  finish(): void {
    if (this.trailing) clearTimeout(this.trailing);
    this.trailing = undefined;
    this.emit(true);
  }

  snapshot(final = false): BatchProgress {
    const now = this.clock();
    const from = now - RATE_WINDOW_MS;
    while (this.finishedAt.length > 0 && this.finishedAt[0] < from) this.finishedAt.shift();
    const span = Math.min(RATE_WINDOW_MS, now - this.startedAt);
    const rate = span > 0 ? (this.finishedAt.length * 1000) / span : 0;
    const left = this.total - this.done - this.skipped - this.failed;
    return {
      done: this.done,
      skipped: this.skipped,
      failed: this.failed,
      total: this.total,
      rate,
      etaMs: rate > 0 ? (left / rate) * 1000 : left === 0 ? 0 : undefined,
      final,
    };
  }

  private changed(): void {
    if (!this.report || this.trailing) return;
    const wait = this.lastReportAt + this.intervalMs - this.clock();
    if (wait <= 0) this.emit(false);
    else this.trailing = setTimeout(() => {
      this.trailing = undefined;
      this.emit(false);
    }, wait);
  }

  private emit(final: boolean): void {
    this.lastReportAt = this.clock();
    this.report?.(this.snapshot(final));
  }
}
