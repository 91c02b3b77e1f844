import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { DatasetBoundary } from '../files/datasetBoundary';
import type { DecodedCaption } from './captionCodec';
import { readCaption, readCaptionSync } from './captionStore';

/** One image and its caption; `text` is undefined when there is no caption file, and uses '\n' breaks. */
export interface CaptionSource {
  readonly imagePath: string;
  readonly captionPath: string;
  readonly text: string | undefined;
}

export interface CaptionPair {
  readonly imagePath: string;
  readonly captionPath: string;
}

/** A caption that could not be read (not UTF-8, too large, not a regular file, outside the dataset, no permission); it is left out of the plan. */
export interface SourceReadFailure extends CaptionPair {
  readonly message: string;
}

export interface ReadSourcesOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
}

/** The longest the event loop is held by one run of synchronous reads. */
const SLICE_MS = 10;
/** Synchronous reads slower than this, several in a row, mean slow storage: the rest is read asynchronously. */
const SLOW_READ_MS = 20;
/** One slow read is a GC pause or a page fault; this many in a row are the storage. */
const SLOW_READS_IN_A_ROW = 3;
const ASYNC_READS_IN_FLIGHT = 32;

/**
 * Reads the captions an operation plans over, in the order given; unreadable ones are reported,
 * not thrown. Small cached files are read synchronously in slices of about 10 ms: measured on
 * 100,000 captions, async reads (readCaption, 8 to 256 in flight) took 4 to 7 s against under
 * 1 s this way, since each async read is four thread-pool round trips. Slow storage falls back to
 * async reads so the extension host never stalls.
 */
export async function readCaptionSources(
  pairs: readonly CaptionPair[],
  boundary: DatasetBoundary,
  options: ReadSourcesOptions = {},
): Promise<{ sources: CaptionSource[]; failures: SourceReadFailure[] }> {
  const results = new Array<CaptionSource | SourceReadFailure>(pairs.length);
  const scratch = Buffer.allocUnsafe(64 * 1024);
  let next = 0;
  let slow = false;
  let slowInARow = 0;
  while (next < pairs.length && !slow) {
    const sliceEnd = performance.now() + SLICE_MS;
    while (next < pairs.length && !slow) {
      const started = performance.now();
      results[next] = settle(pairs[next], () => readCaptionSync(pairs[next].captionPath, boundary, scratch));
      next++;
      const now = performance.now();
      slowInARow = now - started > SLOW_READ_MS ? slowInARow + 1 : 0;
      slow = slowInARow >= SLOW_READS_IN_A_ROW;
      if (now > sliceEnd) break;
    }
    options.onProgress?.(next, pairs.length);
    await yieldToEventLoop();
    options.signal?.throwIfAborted();
  }
  let done = next;
  const worker = async (): Promise<void> => {
    while (next < pairs.length) {
      const i = next++;
      results[i] = await settleAsync(pairs[i], () => readCaption(pairs[i].captionPath, boundary));
      options.signal?.throwIfAborted();
      options.onProgress?.(++done, pairs.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(ASYNC_READS_IN_FLIGHT, pairs.length - next) }, worker));
  const sources: CaptionSource[] = [];
  const failures: SourceReadFailure[] = [];
  for (const r of results) ('message' in r ? failures.push(r) : sources.push(r));
  return { sources, failures };
}

function settle(pair: CaptionPair, read: () => DecodedCaption | undefined): CaptionSource | SourceReadFailure {
  try {
    return { imagePath: pair.imagePath, captionPath: pair.captionPath, text: read()?.text };
  } catch (err) {
    return { imagePath: pair.imagePath, captionPath: pair.captionPath, message: err instanceof Error ? err.message : String(err) };
  }
}

async function settleAsync(pair: CaptionPair, read: () => Promise<DecodedCaption | undefined>): Promise<CaptionSource | SourceReadFailure> {
  try {
    return { imagePath: pair.imagePath, captionPath: pair.captionPath, text: (await read())?.text };
  } catch (err) {
    return { imagePath: pair.imagePath, captionPath: pair.captionPath, message: err instanceof Error ? err.message : String(err) };
  }
}
