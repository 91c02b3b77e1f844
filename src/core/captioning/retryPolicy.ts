/** When a failed caption request is tried again, and after how long. */

export interface RetryPolicy {
  /** First backoff ceiling, in ms; it doubles with each attempt. */
  readonly baseMs: number;
  /** Largest backoff ceiling, in ms. */
  readonly capMs: number;
  /** Attempts per item, the first one included. */
  readonly maxAttempts: number;
  /** Longest server-requested wait honoured, in ms; a longer Retry-After fails the item. */
  readonly maxRetryAfterMs: number;
  /** Requests in a row, across the batch, failing in a way no request can get past (see failFast.ts) that stop the batch. */
  readonly stopAfterHopeless: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseMs: 1000,
  capMs: 60_000,
  maxAttempts: 6,
  maxRetryAfterMs: 10 * 60_000,
  stopAfterHopeless: 3,
};

/**
 * What the batch reads from an error, structurally so that core needs no provider import:
 * ProviderError has all three (`kind` 'rate-limit' is a 429).
 */
export interface RetryHints {
  readonly retryable?: boolean;
  readonly retryAfterMs?: number;
  readonly kind?: string;
  readonly status?: number;
}

export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number; readonly fromServer: boolean }
  | { readonly retry: false; readonly why: 'not-retryable' | 'attempts-exhausted' | 'retry-after-too-long' };

function hintsOf(err: unknown): RetryHints {
  return typeof err === 'object' && err !== null ? (err as RetryHints) : {};
}

/** True for errors that say the server is rate limiting (HTTP 429). */
export function isRateLimited(err: unknown): boolean {
  const hints = hintsOf(err);
  return hints.kind === 'rate-limit' || hints.status === 429;
}

/**
 * True for failures the server let through its rate limit: it answered with another status than 429,
 * or took the request and failed it (5xx, lost connection, timeout, a reply that makes no sense).
 * They count toward the rate the server accepts, as servers count them against their limit.
 */
export function passedRateLimit(err: unknown): boolean {
  if (isRateLimited(err)) return false;
  const { status, kind } = hintsOf(err);
  return status !== undefined || kind === 'server' || kind === 'network' || kind === 'timeout' || kind === 'bad-response';
}

/** Full-jitter backoff: uniform in [0, min(cap, base x 2^(attempt-1))]. */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return random() * ceiling;
}

/** Decides after failed attempt number `attempt` (1-based); only errors marked retryable are retried. */
export function decideRetry(err: unknown, attempt: number, policy: RetryPolicy, random?: () => number): RetryDecision {
  const hints = hintsOf(err);
  if (hints.retryable !== true) return { retry: false, why: 'not-retryable' };
  if (attempt >= policy.maxAttempts) return { retry: false, why: 'attempts-exhausted' };
  const asked = hints.retryAfterMs;
  if (asked !== undefined && Number.isFinite(asked) && asked >= 0) {
    if (asked > policy.maxRetryAfterMs) return { retry: false, why: 'retry-after-too-long' };
    return { retry: true, delayMs: asked, fromServer: true };
  }
  return { retry: true, delayMs: backoffMs(attempt, policy, random), fromServer: false };
}
