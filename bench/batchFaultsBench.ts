import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runBatch } from '../src/core/captioning/batchJob';
import { DatasetBoundary } from '../src/core/files/datasetBoundary';
import { faults, startOpenAiFakeServer, Step } from '../test/fixtures/fakeServers/openAiFakeServer';
import { fakeServerModel, generateThrough, linkImages, writePhotos } from './batchThroughputBench';
import { Benchmark, note } from './measure';

const LIMIT_PER_SECOND = 20;
const WINDOW_S = 20;
const IMAGES = LIMIT_PER_SECOND * (WINDOW_S + 4);
const CONCURRENCY = 16;
const RPM = 6000; // far above the server's limit: the client must find it while other faults go on
const SERVER_ERROR_SHARE = 0.05;
const RESET_SHARE = 0.01;

/** The same faults on every run: a linear congruential generator, not Math.random. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * A server with a limit of R requests/s (429 without Retry-After beyond it, failed requests counted
 * against it as servers do), 5% of the accepted requests answered 500 and 1% cut off mid-reply:
 * successful captions/s over 20 s ÷ R, with 0 failed images. The most a client can get is 0.94 R.
 */
export const batchFaultsBench: Benchmark = {
  name: 'batch-faults',
  async run() {
    const root = mkdtempSync(path.join(os.tmpdir(), 'image-captioner-faults-'));
    const random = seededRandom(1013);
    const injected = { serverErrors: 0, resets: 0 };
    const fault = (): Step | undefined => {
      const roll = random();
      if (roll < SERVER_ERROR_SHARE) return injected.serverErrors++, faults.serverError();
      if (roll < SERVER_ERROR_SHARE + RESET_SHARE) return injected.resets++, faults.reset();
      return undefined;
    };
    const server = await startOpenAiFakeServer({ latencyMs: 100, rateLimitPerSecond: LIMIT_PER_SECOND, script: fault });
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
      const sustained = writtenAt.filter((t) => t >= 1000 && t < 1000 + WINDOW_S * 1000).length / WINDOW_S;
      const attempts = summary.outcomes.reduce((sum, o) => sum + (o.kind === 'written' ? o.attempts : 0), 0);
      note(`${IMAGES} images at a server limit of ${LIMIT_PER_SECOND}/s with ${SERVER_ERROR_SHARE * 100}% 500s and ${RESET_SHARE * 100}% resets, rpm ${RPM}: ` +
        `${sustained.toFixed(1)} captions/s over ${WINDOW_S} s; whole batch ${((IMAGES * 1000) / summary.elapsedMs).toFixed(1)}/s in ${(summary.elapsedMs / 1000).toFixed(1)} s; ` +
        `${server.requests.length} requests: ${server.stats.rateLimited} answered 429, ${injected.serverErrors} answered 500, ${injected.resets} cut off (${attempts - IMAGES} retries), ${summary.failed} failed`);
      return { figure: sustained / LIMIT_PER_SECOND, unit: 'x limit', target: 0.85, op: '>=' };
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  },
};
