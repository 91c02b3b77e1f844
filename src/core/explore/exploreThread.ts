/**
 * The explore thread: lays items out off the extension host's thread (TF-IDF, SVD, k-means and UMAP
 * take seconds on 100,000 items). Bundled as dist/exploreWorker.js; tests start its transpiled twin in out/.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CANCEL_SLOTS, type ExploreThreadData, type FromExploreThread, type ToExploreThread } from './exploreProtocol';
import { ExploreInputError, LayoutCancelledError, layoutReduced, reduceInput, suggestClusterCount, type PipelineRun, type ReducedInput } from './layoutPipeline';

const port = parentPort!;
const data = workerData as ExploreThreadData;
const cancel = new Int32Array(data.cancel);
/** The last input's reduction, by what made it. */
let kept: { readonly key: string; readonly reduced: ReducedInput } | undefined;

port.on('message', (message: ToExploreThread) => {
  const { id } = message;
  let reported = 0;
  const run: PipelineRun = {
    keepGoing: () => Atomics.load(cancel, id % CANCEL_SLOTS) !== id,
    progress: (stage, done, total) => {
      const now = performance.now();
      if (done !== 0 && done !== total && now - reported < data.progressMs) return;
      reported = now;
      post({ kind: 'progress', id, stage, done, total });
    },
  };
  try {
    const dims = message.kind === 'layout' ? message.options.reducedDims : message.range.reducedDims;
    const seed = message.kind === 'layout' ? message.options.seed : message.range.seed;
    const key = `${message.inputId}\0${dims}\0${seed}`;
    if (kept?.key !== key) {
      if (!message.input) {
        post({ kind: 'needInput', id });
        return;
      }
      kept = undefined;
      kept = { key, reduced: reduceInput(message.input, { reducedDims: dims, seed }, run) };
    }
    if (message.kind === 'layout') {
      const layout = layoutReduced(kept.reduced, message.options, run);
      post({ kind: 'layout', id, layout }, [layout.x.buffer as ArrayBuffer, layout.y.buffer as ArrayBuffer, layout.labels.buffer as ArrayBuffer]);
    } else {
      post({ kind: 'suggested', id, result: suggestClusterCount(kept.reduced, message.range, run) });
    }
  } catch (err) {
    if (err instanceof LayoutCancelledError) post({ kind: 'cancelled', id });
    else post({ kind: 'failed', id, message: err instanceof Error ? err.message : String(err), input: err instanceof ExploreInputError });
  }
});

function post(message: FromExploreThread, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}
