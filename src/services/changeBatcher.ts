/** Collects file paths from watcher events and hands them over in one batch after a quiet period. */
export class ChangeBatcher {
  private pending = new Set<string>();
  private timer?: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly quietMs: number,
    private readonly flush: (paths: readonly string[]) => Promise<void>,
    /** Told when a batch could not be applied; later batches still run. */
    private readonly onError: (err: unknown, paths: readonly string[]) => void,
  ) {}

  add(path: string): void {
    this.pending.add(path);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.drain(), this.quietMs);
  }

  private drain(): void {
    this.timer = undefined;
    const batch = [...this.pending];
    this.pending.clear();
    // One batch at a time, so a slow refresh never races the next one.
    this.running = this.running.then(() => this.flush(batch)).catch((err) => this.onError(err, batch));
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.pending.clear();
  }
}
