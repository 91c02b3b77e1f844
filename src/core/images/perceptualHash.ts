import { sharpWithinPixelLimit } from './pixelLimit';

/**
 * The 64-bit difference hash (dHash) of an image: greyscale, resized to 9x8 ignoring aspect, one
 * bit per pixel that is brighter than its right neighbour (row-major, first bit most significant).
 * Throws PixelLimitError for an image over the pixel limit. Re-encodes, resizes and small edits change few bits; compare with `hammingNeighbours`.
 */
export async function differenceHash(input: string | Buffer): Promise<bigint> {
  // The pixel limit is checked before decoding, as everywhere images are opened (a decompression bomb is refused).
  const { image } = await sharpWithinPixelLimit(input);
  const { data, info } = await image
    .removeAlpha()
    .greyscale()
    .resize(9, 8, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 1 || data.length < 72) throw new Error(`unexpected pixel layout (${info.channels} channels)`);
  return dHashOfPixels(data);
}

/** dHash bits of 9x8 greyscale pixels (row-major); kept apart from decoding so it can be tested on exact pixels. */
export function dHashOfPixels(pixels: Uint8Array): bigint {
  let hash = 0n;
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) hash = (hash << 1n) | (pixels[y * 9 + x] > pixels[y * 9 + x + 1] ? 1n : 0n);
  }
  return hash;
}
