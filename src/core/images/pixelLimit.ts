import sharp, { type Metadata, type Sharp, type SharpOptions } from 'sharp';
import { MAX_IMAGE_PIXELS } from './imageLimits';

const MEGAPIXEL = 1_000_000;

/** Why an image of this header size is refused before decoding (a likely decompression bomb), or undefined when it is within the limit. */
export function pixelLimitReason(width: number, height: number): string | undefined {
  if (width * height <= MAX_IMAGE_PIXELS) return undefined;
  const megapixels = (n: number): string => `${Math.round(n / MEGAPIXEL).toLocaleString('en-US')} megapixels`;
  return `its header claims ${width}x${height} pixels (${megapixels(width * height)}), more than the ${megapixels(MAX_IMAGE_PIXELS)} ` +
    'allowed in one decode; it is refused unread, as a possible decompression bomb';
}

/** The image's header claims more pixels than one decode may have. */
export class PixelLimitError extends Error {
  override readonly name = 'PixelLimitError';
}

/**
 * A sharp pipeline on `source` whose decode libvips refuses beyond the pixel limit, and the header
 * it was checked against. The header is read first without sharp's limit (no pixels are decoded),
 * so that a refusal names the size it refused: a PixelLimitError.
 */
export async function sharpWithinPixelLimit(source: string | Buffer, options: SharpOptions = {}): Promise<{ image: Sharp; metadata: Metadata }> {
  const metadata = await sharp(source, { ...options, limitInputPixels: false }).metadata();
  const reason = pixelLimitReason(metadata.width, metadata.height);
  if (reason) throw new PixelLimitError(reason);
  return { image: sharp(source, { ...options, limitInputPixels: MAX_IMAGE_PIXELS }), metadata };
}
