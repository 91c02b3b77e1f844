import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { LocalWorkerError, type WorkerClient } from '../../../src/providers/local/workerClient';
import { DEFAULT_TAG_OPTIONS, type ScoredTag, type TagOptions } from '../../../src/core/tagging/tagSelection';
import { Requests, type ItemResult, type ModelRef, type Progress, type TagReply } from '../../../src/worker/protocol';
import { designedScore, TINY_TAGGER_TAGS, V3_SIGNATURE, writeEchoTagger, writeTagger } from '../../fixtures/localModels/taggerModel';
import { encodeModel } from '../../fixtures/localModels/onnxGraph';
import { makeHarness, WORKER_PATH, type Harness } from './workerHarness';

const tagsOf = (item: ItemResult<readonly ScoredTag[]>) => (item.ok ? item.value.map((t) => t.tag) : [`failed: ${item.error}`]);
const scoreOf = (name: string, rgb: readonly [number, number, number]) => designedScore(TINY_TAGGER_TAGS.find((t) => t.name === name)!, rgb);

// The harness's red image is 64x48 of #e01010: its padded square is 3/4 red and 1/4 white.
const RED_SQUARE: [number, number, number] = [0.75 * 224 + 0.25 * 255, 0.75 * 16 + 0.25 * 255, 0.75 * 16 + 0.25 * 255];

describe('local model worker: WD taggers (real process, onnxruntime-node, the tiny tagger)', function () {
  this.timeout(60_000);
  let h: Harness;
  let tagger: ModelRef;
  let shared: WorkerClient;

  before(async () => {
    assert.ok(fs.existsSync(WORKER_PATH), `build first: ${WORKER_PATH} is missing`);
    h = await makeHarness();
    tagger = { id: h.models.tagger, task: 'wd-tagger' };
    shared = h.client();
  });
  after(async () => h.dispose());

  const tag = (options: Partial<TagOptions>, images = [{ path: h.images.red }], model = tagger): Promise<TagReply> =>
    shared.request(Requests.tag, { model, images, options: { ...DEFAULT_TAG_OPTIONS, ...options } });

  it('tags a red image: characters then general tags by score, escaped and spaced, with the designed scores; a corrupt image fails alone', async () => {
    const items: string[] = [];
    const reply = await h.client().request(
      Requests.tag,
      { model: tagger, images: [{ path: h.images.red }, { path: h.images.corrupt }, { base64: fs.readFileSync(h.images.blue).toString('base64'), name: 'blue.webp' }], options: DEFAULT_TAG_OPTIONS },
      { onProgress: (p: Progress) => p.kind === 'items' && items.push(`${p.done}/${p.total}`) },
    );
    assert.equal(reply.device, 'cpu');
    assert.equal(reply.labelProblems, undefined);
    assert.deepEqual(tagsOf(reply.items[0]), ['red character', 'red theme', 'hat \\(object\\)', 'solid color', 'simple background']);
    const red = reply.items[0].ok ? reply.items[0].value : [];
    assert.deepEqual(red.map((t) => t.category), ['character', 'general', 'general', 'general', 'general']);
    for (const [written, name] of [['red character', 'red_character'], ['red theme', 'red_theme'], ['hat \\(object\\)', 'hat_(object)'], ['solid color', 'solid_color']]) {
      const got = red.find((t) => t.tag === written)!.score;
      assert.ok(Math.abs(got - scoreOf(name, RED_SQUARE)) < 0.01, `${written}: ${got} vs ${scoreOf(name, RED_SQUARE)}`);
    }
    assert.equal(reply.items[1].ok, false);
    assert.match(!reply.items[1].ok ? reply.items[1].error : '', /corrupt\.jpg could not be read as an image/);
    assert.deepEqual(tagsOf(reply.items[2]), ['^_^', 'blue theme', 'solid color', 'simple background'], 'a kaomoji keeps its underscore (equal scores: by name)');
    assert.deepEqual(items, ['3/3']);
  });

  it('passes the options through: thresholds, rating, trigger word, max tags, exclude, no escaping, underscores kept, MCut', async () => {
    const green = [{ path: h.images.green }];
    assert.deepEqual(tagsOf((await tag({}, green)).items[0]), ['green theme', 'solid color', 'simple background'], 'green character 0.75 < 0.85');
    assert.deepEqual(tagsOf((await tag({ characterThreshold: 0.7, generalThreshold: 0.5 }, green)).items[0]), ['green character', 'green theme', 'solid color']);
    assert.deepEqual(tagsOf((await tag({ generalThreshold: 0.25 })).items[0]), ['red character', 'red theme', 'hat \\(object\\)', 'solid color', 'simple background', 'long hair']);
    assert.deepEqual(tagsOf((await tag({ includeRating: true, triggerWord: 'sks style', maxTags: 2 })).items[0]), ['sks style', 'general', 'red character', 'red theme']);
    assert.deepEqual(tagsOf((await tag({ exclude: ['red_*', 'solid color'] })).items[0]), ['hat \\(object\\)', 'simple background']);
    assert.deepEqual(tagsOf((await tag({ underscoresToSpaces: false, escapeParentheses: false })).items[0]), ['red_character', 'red_theme', 'hat_(object)', 'solid_color', 'simple_background']);
    // MCut on red: general scores 0.987, 0.935, 0.6, 0.4, 0.3, ~0 → the largest gap (0.335) cuts at 0.77, not at the
    // fixed 0.99 (which keeps none); characters 0.89 and ~0 cut in the middle
    assert.deepEqual(tagsOf((await tag({ generalThreshold: 0.99, characterThreshold: 0.99 })).items[0]), []);
    assert.deepEqual(tagsOf((await tag({ mcut: true, generalThreshold: 0.99, characterThreshold: 0.99 })).items[0]), ['red character', 'red theme', 'hat \\(object\\)']);
  });

  it('feeds the model the demo preprocessing in its own layout: an echo model returns what it was given (NHWC and NCHW, BGR, white padding)', async () => {
    // 4 wide and 2 high, opaque: padded to 4x4 with one white row above and below
    const pixels = [[200, 10, 20], [30, 180, 40], [50, 60, 170], [90, 100, 110], [1, 2, 3], [250, 240, 230], [0, 0, 0], [128, 64, 32]];
    const file = path.join(h.root, 'four-by-two.png');
    await sharp(Buffer.from(pixels.flat()), { raw: { width: 4, height: 2, channels: 3 } }).png().toFile(file);
    const white = [255, 255, 255];
    const square = [...Array(4).fill(white), ...pixels, ...Array(4).fill(white)] as number[][]; // RGB, row-major
    const bgr = square.map(([r, g, b]) => [b, g, r]);
    const expected = {
      NHWC: bgr.flat(),
      NCHW: [0, 1, 2].flatMap((c) => bgr.map((p) => p[c])),
    };
    for (const layout of ['NHWC', 'NCHW'] as const) {
      const folder = await writeEchoTagger(path.join(h.root, `echo-${layout}`), { ...V3_SIGNATURE, layout, size: 4 });
      const reply = await tag({ generalThreshold: 0, underscoresToSpaces: false, escapeParentheses: false }, [{ path: file }], { id: folder, task: 'wd-tagger' });
      const values = new Array<number>(48).fill(-1);
      for (const t of reply.items[0].ok ? reply.items[0].value : []) values[Number(t.tag.slice(1))] = t.score;
      assert.deepEqual(values, expected[layout], layout);
    }
  });

  it('a folder without model.onnx is model-missing naming the file and folder; a hub id offline names where to put the files', async () => {
    const folder = path.join(h.root, 'half-tagger');
    await writeTagger(folder);
    fs.rmSync(path.join(folder, 'model.onnx'));
    const missing = await tag({}, undefined, { id: folder, task: 'wd-tagger' }).catch((error: unknown) => error);
    assert.ok(missing instanceof LocalWorkerError, String(missing));
    assert.equal(missing.kind, 'model-missing');
    assert.match(missing.message, /model\.onnx and selected_tags\.csv/);
    assert.match(missing.message, new RegExp(`model\\.onnx not found locally \\(looked in ${folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`));

    const offline = await tag({}, undefined, { id: 'SmilingWolf/wd-vit-tagger-v3', task: 'wd-tagger' }).catch((error: unknown) => error);
    assert.ok(offline instanceof LocalWorkerError, String(offline));
    assert.equal(offline.kind, 'model-missing');
    assert.match(offline.message, /Downloads are off/);
    assert.ok(offline.message.includes(path.join(h.cacheDir, 'SmilingWolf/wd-vit-tagger-v3')), offline.message);
    assert.equal(fs.existsSync(path.join(h.cacheDir, 'SmilingWolf')), false, 'nothing was downloaded or created');
  });

  it('finds a hub id in the models folder (<org>/<name>/) and in the cache; the cache listing shows a tagger and deletes it', async () => {
    const local = path.join(h.root, 'local-models');
    await writeTagger(path.join(local, 'SmilingWolf', 'wd-vit-tagger-v3'));
    const client = h.client({ localModelPath: local });
    const fromFolder = await client.request(Requests.tag, { model: { id: 'SmilingWolf/wd-vit-tagger-v3', task: 'wd-tagger' }, images: [{ path: h.images.red }], options: DEFAULT_TAG_OPTIONS });
    assert.deepEqual(tagsOf(fromFolder.items[0]).slice(0, 2), ['red character', 'red theme']);

    await writeTagger(path.join(h.cacheDir, 'SmilingWolf', 'wd-swinv2-tagger-v3'));
    const cached = { id: 'SmilingWolf/wd-swinv2-tagger-v3', task: 'wd-tagger' } as const;
    assert.deepEqual(await client.request(Requests.prepareModel, { model: cached }), { device: 'cpu' });
    const listed = await client.request(Requests.listCachedModels, {});
    const entry = listed.find((m) => m.id === 'SmilingWolf/wd-swinv2-tagger-v3');
    assert.ok(entry, JSON.stringify(listed));
    assert.equal(entry.files, 2);
    assert.deepEqual(await client.request(Requests.deleteCachedModel, { id: cached.id }), { deleted: true });
    assert.equal(fs.existsSync(path.join(h.cacheDir, 'SmilingWolf', 'wd-swinv2-tagger-v3')), false);
    const gone = await client.request(Requests.tag, { model: cached, images: [{ path: h.images.red }], options: DEFAULT_TAG_OPTIONS }).catch((error: unknown) => error);
    assert.ok(gone instanceof LocalWorkerError && gone.kind === 'model-missing', 'the deleted tagger is not served from memory');
  });

  it('a cancelled tag request fails as cancelled and the worker goes on serving', async () => {
    const client = h.client();
    const big = path.join(h.root, 'big.jpg');
    await sharp({ create: { width: 2400, height: 1600, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).jpeg().toFile(big);
    await client.request(Requests.prepareModel, { model: tagger });
    const controller = new AbortController();
    const pending = client.request(Requests.tag, { model: tagger, images: Array(24).fill({ path: big }), options: DEFAULT_TAG_OPTIONS }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(pending, (error: unknown) => error instanceof LocalWorkerError && error.kind === 'cancelled');
    const next = await client.request(Requests.tag, { model: tagger, images: [{ path: h.images.red }], options: DEFAULT_TAG_OPTIONS });
    assert.deepEqual(tagsOf(next.items[0]).slice(0, 2), ['red character', 'red theme']);
  });

  it('says which rows of selected_tags.csv were left out or missing, refuses a model that takes no image and a model of another task', async () => {
    const folder = path.join(h.root, 'odd-labels');
    await writeTagger(folder);
    const csv = fs.readFileSync(path.join(folder, 'selected_tags.csv'), 'utf8').replace('1004,red_theme,0,', '1004,red_theme,7,');
    fs.writeFileSync(path.join(folder, 'selected_tags.csv'), csv);
    const reply = await tag({}, undefined, { id: folder, task: 'wd-tagger' });
    assert.deepEqual(reply.labelProblems, ['selected_tags.csv line 6: category "7" is none of 0 (general), 4 (character), 9 (rating)']);
    assert.deepEqual(tagsOf(reply.items[0]), ['red character', 'hat \\(object\\)', 'solid color', 'simple background'], 'the bad row keeps its slot');
    // one tag fewer than the model's outputs: said once, the tags that have labels still come
    const short = path.join(h.root, 'short-labels');
    await writeTagger(short);
    const lines = fs.readFileSync(path.join(short, 'selected_tags.csv'), 'utf8').trimEnd().split('\n');
    fs.writeFileSync(path.join(short, 'selected_tags.csv'), `${lines.slice(0, -1).join('\n')}\n`);
    const shortReply = await tag({}, undefined, { id: short, task: 'wd-tagger' });
    assert.deepEqual(shortReply.labelProblems, [`the model has ${TINY_TAGGER_TAGS.length} outputs but selected_tags.csv lists ${TINY_TAGGER_TAGS.length - 1} tags: only the first ${TINY_TAGGER_TAGS.length - 1} are used`]);
    assert.deepEqual(tagsOf(shortReply.items[0]), ['red character', 'red theme', 'hat \\(object\\)', 'solid color', 'simple background']);
    // a model.onnx that takes no image
    const notTagger = path.join(h.root, 'not-a-tagger');
    await writeTagger(notTagger);
    fs.writeFileSync(path.join(notTagger, 'model.onnx'), encodeModel({
      name: 'text', inputs: [{ name: 'ids', type: 'float', dims: ['batch', 16] }], outputs: [{ name: 'out', type: 'float', dims: ['batch', 16] }],
      nodes: [{ op: 'Sigmoid', inputs: ['ids'], outputs: ['out'] }], initializers: [],
    }));
    const refused = await tag({}, undefined, { id: notTagger, task: 'wd-tagger' }).catch((error: unknown) => error);
    assert.ok(refused instanceof LocalWorkerError && refused.kind === 'failed', String(refused));
    assert.match(refused.message, /model\.onnx is not a WD tagger: its input ids is float32 \[batch, 16\], not the float32 \[batch, height, width, 3\] image a WD tagger takes/);
    // a broken model.onnx in a folder whose name holds 404 is a broken model, not a missing one (a hub's 404 is a status, not digits anywhere)
    const broken = path.join(h.root, 'tagger-404');
    await writeTagger(broken);
    fs.writeFileSync(path.join(broken, 'model.onnx'), 'not a protobuf');
    const brokenReply = await tag({}, undefined, { id: broken, task: 'wd-tagger' }).catch((error: unknown) => error);
    assert.ok(brokenReply instanceof LocalWorkerError && brokenReply.kind === 'failed', String(brokenReply));
    assert.match(brokenReply.message, /Could not load .*tagger-404/);
    const wrongTask = await tag({}, undefined, { id: h.models.captioner, task: 'image-to-text' }).catch((error: unknown) => error);
    assert.ok(wrongTask instanceof LocalWorkerError && wrongTask.kind === 'bad-input' && /tagging needs a WD tagger/.test(wrongTask.message), String(wrongTask));
  });
});
