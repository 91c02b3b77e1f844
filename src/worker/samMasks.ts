/**
 * From SAM's low-resolution mask logits to a binary mask at the image's size: only the chosen mask
 * of the multimask outputs is upsampled (the library's post_process_masks resizes all three twice,
 * through the 1024x1024 padded frame: ~10x the work of one bilinear pass straight to the image).
 */
import type { BinaryMask } from '../core/regions/binaryMask';

/** The geometry of one SAM run: the low-res logits cover the padded frame, the image fills its top left. */
export interface MaskFrame {
  /** Low-res logits per mask: [height, width] (256x256 for SAM). */
  readonly lowRes: readonly [number, number];
  /** The padded input frame: [height, width] (1024x1024 for SAM). */
  readonly padded: readonly [number, number];
  /** The image as resized into that frame: [height, width]. */
  readonly reshaped: readonly [number, number];
  /** The output mask's size: [height, width]. */
  readonly output: readonly [number, number];
}

/** The index of the highest score (SAM's predicted IoU of each candidate mask). */
export function bestIndex(scores: ArrayLike<number>, start: number, count: number): number {
  let best = 0;
  for (let i = 1; i < count; i++) if (scores[start + i] > scores[start + best]) best = i;
  return best;
}

/**
 * One mask's logits (`logits[offset ..]`, row-major lowRes) sampled bilinearly at each output
 * pixel's centre and thresholded at 0, as SAM's post-processing does (pixel centres, no corner alignment).
 */
export function maskFromLogits(logits: ArrayLike<number>, offset: number, frame: MaskFrame): BinaryMask {
  const [lowH, lowW] = frame.lowRes;
  const [height, width] = frame.output;
  const xs = axisSamples(width, frame.reshaped[1], frame.padded[1], lowW);
  const ys = axisSamples(height, frame.reshaped[0], frame.padded[0], lowH);
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row0 = offset + ys.lo[y] * lowW;
    const row1 = offset + ys.hi[y] * lowW;
    const wy = ys.weight[y];
    const out = y * width;
    for (let x = 0; x < width; x++) {
      const lo = xs.lo[x];
      const hi = xs.hi[x];
      const wx = xs.weight[x];
      const top = logits[row0 + lo] + (logits[row0 + hi] - logits[row0 + lo]) * wx;
      const bottom = logits[row1 + lo] + (logits[row1 + hi] - logits[row1 + lo]) * wx;
      if (top + (bottom - top) * wy > 0) data[out + x] = 1;
    }
  }
  return { width, height, data };
}

/** Clears every pixel outside a box ([x, y, w, h] in 0..1): a box prompt bounds its mask. */
export function clipMaskToBox(mask: BinaryMask, box: readonly [number, number, number, number]): void {
  const { width, height, data } = mask;
  const x0 = Math.max(0, Math.floor(box[0] * width));
  const x1 = Math.min(width, Math.ceil((box[0] + box[2]) * width));
  const y0 = Math.max(0, Math.floor(box[1] * height));
  const y1 = Math.min(height, Math.ceil((box[1] + box[3]) * height));
  for (let y = 0; y < height; y++) {
    const row = y * width;
    if (y < y0 || y >= y1) {
      data.fill(0, row, row + width);
      continue;
    }
    data.fill(0, row, row + x0);
    data.fill(0, row + x1, row + width);
  }
}

/** For each output pixel along one axis: the two low-res cells around its centre and the weight of the second. */
function axisSamples(size: number, reshaped: number, padded: number, low: number): { lo: Int32Array; hi: Int32Array; weight: Float32Array } {
  const lo = new Int32Array(size);
  const hi = new Int32Array(size);
  const weight = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    // Output pixel centre → padded-frame coordinate → low-res coordinate (cell centres at k + 0.5).
    const inPadded = ((i + 0.5) * reshaped) / size;
    const at = Math.min(low - 1, Math.max(0, (inPadded * low) / padded - 0.5));
    lo[i] = Math.floor(at);
    hi[i] = Math.min(low - 1, lo[i] + 1);
    weight[i] = at - lo[i];
  }
  return { lo, hi, weight };
}
