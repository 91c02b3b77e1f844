/** Waiting that stops at once when a batch is cancelled. */

/** The error every abortable wait rejects with, so callers can tell cancellation from failure. */
export class BatchCancelledError extends Error {
  constructor() {
    super('The batch was cancelled');
    this.name = 'BatchCancelledError';
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new BatchCancelledError();
}

/** Resolves after `ms`, or rejects with BatchCancelledError as soon as `signal` aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new BatchCancelledError());
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new BatchCancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Settles like `work`, or rejects with BatchCancelledError when `signal` aborts first:
 * a callee that ignores its signal cannot keep the batch from returning.
 */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined); // its late failure must not become an unhandled rejection
    return Promise.reject(new BatchCancelledError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new BatchCancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
