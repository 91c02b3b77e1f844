import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import sharp from 'sharp';
import { CaptionTexts } from '../../../src/core/dataset/captionTexts';
import { DatasetIndex } from '../../../src/core/dataset/datasetIndex';
import type { ImageEntry } from '../../../src/core/dataset/types';
import { ExploreRunner } from '../../../src/core/explore/exploreRunner';
import { LayoutCache } from '../../../src/core/explore/layoutCache';
import { EmbeddingService, type EmbeddingBackend } from '../../../src/services/embeddingService';
import { ExploreVectors } from '../../../src/services/exploreVectors';
import { HostedEmbeddings } from '../../../src/services/hostedEmbeddings';
import { ExploreComputation } from '../../../src/webviews/exploreComputation';
import type { ExploreSettings } from '../../../src/webviews/protocol/exploreMessages';
import { indexOptions, TempDirs, writeTree } from '../helpers/tempTree';

const THREAD = path.resolve(__dirname, '../../../src/core/explore/exploreThread.js');

/** No local model is configured here: a call would be a defect. */
const NO_BACKEND: EmbeddingBackend = {
  embedImages: () => Promise.reject(new Error('no local model in this test')),
  embedText: () => Promise.reject(new Error('no local model in this test')),
};

const CAPTIONS = ['a red car on a road', 'a red car parked by a road', 'a blue boat on the sea', 'a blue boat at sea under a cloud', 'a green tree in a field', 'a tall green tree on grass'];

describe('ExploreComputation: items, vectors, cache and the explore thread (real thread, real files)', function () {
  this.timeout(60_000);
  const temp = new TempDirs();
  let runner: ExploreRunner;
  let index: DatasetIndex;
  let texts: CaptionTexts;
  let computation: ExploreComputation;
  let root: string;
  let trusted: boolean;
  const settings = (patch: Partial<ExploreSettings> = {}): ExploreSettings => ({ target: 'captions', scope: { kind: 'dataset' }, sourceId: 'builtin', k: 3, projection: 'pca', ...patch });

  before(async () => {
    root = await temp.make();
    const files: Record<string, string | Uint8Array> = { 'broken.png': new Uint8Array([1, 2, 3, 4]) };
    for (const [i, caption] of CAPTIONS.entries()) {
      files[`img${i}.png`] = await sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 40 * i, g: 200 - 30 * i, b: 90 } } }).png().toBuffer();
      files[`img${i}.txt`] = caption;
    }
    await writeTree(root, files);
    index = await DatasetIndex.build(root, indexOptions());
    texts = new CaptionTexts(index);
    trusted = true;
    const cacheFolder = await temp.make();
    runner = new ExploreRunner({ threadPath: THREAD });
    computation = new ExploreComputation({
      engine: runner,
      cache: new LayoutCache(path.join(cacheFolder, 'layouts')),
      vectors: new ExploreVectors({
        isTrusted: () => trusted,
        local: new EmbeddingService(NO_BACKEND, cacheFolder),
        hosted: new HostedEmbeddings(cacheFolder),
        localModels: () => ({}),
        embeddingModels: () => [],
        hostedProblem: () => undefined,
        prepareToSend: async () => undefined,
        cacheFolder,
      }),
      imagePath: (image) => index.imagePath(image),
      stopWords: () => ['the'],
    });
  });

  after(async () => {
    runner?.dispose();
    await temp.cleanup();
  });

  const captioned = (): ImageEntry[] => index.images().filter((img) => img.name !== 'broken.png');

  it('lays out every caption, then serves the same inputs from the cache, and computes again when a caption changed', async () => {
    const first = await computation.layout(settings(), captioned(), texts, index.boundary, {});
    assert.equal(first.fromCache, false);
    assert.equal(first.layout.count, CAPTIONS.length);
    assert.deepEqual(first.items.captions, CAPTIONS);
    assert.deepEqual(first.failed, []);
    const again = await computation.layout(settings(), captioned(), texts, index.boundary, {});
    assert.equal(again.fromCache, true);
    assert.deepEqual(Array.from(again.layout.labels), Array.from(first.layout.labels));
    texts.set(captioned()[0], 'a yellow submarine');
    const changed = await computation.layout(settings(), captioned(), texts, index.boundary, {});
    assert.equal(changed.fromCache, false, 'a changed caption is a new input');
    texts.set(captioned()[0], CAPTIONS[0]);
  });

  it('leaves out images whose vector failed and lists them with the reason', async () => {
    const result = await computation.layout(settings({ target: 'images' }), index.images(), texts, index.boundary, {});
    assert.deepEqual(result.failed.map((f) => f.relPath), ['broken.png']);
    assert.ok(result.failed[0].error.length > 0);
    assert.equal(result.layout.count, CAPTIONS.length);
    assert.equal(result.items.relPaths.length, CAPTIONS.length);
    assert.ok(!result.items.relPaths.includes('broken.png'));
    assert.equal(result.items.editable.length, CAPTIONS.length);
  });

  it('refuses a source that cannot run, saying why', async () => {
    await assert.rejects(computation.layout(settings({ sourceId: 'local:text' }), captioned(), texts, index.boundary, {}), /No model is set \(imageCaptioner\.local\.textEmbeddingModel\)/);
    await assert.rejects(computation.layout(settings({ sourceId: 'hosted:nothing' }), captioned(), texts, index.boundary, {}), /not known for captions/);
  });

  it('stops when its signal aborts', async () => {
    const controller = new AbortController();
    const run = computation.layout(settings({ k: 4, projection: 'umap' }), captioned(), texts, index.boundary, { signal: controller.signal });
    controller.abort();
    await assert.rejects(run);
  });

  it('suggests k on the same input', async () => {
    const result = await computation.suggestK(settings(), { min: 2, max: 4 }, captioned(), texts, index.boundary, {});
    assert.ok(result.best >= 2 && result.best <= 4);
    assert.deepEqual(result.scores.map((s) => s.k), [2, 3, 4]);
  });
});
