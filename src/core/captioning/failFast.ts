/**
 * Stops a batch that cannot succeed: when requests fail one after another with an error that every
 * other request of the batch would meet too (the service cannot be reached, the key is refused, the
 * model or route does not exist), the rest of the batch is left for Resume instead of being retried
 * image by image for half an hour. Transient errors (429, 5xx, timeouts, lost connections) never count.
 */

/**
 * ProviderError kinds (read structurally: core imports no provider) that say the whole batch will fail
 * the same way: `unreachable` (DNS, refused, TLS), `auth` (401/403), `not-found` (404), `gone` (404/410 of a retired route).
 */
const HOPELESS_KINDS: ReadonlySet<string> = new Set(['unreachable', 'auth', 'not-found', 'gone']);

/** True for errors that no request of the batch can get past: see HOPELESS_KINDS. */
export function isHopeless(err: unknown): boolean {
  const kind = typeof err === 'object' && err !== null ? (err as { kind?: unknown }).kind : undefined;
  return typeof kind === 'string' && HOPELESS_KINDS.has(kind);
}

/** Why a batch stopped itself: the error kind, the last error's message, and how many requests failed in a row. */
export interface BatchStop {
  readonly errorKind: string;
  readonly reason: string;
  readonly failures: number;
}

/**
 * Counts requests that fail hopelessly in a row, across the batch's concurrent requests; a success
 * starts the count again. At `limit`, calls `stop` once (synchronously, so requests still in flight
 * and backoffs can be cut short before they settle as failures).
 */
export class FailFast {
  private consecutive = 0;
  private why: BatchStop | undefined;

  constructor(
    private readonly limit: number,
    private readonly onStop: (why: BatchStop) => void,
  ) {}

  /** Why the batch stopped, once it did. */
  get stopped(): BatchStop | undefined {
    return this.why;
  }

  /** Call when a request succeeds. */
  onSuccess(): void {
    this.consecutive = 0;
  }

  /** Call when a request fails (cancellations excluded); stops the batch when this failure is the limit's. */
  onFailure(err: unknown): void {
    if (this.why || !isHopeless(err)) return;
    this.consecutive++;
    if (this.consecutive < Math.max(1, this.limit)) return;
    this.why = {
      errorKind: String((err as { kind: string }).kind),
      reason: err instanceof Error ? err.message : String(err),
      failures: this.consecutive,
    };
    this.onStop(this.why);
  }
}
