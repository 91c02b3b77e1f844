import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runBatch } from '../src/core/captioning/batchJob';
import { startOpenAiFakeServer } from '../test/fixtures/fakeServers/openAiFakeServer';
import { fakeServerModel, generateThrough, linkImages, writePhotos } from './batchThroughputBench';
import { Benchmark, note } from './measure';
import { DatasetBoundary } from '../src/core/files/datasetBoundary';

const LIMIT_PER_SECOND = 20;
const WINDOW_S = 20;
const IMAGES = LIMIT_PER_SECOND * (WINDOW_S + 4);
const CONCURRENCY = 16;
const RPM = 6000; // far above the server's 1,200/min: the client must find the real limit itself

/** A server answering 429 without Retry-After beyond R requests/s: successful captions/s over 20 s ÷ R, with 0 failed images. */
export const batchRateLimitBench: Benchmark = {
  name: 'batch-ratelimit',
  async run() {
    const root = mkdtempSync(path.join(os.tmpdir(), 'image-captioner-ratelimit-'));
    const server = await startOpenAiFakeServer({ latencyMs: 100, rateLimitPerSecond: LIMIT_PER_SECOND, keepBodies: 1 });
    try {
      const sources = await writePhotos(path.join(root, 'sources'), 2, 640, 480);
      const items = linkImages(sources, path.join(root, 'images'), IMAGES);
      const writtenAt: number[] = [];
      const started = performance.now();
      const summary = await runBatch({
        items,
        boundary: DatasetBoundary.atSync(root),
        generate: generateThrough(fakeServerModel(server.url)),
        concurrency: CONCURRENCY,
        rpm: RPM,
        onItem: (outcome) => outcome.kind === 'written' && writtenAt.push(performance.now() - started),
      });
      const failure = summary.outcomes.find((o) => o.kind === 'failed');
      if (failure?.kind === 'failed') throw new Error(`${summary.failed} images failed, e.g. ${failure.item.imagePath}: ${failure.reason}`);
      // the steady state: from 1 s after the start, 20 s long (the batch lasts about 24 s)
      const sustained = writtenAt.filter((t) => t >= 1000 && t < 1000 + WINDOW_S * 1000).length / WINDOW_S;
      const attempts = summary.outcomes.reduce((sum, o) => sum + (o.kind === 'written' ? o.attempts : 0), 0);
      note(`${IMAGES} images at a server limit of ${LIMIT_PER_SECOND}/s, rpm ${RPM}: ${sustained.toFixed(1)} captions/s over ${WINDOW_S} s; ` +
        `whole batch ${((IMAGES * 1000) / summary.elapsedMs).toFixed(1)}/s in ${(summary.elapsedMs / 1000).toFixed(1)} s; ` +
        `${server.stats.rateLimited} answered 429 (${attempts - IMAGES} retries), ${summary.failed} failed`);
      return { figure: sustained / LIMIT_PER_SECOND, unit: 'x limit', target: 0.9, op: '>=' };
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  },
};
