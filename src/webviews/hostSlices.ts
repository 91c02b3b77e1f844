/**
 * Work over many items on the extension host's thread, in slices of a few milliseconds: the host
 * runs every extension's events, so one long loop (100,000 captions) stalls all of VS Code.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

/**
 * Calls `step(i)` for every i below `count`, yielding to the event loop after about `sliceMs`.
 * Returns false, having stopped early, once `stale()` says a newer request superseded this one
 * (checked after each yield).
 */
export async function forEachInSlices(count: number, step: (i: number) => void, sliceMs = 10, stale: () => boolean = () => false): Promise<boolean> {
  let sliceStart = Date.now();
  for (let i = 0; i < count; i++) {
    step(i);
    if ((i & 255) === 255 && Date.now() - sliceStart > sliceMs) {
      await yieldToEventLoop();
      if (stale()) return false;
      sliceStart = Date.now();
    }
  }
  return true;
}
