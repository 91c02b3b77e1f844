/**
 * The lint search thread: near-duplicate searches over 100,000 captions or images take from a
 * fraction of a second (hashes) to half a minute (LSH over embeddings), so they run here, off the
 * extension host. Bundled as dist/lintWorker.js; tests start its transpiled twin in out/.
 */
import { parentPort } from 'node:worker_threads';
import { hammingNeighbours } from './hammingNeighbours';
import type { FromLintSearchThread, ToLintSearchThread } from './lintSearchProtocol';
import { nearDuplicateVectors } from './nearDuplicateVectors';

const port = parentPort!;

port.on('message', (message: ToLintSearchThread) => {
  const { id } = message;
  try {
    let found: { pairs: ReadonlyArray<{ i: number; j: number }>; exact: boolean };
    if (message.kind === 'vectors') {
      const { dims, data } = message;
      if (!(dims > 0) || data.length % dims !== 0) throw new Error(`${data.length} numbers are not rows of ${dims}`);
      const rows = Array.from({ length: data.length / dims }, (_, r) => data.subarray(r * dims, (r + 1) * dims));
      found = nearDuplicateVectors(rows, { minCosine: message.minCosine, exactLimit: message.exactLimit });
    } else {
      found = { pairs: hammingNeighbours([...message.hashes], message.maxDistance), exact: true };
    }
    const i = Int32Array.from(found.pairs, (p) => p.i);
    const j = Int32Array.from(found.pairs, (p) => p.j);
    post({ kind: 'pairs', id, i, j, exact: found.exact }, [i.buffer, j.buffer]);
  } catch (err) {
    post({ kind: 'failed', id, message: err instanceof Error ? err.message : String(err) });
  }
});

function post(message: FromLintSearchThread, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}
