import { basename } from 'node:path';
import { RawImage } from '@huggingface/transformers';
import type { Metadata, Sharp } from 'sharp';
import { readRegularFile } from '../core/files/regularFile';
import { MAX_IMAGE_BYTES } from '../core/images/imageLimits';
import { notAnImageReason } from '../core/images/notAnImage';
import { PixelLimitError, sharpWithinPixelLimit } from '../core/images/pixelLimit';
import type { ImageInput } from './protocol';

/**
 * Images by path (embeddings) are decoded at reduced size: the shorter side at most this many pixels,
 * well above what vision encoders take (224-448) and what their processors resize to anyway.
 */
const PATH_IMAGE_SHORT_SIDE = 512;

/** An image file that is missing, unreadable or no image; the message names the file and the reason. */
export class UnreadableImageError extends Error {
  constructor(name: string, reason: string) {
    super(`${name} could not be read as an image: ${reason}`);
    this.name = 'UnreadableImageError';
  }
}

/**
 * Decodes an image for a processor: a regular file read with a size limit, decoded by sharp with a
 * pixel limit, oriented, downscaled (shrink-on-load for JPEG) and converted to RGB. A corrupt,
 * oversized or unreadable image throws with its name and reason. `longestSide` bounds the longer
 * side instead of the shorter one (SAM resizes the longer side to 1024: more is wasted decoding).
 */
export async function loadImage(input: ImageInput, options: { readonly longestSide?: number } = {}): Promise<RawImage> {
  return withImage(input, async (image) => {
    let pipeline = image.rotate();
    if (options.longestSide) pipeline = pipeline.resize(options.longestSide, options.longestSide, { fit: 'inside', withoutEnlargement: true });
    else if ('path' in input) pipeline = pipeline.resize(PATH_IMAGE_SHORT_SIDE, PATH_IMAGE_SHORT_SIDE, { fit: 'outside', withoutEnlargement: true });
    const { data, info } = await pipeline.removeAlpha().toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    return new RawImage(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height, 3);
  });
}

/**
 * Runs `decode` on a sharp pipeline of the image (a regular file read with a size limit, or bytes;
 * decoding refused beyond the pixel limit): any failure becomes an UnreadableImageError naming the
 * image and the reason. `metadata` is the header as read (before EXIF rotation).
 */
export async function withImage<T>(input: ImageInput, decode: (image: Sharp, metadata: Metadata) => Promise<T>): Promise<T> {
  const name = 'path' in input ? basename(input.path) : input.name ?? 'image';
  let bytes: Buffer | undefined;
  try {
    bytes = 'path' in input ? await readRegularFile(input.path, MAX_IMAGE_BYTES) : Buffer.from(input.base64, 'base64');
    if (!bytes) throw new Error('the file does not exist');
    const { image, metadata } = await sharpWithinPixelLimit(bytes, { failOn: 'error', pages: 1 });
    return await decode(image, metadata);
  } catch (error) {
    // Bytes that are no image at all are named ("it is an HTML page"); libvips would only say "unsupported image format".
    const notAnImage = bytes && !(error instanceof PixelLimitError) ? notAnImageReason(bytes) : undefined;
    const reason = notAnImage ?? (error instanceof Error ? error.message : String(error));
    throw new UnreadableImageError(name, reason);
  }
}
