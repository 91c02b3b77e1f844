import { strict as assert } from 'node:assert';
import { DEFAULT_TAG_OPTIONS, type TagOptions } from '../../../src/core/tagging/tagSelection';
import { isTagger, LocalTagger, type LocalTagRunner } from '../../../src/providers/local/localTagger';
import { LocalWorkerError } from '../../../src/providers/local/workerClient';
import { ProviderError, type ModelEntry } from '../../../src/providers/types';
import type { TagParams } from '../../../src/worker/protocol';

const tagger: ModelEntry = {
  id: 'local/tiny-tagger', label: 'Tiny Tagger', provider: 'local', model: '/models/tagger', imageTransport: 'image_url', key: 'none', capabilities: { stream: true }, defaults: {}, local: { task: 'wd-tagger' },
};

/** A worker stand-in: records each request, waits for `release` when given, answers each image's name as its tag (a path with "bad" fails alone). */
function fakeWorker(hold?: Promise<void>): { run: LocalTagRunner; calls: Array<Omit<TagParams, 'ticket'>>; inFlight: () => number; maxInFlight: () => number } {
  const calls: Array<Omit<TagParams, 'ticket'>> = [];
  let now = 0;
  let max = 0;
  const run: LocalTagRunner = async (params) => {
    calls.push(params);
    max = Math.max(max, ++now);
    try {
      await (hold ?? Promise.resolve());
      await new Promise((resolve) => setImmediate(resolve));
      return {
        device: 'cpu',
        labelProblems: ['row 3: no category'],
        items: params.images.map((image) => {
          const file = 'path' in image ? image.path : '';
          return /bad/.test(file) ? { ok: false as const, error: `${file}: not an image` } : { ok: true as const, value: [{ tag: `tag of ${file}`, score: 0.9, category: 'general' as const }] };
        }),
      };
    } finally {
      now--;
    }
  };
  return { run, calls, inFlight: () => now, maxInFlight: () => max };
}

const tag = (local: LocalTagger, imagePath: string, options: TagOptions = DEFAULT_TAG_OPTIONS, batchSize = 3, signal?: AbortSignal) => local.tag({ imagePath, model: tagger, options, batchSize, signal });

describe('LocalTagger', () => {
  it('knows a tagger entry by its local task', () => {
    assert.equal(isTagger(tagger), true);
    assert.equal(isTagger({ ...tagger, local: { task: 'image-to-text' } }), false);
    assert.equal(isTagger(undefined), false);
  });

  it('sends images by path, gathered into requests of the batch size, two requests in flight at most', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const worker = fakeWorker(held);
    const local = new LocalTagger(worker.run);
    const paths = Array.from({ length: 10 }, (_, i) => `/data/img${i}.png`);
    const results = paths.map((p) => tag(local, p));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(worker.inFlight(), 2, 'two requests wait on the worker, the rest queue');
    release();
    const tags = await Promise.all(results);
    assert.deepEqual(tags.map((t) => t[0].tag), paths.map((p) => `tag of ${p}`));
    assert.deepEqual(worker.calls.map((c) => c.images.length), [3, 3, 3, 1]);
    assert.deepEqual(worker.calls.flatMap((c) => c.images), paths.map((p) => ({ path: p })));
    assert.equal(worker.maxInFlight(), 2);
    assert.deepEqual(worker.calls[0].model, { id: '/models/tagger', task: 'wd-tagger', dtype: undefined });
    assert.deepEqual(worker.calls[0].options, DEFAULT_TAG_OPTIONS);
  });

  it('never mixes images of different options in one request (each request carries one set)', async () => {
    const worker = fakeWorker();
    const local = new LocalTagger(worker.run);
    const strict = { ...DEFAULT_TAG_OPTIONS, generalThreshold: 0.9 };
    await Promise.all([tag(local, '/a.png'), tag(local, '/b.png', strict), tag(local, '/c.png'), tag(local, '/d.png', strict)]);
    const byOptions = worker.calls.map((c) => [c.options.generalThreshold, c.images.map((i) => ('path' in i ? i.path : ''))]);
    assert.deepEqual(byOptions.sort(), [[0.35, ['/a.png', '/c.png']], [0.9, ['/b.png', '/d.png']]]);
  });

  it('fails only the image the worker could not read, and tells the label problems once per model', async () => {
    const worker = fakeWorker();
    const told: string[][] = [];
    const local = new LocalTagger(worker.run, (_model, problems) => told.push([...problems]));
    const settled = await Promise.allSettled([tag(local, '/ok.png'), tag(local, '/bad.png'), tag(local, '/ok2.png')]);
    assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'rejected', 'fulfilled']);
    const reason = (settled[1] as PromiseRejectedResult).reason as ProviderError;
    assert.ok(reason instanceof ProviderError && reason.kind === 'bad-request' && /bad\.png: not an image/.test(reason.message));
    await tag(local, '/again.png');
    assert.deepEqual(told, [['row 3: no category']]);
  });

  it('turns a worker failure into a provider error naming the model, and refuses a model that is no tagger', async () => {
    const local = new LocalTagger(async () => {
      throw new LocalWorkerError('model-missing', 'model.onnx is missing in /models/tagger');
    });
    await assert.rejects(tag(local, '/a.png'), (err: ProviderError) => err.kind === 'not-found' && err.message === 'Tiny Tagger: model.onnx is missing in /models/tagger');
    await assert.rejects(local.tag({ imagePath: '/a.png', model: { ...tagger, local: { task: 'florence2' } }, options: DEFAULT_TAG_OPTIONS, batchSize: 1 }), /is not a WD tagger/);
  });

  it('drops a request cancelled while it waited, without sending it', async () => {
    let release!: () => void;
    const worker = fakeWorker(new Promise<void>((resolve) => (release = resolve)));
    const local = new LocalTagger(worker.run);
    const first = [tag(local, '/1.png', DEFAULT_TAG_OPTIONS, 1), tag(local, '/2.png', DEFAULT_TAG_OPTIONS, 1)];
    const controller = new AbortController();
    // settled at once into a value: the rejection comes before the assertion looks at it
    const waiting = tag(local, '/3.png', DEFAULT_TAG_OPTIONS, 1, controller.signal).then(() => undefined, (err: unknown) => err);
    await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    release();
    await Promise.all(first);
    const err = await waiting;
    assert.ok(err instanceof ProviderError && err.kind === 'cancelled', String(err));
    assert.deepEqual(worker.calls.flatMap((c) => c.images), [{ path: '/1.png' }, { path: '/2.png' }]);
  });
});
