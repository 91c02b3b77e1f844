import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DatasetBoundary } from '../../../src/core/files/datasetBoundary';
import { cacheFileFor } from '../../../src/core/embeddings/embeddingCache';
import { DESCRIPTOR_DIMS, DESCRIPTOR_MODEL_ID } from '../../../src/core/images/imageDescriptors';
import { resolveCatalog, type Catalog } from '../../../src/providers/modelCatalog';
import type { ModelEntry } from '../../../src/providers/types';
import { EmbeddingService, type EmbeddingBackend } from '../../../src/services/embeddingService';
import { ExploreVectors, VectorsCancelledError, type ExploreVectorsDeps } from '../../../src/services/exploreVectors';
import { HostedEmbeddings } from '../../../src/services/hostedEmbeddings';
import { Requests, type ModelRef } from '../../../src/worker/protocol';
import { fakeEmbedding, startEmbeddingsServer, type EmbeddingsFakeServer } from '../../fixtures/fakeServers/embeddingsFakeServer';
import { TEXT_EMBEDDING_SIZE } from '../../fixtures/localModels/tinyModels';
import { makeHarness, WORKER_PATH, type Harness } from '../local/workerHarness';

const catalog = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../models/catalog.json'), 'utf8')) as Catalog;
const KEY = 'nvapi-explore-canary-42';

describe('ExploreVectors: sources, matrices, cache hits (real worker with tiny models, a fake /embeddings server)', function () {
  this.timeout(60_000);
  let h: Harness;
  let server: EmbeddingsFakeServer;
  let boundary: DatasetBoundary;
  let backend: EmbeddingBackend & { calls: number };
  let trusted: boolean;
  let sent: string[];
  let keyStored: boolean;
  let embeddingModels: ModelEntry[];
  let locals: { text?: ModelRef; clip?: ModelRef; imageFeatures?: ModelRef };

  const explore = (cacheFolder: string): ExploreVectors => {
    const deps: ExploreVectorsDeps = {
      isTrusted: () => trusted,
      local: new EmbeddingService(backend, cacheFolder),
      hosted: new HostedEmbeddings(cacheFolder),
      localModels: () => locals,
      embeddingModels: () => embeddingModels,
      hostedProblem: (model) => (keyStored || model.key === 'none' ? undefined : `No API key for ${model.key}: run "Image Captioner: Set API Key".`),
      prepareToSend: async (model) => {
        sent.push(model.id);
        return keyStored ? { apiKey: KEY } : undefined;
      },
      cacheFolder,
    };
    return new ExploreVectors(deps);
  };

  before(async () => {
    assert.ok(fs.existsSync(WORKER_PATH), `build first: ${WORKER_PATH} is missing`);
    h = await makeHarness();
    server = await startEmbeddingsServer({ key: KEY });
    boundary = DatasetBoundary.atSync(h.root);
    const client = h.client();
    backend = {
      calls: 0,
      embedImages: (params, signal) => (backend.calls++, client.request(Requests.embedImages, params, { signal })),
      embedText: (params, signal) => (backend.calls++, client.request(Requests.embedText, params, { signal })),
    };
    const settings = [
      { id: 'box/qa', preset: 'nvidia-nim', baseUrl: server.url, model: 'nvidia/nv-embedqa-e5-v5', embedding: { inputType: 'passage' } },
      { id: 'box/clip', preset: 'nvidia-nim', baseUrl: server.url, model: 'nvidia/nvclip', maxImageSide: 64, embedding: { images: true } },
    ];
    embeddingModels = resolveCatalog({ presets: catalog.presets, models: [] }, [{ origin: { scope: 'user' }, value: settings }]).models.filter((m) => m.embedding);
  });
  beforeEach(() => {
    trusted = true;
    sent = [];
    keyStored = true;
    locals = { text: { id: h.models.textEmbedder, task: 'feature-extraction' }, clip: { id: h.models.clip, task: 'clip' }, imageFeatures: { id: h.models.imageFeatures, task: 'image-feature-extraction' } };
  });
  after(async () => {
    await server.close();
    await h.dispose();
  });

  const items = (): Array<{ imagePath: string; caption: string }> => [
    { imagePath: h.images.red, caption: 'a red ball' },
    { imagePath: h.images.corrupt, caption: 'a broken picture' },
    { imagePath: h.images.blue, caption: 'a blue ball' },
  ];

  it('lists what can run and why not: no model set, no key, an untrusted workspace', () => {
    const vectors = explore(path.join(h.root, 'cache-list'));
    locals = { ...locals, imageFeatures: undefined };
    keyStored = false;
    const images = vectors.listSources('images');
    assert.deepEqual(images.map((c) => c.id), ['builtin', 'local:clip', 'local:imageFeatures', 'hosted:box/clip'], 'a text-only hosted model is no image source');
    assert.deepEqual(images.map((c) => c.available), [true, true, false, false]);
    assert.match(images[2].why ?? '', /No model is set \(imageCaptioner\.local\.imageFeatureModel\)/);
    assert.match(images[3].why ?? '', /No API key for nvidia/);
    trusted = false;
    const captions = vectors.listSources('captions');
    assert.deepEqual(captions.map((c) => c.id), ['builtin', 'local:text', 'local:clip', 'hosted:box/qa', 'hosted:box/clip']);
    assert.deepEqual(captions.map((c) => c.available), [true, false, false, false, false]);
    assert.match(captions[1].why ?? '', /untrusted workspace/);
    assert.match(captions[3].why ?? '', /Nothing is sent from an untrusted workspace/);
  });

  it('built-in image descriptors: a 164-column matrix, the corrupt image listed, and a second run computes nothing', async () => {
    const folder = path.join(h.root, 'cache-builtin');
    const progress: number[] = [];
    const first = await explore(folder).vectors('images', { kind: 'builtin' }, items(), boundary, { onProgress: (done) => progress.push(done) });
    assert.equal(first.dims, DESCRIPTOR_DIMS);
    assert.equal(first.data.length, 3 * DESCRIPTOR_DIMS);
    assert.deepEqual(first.failed.map((f) => f.index), [1]);
    assert.match(first.failed[0].error, /corrupt\.jpg could not be read as an image/);
    assert.ok(first.data.subarray(DESCRIPTOR_DIMS, 2 * DESCRIPTOR_DIMS).every((v) => v === 0), 'the failed row is zeros');
    assert.equal(progress.at(-1), 3);
    const file = cacheFileFor(folder, DESCRIPTOR_MODEL_ID);
    const bytes = fs.readFileSync(file);
    const again = await explore(folder).vectors('images', { kind: 'builtin' }, items(), boundary);
    assert.deepEqual([...again.data], [...first.data]);
    assert.deepEqual(fs.readFileSync(file), bytes, 'nothing new was described (the cache file is unchanged)');
    await assert.rejects(explore(folder).vectors('captions', { kind: 'builtin' }, items(), boundary), /explore thread/);
  });

  it('local models: captions with the sentence model and CLIP text, images with the image-feature model; a second run asks the worker nothing', async () => {
    const folder = path.join(h.root, 'cache-local');
    const texts = await explore(folder).vectors('captions', { kind: 'local', model: 'text' }, items(), boundary);
    assert.equal(texts.dims, TEXT_EMBEDDING_SIZE);
    assert.deepEqual(texts.failed, []);
    const inImageSpace = await explore(folder).vectors('captions', { kind: 'local', model: 'clip' }, items(), boundary);
    assert.equal(inImageSpace.dims, 3);
    const features = await explore(folder).vectors('images', { kind: 'local', model: 'imageFeatures' }, items(), boundary);
    assert.equal(features.dims, 3);
    assert.deepEqual(features.failed.map((f) => f.index), [1]);
    assert.ok(features.data[0] > 0 && features.data[2 * 3 + 2] > 0, 'red along red, blue along blue');
    const calls = backend.calls;
    const cached = explore(folder);
    assert.deepEqual([...(await cached.vectors('captions', { kind: 'local', model: 'text' }, items(), boundary)).data], [...texts.data]);
    const featuresAgain = await cached.vectors('images', { kind: 'local', model: 'imageFeatures' }, items(), boundary);
    assert.deepEqual([...featuresAgain.data], [...features.data]);
    assert.equal(backend.calls - calls, 1, 'only the corrupt image (never cached) went to the worker again');
    await assert.rejects(cached.vectors('images', { kind: 'local', model: 'text' }, items(), boundary), /embeds captions, not images/);
  });

  it('hosted: captions on the wire with the key, a second run sends nothing; no key or an untrusted workspace sends nothing', async () => {
    const folder = path.join(h.root, 'cache-hosted');
    const result = await explore(folder).vectors('captions', { kind: 'hosted', modelId: 'box/qa' }, items(), boundary);
    assert.deepEqual([...result.data], items().flatMap((i) => fakeEmbedding(i.caption)));
    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0].headers.authorization, `Bearer ${KEY}`);
    assert.equal(server.requests[0].body.input_type, 'passage');
    await explore(folder).vectors('captions', { kind: 'hosted', modelId: 'box/qa' }, items(), boundary);
    assert.equal(server.requests.length, 1, 'all from the cache');
    const images = await explore(folder).vectors('images', { kind: 'hosted', modelId: 'box/clip' }, items(), boundary);
    assert.deepEqual(images.failed.map((f) => f.index), [1]);
    assert.equal(server.requests.length, 2);

    keyStored = false;
    await assert.rejects(explore(folder).vectors('captions', { kind: 'hosted', modelId: 'box/qa' }, [{ imagePath: h.images.red, caption: 'new text' }], boundary), /nothing was sent/);
    trusted = false;
    await assert.rejects(explore(folder).vectors('captions', { kind: 'hosted', modelId: 'box/qa' }, [{ imagePath: h.images.red, caption: 'other text' }], boundary), /untrusted/);
    await assert.rejects(explore(folder).vectors('images', { kind: 'local', model: 'clip' }, items(), boundary), /untrusted/);
    assert.equal(server.requests.length, 2);
    assert.deepEqual(sent, ['box/qa', 'box/qa', 'box/clip', 'box/qa'], 'the untrusted call never reached the key');
  });

  it('a cancelled run rejects with VectorsCancelledError', async () => {
    const controller = new AbortController();
    controller.abort();
    for (const source of [{ kind: 'builtin' } as const, { kind: 'local', model: 'clip' } as const, { kind: 'hosted', modelId: 'box/clip' } as const]) {
      await assert.rejects(explore(path.join(h.root, 'cache-cancel')).vectors('images', source, items(), boundary, { signal: controller.signal }), VectorsCancelledError);
    }
  });
});
