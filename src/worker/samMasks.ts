/**
 * From SAM's low-resolution mask logits straight to COCO RLE runs at the image's size: only the
 * chosen mask of the multimask outputs is upsampled (the library's post_process_masks resizes all
 * three twice, through the 1024x1024 padded frame), and the runs are made column by column as
 * COCO orders them, so no row-major mask is built, scanned for its box and scanned again to encode.
 */

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

export interface MaskRuns {
  /** [height, width] */
  readonly size: [number, number];
  /** COCO runs: column-major, alternating 0 and 1, starting with a (possibly empty) run of 0. */
  readonly runs: number[];
  /** [x, y, w, h] in 0..1 of the pixels inside; undefined when none is. */
  readonly bbox: [number, number, number, number] | undefined;
}

/** The index of the highest score (SAM's predicted IoU of each candidate mask); the first of equals. */
export function bestIndex(scores: ArrayLike<number>, start: number, count: number): number {
  let best = 0;
  for (let i = 1; i < count; i++) if (scores[start + i] > scores[start + best]) best = i;
  return best;
}

/**
 * One mask's logits (`logits[offset ..]`, row-major lowRes) sampled bilinearly at each output
 * pixel's centre and thresholded at 0, as SAM's post-processing does (pixel centres, no corner
 * alignment), as COCO runs. A box ([x, y, w, h] in 0..1) clears every pixel it does not touch.
 * Separable: each output column first blends its two low-res columns; output pixels between two
 * low-res cells of one sign share it (a blend of two values of one sign keeps it), so only those
 * between cells of opposite signs are computed one by one.
 */
export function maskRunsFromLogits(logits: ArrayLike<number>, offset: number, frame: MaskFrame, box?: readonly [number, number, number, number]): MaskRuns {
  const [lowH, lowW] = frame.lowRes;
  const [height, width] = frame.output;
  const xs = axisSamples(width, frame.reshaped[1], frame.padded[1], lowW);
  const ys = axisSamples(height, frame.reshaped[0], frame.padded[0], lowH);
  const spans = spanStarts(ys.lo, lowH, height); // the output rows between low-res rows k and k + 1
  const [x0, x1] = box ? [Math.max(0, Math.floor(box[0] * width)), Math.min(width, Math.ceil((box[0] + box[2]) * width))] : [0, width];
  const [y0, y1] = box ? [Math.max(0, Math.floor(box[1] * height)), Math.min(height, Math.ceil((box[1] + box[3]) * height))] : [0, height];

  const runs: number[] = [];
  let value = 0;
  let run = 0;
  let [minX, minY, maxX, maxY] = [width, height, -1, -1];
  /** Appends `length` pixels of `v` at rows `y`.. of column `x`. */
  const push = (v: number, length: number, x: number, y: number): void => {
    if (length <= 0) return;
    if (v !== value) {
      runs.push(run);
      run = 0;
      value = v;
    }
    run += length;
    if (v) {
      if (x < minX) minX = x;
      maxX = x;
      if (y < minY) minY = y;
      if (y + length - 1 > maxY) maxY = y + length - 1;
    }
  };
  // The logits column by column (contiguous for the blend below), and which columns have any cell inside.
  const columns = new Float64Array(lowW * lowH);
  const anyInside = new Uint8Array(lowW);
  for (let k = 0; k < lowH; k++) {
    for (let j = 0; j < lowW; j++) {
      const v = logits[offset + k * lowW + j];
      columns[j * lowH + k] = v;
      if (v > 0) anyInside[j] = 1;
    }
  }
  const column = new Float64Array(lowH);
  for (let x = 0; x < width; x++) {
    // A blend of two columns with no cell above 0 has none either.
    if (x < x0 || x >= x1 || (!anyInside[xs.lo[x]] && !anyInside[xs.hi[x]])) {
      push(0, height, x, 0);
      continue;
    }
    const lo = xs.lo[x] * lowH;
    const hi = xs.hi[x] * lowH;
    const wx = xs.weight[x];
    for (let k = 0; k < lowH; k++) column[k] = columns[lo + k] + (columns[hi + k] - columns[lo + k]) * wx;
    push(0, y0, x, 0);
    for (let k = 0; k < lowH; k++) {
      const from = Math.max(spans[k], y0);
      const to = Math.min(spans[k + 1], y1);
      if (from >= to) continue;
      const a = column[k];
      const b = column[Math.min(lowH - 1, k + 1)];
      if ((a > 0) === (b > 0)) {
        push(a > 0 ? 1 : 0, to - from, x, from);
        continue;
      }
      for (let y = from; y < to; y++) push(column[ys.lo[y]] + (column[ys.hi[y]] - column[ys.lo[y]]) * ys.weight[y] > 0 ? 1 : 0, 1, x, y);
    }
    push(0, height - y1, x, y1);
  }
  runs.push(run);
  const bbox: MaskRuns['bbox'] = maxX < 0 ? undefined : [minX / width, minY / height, (maxX + 1 - minX) / width, (maxY + 1 - minY) / height];
  return { size: [height, width], runs, bbox };
}

/** For each output pixel along one axis: the two low-res cells around its centre and the weight of the second. */
function axisSamples(size: number, reshaped: number, padded: number, low: number): { lo: Int32Array; hi: Int32Array; weight: Float64Array } {
  const lo = new Int32Array(size);
  const hi = new Int32Array(size);
  const weight = new Float64Array(size);
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

/** starts[k]..starts[k + 1]: the output pixels whose lower low-res cell is k (`lo` never decreases). */
function spanStarts(lo: Int32Array, low: number, size: number): Int32Array {
  const starts = new Int32Array(low + 1).fill(size);
  for (let i = size - 1; i >= 0; i--) starts[lo[i]] = i;
  for (let k = low - 1; k >= 0; k--) starts[k] = Math.min(starts[k], starts[k + 1]);
  return starts;
}
