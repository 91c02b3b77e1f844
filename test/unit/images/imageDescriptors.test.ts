import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { describeImages } from '../../../src/core/images/descriptorBatch';
import { DESCRIPTOR_DIMS, DESCRIPTOR_MODEL_ID, HISTOGRAM_DIMS, ImageDescriptorError, imageDescriptor } from '../../../src/core/images/imageDescriptors';
import { EmbeddingCache, contentKey } from '../../../src/core/embeddings/embeddingCache';
import { DatasetBoundary } from '../../../src/core/files/datasetBoundary';
import { BatchCancelledError } from '../../../src/core/captioning/abortableDelay';
import { TempDirs } from '../helpers/tempTree';

/** A 120x80 picture: `sky` above, `ground` below, the horizon at `horizon` (0..1), with a little seeded noise. */
async function scene(file: string, sky: [number, number, number], ground: [number, number, number], horizon: number, seed: number, format: 'png' | 'jpeg' = 'png'): Promise<string> {
  const width = 120;
  const height = 80;
  const pixels = Buffer.alloc(width * height * 3);
  let state = seed;
  const noise = (): number => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 16;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const colour = y < horizon * height ? sky : ground;
      for (let c = 0; c < 3; c++) pixels[(y * width + x) * 3 + c] = Math.max(0, Math.min(255, colour[c] + noise()));
    }
  }
  const image = sharp(pixels, { raw: { width, height, channels: 3 } });
  await (format === 'png' ? image.png() : image.jpeg({ quality: 80 })).toFile(file);
  return file;
}

const distance = (a: Float32Array, b: Float32Array): number => Math.hypot(...a.map((v, i) => v - b[i]));
const norm = (a: Float32Array): number => Math.hypot(...a);

describe('built-in image descriptors', () => {
  const temp = new TempDirs();
  afterEach(() => temp.cleanup());

  it('have exact dimensions and unit length, and put a re-encoded, shifted copy closer than another scene', async () => {
    const dir = await temp.make();
    const beach = await scene(path.join(dir, 'beach.png'), [90, 160, 230], [230, 210, 150], 0.5, 1);
    const beachAgain = await scene(path.join(dir, 'beach-again.jpg'), [95, 165, 225], [225, 205, 155], 0.55, 2, 'jpeg');
    const forest = await scene(path.join(dir, 'forest.png'), [40, 110, 40], [70, 50, 30], 0.3, 3);
    const upsideDown = await scene(path.join(dir, 'upside-down.png'), [230, 210, 150], [90, 160, 230], 0.5, 4);
    const [a, b, c, d] = await Promise.all([beach, beachAgain, forest, upsideDown].map(async (f) => imageDescriptor(fs.readFileSync(f), f)));
    assert.equal(a.length, DESCRIPTOR_DIMS);
    assert.equal(DESCRIPTOR_DIMS, 164);
    assert.ok(Math.abs(norm(a) - 1) < 1e-5, `unit length: ${norm(a)}`);
    assert.ok(distance(a, b) < distance(a, c), `copy ${distance(a, b)} vs other scene ${distance(a, c)}`);
    assert.ok(distance(a, b) < 0.35, `copy ${distance(a, b)}`);
    // same colours, other layout: the histogram halves agree, the layouts do not
    assert.ok(distance(a.subarray(0, HISTOGRAM_DIMS), d.subarray(0, HISTOGRAM_DIMS)) < 0.1);
    assert.ok(distance(a, d) > distance(a, b) * 2, `layout counts: ${distance(a, d)} vs ${distance(a, b)}`);
  });

  it('a flat picture has no layout, and transparency counts as grey rather than failing', async () => {
    const flat = await sharp({ create: { width: 30, height: 30, channels: 4, background: { r: 200, g: 0, b: 0, alpha: 0.5 } } }).png().toBuffer();
    const vector = await imageDescriptor(flat, 'flat.png');
    assert.ok(vector.subarray(HISTOGRAM_DIMS).every((v) => v === 0));
    assert.ok(Math.abs(norm(vector) - Math.SQRT1_2) < 1e-5);
  });

  it('names a corrupt file and a file that is no image', async () => {
    await assert.rejects(imageDescriptor(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]), 'broken.jpg'), (err: unknown) => err instanceof ImageDescriptorError && /broken\.jpg could not be read as an image/.test(err.message));
    await assert.rejects(imageDescriptor(Buffer.from('<!DOCTYPE html><html><body>404</body></html>'), 'page.jpg'), /page\.jpg could not be read as an image: .*HTML/);
  });

  it('in a batch: a corrupt or missing image fails alone, results are cached by content, and a cancelled run stops', async () => {
    const dir = await temp.make();
    const cacheDir = await temp.make();
    const good = await scene(path.join(dir, 'good.png'), [10, 20, 200], [200, 200, 10], 0.4, 5);
    const copy = path.join(dir, 'copy of good.png');
    fs.copyFileSync(good, copy);
    const corrupt = path.join(dir, 'corrupt.jpg');
    fs.writeFileSync(corrupt, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 9, 9]));
    const boundary = DatasetBoundary.atSync(dir);
    const cache = await EmbeddingCache.open(cacheDir, DESCRIPTOR_MODEL_ID);
    const progress: number[] = [];
    const items = await describeImages([good, corrupt, path.join(dir, 'missing.png'), copy], boundary, cache, { onProgress: (done) => progress.push(done) });
    assert.ok(items[0].ok && items[3].ok);
    assert.deepEqual([...(items[3].ok ? items[3].vector : [])], [...(items[0].ok ? items[0].vector : [])]);
    assert.match(!items[1].ok ? items[1].error : '', /corrupt\.jpg could not be read as an image/);
    assert.match(!items[2].ok ? items[2].error : '', /Cannot read .*missing\.png/);
    assert.deepEqual(progress.sort(), [1, 2, 3, 4]);

    // a second run reads the vector of these bytes from the cache file (a planted vector proves it is not recomputed)
    const planted = new Float32Array(DESCRIPTOR_DIMS).fill(0.5);
    const reopened = await EmbeddingCache.open(cacheDir, DESCRIPTOR_MODEL_ID);
    assert.equal(reopened.size, 1, 'one image content was described and stored');
    const other = await scene(path.join(dir, 'other.png'), [1, 2, 3], [4, 5, 6], 0.5, 6);
    await reopened.add([{ key: contentKey(DESCRIPTOR_MODEL_ID, fs.readFileSync(other)), vector: planted }]);
    const again = await describeImages([other], boundary, reopened);
    assert.deepEqual(again[0], { ok: true, vector: planted });

    const controller = new AbortController();
    controller.abort();
    await assert.rejects(describeImages([good], boundary, reopened, { signal: controller.signal }), BatchCancelledError);
  });

  it('reads nothing outside the dataset (a link leading out fails alone)', async () => {
    const dir = await temp.make();
    const outside = await temp.make();
    const secret = await scene(path.join(outside, 'secret.png'), [1, 1, 1], [2, 2, 2], 0.5, 7);
    fs.symlinkSync(secret, path.join(dir, 'link.png'));
    const cache = await EmbeddingCache.open(await temp.make(), DESCRIPTOR_MODEL_ID);
    const [item] = await describeImages([path.join(dir, 'link.png')], DatasetBoundary.atSync(dir), cache);
    assert.equal(item.ok, false);
    assert.match(!item.ok ? item.error : '', /outside the dataset/);
  });
});
