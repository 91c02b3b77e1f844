import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { maskArea, maskBounds, type BinaryMask } from '../../../src/core/regions/binaryMask';
import { decodeRle } from '../../../src/core/regions/cocoRle';
import type { SegmentPrompt } from '../../../src/core/regions/segmentTypes';
import { LocalWorkerError, type WorkerClient } from '../../../src/providers/local/workerClient';
import { SegmentationService } from '../../../src/services/segmentationService';
import { Requests, type ModelRef, type SegmentReply } from '../../../src/worker/protocol';
import { EMBEDDINGS_KEPT } from '../../../src/worker/segmenter';
import { SAM_SIGMAS } from '../../fixtures/localModels/samModel';
import { makeHarness, WORKER_PATH, type Harness } from './workerHarness';

/** The tiny SAM's frame: a 200x150 image is decoded at 64x48. */
const FRAME = 64;

/** The mask's pixel at a point given in 0..1. */
const at = (mask: BinaryMask, x: number, y: number): number => mask.data[Math.floor(y * mask.height) * mask.width + Math.floor(x * mask.width)];

describe('click to segment (real worker, tiny SAM)', function () {
  this.timeout(60_000);
  let h: Harness;
  let sam: ModelRef;
  let grey: string;
  let client: WorkerClient;
  /** Segment requests that reached the worker, and their replies. */
  let replies: SegmentReply[];
  let service: SegmentationService;

  const image = async (name: string, colour: string, width = 200, height = 150): Promise<string> => {
    const file = path.join(h.root, name);
    await sharp({ create: { width, height, channels: 3, background: colour } }).png().toFile(file);
    return file;
  };

  before(async () => {
    assert.ok(fs.existsSync(WORKER_PATH), `build first: ${WORKER_PATH} is missing`);
    h = await makeHarness();
    sam = { id: h.models.sam, task: 'sam' };
    grey = await image('grey.png', '#808080');
    client = h.client();
    replies = [];
    service = new SegmentationService({
      model: () => sam,
      segment: async (params, signal) => {
        const reply = await client.request(Requests.segment, params, { signal });
        replies.push(reply);
        return reply;
      },
    });
  });
  after(async () => h.dispose());

  const segment = async (file: string, prompt: SegmentPrompt) => {
    const result = await service.segment(file, prompt);
    return { result, mask: decodeRle(result.rle), reply: replies[replies.length - 1] };
  };

  it('a positive click becomes a mask around it, the candidate with the best predicted IoU, as COCO RLE at the decoded size', async () => {
    const { result, mask } = await segment(grey, { points: [{ x: 0.5, y: 0.5, positive: true }] });
    assert.deepEqual(result.rle.size, [48, 64], 'mask at the size the image was decoded at (longest side = the model frame)');
    assert.equal(typeof result.rle.counts, 'string', 'compressed counts');
    assert.equal(result.model, h.models.sam);
    assert.ok(Math.abs(result.score - 0.9) < 1e-6, `the middle candidate's score: ${result.score}`);
    assert.equal(at(mask, 0.5, 0.5), 1, 'inside at the click');
    assert.equal(at(mask, 0.9, 0.5), 0, 'outside far from it');
    assert.equal(at(mask, 0.5, 0.05), 0);
    // The chosen candidate's bump (sigma 0.1 of the frame, threshold 0.5 on grey) has radius sigma*sqrt(2 ln 2).
    const radius = SAM_SIGMAS[1] * FRAME * Math.sqrt(2 * Math.LN2);
    const area = maskArea(mask);
    assert.ok(Math.abs(area - Math.PI * radius * radius) < 0.2 * Math.PI * radius * radius, `area ${area} for radius ${radius.toFixed(1)} px (the smaller and larger candidates give ~${Math.round(area / 4)} and ~${area * 4})`);
    const [x, y, w, hgt] = result.bbox;
    assert.deepEqual(result.bbox, maskBounds(mask));
    assert.ok(Math.abs(x + w / 2 - 0.5) < 0.03 && Math.abs(y + hgt / 2 - 0.5) < 0.03, `centred on the click: ${result.bbox}`);
  });

  it('a negative point carves the mask on its side; a second positive point adds its own part', async () => {
    // Positive at x = 0.3, negative 9.6 px to its right: the pixel 6 px right of the click goes, 6 px left stays.
    const alone = (await segment(grey, { points: [{ x: 0.3, y: 0.5, positive: true }] })).mask;
    const carved = (await segment(grey, { points: [{ x: 0.3, y: 0.5, positive: true }, { x: 0.45, y: 0.5, positive: false }] })).mask;
    const right = 0.3 + 6 / FRAME;
    const left = 0.3 - 6 / FRAME;
    assert.equal(at(alone, right, 0.5), 1);
    assert.equal(at(carved, right, 0.5), 0, 'carved out near the negative point');
    assert.equal(at(carved, 0.45, 0.5), 0);
    assert.equal(at(carved, left, 0.5), 1, 'the far side stays');
    assert.equal(at(carved, 0.3, 0.5), 1, 'the click stays inside');
    const two = (await segment(grey, { points: [{ x: 0.2, y: 0.5, positive: true }, { x: 0.8, y: 0.5, positive: true }] })).mask;
    assert.equal(at(two, 0.2, 0.5), 1);
    assert.equal(at(two, 0.8, 0.5), 1);
    assert.equal(at(two, 0.5, 0.5), 0, 'two separate parts');
  });

  it('a box alone segments what is inside it, bounded by it (SlimSAM-like exports take no box input: its centre is the point)', async () => {
    const box = [0.45, 0.4, 0.1, 0.2] as const;
    const { result, mask } = await segment(grey, { points: [], box });
    assert.equal(at(mask, 0.5, 0.5), 1);
    const [x, y, w, hgt] = result.bbox;
    // Pixels the box's edge crosses count as inside it (the box is 6.4 x 9.6 pixels of the 64x48 mask).
    const px = 1 / 64;
    const py = 1 / 48;
    assert.ok(x >= box[0] - px && y >= box[1] - py && x + w <= box[0] + box[2] + px && y + hgt <= box[1] + box[3] + py, `mask box ${result.bbox} inside ${box}`);
    assert.equal(at(mask, 0.5, 0.5 - 0.1 - 2 * py), 0, 'the bump reaches past the box edge, the mask does not');
    assert.ok(w > 0.05 && hgt > 0.1, `fills the box: ${result.bbox}`);
  });

  it('a SAM 2 export (three feature levels, a box input, no padding) takes the box itself, and points as SAM does', async () => {
    const sam2 = new SegmentationService({ model: () => ({ id: h.models.sam2, task: 'sam' }), segment: (params, signal) => client.request(Requests.segment, params, { signal }) });
    const box = [0.2, 0.25, 0.5, 0.5] as const;
    const boxed = await sam2.segment(grey, { points: [], box });
    const mask = decodeRle(boxed.rle);
    assert.deepEqual(boxed.rle.size, [48, 64]);
    // The box's cells fill its mask (SAM v1's centre point would give a bump of ~6% of the image).
    assert.ok(Math.abs(maskArea(mask) / (64 * 48) - 0.25) < 0.04, `the box filled: ${maskArea(mask)} px`);
    boxed.bbox.forEach((v, i) => assert.ok(Math.abs(v - box[i]) < 0.04, `bbox ${boxed.bbox} ≈ box ${box}`));
    const clicked = decodeRle((await sam2.segment(grey, { points: [{ x: 0.5, y: 0.5, positive: true }] })).rle);
    assert.equal(at(clicked, 0.5, 0.5), 1);
    assert.equal(at(clicked, 0.9, 0.5), 0);
    assert.ok(maskArea(clicked) < maskArea(mask) / 2, 'a click alone selects a bump, not a box');
  });

  it('the embedding is computed once per image: further clicks skip the vision encoder, a changed file or an evicted one is embedded again', async () => {
    // Uncompressed TIFF: a black and a white image of one size have the same number of bytes.
    const file = path.join(h.root, 'cache.tiff');
    const write = (colour: string) => sharp({ create: { width: 200, height: 150, channels: 3, background: colour } }).tiff({ compression: 'none' }).toFile(file);
    const mtime = 1_700_000_000; // whole seconds: the key's mtime is exact after the rewrite below
    await write('#000000');
    fs.utimesSync(file, mtime, mtime);
    const written = fs.statSync(file);
    const first = await segment(file, { points: [{ x: 0.5, y: 0.5, positive: true }] });
    const second = await segment(file, { points: [{ x: 0.4, y: 0.5, positive: true }] });
    assert.equal(first.reply.embeddingCached, false);
    assert.equal(second.reply.embeddingCached, true, 'the second click reuses the embedding');
    assert.ok(second.reply.millis < 1000, `a cached click answers well under a second: ${second.reply.millis} ms`);
    const dark = maskArea(first.mask);

    // Rewritten white with the same size and mtime, the file looks unchanged: the kept embedding (of the
    // black image) answers, which shows that the vision encoder did not run again.
    await write('#ffffff');
    assert.equal(fs.statSync(file).size, written.size);
    fs.utimesSync(file, mtime, mtime);
    const stale = await segment(file, { points: [{ x: 0.5, y: 0.5, positive: true }] });
    assert.equal(stale.reply.embeddingCached, true);
    assert.equal(maskArea(stale.mask), dark, 'the black image\'s embedding, not the white one\'s');

    // A new mtime: embedded again, and the mask follows the new pixels.
    fs.utimesSync(file, mtime + 5, mtime + 5);
    const changed = await segment(file, { points: [{ x: 0.5, y: 0.5, positive: true }] });
    assert.equal(changed.reply.embeddingCached, false, 'a changed file is embedded again');
    assert.ok(maskArea(changed.mask) > 2 * dark, `the white image's embedding grows the mask: ${maskArea(changed.mask)} vs ${dark}`);

    // Past EMBEDDINGS_KEPT other images, the first is embedded again.
    for (let i = 0; i < EMBEDDINGS_KEPT; i++) {
      const other = await image(`other-${i}.png`, '#808080');
      assert.equal((await segment(other, { points: [{ x: 0.5, y: 0.5, positive: true }] })).reply.embeddingCached, false);
    }
    assert.equal((await segment(file, { points: [{ x: 0.5, y: 0.5, positive: true }] })).reply.embeddingCached, false, 'evicted');
  });

  it('an image that cannot be read, a prompt that selects nothing and a model that is no SAM fail with a message saying which', async () => {
    const reject = async (run: Promise<unknown>, kind: string, message: RegExp) => {
      const error = await run.then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof LocalWorkerError, `rejected with a LocalWorkerError: ${String(error)}`);
      assert.equal(error.kind, kind, error.message);
      assert.match(error.message, message);
    };
    await reject(service.segment(h.images.corrupt, { points: [{ x: 0.5, y: 0.5, positive: true }] }), 'bad-input', /corrupt\.jpg could not be read as an image/);
    await reject(service.segment(path.join(h.root, 'gone.png'), { points: [{ x: 0.5, y: 0.5, positive: true }] }), 'bad-input', /gone\.png could not be read as an image: the file does not exist/);
    const text = path.join(h.root, 'notes.png');
    fs.writeFileSync(text, 'hello, these are notes and no picture at all');
    await reject(service.segment(text, { points: [{ x: 0.5, y: 0.5, positive: true }] }), 'bad-input', /notes\.png could not be read as an image: .*text/);
    // Checked by the host and, for other callers, by the worker.
    await reject(service.segment(grey, { points: [{ x: 0.5, y: 0.5, positive: false }] }), 'bad-input', /negative points alone select nothing/);
    await reject(service.segment(grey, { points: [{ x: 1.5, y: 0.5, positive: true }] }), 'bad-input', /point 1 is not inside the image/);
    await reject(client.request(Requests.segment, { model: sam, image: { path: grey }, points: [] }), 'bad-input', /negative points alone select nothing|positive point/);
    // A folder holding another kind of model, and an id that would reach outside the model folders.
    await reject(client.request(Requests.segment, { model: { id: h.models.clip, task: 'sam' }, image: { path: grey }, points: [{ x: 0.5, y: 0.5, positive: true }] }), 'model-missing', /tiny-clip is missing files the sam model needs/);
    await reject(client.request(Requests.segment, { model: { id: '../../etc', task: 'sam' }, image: { path: grey }, points: [{ x: 0.5, y: 0.5, positive: true }] }), 'bad-input', /neither a Hugging Face hub id/);
    // The worker still answers after all that, and keeps embeddings.
    await segment(grey, { points: [{ x: 0.5, y: 0.5, positive: true }] });
    assert.equal((await segment(grey, { points: [{ x: 0.5, y: 0.5, positive: true }] })).reply.embeddingCached, true);
    assert.equal(client.startCount, 1, 'one worker all along');
  });

  it('is cancelled by its signal', async () => {
    const controller = new AbortController();
    const pending = service.segment(await image('cancel.png', '#808080', 3000, 2000), { points: [{ x: 0.5, y: 0.5, positive: true }] }, controller.signal);
    controller.abort();
    await assert.rejects(pending, (e: unknown) => e instanceof LocalWorkerError && e.kind === 'cancelled');
  });
});
