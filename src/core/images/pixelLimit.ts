import sharp, { type Metadata, type Sharp, type SharpOptions } from 'sharp';
import { MAX_IMAGE_PIXELS, pixelLimitReason } from './imageLimits';

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
