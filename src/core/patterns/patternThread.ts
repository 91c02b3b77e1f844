/**
 * The worker thread that runs find/replace patterns, so that a regex that backtracks for hours
 * stops with the thread instead of freezing the extension host. Bundled as dist/patternWorker.js;
 * tests start its transpiled twin in out/.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { countInTexts, replaceInTexts } from '../edits/findReplace';
import { packReplacements, type FromPatternThread, type PatternThreadData, type ToPatternThread } from './patternProtocol';

const port = parentPort!;
const data = workerData as PatternThreadData;
const cancel = new Int32Array(data.cancel);
let texts: readonly (string | undefined)[] = [];

port.on('message', (message: ToPatternThread) => {
  if (message.kind === 'texts') {
    texts = message.texts;
    return;
  }
  const { id } = message;
  // Says the run has begun: the host's stall watch then times the pattern, not the thread's start.
  post({ kind: 'progress', id, done: 0 });
  let reported = performance.now();
  const keepGoing = (done: number): boolean => {
    if (Atomics.load(cancel, 0) === id) return false;
    const now = performance.now();
    if (now - reported >= data.progressMs) {
      reported = now;
      post({ kind: 'progress', id, done });
    }
    return true;
  };
  try {
    if (message.kind === 'count') {
      const count = countInTexts(texts, message.options, keepGoing);
      post(count ? { kind: 'counted', id, count } : { kind: 'cancelled', id });
    } else {
      const result = replaceInTexts(texts, message.options, keepGoing);
      if (!result) {
        post({ kind: 'cancelled', id });
        return;
      }
      // The pattern's work is over: copying a large plan to the host is not timed as if it were stuck.
      post({ kind: 'progress', id, done: texts.length });
      const packed = packReplacements(result);
      post({ kind: 'replaced', id, result: packed }, [packed.index.buffer, packed.matches.buffer, packed.ends.buffer]);
    }
  } catch (err) {
    post({ kind: 'failed', id, message: err instanceof Error ? err.message : String(err) });
  }
});

function post(message: FromPatternThread, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}
