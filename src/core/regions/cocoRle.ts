/**
 * COCO run-length encoding of masks, as pycocotools defines it: the mask is read column by column
 * (Fortran order), counts alternate between runs of 0 and runs of 1 and start with a run of 0
 * (possibly empty); `size` is [height, width]. `counts` is either the list of runs or the
 * compressed string form (LEB128-like, 5 bits per character, each run after the second stored as
 * the difference to the run two before). Browser-safe.
 */
import type { BinaryMask } from './binaryMask';
import { MAX_IMAGE_PIXELS } from '../images/imageLimits';

/** A mask as large as the largest image one decode may have: a regions file cannot make anyone allocate more. */
export const MAX_MASK_PIXELS = MAX_IMAGE_PIXELS;
/** Runs one mask may have: far beyond any outline a person or SAM draws, far below what would exhaust memory. */
export const MAX_RLE_RUNS = 4_000_000;

export interface CocoRle {
  readonly size: readonly [number, number];
  readonly counts: string | readonly number[];
}

/** A run-length encoded mask that cannot be decoded; the message says what is wrong with it. */
export class RleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RleError';
  }
}

/** The mask as COCO RLE with compressed string counts (the form pycocotools' `mask.encode` gives). */
export function encodeRle(mask: BinaryMask): { size: [number, number]; counts: string } {
  return { size: [mask.height, mask.width], counts: countsToString(maskRuns(mask)) };
}

/** The runs of a mask in column-major order, starting with a run of 0. */
export function maskRuns(mask: BinaryMask): number[] {
  const { width, height, data } = mask;
  const runs: number[] = [];
  let current = 0;
  let run = 0;
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      const v = data[y * width + x] ? 1 : 0;
      if (v !== current) {
        runs.push(run);
        run = 0;
        current = v;
      }
      run++;
    }
  }
  runs.push(run);
  return runs;
}

/** The checked runs of a mask and its size; throws RleError for a size or counts that do not describe a mask. */
export function rleRuns(rle: CocoRle): { width: number; height: number; runs: number[] } {
  const size = rle?.size;
  if (!Array.isArray(size) || size.length !== 2 || !size.every((n) => Number.isInteger(n) && n >= 0)) {
    throw new RleError('its "size" is not [height, width] in whole pixels');
  }
  const [height, width] = size as [number, number];
  if (width * height > MAX_MASK_PIXELS) throw new RleError(`its size ${width}x${height} is larger than a mask may be (${MAX_MASK_PIXELS} pixels)`);
  if (typeof rle.counts === 'string' ? rle.counts.length > MAX_RLE_RUNS * 2 : Array.isArray(rle.counts) && rle.counts.length > MAX_RLE_RUNS) {
    throw new RleError(`it has more runs than a mask may have (${MAX_RLE_RUNS})`);
  }
  const runs = typeof rle.counts === 'string' ? countsFromString(rle.counts) : checkedRuns(rle.counts);
  if (runs.length > MAX_RLE_RUNS) throw new RleError(`it has more runs than a mask may have (${MAX_RLE_RUNS})`);
  const total = runs.reduce((sum, n) => sum + n, 0);
  if (total !== width * height) throw new RleError(`its runs cover ${total} pixels, but a ${width}x${height} mask has ${width * height}`);
  return { width, height, runs };
}

/**
 * The pixels inside and their box ([x, y, w, h] in 0..1; undefined when none is), read from the
 * runs without making the mask: checking a regions file costs no more memory than the file.
 */
export function rleExtent(rle: CocoRle): { area: number; bounds: [number, number, number, number] | undefined } {
  const { width, height, runs } = rleRuns(rle);
  let area = 0;
  let minX = Infinity;
  let maxX = -1;
  let minY = Infinity;
  let maxY = -1;
  let index = 0;
  for (let r = 0; r < runs.length; r++) {
    const n = runs[r];
    if (r % 2 === 1 && n > 0) {
      area += n;
      const first = index;
      const last = index + n - 1;
      const firstColumn = Math.floor(first / height);
      const lastColumn = Math.floor(last / height);
      minX = Math.min(minX, firstColumn);
      maxX = Math.max(maxX, lastColumn);
      if (firstColumn === lastColumn) {
        minY = Math.min(minY, first % height);
        maxY = Math.max(maxY, last % height);
      } else {
        // a run over a column's end goes on at the next column's top
        minY = Math.min(minY, 0, first % height);
        maxY = height - 1;
      }
    }
    index += n;
  }
  const bounds: [number, number, number, number] | undefined = maxX < 0 ? undefined : [minX / width, minY / height, (maxX + 1 - minX) / width, (maxY + 1 - minY) / height];
  return { area, bounds };
}

/** Decodes either form of counts; throws RleError for a size or counts that do not describe a mask. */
export function decodeRle(rle: CocoRle): BinaryMask {
  const { width, height, runs } = rleRuns(rle);
  const data = new Uint8Array(width * height);
  let index = 0;
  for (let r = 0; r < runs.length; r++) {
    const end = index + runs[r];
    if (r % 2 === 1) {
      for (let i = index; i < end; i++) data[(i % height) * width + Math.floor(i / height)] = 1;
    }
    index = end;
  }
  return { width, height, data };
}

function checkedRuns(counts: unknown): number[] {
  if (!Array.isArray(counts) || !counts.every((n) => Number.isInteger(n) && n >= 0)) {
    throw new RleError('its "counts" is neither a string nor a list of whole numbers');
  }
  return counts as number[];
}

/** pycocotools' rleToString. */
export function countsToString(runs: readonly number[]): string {
  let out = '';
  for (let i = 0; i < runs.length; i++) {
    let x = runs[i];
    if (i > 2) x -= runs[i - 2];
    let more = true;
    while (more) {
      let c = x & 0x1f;
      x >>= 5; // arithmetic: negative differences keep their sign
      more = c & 0x10 ? x !== -1 : x !== 0;
      if (more) c |= 0x20;
      out += String.fromCharCode(c + 48);
    }
  }
  return out;
}

/** pycocotools' rleFrString, checked: a character outside the alphabet or a negative run is an error. */
export function countsFromString(text: string): number[] {
  const runs: number[] = [];
  let p = 0;
  while (p < text.length) {
    let x = 0;
    let k = 0;
    let more = true;
    while (more) {
      if (p >= text.length) throw new RleError('its "counts" string ends in the middle of a number');
      const c = text.charCodeAt(p) - 48;
      if (c < 0 || c > 63) throw new RleError(`its "counts" string has a character outside the RLE alphabet at ${p + 1}`);
      x += (c & 0x1f) * 2 ** (5 * k);
      more = (c & 0x20) !== 0;
      p++;
      k++;
      if (k > 7) throw new RleError('its "counts" string holds a number too large for a mask');
      if (!more && c & 0x10) x -= 2 ** (5 * k); // sign extension
    }
    if (runs.length > 2) x += runs[runs.length - 2];
    if (x < 0) throw new RleError('its "counts" string decodes to a negative run');
    runs.push(x);
  }
  return runs;
}
