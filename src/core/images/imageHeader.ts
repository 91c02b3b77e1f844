import { imageSize } from 'image-size';
import type { DatasetBoundary } from '../files/datasetBoundary';
import { openRegularFile } from '../files/regularFile';

/** The bytes image-size looks at (its own reader's limit): every header we read lies within them. */
const HEADER_BYTES = 512 * 1024;

export interface ImageHeader {
  readonly fileSize: number;
  readonly mtimeMs: number;
  /** Pixel size as displayed: EXIF orientations 5-8 swap width and height. */
  readonly width?: number;
  readonly height?: number;
  /** Why the file is not a usable image (missing, empty, not regular, outside the dataset, not an image format we can parse). */
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
    try {
      const dimensions = imageSize(head.subarray(0, bytesRead));
      if (!dimensions.width || !dimensions.height) return { ...base, error: `Not a readable image: no pixel size in its ${dimensions.type ?? 'unknown'} header.` };
      const rotated = (dimensions.orientation ?? 1) >= 5;
      return { ...base, width: rotated ? dimensions.height : dimensions.width, height: rotated ? dimensions.width : dimensions.height };
    } catch (err) {
      return { ...base, error: `Not a readable image: ${(err as Error).message}` };
    }
  } catch (err) {
    return { fileSize: size, mtimeMs: 0, error: `Cannot read the image: ${(err as Error).message}` };
  } finally {
    await handle.close();
  }
}
