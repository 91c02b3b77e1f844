import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BatchItem } from '../../../src/core/captioning/batchTypes';
import { DatasetBoundary } from '../../../src/core/files/datasetBoundary';

/** `n` fake images (the batch never opens them) with caption paths beside them; `captions` fills some. */
export async function makeItems(dir: string, n: number, captions: (i: number) => string | Uint8Array | undefined = () => undefined): Promise<BatchItem[]> {
  const items: BatchItem[] = [];
  for (let i = 0; i < n; i++) {
    const name = `img${String(i).padStart(3, '0')}`;
    const imagePath = path.join(dir, `${name}.jpg`);
    const captionPath = path.join(dir, `${name}.txt`);
    await fs.promises.writeFile(imagePath, 'not really a jpeg');
    const caption = captions(i);
    if (caption !== undefined) await fs.promises.writeFile(captionPath, caption);
    items.push({ imagePath, captionPath });
  }
  return items;
}

/** The dataset the items live in (the folder of the first). */
export function boundaryOf(items: readonly BatchItem[]): DatasetBoundary {
  return DatasetBoundary.atSync(path.dirname(items[0].imagePath));
}

export { bytesOf } from '../helpers/tempTree';

/** Temp files writeFileAtomic may leave behind (`.<name>.<pid>.<hex>.tmp`). */
export function tempFilesIn(dir: string): string[] {
  return fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves after `ms`, or rejects like fetch does when `signal` aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('aborted'));
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    }, { once: true });
  });
}

/** Counts calls in flight and remembers the highest count seen. */
export class InFlightCounter {
  now = 0;
  max = 0;

  async around<T>(work: () => Promise<T>): Promise<T> {
    this.now++;
    this.max = Math.max(this.max, this.now);
    try {
      return await work();
    } finally {
      this.now--;
    }
  }
}

/** Most timestamps (ms) that fall in any half-open window [t, t + windowMs). */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end] - sorted[start] >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

export function minGap(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let gap = Number.POSITIVE_INFINITY;
  for (let i = 1; i < sorted.length; i++) gap = Math.min(gap, sorted[i] - sorted[i - 1]);
  return gap;
}
