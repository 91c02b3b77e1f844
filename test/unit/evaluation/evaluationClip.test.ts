// CLIP scores inside an evaluation, for real: the tiny CLIP model of the test fixtures runs in the
// local-model worker behind the EmbeddingService, as the extension's "Evaluate Models…" uses it, and
// the scores land in the saved report.json per model, in the order of the sample.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assembleReport } from '../../../src/core/evaluation/assembleReport';
import { evaluationClipScores, type ClipEmbedder } from '../../../src/core/evaluation/evaluationClip';
import type { ModelCaption } from '../../../src/core/evaluation/evaluationReport';
import { readReport, writeReport } from '../../../src/core/evaluation/reportFile';
import { DatasetBoundary } from '../../../src/core/files/datasetBoundary';
import { EmbeddingService } from '../../../src/services/embeddingService';
import { Requests, type ModelRef } from '../../../src/worker/protocol';
import { makeHarness, WORKER_PATH, type Harness } from '../local/workerHarness';

describe('evaluation CLIP scores (real worker, tiny CLIP)', function () {
  this.timeout(60_000);
  let h: Harness;
  let embedder: ClipEmbedder;
  let asked: { images: number; texts: number };

  before(async () => {
    assert.ok(fs.existsSync(WORKER_PATH), `build first: ${WORKER_PATH} is missing`);
    h = await makeHarness();
    const clip: ModelRef = { id: h.models.clip, task: 'clip' };
    const client = h.client();
    asked = { images: 0, texts: 0 };
    const service = new EmbeddingService(
      {
        embedImages: (params, signal) => ((asked.images += params.images.length), client.request(Requests.embedImages, params, { signal })),
        embedText: (params, signal) => ((asked.texts += params.texts.length), client.request(Requests.embedText, params, { signal })),
      },
      path.join(h.root, 'embeddings'),
    );
    const boundary = DatasetBoundary.atSync(h.root);
    embedder = { images: (paths) => service.embedImages(clip, paths, boundary), texts: (texts) => service.embedTexts(clip, texts) };
  });
  after(async () => h?.dispose());

  it('scores each model\'s captions against their images and saves them per model, in sample order', async () => {
    const images = [
      { path: 'red.png', imagePath: h.images.red, references: ['a red ball'] },
      { path: 'blue.webp', imagePath: h.images.blue, references: ['a blue ball'] },
      { path: 'corrupt.jpg', imagePath: h.images.corrupt, references: ['a broken file'] },
    ];
    const captions = new Map<string, Map<string, ModelCaption>>([
      ['right', new Map([['red.png', { text: 'a red ball' }], ['blue.webp', { text: 'a blue ball' }], ['corrupt.jpg', { text: 'a red ball' }]])],
      ['wrong', new Map<string, ModelCaption>([['red.png', { text: 'a blue ball' }], ['blue.webp', { text: 'a red ball' }], ['corrupt.jpg', { error: 'HTTP 500' }]])],
    ]);
    const warnings: string[] = [];
    const clip = await evaluationClipScores({ embedder, clipModel: h.models.clip, modelIds: ['right', 'wrong'], images, captions, warn: (line) => warnings.push(line) });
    assert.equal(clip.why, undefined, clip.why);
    assert.equal(asked.images, 3, 'each sampled image embedded once for both models');
    assert.equal(asked.texts, 2, 'the two distinct caption texts embedded once');
    assert.equal(warnings.length, 1, 'the corrupt image has no score, and the log says so');
    assert.match(warnings[0], /1 caption\(s\) or image\(s\) could not be embedded/);

    const report = assembleReport({
      id: 'clip-run',
      datasetRoot: h.root,
      references: { kind: 'sidecar', extension: '.ref.txt' },
      referenceCounts: { imagesWithReferences: 3, imagesWithoutReferences: 0, referencesWithoutImage: 0, emptyReferences: 0, unreadable: [] },
      sample: images,
      sampleSize: 3,
      seed: 1,
      models: [{ modelId: 'right', label: 'Right' }, { modelId: 'wrong', label: 'Wrong' }],
      captions,
      clip,
      cancelled: false,
    });
    const saved = await readReport(await writeReport(path.join(h.root, 'report'), report));
    assert.equal(saved.clipModel, h.models.clip);
    assert.equal(saved.clipUnavailable, undefined);
    assert.deepEqual(saved.images.map((i) => i.path), ['red.png', 'blue.webp', 'corrupt.jpg']);
    const score = (image: number, model: string): number | undefined => saved.images[image].scores[model]?.clipScore;
    for (const image of [0, 1]) {
      assert.ok(score(image, 'right')! > 90, `${saved.images[image].path}: the right caption scores high (${score(image, 'right')})`);
      assert.ok(score(image, 'wrong')! < 15, `${saved.images[image].path}: the other colour scores low (${score(image, 'wrong')})`);
    }
    assert.equal(score(2, 'right'), undefined, 'a corrupt image has no CLIP score, never 0');
    const [right, wrong] = saved.models;
    assert.ok(Math.abs(right.clipScore! - (score(0, 'right')! + score(1, 'right')!) / 2) < 1e-9, 'the mean over the scored images');
    assert.ok(Math.abs(wrong.clipScore! - (score(0, 'wrong')! + score(1, 'wrong')!) / 2) < 1e-9);
  });

  it('says why there are no scores when no image can be embedded, and the report keeps the reason', async () => {
    const images = [{ path: 'corrupt.jpg', imagePath: h.images.corrupt }];
    const captions = new Map([['m', new Map([['corrupt.jpg', { text: 'a red ball' }]])]]);
    const clip = await evaluationClipScores({ embedder, clipModel: 'tiny', modelIds: ['m'], images, captions, warn: () => undefined });
    assert.equal(clip.scores, undefined);
    assert.match(clip.why ?? '', /^The local CLIP model tiny could not score the captions: /);
  });

  it('embeds only the images some model captioned, and none when every request failed', async () => {
    const sent: string[][] = [];
    const recording: ClipEmbedder = { images: (paths) => (sent.push([...paths]), embedder.images(paths)), texts: (texts) => embedder.texts(texts) };
    const images = [{ path: 'red.png', imagePath: h.images.red }, { path: 'blue.webp', imagePath: h.images.blue }];
    const failedAll = new Map([['m', new Map<string, ModelCaption>([['red.png', { error: 'HTTP 500' }], ['blue.webp', { error: 'HTTP 500' }]])]]);
    const none = await evaluationClipScores({ embedder: recording, clipModel: 'tiny', modelIds: ['m'], images, captions: failedAll, warn: () => undefined });
    assert.deepEqual(sent, [], 'no caption, no image sent to the CLIP model');
    assert.deepEqual([...none.scores!.get('m')!], []);
    const blueOnly = new Map([
      ['m', new Map<string, ModelCaption>([['red.png', { error: 'HTTP 500' }], ['blue.webp', { text: 'a blue ball' }]])],
      ['n', new Map<string, ModelCaption>([['red.png', { error: 'HTTP 500' }], ['blue.webp', { text: 'a red ball' }]])],
    ]);
    const clip = await evaluationClipScores({ embedder: recording, clipModel: 'tiny', modelIds: ['m', 'n'], images, captions: blueOnly, warn: () => undefined });
    assert.deepEqual(sent, [[h.images.blue]], 'the image no model captioned is not embedded');
    assert.ok(clip.scores!.get('m')!.get('blue.webp')! > clip.scores!.get('n')!.get('blue.webp')!, 'each pair scored against its own image');
    assert.equal(clip.scores!.get('m')!.has('red.png'), false);
  });

  it('a worker that fails outright gives a reason, not an exception', async () => {
    const broken: ClipEmbedder = { images: async () => { throw new Error('the worker exited'); }, texts: async () => [] };
    const clip = await evaluationClipScores({ embedder: broken, clipModel: 'tiny', modelIds: ['m'], images: [{ path: 'a', imagePath: 'a' }], captions: new Map([['m', new Map([['a', { text: 'a caption' }]])]]), warn: () => undefined });
    assert.equal(clip.why, 'The local CLIP model tiny could not score the captions: the worker exited');
  });
});
