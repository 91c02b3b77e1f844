import { imageSize } from 'image-size';
import type { DatasetBoundary } from '../files/datasetBoundary';
import { openRegularFile } from '../files/regularFile';
import { pixelLimitReason } from './imageLimits';
import { notAnImageReason } from './notAnImage';

/** The bytes image-size looks at (its own reader's limit): every header we read lies within them. */
const HEADER_BYTES = 512 * 1024;

export interface ImageHeader {
  readonly fileSize: number;
  readonly mtimeMs: number;
  /** Pixel size as displayed (EXIF orientations 5-8 swap width and height); also given when the size itself is the error. */
  readonly width?: number;
  readonly height?: number;
  /** Why the file is not a usable image (missing, empty, not regular, outside the dataset, not an image, an unparsable header, over the pixel limit). */
  readonly error?: string;
}

/** Reads only the header of an image (a regular file inside `boundary`): its size on disk and in pixels, or why it is unreadable. */
export async function readImageHeader(file: string, boundary: DatasetBoundary): Promise<ImageHeader> {
  let opened;
  try {
    opened = await openRegularFile(file, boundary);
  } catch (err) {
    return { fileSize: 0, mtimeMs: 0, error: `Cannot read the image: ${(err as Error).message}` };
  }
  if (!opened) return { fileSize: 0, mtimeMs: 0, error: 'Cannot read the image: it no longer exists.' };
  const { handle, size, mtimeMs } = opened;
  try {
    const base = { fileSize: size, mtimeMs: Math.round(mtimeMs) };
    if (size === 0) return { ...base, error: 'The image file is empty (0 bytes).' };
    const head = new Uint8Array(Math.min(size, HEADER_BYTES));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const bytes = head.subarray(0, bytesRead);
    let dimensions;
    try {
      dimensions = imageSize(bytes);
    } catch (err) {
      return { ...base, error: unreadable(bytes, (err as Error).message) };
    }
    // image-size takes bytes without any signature (zeros, say) for a 0x0 TGA: those are no image either.
    if (!dimensions.width || !dimensions.height) return { ...base, error: unreadable(bytes, `no pixel size in its ${dimensions.type ?? 'unknown'} header.`) };
    const rotated = (dimensions.orientation ?? 1) >= 5;
    const pixels = { width: rotated ? dimensions.height : dimensions.width, height: rotated ? dimensions.width : dimensions.height };
    const overLimit = pixelLimitReason(pixels.width, pixels.height);
    return overLimit ? { ...base, ...pixels, error: `Not a readable image: ${overLimit}.` } : { ...base, ...pixels };
  } catch (err) {
    return { fileSize: size, mtimeMs: 0, error: `Cannot read the image: ${(err as Error).message}` };
  } finally {
    await handle.close();
  }
}

/** What the bytes are when they are no image at all, else the parser's complaint about a damaged one. */
function unreadable(bytes: Uint8Array, parserMessage: string): string {
  const notAnImage = notAnImageReason(bytes);
  return notAnImage ? `Not an image: ${notAnImage}.` : `Not a readable image: ${parserMessage}`;
}
