import { Clock, RateLimiter, monotonicClock } from './rateLimiter';

export interface AdaptiveRateOptions {
  /** Multiplier applied on a 429 (AIMD's multiplicative decrease). */
  readonly decreaseFactor: number;
  /** Share of the last pushed-back rate that is won back quickly: it was known to pass. */
  readonly safeShare: number;
  /** Time constant of that quick recovery, in ms. */
  readonly recoveryMs: number;
  /** Slow probe above the safe share, as a share of the pushed-back rate per second. */
  readonly probePerSecond: number;
  /** Window over which sent and accepted rates are measured, in ms. */
  readonly windowMs: number;
  /** Lowest rate ever set, per second. */
  readonly minPerSecond: number;
}

export const DEFAULT_ADAPTIVE_RATE: AdaptiveRateOptions = {
  decreaseFactor: 0.5,
  safeShare: 0.95,
  recoveryMs: 300,
  probePerSecond: 0.01,
  windowMs: 2000,
  minPerSecond: 0.05,
};

/**
 * AIMD over a RateLimiter: a 429 halves the pace (once per hold time, since the requests already in
 * flight answer 429 together), then the pace climbs back. The rate the server accepted when it
 * pushed back is remembered as a ceiling: recovery is quick up to 95% of it and slow above it, so a
 * server limit below the configured rpm is found and then held without a deep sawtooth.
 */
export class AdaptiveRate {
  private current: number;
  private ceiling: number | undefined;
  private lastDecreaseAt = Number.NEGATIVE_INFINITY;
  private lastUpdateAt: number;
  private readonly startedAt: number;
  private readonly sent: number[] = [];
  private readonly accepted: number[] = [];

  constructor(
    private readonly limiter: RateLimiter,
    private readonly configured: number,
    private readonly options: AdaptiveRateOptions = DEFAULT_ADAPTIVE_RATE,
    private readonly clock: Clock = monotonicClock,
  ) {
    this.current = configured;
    this.startedAt = this.lastUpdateAt = clock();
  }

  /** The pace now in force, per second. */
  get rate(): number {
    return this.current;
  }

  /** The rate the server last pushed back at, per second; undefined before any 429. */
  get serverLimit(): number | undefined {
    return this.ceiling;
  }

  /** Call when a request is sent. */
  onSent(): void {
    this.sent.push(this.clock());
  }

  /** Call when the server let a request through its limit (a success, or a failure other than 429): the pace recovers with time. */
  onAccepted(): void {
    const now = this.clock();
    this.accepted.push(now);
    this.recover(now);
  }

  /** Call on a 429: lowers the pace unless it was lowered within the hold time. */
  onRateLimited(): void {
    const now = this.clock();
    const holdMs = Math.max(1000, 2000 / Math.max(this.current, this.options.minPerSecond));
    if (now - this.lastDecreaseAt < holdMs) return;
    const sentRate = this.measure(this.sent, now);
    const acceptedRate = this.measure(this.accepted, now);
    // the server just refused what was sent; what it accepted meanwhile is its limit's best estimate
    const basis = Math.min(this.current, acceptedRate > 0 ? acceptedRate : sentRate / 2 || this.current);
    this.ceiling = basis;
    this.current = Math.max(this.options.minPerSecond, basis * this.options.decreaseFactor);
    this.lastDecreaseAt = this.lastUpdateAt = now;
    this.limiter.setRate(this.current);
  }

  private recover(now: number): void {
    const dt = now - this.lastUpdateAt;
    this.lastUpdateAt = now;
    if (this.ceiling === undefined || this.current >= this.configured || dt <= 0) return;
    const safe = this.ceiling * this.options.safeShare;
    let next = this.current;
    if (next < safe) {
      next = safe - (safe - next) * Math.exp(-dt / this.options.recoveryMs);
      if (safe - next < this.ceiling * 0.01) next = safe; // the approach is asymptotic: end it
    } else next += this.ceiling * this.options.probePerSecond * (dt / 1000);
    // never run far ahead of what is really sent, or a later 429 would be answered too late
    const sentRate = this.measure(this.sent, now);
    if (sentRate > 0) next = Math.min(next, Math.max(safe, sentRate * 1.5));
    this.current = Math.min(this.configured, next);
    this.limiter.setRate(this.current);
  }

  /**
   * Events per second over the last window (or since the start, when shorter), never over less than
   * a second (servers count per second) nor fewer than about ten intervals at the current pace.
   */
  private measure(times: number[], now: number): number {
    const windowMs = Math.max(this.options.windowMs, 10_000 / Math.max(this.current, this.options.minPerSecond));
    while (times.length > 0 && times[0] < now - windowMs) times.shift();
    const span = Math.max(1000, Math.min(windowMs, now - this.startedAt));
    return (times.length * 1000) / span;
  }
}
