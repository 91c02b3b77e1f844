import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { clipScore } from '../../../src/core/embeddings/clipScore';
import { cacheFileFor } from '../../../src/core/embeddings/embeddingCache';
import { LocalWorkerError, type WorkerClient } from '../../../src/providers/local/workerClient';
import { IMAGE_BATCH_SIZE, REQUESTS_IN_FLIGHT, EmbeddingService, type EmbeddingBackend, type EmbeddingItem } from '../../../src/services/embeddingService';
import { Requests, type ModelRef } from '../../../src/worker/protocol';
import { makeHarness, WORKER_PATH, type Harness } from './workerHarness';
import { DatasetBoundary } from '../../../src/core/files/datasetBoundary';

/** The real worker behind the service, counting what reaches it. */
function countingBackend(client: WorkerClient): EmbeddingBackend & { images: number; texts: number; batches: number[] } {
  const backend = {
    images: 0,
    texts: 0,
    batches: [] as number[],
    embedImages: async (params: Parameters<EmbeddingBackend['embedImages']>[0], signal?: AbortSignal) => {
      backend.images += params.images.length;
      backend.batches.push(params.images.length);
      return client.request(Requests.embedImages, params, { signal });
    },
    embedText: async (params: Parameters<EmbeddingBackend['embedText']>[0], signal?: AbortSignal) => {
      backend.texts += params.texts.length;
      return client.request(Requests.embedText, params, { signal });
    },
  };
  return backend;
}

const vector = (item: EmbeddingItem): Float32Array => {
  assert.ok(item.ok, item.ok ? '' : item.error);
  return item.vector;
};

describe('embedding service (real worker, tiny CLIP)', function () {
  this.timeout(60_000);
  let h: Harness;
  let clip: ModelRef;

  before(async () => {
    assert.ok(fs.existsSync(WORKER_PATH), `build first: ${WORKER_PATH} is missing`);
    h = await makeHarness();
    clip = { id: h.models.clip, task: 'clip' };
  });
  after(async () => h.dispose());

  it('scores matching pairs high, a corrupt image errors alone, and a second run comes from the disk cache', async () => {
    const cacheDir = path.join(h.root, 'embeddings-1');
    const backend = countingBackend(h.client());
    const service = new EmbeddingService(backend, cacheDir);
    const progress: number[] = [];
    const images = await service.embedImages(clip, [h.images.red, h.images.corrupt, h.images.blue, path.join(h.root, 'missing.png')], DatasetBoundary.atSync(h.root), { onProgress: (done) => progress.push(done) });
    const texts = await service.embedTexts(clip, ['a red ball', 'a blue ball', 'a red ball']);
    assert.equal(images[1].ok, false);
    assert.equal(images[3].ok, false);
    assert.match(!images[3].ok ? images[3].error : '', /Cannot read .*missing\.png/);
    assert.ok(clipScore(vector(images[0]), vector(texts[0])) > 90);
    assert.ok(clipScore(vector(images[0]), vector(texts[1])) < 15);
    assert.ok(clipScore(vector(images[2]), vector(texts[1])) > 90);
    assert.deepEqual(progress, [4]);
    assert.equal(backend.texts, 2, 'a repeated text is embedded once');
    assert.ok(fs.statSync(cacheFileFor(cacheDir, clip.id)).size > 0);

    const second = countingBackend(h.client());
    const again = new EmbeddingService(second, cacheDir);
    const cachedImages = await again.embedImages(clip, [h.images.red, h.images.blue, h.images.corrupt], DatasetBoundary.atSync(h.root));
    const cachedTexts = await again.embedTexts(clip, ['a blue ball']);
    assert.deepEqual([...vector(cachedImages[0])], [...vector(images[0])]);
    assert.deepEqual([...vector(cachedTexts[0])], [...vector(texts[1])]);
    assert.equal(second.images, 1, 'only the corrupt image (never cached) went to the worker');
    assert.equal(second.texts, 0);
  });

  it('an identical copy of an image under another name is a cache hit', async () => {
    const cacheDir = path.join(h.root, 'embeddings-2');
    const backend = countingBackend(h.client());
    const service = new EmbeddingService(backend, cacheDir);
    await service.embedImages(clip, [h.images.red], DatasetBoundary.atSync(h.root));
    const copy = path.join(h.root, 'red copy.png');
    fs.copyFileSync(h.images.red, copy);
    await service.embedImages(clip, [copy], DatasetBoundary.atSync(h.root));
    assert.equal(backend.images, 1);
  });

  it(`sends batches of ${IMAGE_BATCH_SIZE}, reports progress per batch and stops when cancelled`, async () => {
    const dir = path.join(h.root, 'many');
    fs.mkdirSync(dir);
    const total = IMAGE_BATCH_SIZE * (REQUESTS_IN_FLIGHT + 2) + 3;
    const paths = Array.from({ length: total }, (_, i) => {
      const file = path.join(dir, `img${i}.png`);
      // Distinct bytes per file so no two share a cache key.
      fs.writeFileSync(file, Buffer.concat([fs.readFileSync(h.images.red), Buffer.from([i])]));
      return file;
    });
    const backend = countingBackend(h.client());
    const service = new EmbeddingService(backend, path.join(h.root, 'embeddings-3'));
    const controller = new AbortController();
    const progress: number[] = [];
    let sentAtAbort = -1;
    await assert.rejects(
      service.embedImages(clip, paths, DatasetBoundary.atSync(h.root), {
        signal: controller.signal,
        onProgress: (done) => {
          progress.push(done);
          if (done === IMAGE_BATCH_SIZE) {
            sentAtAbort = backend.batches.length;
            controller.abort();
          }
        },
      }),
      (error: unknown) => error instanceof LocalWorkerError && error.kind === 'cancelled',
    );
    assert.equal(progress[0], IMAGE_BATCH_SIZE);
    await new Promise((resolve) => setTimeout(resolve, 200)); // lanes still running would send meanwhile
    assert.equal(backend.batches.length, sentAtAbort, 'no batch was sent after the cancellation');
    assert.ok(sentAtAbort <= REQUESTS_IN_FLIGHT, `only the batches in flight: ${backend.batches.join(', ')}`);
    const doneBefore = progress.at(-1)!;
    const sentBefore = backend.batches.length;
    const rest = await service.embedImages(clip, paths, DatasetBoundary.atSync(h.root), { onProgress: (done) => progress.push(done) });
    assert.ok(rest.every((item) => item.ok));
    const sentAfter = backend.batches.slice(sentBefore);
    // What finished before the cancellation comes from the cache (batches in flight may have finished too).
    const resent = sentAfter.reduce((sum, n) => sum + n, 0);
    assert.ok(resent <= total - doneBefore && resent >= total - REQUESTS_IN_FLIGHT * IMAGE_BATCH_SIZE, `the finished batches came from the cache: ${sentAfter.join(', ')}`);
    assert.equal(progress.at(-1), total);
  });
});
