import { BatchCancelledError } from './abortableDelay';

/** A monotonic clock in milliseconds; tests and benchmarks may pass their own. */
export type Clock = () => number;

export const monotonicClock: Clock = () => performance.now();

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
  readonly signal?: AbortSignal;
  readonly onAbort: () => void;
}

/**
 * Paces requests: two grants are always at least 1/rate apart, so any window of W seconds holds at
 * most ceil(W x rate) of them (a token bucket of capacity one). Waiters are served first come, first served.
 */
export class RateLimiter {
  private intervalMs: number;
  private lastGrantAt = Number.NEGATIVE_INFINITY;
  private pausedUntil = Number.NEGATIVE_INFINITY;
  private readonly waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;

  /** `perSecond` of Infinity (or <= 0) means no pacing. */
  constructor(perSecond: number, private readonly clock: Clock = monotonicClock) {
    this.intervalMs = intervalOf(perSecond);
  }

  /** Requests per second now allowed. */
  get rate(): number {
    return this.intervalMs === 0 ? Number.POSITIVE_INFINITY : 1000 / this.intervalMs;
  }

  /** Changes the pace; the next grant keeps the new spacing from the previous one. */
  setRate(perSecond: number): void {
    this.intervalMs = intervalOf(perSecond);
    this.reschedule();
  }

  /** Holds every grant until `time` (a server's Retry-After applies to the whole client). */
  pauseUntil(time: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, time);
    this.reschedule();
  }

  /** Resolves when a request may be sent; rejects with BatchCancelledError when `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new BatchCancelledError());
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const at = this.waiters.indexOf(waiter);
          if (at >= 0) this.waiters.splice(at, 1);
          reject(new BatchCancelledError());
          this.reschedule();
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
      this.drain();
    });
  }

  /** Stops the timer; pending waiters are left to their signals. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private nextAllowedAt(): number {
    return Math.max(this.lastGrantAt + this.intervalMs, this.pausedUntil);
  }

  private drain(): void {
    while (this.waiters.length > 0) {
      const now = this.clock();
      if (now < this.nextAllowedAt()) break;
      const waiter = this.waiters.shift()!;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      this.lastGrantAt = now; // from now, not from the planned time: late timers never allow a burst
      waiter.resolve();
    }
    this.reschedule();
  }

  private reschedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.waiters.length === 0) return;
    const wait = this.nextAllowedAt() - this.clock();
    // setTimeout may fire a little early; drain() re-checks the clock and waits again if so
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.drain();
    }, Math.max(0, Math.ceil(wait)));
  }
}

function intervalOf(perSecond: number): number {
  return perSecond > 0 && Number.isFinite(perSecond) ? 1000 / perSecond : 0;
}
