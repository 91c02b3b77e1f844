import { ExportProgress } from './exportTypes';

const DEFAULT_INTERVAL_MS = 250;

/** Forwards progress at most every `intervalMs` (hosts show it about once a second); `finish` always reports. */
export class ProgressThrottle {
  private lastAt = -Infinity;

  constructor(private readonly total: number, private readonly report?: ExportProgress, private readonly intervalMs = DEFAULT_INTERVAL_MS) {}

  update(done: number, bytes: number): void {
    if (!this.report || done >= this.total) return;
    const now = performance.now();
    if (now - this.lastAt < this.intervalMs) return;
    this.lastAt = now;
    this.report(done, this.total, bytes);
  }

  finish(bytes: number): void {
    this.report?.(this.total, this.total, bytes);
  }
}
