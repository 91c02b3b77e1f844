/**
 * Built-in image descriptors (no model, no download): a joint colour histogram in CIELAB plus a
 * small grayscale layout, from one shrink-on-load decode to 64x64. Similar pictures (the same scene,
 * colours, composition) land close together; enough to cluster a dataset by look before any model
 * is installed.
 */
import { notAnImageReason } from './notAnImage';
import { PixelLimitError, sharpWithinPixelLimit } from './pixelLimit';

/** Cache identity of these vectors: change it whenever the recipe below changes. */
export const DESCRIPTOR_MODEL_ID = 'builtin-descriptor-v1';

/** Side of the square every image is shrunk to before anything is measured. */
const SAMPLE_SIDE = 64;
/** Bin centres of lightness (0..100) in the joint histogram. */
const L_CENTRES = [12.5, 37.5, 62.5, 87.5];
/** Bin centres of a* and b*: a neutral middle bin, two on each side (most photos have small a*, b*). */
const AB_CENTRES = [-50, -22, 0, 22, 50];
const L_BINS = L_CENTRES.length;
const AB_BINS = AB_CENTRES.length;
/** Side of the grayscale layout grid. */
const LAYOUT_SIDE = 8;

export const HISTOGRAM_DIMS = L_BINS * AB_BINS * AB_BINS;
export const LAYOUT_DIMS = LAYOUT_SIDE * LAYOUT_SIDE;
/** Length of every descriptor: the histogram, then the layout. */
export const DESCRIPTOR_DIMS = HISTOGRAM_DIMS + LAYOUT_DIMS;

/** An image that could not be described; the message names the file and the reason. */
export class ImageDescriptorError extends Error {
  override readonly name = 'ImageDescriptorError';
  constructor(file: string, reason: string) {
    super(`${file} could not be read as an image: ${reason}`);
  }
}

/**
 * The descriptor of an encoded image (`name` is how errors call it). Unit length; its two halves
 * weigh the same: colour as the square root of the normalised histogram (Euclidean distance then
 * follows the Hellinger distance between histograms), layout as the zero-mean, unit-length grid of
 * mean lightness (a flat picture has an all-zero layout).
 */
export async function imageDescriptor(bytes: Buffer, name: string): Promise<Float32Array> {
  let pixels: Buffer;
  try {
    const { image } = await sharpWithinPixelLimit(bytes, { failOn: 'error', pages: 1 });
    pixels = await image
      .rotate()
      .resize(SAMPLE_SIDE, SAMPLE_SIDE, { fit: 'fill', fastShrinkOnLoad: true })
      .flatten({ background: '#808080' }) // transparent pixels count as mid grey, not black
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer();
  } catch (error) {
    // Bytes that are no image at all are named ("it is an HTML page"); libvips would only say "unsupported image format".
    const notAnImage = error instanceof PixelLimitError ? undefined : notAnImageReason(bytes);
    throw new ImageDescriptorError(name, notAnImage ?? (error instanceof Error ? error.message : String(error)));
  }
  return describePixels(pixels);
}

/** The descriptor of SAMPLE_SIDE² RGB pixels (exported for tests). */
export function describePixels(rgb: Uint8Array): Float32Array {
  const count = SAMPLE_SIDE * SAMPLE_SIDE;
  if (rgb.length !== count * 3) throw new Error(`Expected ${count} RGB pixels, got ${rgb.length / 3}`);
  const histogram = new Float64Array(HISTOGRAM_DIMS);
  const layout = new Float64Array(LAYOUT_DIMS);
  const cell = SAMPLE_SIDE / LAYOUT_SIDE;
  for (let p = 0; p < count; p++) {
    const [l, a, b] = srgbToLab(rgb[3 * p], rgb[3 * p + 1], rgb[3 * p + 2]);
    // Each pixel is shared between the two nearest centres on every axis: a colour near a bin edge
    // (a blue sky, a JPEG's shifted shade) moves the histogram a little instead of jumping bins.
    const ls = softBin(l, L_CENTRES);
    const as = softBin(a, AB_CENTRES);
    const bs = softBin(b, AB_CENTRES);
    for (let i = 0; i < 4; i += 2) {
      for (let j = 0; j < 4; j += 2) {
        for (let k = 0; k < 4; k += 2) histogram[(ls[i] * AB_BINS + as[j]) * AB_BINS + bs[k]] += ls[i + 1] * as[j + 1] * bs[k + 1];
      }
    }
    const x = p % SAMPLE_SIDE;
    const y = Math.floor(p / SAMPLE_SIDE);
    layout[Math.floor(y / cell) * LAYOUT_SIDE + Math.floor(x / cell)] += l;
  }
  const out = new Float32Array(DESCRIPTOR_DIMS);
  const half = Math.SQRT1_2; // each half has length 1/√2, so the whole has length 1 (or 1/√2 for a flat picture)
  for (let i = 0; i < HISTOGRAM_DIMS; i++) out[i] = Math.sqrt(histogram[i] / count) * half;
  let mean = 0;
  for (const value of layout) mean += value / LAYOUT_DIMS;
  let norm = 0;
  for (let i = 0; i < LAYOUT_DIMS; i++) {
    layout[i] -= mean;
    norm += layout[i] * layout[i];
  }
  norm = Math.sqrt(norm);
  // below a hundredth of a lightness step per cell the "layout" is noise of a flat picture
  if (norm > 1e-2) for (let i = 0; i < LAYOUT_DIMS; i++) out[HISTOGRAM_DIMS + i] = (layout[i] / norm) * half;
  return out;
}

/** The two bins around `value` and their weights: [lower, weight, upper, weight] (one bin with weight 1 beyond the ends). */
function softBin(value: number, centres: readonly number[]): [number, number, number, number] {
  const last = centres.length - 1;
  if (value <= centres[0]) return [0, 1, 0, 0];
  if (value >= centres[last]) return [last, 1, last, 0];
  let upper = 1;
  while (centres[upper] < value) upper++;
  const share = (value - centres[upper - 1]) / (centres[upper] - centres[upper - 1]);
  return [upper - 1, 1 - share, upper, share];
}

/** 8-bit sRGB to CIELAB (D65). */
function srgbToLab(r8: number, g8: number, b8: number): [number, number, number] {
  const r = LINEAR[r8];
  const g = LINEAR[g8];
  const b = LINEAR[b8];
  const x = labF((0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047);
  const y = labF(0.2126729 * r + 0.7151522 * g + 0.072175 * b);
  const z = labF((0.0193339 * r + 0.119192 * g + 0.9503041 * b) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}

/** sRGB's transfer curve undone, per 8-bit value. */
const LINEAR = Float64Array.from({ length: 256 }, (_, v) => {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
});

function labF(t: number): number {
  return t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116;
}
