import { strict as assert } from 'node:assert';
import { SamImageProcessor, Tensor } from '@huggingface/transformers';
import { maskArea, maskBounds } from '../../../src/core/regions/binaryMask';
import { decodeRle, maskRuns } from '../../../src/core/regions/cocoRle';
import { LruPromises } from '../../../src/worker/lruPromises';
import { modelIdProblem } from '../../../src/worker/modelLoader';
import { bestIndex, maskRunsFromLogits, type MaskFrame } from '../../../src/worker/samMasks';
import { seededRandom } from '../../../src/core/sample/sampleCanvas';

/** Smooth logits like SAM's: a few blobs of either sign over a low-res grid. */
function blobs(count: number, low: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const spots = Array.from({ length: 6 }, () => ({ x: random() * low, y: random() * low, r: 1 + random() * low * 0.2, sign: random() < 0.6 ? 1 : -1 }));
  const out = new Float32Array(count * low * low);
  for (let m = 0; m < count; m++) {
    for (let y = 0; y < low; y++) {
      for (let x = 0; x < low; x++) {
        let v = -0.3 + 0.1 * m;
        for (const s of spots) v += s.sign * Math.exp(-((x - s.x) ** 2 + (y - s.y) ** 2) / (2 * s.r * s.r));
        out[m * low * low + y * low + x] = v;
      }
    }
  }
  return out;
}

/** The mask of the runs (checked to decode as COCO RLE) and its box as the runs gave it. */
function decoded(logits: Float32Array, offset: number, frame: MaskFrame, box?: readonly [number, number, number, number]) {
  const result = maskRunsFromLogits(logits, offset, frame, box);
  const mask = decodeRle({ size: result.size, counts: result.runs });
  assert.deepEqual(maskRuns(mask), result.runs, 'runs as COCO writes them (no empty run but the first)');
  assert.deepEqual(result.bbox, maskBounds(mask), 'the box of the pixels inside');
  return mask;
}

describe('SAM masks: from low-res logits to COCO runs at the image size', () => {
  it('agrees with transformers.js post_process_masks (pad, crop, resize) on all but edge pixels, for upscaled and downscaled images', async () => {
    const config = { size: { longest_edge: 1024 }, pad_size: { height: 1024, width: 1024 }, do_pad: true };
    const processor = new SamImageProcessor(config as ConstructorParameters<typeof SamImageProcessor>[0]);
    for (const [original, reshaped, seed] of [
      [[1500, 2000], [768, 1024], 1],
      [[480, 640], [768, 1024], 2],
      [[1024, 683], [1024, 683], 3],
    ] as const) {
      const low = 256;
      const logits = blobs(3, low, seed);
      const [expected] = await processor.post_process_masks(new Tensor('float32', logits, [1, 1, 3, low, low]), [original as unknown as [number, number]], [reshaped as unknown as [number, number]]);
      const plane = original[0] * original[1];
      for (const index of [0, 2]) {
        const ours = decoded(logits, index * low * low, { lowRes: [low, low], padded: [1024, 1024], reshaped, output: original });
        assert.equal(ours.width, original[1]);
        assert.equal(ours.height, original[0]);
        const theirs = (expected.data as Uint8Array).subarray(index * plane, (index + 1) * plane);
        let differ = 0;
        let inside = 0;
        for (let i = 0; i < plane; i++) {
          if ((theirs[i] ? 1 : 0) !== ours.data[i]) differ++;
          if (theirs[i]) inside++;
        }
        assert.ok(inside > plane * 0.02, `a real mask to compare (${inside} px)`);
        assert.ok(differ < plane * 0.005, `${original} mask ${index}: ${differ} of ${plane} pixels differ`);
      }
    }
  });

  it('picks the candidate with the highest predicted IoU', () => {
    assert.equal(bestIndex([0.2, 0.9, 0.5], 0, 3), 1);
    assert.equal(bestIndex([0.1, 0.2, 0.3, 0.7, 0.9, 0.8], 3, 3), 1);
    assert.equal(bestIndex([0.9, 0.9, 0.1], 0, 3), 0, 'the first of equals');
  });

  it('a box clears every pixel it does not touch; a mask with nothing inside has no box', () => {
    const low = 16;
    const frame: MaskFrame = { lowRes: [low, low], padded: [64, 64], reshaped: [64, 64], output: [8, 10] };
    const everywhere = new Float32Array(low * low).fill(1);
    const mask = decoded(everywhere, 0, frame, [0.2, 0.25, 0.5, 0.5]);
    assert.equal(maskArea(mask), 5 * 4);
    assert.equal(mask.data[2 * 10 + 2], 1);
    assert.equal(mask.data[2 * 10 + 1], 0);
    assert.equal(mask.data[6 * 10 + 2], 0);
    assert.equal(maskArea(decoded(everywhere, 0, frame, [0.15, 0, 0.1, 1])), 2 * 8, 'pixels 1 and 2 are touched');
    assert.equal(maskArea(decoded(everywhere, 0, frame)), 80);
    const nowhere = maskRunsFromLogits(new Float32Array(low * low).fill(-1), 0, frame);
    assert.deepEqual(nowhere, { size: [8, 10], runs: [80], bbox: undefined });
  });
});

describe('small LRU of promises (image embeddings)', () => {
  it('computes once per key, shares a pending computation, keeps the most recent, forgets failures', async () => {
    const lru = new LruPromises<number>(2);
    let computed = 0;
    const compute = (value: number) => () => {
      computed++;
      return Promise.resolve(value);
    };
    const [a, again] = await Promise.all([lru.get('a', compute(1)), lru.get('a', compute(99))]);
    assert.deepEqual([a, again, computed], [1, 1, 1]);
    await lru.get('b', compute(2));
    await lru.get('a', compute(99)); // a is now the most recent
    await lru.get('c', compute(3)); // evicts b
    assert.deepEqual([lru.has('a'), lru.has('b'), lru.has('c')], [true, false, true]);
    await assert.rejects(lru.get('d', () => Promise.reject(new Error('no'))), /no/);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(lru.has('d'), false, 'a failure is not kept');
    lru.forget('a');
    assert.equal(lru.has('a'), false);
  });
});

describe('local model ids', () => {
  it('accepts hub ids and absolute folders, refuses ids that would reach outside the model folders', () => {
    for (const ok of ['Xenova/slimsam-77-uniform', 'gpt2', 'onnx-community/sam2.1-hiera-tiny-ONNX', '/models/sam', process.platform === 'win32' ? 'C:\\models\\sam' : '/tmp/x/../sam']) {
      assert.equal(modelIdProblem(ok), undefined, ok);
    }
    for (const bad of ['../etc', 'org/../../x', 'a/b/c', './sam', 'org/..', '', 'org\\name']) {
      assert.match(modelIdProblem(bad) ?? '', /neither a Hugging Face hub id/, bad);
    }
  });
});
