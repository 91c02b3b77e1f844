/**
 * Gathers concurrent requests for one worker model into batched worker requests: a request goes at
 * once when the model has a free slot; while the worker is busy, requests queue and leave together
 * (up to the batch size) as soon as a batch comes back. Local captioning and tagging share it.
 */

interface Waiting<Req, Res> {
  readonly request: Req;
  readonly signal?: AbortSignal;
  readonly resolve: (result: Res) => void;
  readonly reject: (error: unknown) => void;
}

/** Requests of one key queued while the worker is busy with earlier batches. */
interface KeyQueue<Req, Res> {
  readonly waiting: Waiting<Req, Res>[];
  inFlight: number;
  scheduled: boolean;
}

/** Batches in flight per key by default: one running while the next is sent and decoded. */
export const MAX_IN_FLIGHT = 2;

export class GatheringQueue<Req, Res> {
  private readonly queues = new Map<string, KeyQueue<Req, Res>>();

  constructor(
    /** Sends one group as one worker request; each request gets its result or its own Error, in order. */
    private readonly send: (group: readonly Req[]) => Promise<ReadonlyArray<Res | Error>>,
    /** The error a request cancelled while it waited is rejected with. */
    private readonly cancelled: () => Error,
    private readonly maxInFlight = MAX_IN_FLIGHT,
  ) {}

  /** Queues `request` under `key` (requests that may share a worker request share a key); settles with its own result. */
  submit(key: string, request: Req, batchSize: number, signal?: AbortSignal): Promise<Res> {
    if (signal?.aborted) return Promise.reject(this.cancelled());
    return new Promise<Res>((resolve, reject) => {
      let queue = this.queues.get(key);
      if (!queue) {
        queue = { waiting: [], inFlight: 0, scheduled: false };
        this.queues.set(key, queue);
      }
      queue.waiting.push({ request, signal, resolve, reject });
      if (queue.inFlight < this.maxInFlight && !queue.scheduled) {
        // Requests that arrive in the same turn of the event loop travel together.
        queue.scheduled = true;
        const scheduled = queue;
        setImmediate(() => this.flush(key, scheduled, Math.max(1, Math.floor(batchSize))));
      }
    });
  }

  private flush(key: string, queue: KeyQueue<Req, Res>, batchSize: number): void {
    queue.scheduled = false;
    while (queue.inFlight < this.maxInFlight && queue.waiting.length) {
      const group = queue.waiting.splice(0, batchSize).filter((waiting) => {
        if (!waiting.signal?.aborted) return true;
        waiting.reject(this.cancelled());
        return false;
      });
      if (!group.length) continue;
      queue.inFlight += 1;
      this.send(group.map((waiting) => waiting.request))
        .then(
          (results) =>
            group.forEach((waiting, i) => {
              const result = results[i];
              if (result instanceof Error) waiting.reject(result);
              else if (result === undefined) waiting.reject(new Error('The worker answered fewer items than it was sent.'));
              else waiting.resolve(result);
            }),
          (error: unknown) => group.forEach((waiting) => waiting.reject(error)),
        )
        .finally(() => {
          queue.inFlight -= 1;
          if (queue.waiting.length) this.flush(key, queue, batchSize);
          else if (queue.inFlight === 0 && this.queues.get(key) === queue) this.queues.delete(key);
        });
    }
  }
}

/**
 * A signal that aborts when every request of a batch was cancelled (the batch engine gives all its
 * requests one signal: then that one, with no listener added); `dispose` removes the listeners.
 */
export function whenAllAborted(signals: readonly (AbortSignal | undefined)[]): { signal?: AbortSignal; dispose(): void } {
  const distinct = [...new Set(signals)];
  if (distinct.some((signal) => !signal)) return { dispose: () => undefined };
  if (distinct.length === 1) return { signal: distinct[0], dispose: () => undefined };
  const controller = new AbortController();
  const check = () => {
    if (distinct.every((signal) => signal!.aborted)) controller.abort();
  };
  for (const signal of distinct) signal!.addEventListener('abort', check);
  return { signal: controller.signal, dispose: () => distinct.forEach((signal) => signal!.removeEventListener('abort', check)) };
}
