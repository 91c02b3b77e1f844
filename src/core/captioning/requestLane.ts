import { BatchCancelledError, delay } from './abortableDelay';
import { RateLimiter, monotonicClock } from './rateLimiter';
import { DEFAULT_RETRY_POLICY, RetryPolicy, decideRetry } from './retryPolicy';

/** The limits of one lane: requests at a time, and requests per minute (undefined: no pacing). */
export interface LaneLimits {
  readonly concurrency: number;
  readonly rpm?: number;
}

/** One attempt of a request; `signal` aborts it. */
export type Attempt<T> = (signal: AbortSignal | undefined, attempt: number) => Promise<T>;

/**
 * Single requests (a region described, a fuse) under the batch engine's rules: at most `concurrency`
 * at once, paced to `rpm`, retried with the same policy (backoff with jitter, a server's Retry-After
 * honoured for every request of the lane). One lane per model, shared by every caller.
 */
export class RequestLane {
  private readonly limiter: RateLimiter;
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private limits: LaneLimits,
    private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  ) {
    this.limiter = new RateLimiter(limits.rpm ? limits.rpm / 60 : 0);
  }

  /** Takes new limits (the user changed a setting); requests in flight keep their slots. */
  setLimits(limits: LaneLimits): void {
    this.limits = limits;
    this.limiter.setRate(limits.rpm ? limits.rpm / 60 : 0);
    this.admit();
  }

  /**
   * Runs `attempt` until it succeeds, fails in a way a retry cannot mend, or `mayRetry` says no (an
   * attempt that already streamed text is not repeated: its reader saw the text). Rejects with
   * BatchCancelledError when `signal` aborts while waiting.
   */
  async run<T>(attempt: Attempt<T>, signal?: AbortSignal, mayRetry: (err: unknown) => boolean = () => true): Promise<T> {
    await this.slot(signal);
    try {
      for (let number = 1; ; number++) {
        await this.limiter.acquire(signal);
        try {
          return await attempt(signal, number);
        } catch (err) {
          if (signal?.aborted) throw err;
          const decision = decideRetry(err, number, this.policy);
          if (!decision.retry || !mayRetry(err)) throw err;
          if (decision.fromServer) this.limiter.pauseUntil(monotonicClock() + decision.delayMs);
          await delay(decision.delayMs, signal);
        }
      }
    } finally {
      this.active--;
      this.admit();
    }
  }

  dispose(): void {
    this.limiter.dispose();
  }

  private slot(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(new BatchCancelledError());
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const at = this.waiting.indexOf(start);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(new BatchCancelledError());
      };
      const start = (): void => {
        signal?.removeEventListener('abort', onAbort);
        this.active++;
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(start);
      this.admit();
    });
  }

  private admit(): void {
    while (this.active < Math.max(1, this.limits.concurrency) && this.waiting.length > 0) this.waiting.shift()!();
  }
}
