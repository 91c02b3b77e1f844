import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runBatch } from '../src/core/captioning/batchJob';
import { writeCaption } from '../src/core/captions/captionStore';
import { startOpenAiFakeServer } from '../test/fixtures/fakeServers/openAiFakeServer';
import { fakeServerModel, generateThrough, linkImages, writePhotos } from './batchThroughputBench';
import { DatasetBoundary } from '../src/core/files/datasetBoundary';
import { Benchmark, note, timeMs } from './measure';

const SLOTS = 4;
const SLOT_MS = 200;
const CONCURRENCY = 16;
const SEQUENTIAL_IMAGES = 40;
const BATCH_IMAGES = 400;
/** A batch can at best keep every slot busy where one request at a time keeps one busy: SLOTS x, of which 90%. */
const TARGET = 0.9 * SLOTS;

/**
 * The batch engine (16 in flight) against captioning one image after another (the seed's way), both
 * through the real path to a server with 4 slots of 200 ms: requests beyond the slots wait in its
 * queue, as on a real inference server, so the speed-up is bounded by the slots, not by the concurrency.
 */
export const batchVsSequentialBench: Benchmark = {
  name: 'batch-vs-sequential',
  async run() {
    const root = mkdtempSync(path.join(os.tmpdir(), 'image-captioner-batch-vs-seq-'));
    const server = await startOpenAiFakeServer({ latencyMs: SLOT_MS, slots: SLOTS, keepBodies: 1 });
    try {
      const sources = await writePhotos(path.join(root, 'sources'), 4, 3000, 2000);
      const generate = generateThrough(fakeServerModel(server.url));
      const boundary = DatasetBoundary.atSync(root);
      await runBatch({ items: linkImages(sources, path.join(root, 'warm'), SLOTS * 2), boundary, generate, concurrency: CONCURRENCY });

      const sequentialItems = linkImages(sources, path.join(root, 'sequential'), SEQUENTIAL_IMAGES);
      const sequentialMs = await timeMs(async () => {
        for (const item of sequentialItems) await writeCaption(item.captionPath, await generate(item, new AbortController().signal), boundary);
      });
      const sequentialRate = (SEQUENTIAL_IMAGES * 1000) / sequentialMs;

      const items = linkImages(sources, path.join(root, 'batch'), BATCH_IMAGES);
      const queuedBefore = server.stats.maxQueued;
      const summary = await runBatch({ items, boundary, generate, concurrency: CONCURRENCY, journal: { folder: path.join(root, 'storage') } });
      if (summary.written !== BATCH_IMAGES) throw new Error(`batch wrote ${summary.written} of ${BATCH_IMAGES} (${summary.failed} failed)`);
      const batchRate = (BATCH_IMAGES * 1000) / summary.elapsedMs;
      const slotsRate = (SLOTS * 1000) / SLOT_MS;

      note(`server: ${SLOTS} slots of ${SLOT_MS} ms (at most ${slotsRate}/s), up to ${Math.max(queuedBefore, server.stats.maxQueued)} requests queued for a slot`);
      note(`sequential: ${SEQUENTIAL_IMAGES} images at ${sequentialRate.toFixed(2)}/s (${(sequentialMs / SEQUENTIAL_IMAGES).toFixed(0)} ms each: preparation + request + write); ` +
        `batch of ${BATCH_IMAGES}, concurrency ${CONCURRENCY}: ${batchRate.toFixed(1)}/s = ${(batchRate / slotsRate).toFixed(2)}x the slots' rate`);
      return { figure: batchRate / sequentialRate, unit: 'x sequential', target: TARGET, op: '>=' };
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  },
};
