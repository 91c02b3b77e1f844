import { BinaryMask, emptyMask } from './binaryMask';

/** An 8-bit colour. */
export type Rgb = readonly [number, number, number];

/** Magenta: rare in photographs, so a model (and a test) can tell the outline from the picture. */
export const OUTLINE_COLOUR: Rgb = [255, 0, 255];

/** Colours of the regions' outlines in an overview, in order (the first is OUTLINE_COLOUR). */
export const OUTLINE_PALETTE: readonly Rgb[] = [OUTLINE_COLOUR, [0, 255, 255], [255, 255, 0], [0, 255, 0], [255, 128, 0], [0, 128, 255]];

/** Outline width for an image of this size: visible to a model after its own downscaling, at least 3 px (thinner lines blur into the picture under JPEG chroma subsampling). */
export function outlineThickness(width: number, height: number): number {
  return Math.max(3, Math.round(Math.max(width, height) / 300));
}

/**
 * The mask's contour: the pixels inside with a neighbour outside (or on the image's edge), widened
 * to `thickness` pixels across the edge, on both sides of it. Browser-safe.
 */
export function outlineOf(mask: BinaryMask, thickness: number): BinaryMask {
  const { width, height, data } = mask;
  const edge = emptyMask(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!data[i]) continue;
      const border = x === 0 || y === 0 || x === width - 1 || y === height - 1;
      if (border || !data[i - 1] || !data[i + 1] || !data[i - width] || !data[i + width]) edge.data[i] = 1;
    }
  }
  return dilate(edge, Math.floor(thickness / 2));
}

/** Paints `colour` into interleaved pixels (3 or 4 channels) wherever `mask` is set. */
export function paintMask(pixels: Uint8Array, channels: number, mask: BinaryMask, colour: Rgb): void {
  for (let i = 0; i < mask.data.length; i++) {
    if (!mask.data[i]) continue;
    pixels[i * channels] = colour[0];
    pixels[i * channels + 1] = colour[1];
    pixels[i * channels + 2] = colour[2];
  }
}

/** A square dilation of radius r, row pass then column pass: O(pixels x r). */
function dilate(mask: BinaryMask, r: number): BinaryMask {
  if (r <= 0) return mask;
  const { width, height } = mask;
  const rows = emptyMask(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!mask.data[y * width + x]) continue;
      rows.data.fill(1, y * width + Math.max(0, x - r), y * width + Math.min(width, x + r + 1));
    }
  }
  const out = emptyMask(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!rows.data[y * width + x]) continue;
      for (let yy = Math.max(0, y - r); yy <= Math.min(height - 1, y + r); yy++) out.data[yy * width + x] = 1;
    }
  }
  return out;
}
