/** Limits on every image read and decode, so that a hostile file cannot exhaust memory. */

/** Largest image file read whole (bytes). */
export const MAX_IMAGE_BYTES = 512 * 1024 * 1024;

/**
 * Most pixels one decode may have (width × height, before any resize): 16384 × 16384. Larger
 * headers are refused before a pixel is decoded (libvips checks its limitInputPixels up front),
 * so a small "decompression bomb" file cannot claim gigabytes.
 */
export const MAX_IMAGE_PIXELS = 16384 * 16384;

const MEGAPIXEL = 1_000_000;

/**
 * Why an image of this header size is refused before decoding (a likely decompression bomb), or
 * undefined when it is within the limit. The one wording for every place that checks a header:
 * preparation for a model, previews, the dataset view and the caption editor.
 */
export function pixelLimitReason(width: number, height: number): string | undefined {
  if (width * height <= MAX_IMAGE_PIXELS) return undefined;
  const megapixels = (n: number): string => `${Math.round(n / MEGAPIXEL).toLocaleString('en-US')} megapixels`;
  return `its header claims ${width}x${height} pixels (${megapixels(width * height)}), more than the ${megapixels(MAX_IMAGE_PIXELS)} ` +
    'allowed in one decode; it is refused unread, as a possible decompression bomb';
}
